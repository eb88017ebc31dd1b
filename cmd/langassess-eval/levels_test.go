package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/langassess/langassess/internal/ratedtest"
)

// TestEvalLevelsRepeated: eval levels reports the mean and SD over repeated
// cross-validations and a verdict per target, from a data folder in the
// shared layout.
func TestEvalLevelsRepeated(t *testing.T) {
	data := t.TempDir()
	if err := os.MkdirAll(filepath.Join(data, "merlin"), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(ratedtest.TSV(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "merlin", "merlin_dev.tsv"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	env := func(string) string { return "" }
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"levels", "--data", data, "--folds", "3", "--repeats", "4", "--held-out"}, env, &out, &errOut); err != nil {
		t.Fatalf("eval levels: %v\n%s%s", err, out.String(), errOut.String())
	}
	o := out.String()
	for _, want := range []string{"repeated 4 times", "| de | ", "weighted F1 > V&R 2018", "Held-out split", "fitted weights"} {
		if !strings.Contains(o, want) {
			t.Errorf("output lacks %q:\n%s", want, o)
		}
	}
	// The German row carries "mean (SD)" cells and the target row a verdict
	// against 0.686 for each of the three targets.
	var row, verdict string
	for _, l := range strings.Split(o, "\n") {
		if strings.HasPrefix(l, "| de | ") && strings.Contains(l, "0.686") {
			row = l
		}
		if strings.HasPrefix(l, "| de | ") && strings.Contains(l, "met: ") {
			verdict = l
		}
	}
	if strings.Count(row, " (0.") < 8 {
		t.Errorf("German row without mean (SD) cells: %q", row)
	}
	if strings.Count(verdict, "met: ") != 6 { // 3 targets x (CV, held-out)
		t.Errorf("German verdicts: %q", verdict)
	}
	if err := run(context.Background(), []string{"levels", "--repeats", "0", "--data", data}, env, &out, &errOut); err == nil || !strings.Contains(err.Error(), "--repeats") {
		t.Errorf("--repeats 0: err %v, want a --repeats error", err)
	}
}

// TestLevelsSkipsWithoutData and TestLevelsRefusesFewFolds are the
// evaluation's half of cmd/langassess's TestLevelCommandsSkipWithoutData
// and TestLevelCommandsRefuseFewFolds.
func TestLevelsSkipsWithoutData(t *testing.T) {
	env := func(string) string { return "" }
	args := []string{"levels", "--data", filepath.Join(t.TempDir(), "none")}
	var out bytes.Buffer
	if err := run(context.Background(), args, env, &out, &out); err != nil || !strings.Contains(out.String(), "skipped") {
		t.Errorf("%v: err %v, output %q: want a clean skip", args, err, out.String())
	}
}

func TestLevelsRefusesFewFolds(t *testing.T) {
	env := func(string) string { return "" }
	for _, args := range [][]string{
		{"levels", "--folds", "0", "--data", filepath.Join(t.TempDir(), "none")},
		{"levels", "--folds", "1", "--data", filepath.Join(t.TempDir(), "none")},
	} {
		var out bytes.Buffer
		if err := run(context.Background(), args, env, &out, &out); err == nil || !strings.Contains(err.Error(), "--folds") {
			t.Errorf("%v: err %v, want a --folds error", args, err)
		}
	}
}
