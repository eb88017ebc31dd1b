package rubrics

import (
	"cmp"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// The default pack ships inside the binary so `langassess serve` grades on
// a fresh machine with no files to install.
//
//go:embed packs/customer-support-v1
var defaultFS embed.FS

const defaultDir = "packs/customer-support-v1"

// DefaultID is the id of the embedded pack.
const DefaultID = "customer-support-v1"

// defaultPack parses the embedded pack once; the Pack is immutable, so
// every caller can share it.
var defaultPack = sync.OnceValues(func() (*Pack, error) {
	return loadFS(defaultFS, defaultDir, "embedded:"+defaultDir)
})

// Default returns the embedded customer-support-v1 pack. It is shared:
// do not modify it.
func Default() (*Pack, error) { return defaultPack() }

// packSubdirs are the folders of a pack directory that hold pack files
// besides its top level. Other folders (such as rules/ for grammar rule
// packs) have formats of their own and are skipped.
var packSubdirs = []string{"assessments", "rubrics", "queues"}

// Load reads a custom pack from a directory: every *.yaml or *.yml file at
// its top level and in its assessments/, rubrics/ and queues/ folders (the
// embedded pack's layout). Exactly one file holds the pack: section.
// Problems come back as an ErrorList with file:line positions.
func Load(dir string) (*Pack, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("rubrics: load pack: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("rubrics: load pack: %s is not a directory", dir)
	}
	return loadFS(os.DirFS(dir), ".", dir)
}

// Parse reads a pack held in one file (pack:, assessments:, rubrics: and
// queues: together). name is used in error messages.
func Parse(name string, data []byte) (*Pack, error) {
	doc, src, errs := decodeFile(name, data)
	if errs != nil {
		return nil, errs
	}
	p, err := build([]file{{doc: doc, src: src}}, name)
	if err != nil {
		return nil, err
	}
	p.Digest = digest([]string{path.Base(name)}, [][]byte{data})
	return p, nil
}

// packFiles lists the pack files of a directory in load order, relative
// to dir.
func packFiles(fsys fs.FS, dir string) ([]string, error) {
	var names []string
	for _, sub := range append([]string{"."}, packSubdirs...) {
		entries, err := fs.ReadDir(fsys, path.Join(dir, sub))
		if errors.Is(err, fs.ErrNotExist) && sub != "." {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("rubrics: read pack directory: %w", err)
		}
		for _, e := range entries {
			n := e.Name()
			// Dot files are editor and temp files (and a Kubernetes
			// ConfigMap's ..data); symlinks are how such mounts present
			// the real files, so they count when they lead to a file.
			if strings.HasPrefix(n, ".") || !(strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
				continue
			}
			p := path.Join(sub, n)
			if !e.Type().IsRegular() {
				if st, err := fs.Stat(fsys, path.Join(dir, p)); err != nil || !st.Mode().IsRegular() {
					continue
				}
			}
			names = append(names, p)
		}
	}
	// pack.yaml first, then the other top-level files, then the folders:
	// the pack: section is taken from the first file that has one, and
	// objects keep this order in the Pack.
	rank := func(n string) int {
		switch {
		case n == "pack.yaml" || n == "pack.yml":
			return 0
		case !strings.Contains(n, "/"):
			return 1
		}
		return 2
	}
	slices.SortFunc(names, func(a, b string) int { return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a, b)) })
	return names, nil
}

func loadFS(fsys fs.FS, dir, shown string) (*Pack, error) {
	names, err := packFiles(fsys, dir)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("rubrics: no *.yaml pack files in %s", shown)
	}
	var (
		files []file
		datas [][]byte
		errs  ErrorList
	)
	for _, n := range names {
		data, err := fs.ReadFile(fsys, path.Join(dir, n))
		if err != nil {
			return nil, fmt.Errorf("rubrics: read pack file: %w", err)
		}
		doc, src, ferrs := decodeFile(filepath.Join(shown, filepath.FromSlash(n)), data)
		if ferrs != nil {
			errs = append(errs, ferrs...)
			continue
		}
		files = append(files, file{doc: doc, src: src})
		datas = append(datas, data)
	}
	// Syntax errors stop here: validating the files that did decode would
	// report references into the broken ones as missing.
	if err := errs.err(); err != nil {
		return nil, err
	}
	p, err := build(files, shown)
	if err != nil {
		return nil, err
	}
	p.Digest = digest(names, datas)
	return p, nil
}

// HasPackSection reports whether a file's top level has a pack: key,
// i.e. whether it can be parsed as a single-file pack.
func HasPackSection(data []byte) bool {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) != 1 {
		return false
	}
	return lookup(root.Content[0], "pack") != nil
}

// WriteDefault copies the embedded default pack into dir (created if
// needed) as a starting point for a custom pack. Existing files are not
// overwritten.
func WriteDefault(dir string) error {
	sub, err := fs.Sub(defaultFS, defaultDir)
	if err != nil {
		return fmt.Errorf("rubrics: %w", err)
	}
	return fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return fmt.Errorf("rubrics: write default pack: %w", err)
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			return fmt.Errorf("rubrics: write default pack: %w", err)
		}
		return f.Close()
	})
}
