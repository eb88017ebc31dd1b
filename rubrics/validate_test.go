package rubrics

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata file name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(name, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s--- want\n%s", name, got, want)
	}
}

// TestInvalid checks every testdata/invalid/*.yaml pack: each has one
// mistake and must fail with the file:line messages in its .golden file.
func TestInvalid(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil || len(files) < 40 {
		t.Fatalf("want the invalid cases, found %d (%v)", len(files), err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Parse(f, data)
			if err == nil {
				t.Fatalf("Parse accepted an invalid pack (%s)", p.ID)
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %T is not an ErrorList: %v", err, err)
			}
			for _, e := range list {
				if e.File != f {
					t.Errorf("error names file %q, want %q", e.File, f)
				}
			}
			golden(t, strings.TrimSuffix(f, ".yaml")+".golden", err.Error()+"\n")
		})
	}
}

func TestValid(t *testing.T) {
	data, err := os.ReadFile("testdata/valid/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse("minimal.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	a, ok := p.Assessment("support")
	if !ok {
		t.Fatal("assessment support missing")
	}
	read, _ := a.Item("read")
	reply, _ := a.Item("reply")
	call, _ := a.Item("call")
	if read == nil || reply == nil || call == nil {
		t.Fatal("items missing")
	}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"pack version", p.Version, "0.1"},
		{"languages", strings.Join(p.Languages, ","), "en,de"},
		{"reading skill from kind", read.Skill, SkillReading},
		{"spoken skill from kind", call.Skill, SkillSpeaking},
		{"default weight", reply.Weight, 1.0},
		{"item languages", strings.Join(read.Languages(), ","), "de,en"},
		{"prompt de", read.Prompt("de"), "Was ist das Problem?"},
		{"prompt missing language", read.Prompt("fr"), ""},
		{"passage", read.Passage("en"), "I was charged twice for order 12."},
		{"passage id", read.PassageID(), "mail"},
		{"key point phrases de", strings.Join(read.KeyPoints("de")[0].Phrases, "|"), "zweimal abgebucht|doppelt abgebucht"},
		{"key point weight", read.KeyPoints("en")[0].Weight, 2.0},
		{"forbidden penalty", read.Forbidden("de")[0].Penalty, 1.0},
		{"no key points", len(reply.KeyPoints("en")), 0},
		{"length words", reply.Length.MaxWords, 150},
		{"length seconds", call.Length.MinSeconds, 30.0},
		{"item rubric is the default", reply.Rubric().ID, "writing"},
		{"reading rubric", read.Rubric().ID, "reading"},
		{"queues", len(p.Queues()), 2},
		{"platform level", must(p.PlatformLevel("amazon-connect", "C2")), 5},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	// Per-language rubric values override the default ones; the rest
	// fall back to the rubric's own.
	de, _ := p.WritingRubric("de")
	en, _ := p.WritingRubric("en")
	if de.Cuts[0].Min != 25 || en.Cuts[0].Min != 20 {
		t.Errorf("A2 cuts de=%v en=%v, want 25 and 20", de.Cuts[0].Min, en.Cuts[0].Min)
	}
	if de.Weights[DimGrammar] != 0.5 {
		t.Errorf("de grammar weight %v, want the default 0.5", de.Weights[DimGrammar])
	}
	if de.Fit == nil || de.Fit.N != 120 || de.Fit.Metrics["qwk"] != 0.81 || en.Fit != nil {
		t.Errorf("calibration figures: de %+v en %+v", de.Fit, en.Fit)
	}
	if _, ok := p.WritingRubric("fr"); ok {
		t.Error("writing rubric for an unconfigured language")
	}
}

func must[T any](v T, ok bool) T {
	if !ok {
		var zero T
		return zero
	}
	return v
}
