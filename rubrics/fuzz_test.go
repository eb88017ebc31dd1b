package rubrics

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary bytes to Parse, as an uploaded pack would. It
// must never panic; an error is always an ErrorList naming the file, and
// an accepted pack keeps the invariants the grading engine relies on.
//
//	go test -run '^$' -fuzz FuzzParse -fuzztime 30s -fuzzminimizetime 2s ./rubrics
//
// (the default one-minute minimisation of each new input stalls the
// progress counter on a busy machine; it is not a hang).
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/valid/*.yaml")
	more, _ := filepath.Glob("testdata/invalid/*.yaml")
	seeds = append(seeds, more...)
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.yaml", data)
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error is not a non-empty ErrorList: %v", err)
			}
			for _, e := range list {
				if e.File != "fuzz.yaml" || e.Line < 0 || e.Msg == "" {
					t.Fatalf("bad error %+v", e)
				}
			}
			return
		}
		if p == nil || len(p.Languages) == 0 {
			t.Fatal("accepted pack without languages")
		}
		for _, lang := range p.Languages {
			s, ok := p.WritingRubric(lang)
			if !ok {
				t.Fatalf("no writing rubric for %s", lang)
			}
			if len(s.Weights) == 0 || len(s.Cuts) == 0 {
				t.Fatalf("writing scale for %s has no weights or cuts", lang)
			}
			for i := 1; i < len(s.Cuts); i++ {
				if s.Cuts[i].Min <= s.Cuts[i-1].Min || LevelIndex(s.Cuts[i].Level) != LevelIndex(s.Cuts[i-1].Level)+1 {
					t.Fatalf("cuts not increasing: %v", s.Cuts)
				}
			}
			for _, score := range []float64{-1, 0, 50, 100, 101} {
				if !ValidLevel(s.Level(score)) {
					t.Fatalf("Level(%v) = %q", score, s.Level(score))
				}
			}
		}
		for _, a := range p.Assessments {
			for _, it := range a.Items {
				if it.Rubric() == nil {
					t.Fatalf("item %s has no rubric", it.ID)
				}
				for _, lang := range a.Languages {
					if it.Prompt(lang) == "" {
						t.Fatalf("item %s has no prompt in %s", it.ID, lang)
					}
					for _, kp := range it.KeyPoints(lang) {
						if kp.Weight <= 0 || len(kp.Phrases) == 0 {
							t.Fatalf("key point %+v", kp)
						}
					}
				}
			}
		}
	})
}
