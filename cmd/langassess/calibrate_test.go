package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/langassess/langassess/internal/ratedtest"
	"github.com/langassess/langassess/rubrics"
)

func TestCalibrateWritesRubric(t *testing.T) {
	if _, err := os.Stat("/usr/share/hunspell/de_DE.dic"); err != nil {
		t.Skip("Hunspell dictionaries not installed")
	}
	dir := t.TempDir()
	if err := rubrics.WriteDefault(dir); err != nil {
		t.Fatal(err)
	}
	rubric := filepath.Join(dir, "rubrics", "writing.yaml")
	var out bytes.Buffer
	env := func(string) string { return "" }
	err := run(context.Background(), []string{"calibrate", "--folds", "3", "--date", "2026-01-02", "--rubric", rubric, ratedtest.TSV(t)}, env, &out, &out)
	if err != nil {
		t.Fatalf("calibrate: %v\n%s", err, out.String())
	}
	for _, want := range []string{"| de | 60 | A2 20, B1 20, B2 20 |", "wrote de weights and cuts"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	pack, err := rubrics.Load(dir)
	if err != nil {
		t.Fatalf("pack no longer loads: %v", err)
	}
	sc, _ := pack.WritingRubric("de")
	if sc.Fit == nil || sc.Fit.N != 60 || sc.Fit.Folds != 3 || sc.Fit.Date != "2026-01-02" || sc.Fit.Metrics["qwk"] == 0 {
		t.Errorf("calibration not recorded: %+v", sc.Fit)
	}
	if sc.Weights["comprehension"] == 0 || len(sc.Cuts) == 0 || sc.Cuts[0].Level != "B1" {
		t.Errorf("weights %v cuts %v: want comprehension kept and cuts from B1", sc.Weights, sc.Cuts)
	}
}

func TestLevelCommandsSkipWithoutData(t *testing.T) {
	env := func(string) string { return "" }
	for _, args := range [][]string{
		{"calibrate", filepath.Join(t.TempDir(), "none.tsv")},
	} {
		var out bytes.Buffer
		if err := run(context.Background(), args, env, &out, &out); err != nil || !strings.Contains(out.String(), "skipped") {
			t.Errorf("%v: err %v, output %q: want a clean skip", args, err, out.String())
		}
	}
}

// TestLevelCommandsRefuseFewFolds: --folds below 2 is a usage error even
// without data (eval levels accepted it and, with data, panicked dividing by
// zero folds).
func TestLevelCommandsRefuseFewFolds(t *testing.T) {
	env := func(string) string { return "" }
	for _, args := range [][]string{
		{"calibrate", "--folds", "1", filepath.Join(t.TempDir(), "none.tsv")},
	} {
		var out bytes.Buffer
		if err := run(context.Background(), args, env, &out, &out); err == nil || !strings.Contains(err.Error(), "--folds") {
			t.Errorf("%v: err %v, want a --folds error", args, err)
		}
	}
}
