package rubrics

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadSplitPack(t *testing.T) {
	p, err := Load("testdata/packs/split")
	if err != nil {
		t.Fatal(err)
	}
	w, ok := p.WritingRubric("fr")
	if !ok {
		t.Fatal("no writing rubric for fr")
	}
	tests := []struct {
		score float64
		want  string
	}{{0, "A2"}, {49.9, "A2"}, {50, "B1"}, {69, "B1"}, {70, "B2"}, {100, "B2"}}
	for _, tt := range tests {
		if got := w.Level(tt.score); got != tt.want {
			t.Errorf("Level(%v) = %s, want %s", tt.score, got, tt.want)
		}
	}
	if q, ok := p.Queue("fr-chat"); !ok || q.Demand != 3 {
		t.Errorf("queue fr-chat = %+v, %v", q, ok)
	}
	if !strings.HasPrefix(p.Digest, "sha256:") || len(p.Digest) != len("sha256:")+16 {
		t.Errorf("digest %q", p.Digest)
	}
	if p.Ref() != "split@2+"+p.Digest {
		t.Errorf("ref %q", p.Ref())
	}
}

// TestLoadErrors checks that errors from several files of a pack are all
// reported, each with its own file and line.
func TestLoadErrors(t *testing.T) {
	for _, dir := range []string{"broken", "syntax"} {
		t.Run(dir, func(t *testing.T) {
			_, err := Load(filepath.Join("testdata/packs", dir))
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("want an ErrorList, got %v", err)
			}
			golden(t, filepath.Join("testdata/packs", dir+".golden"), err.Error()+"\n")
		})
	}
}

func TestLoadNotAPack(t *testing.T) {
	tests := []struct{ name, dir, want string }{
		{"missing", "testdata/no-such-dir", "no such file"},
		{"file", "testdata/valid/minimal.yaml", "not a directory"},
		{"empty", t.TempDir(), "no *.yaml pack files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load(%s) = %v, want an error containing %q", tt.dir, err, tt.want)
			}
		})
	}
}

// TestDigestTracksContent: the version recorded with scores changes when
// any file changes, even if the declared version does not.
func TestDigestTracksContent(t *testing.T) {
	dir := t.TempDir()
	if err := WriteDefault(dir); err != nil {
		t.Fatal(err)
	}
	a, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if a.Digest != d.Digest {
		t.Errorf("copied pack digest %s, embedded %s", a.Digest, d.Digest)
	}
	f := filepath.Join(dir, "queues.yaml")
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f, []byte(strings.Replace(string(data), "demand: 40", "demand: 41", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if b.Digest == a.Digest || b.Version != a.Version {
		t.Errorf("digest %s -> %s after an edit (version %s -> %s)", a.Digest, b.Digest, a.Version, b.Version)
	}
	if err := WriteDefault(dir); err == nil {
		t.Error("WriteDefault overwrote an existing pack")
	}
}

// TestLoadMountedPack loads a pack laid out the way a Kubernetes
// ConfigMap mount presents it: symlinks into a hidden ..data folder.
func TestLoadMountedPack(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "..data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, "testdata/valid/minimal.yaml", filepath.Join(data, "minimal.yaml"))
	if err := os.WriteFile(filepath.Join(dir, ".calibration-123.yaml"), []byte("pack: {}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join("..data", "minimal.yaml"), filepath.Join(dir, "minimal.yaml")); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	p, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "minimal" {
		t.Errorf("id %q", p.ID)
	}
}
