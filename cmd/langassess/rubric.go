package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/langassess/langassess/rubrics"
)

const rubricUsage = `langassess rubric validate [FILE|DIR ...]
       langassess rubric init DIR

validate  checks rubric packs and prints one file:line: message per problem;
          exits non-zero when there is any. A DIR is a pack directory
          (pack.yaml, assessments/, rubrics/, queues.yaml); a FILE is a
          single-file pack, or one file of a pack directory, in which case
          the whole pack it belongs to is checked. Without arguments the
          embedded default pack is checked.
init      writes the embedded default pack into DIR as a starting point for
          a custom pack (load it with --pack-dir).`

func runRubric(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rubric", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stdout, "Usage: "+rubricUsage) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("rubric: missing subcommand (validate or init)")
	}
	sub, rest := fs.Arg(0), fs.Args()[1:]
	for _, a := range rest {
		if a == "-h" || a == "--help" || a == "-help" {
			fs.Usage()
			return nil
		}
	}
	switch sub {
	case "validate":
		return rubricValidate(rest, stdout, stderr)
	case "init":
		if len(rest) != 1 {
			return errors.New("rubric init: want one directory")
		}
		if err := rubrics.WriteDefault(rest[0]); err != nil {
			return fmt.Errorf("rubric init: %w", err)
		}
		fmt.Fprintf(stdout, "wrote %s to %s\n", rubrics.DefaultID, rest[0])
		return nil
	}
	fs.Usage()
	return fmt.Errorf("rubric: unknown subcommand %q", sub)
}

func rubricValidate(paths []string, stdout, stderr io.Writer) error {
	if len(paths) == 0 {
		paths = []string{""}
	}
	problems := 0
	for _, p := range paths {
		if n, ok := validateRules(p, stdout, stderr); ok {
			problems += n
			continue
		}
		problems += validateRuleDir(p, stdout, stderr)
		pack, err := loadPackPath(p)
		var list rubrics.ErrorList
		switch {
		case errors.As(err, &list):
			for _, e := range list {
				fmt.Fprintln(stderr, e)
			}
			problems += len(list)
			continue
		case err != nil:
			fmt.Fprintln(stderr, err)
			problems++
			continue
		}
		items := 0
		for _, a := range pack.Assessments {
			items += len(a.Items)
		}
		name := p
		if name == "" {
			name = "embedded default pack"
		}
		fmt.Fprintf(stdout, "%s: ok: %s %s (%s), %d languages, %d assessments, %d items, %d rubrics, %d queues\n",
			name, pack.ID, pack.Version, pack.Digest, len(pack.Languages), len(pack.Assessments), items, len(pack.Rubrics()), len(pack.Queues()))
	}
	if problems > 0 {
		return fmt.Errorf("rubric validate: %d problem(s)", problems)
	}
	return nil
}

// loadPackPath loads what the user pointed at: "" is the embedded pack, a
// directory is a pack, a file is a single-file pack unless it is one file
// of a pack directory (it has no pack: section), then the directory is.
func loadPackPath(p string) (*rubrics.Pack, error) {
	if p == "" {
		return rubrics.Default()
	}
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("rubric validate: %w", err)
	}
	if st.IsDir() {
		return rubrics.Load(p)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("rubric validate: %w", err)
	}
	if rubrics.HasPackSection(data) {
		return rubrics.Parse(p, data)
	}
	dir := filepath.Dir(p)
	switch filepath.Base(dir) {
	case "assessments", "rubrics", "queues":
		dir = filepath.Dir(dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "pack.yaml")); err != nil {
		return rubrics.Parse(p, data) // reports the missing pack: section at the file
	}
	pack, err := rubrics.Load(dir)
	if err != nil {
		return nil, err
	}
	return pack, nil
}

// validateRules checks p when it is a grammar rule pack file (a YAML file
// in a rules/ folder); ok is false for anything else.
func validateRules(p string, stdout, stderr io.Writer) (problems int, ok bool) {
	if p == "" || filepath.Base(filepath.Dir(p)) != "rules" {
		return 0, false
	}
	if st, err := os.Stat(p); err != nil || st.IsDir() {
		return 0, false
	}
	data, err := os.ReadFile(p)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1, true
	}
	rp, err := rubrics.ParseRulePack(p, data)
	if n := printProblems(err, "", stderr); n > 0 {
		return n, true
	}
	fmt.Fprintf(stdout, "%s: ok: %s grammar rules, %d rules\n", p, rp.Language, len(rp.Rules))
	return 0, true
}

// validateRuleDir checks the grammar rule packs that come with a pack: the
// embedded ones for "" and a directory's rules/ folder.
func validateRuleDir(p string, stdout, stderr io.Writer) int {
	var (
		packs map[string]*rubrics.RulePack
		err   error
		name  = "embedded grammar rules"
	)
	switch st, serr := os.Stat(filepath.Join(p, "rules")); {
	case p == "":
		packs, err = rubrics.DefaultRulePacks()
	case serr == nil && st.IsDir():
		name = filepath.Join(p, "rules")
		packs, err = rubrics.LoadRulePacks(os.DirFS(p), "rules")
	default:
		return 0
	}
	if n := printProblems(err, p, stderr); n > 0 {
		return n
	}
	fmt.Fprintf(stdout, "%s: ok: %d languages\n", name, len(packs))
	return 0
}

// printProblems prints err one problem a line, with file names made
// relative to dir again, and counts them.
func printProblems(err error, dir string, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var list rubrics.ErrorList
	if !errors.As(err, &list) {
		fmt.Fprintln(stderr, err)
		return 1
	}
	for _, e := range list {
		e := *e
		if dir != "" {
			e.File = filepath.Join(dir, filepath.FromSlash(e.File))
		}
		fmt.Fprintln(stderr, e.Error())
	}
	return len(list)
}
