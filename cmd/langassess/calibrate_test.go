package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/langassess/langassess/rubrics"
)

// ratedTSV writes a small rated file in the MERLIN layout where longer,
// more varied German texts have higher levels, so calibration has something
// to find.
func ratedTSV(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id\tlang\tcefr_overall\tOrthography\ttext\n")
	words := strings.Fields("Ich habe gestern einen Brief an meine Freundin geschrieben weil sie nächste Woche Geburtstag hat und wir zusammen feiern möchten obwohl das Wetter schlecht ist deshalb bleiben wir zu Hause und kochen ein gutes Essen mit Gemüse Kartoffeln Fleisch sowie einem leckeren Kuchen")
	levels := []string{"A2", "B1", "B2"}
	for i := range 60 {
		lvl := i % 3
		n := 12 + 18*lvl + i%5
		var text []string
		for j := range n {
			text = append(text, words[(j*(lvl+1))%len(words)])
		}
		fmt.Fprintf(&b, "%d\tde\t%s\t%s\t%s.\n", i, levels[lvl], levels[lvl], strings.Join(text, " "))
	}
	p := filepath.Join(t.TempDir(), "rated.tsv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

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
	err := run(context.Background(), []string{"calibrate", "--folds", "3", "--date", "2026-01-02", "--rubric", rubric, ratedTSV(t)}, env, &out, &out)
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
		{"eval", "levels", "--data", filepath.Join(t.TempDir(), "none")},
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
		{"eval", "levels", "--folds", "0", "--data", filepath.Join(t.TempDir(), "none")},
		{"eval", "levels", "--folds", "1", "--data", filepath.Join(t.TempDir(), "none")},
		{"calibrate", "--folds", "1", filepath.Join(t.TempDir(), "none.tsv")},
	} {
		var out bytes.Buffer
		if err := run(context.Background(), args, env, &out, &out); err == nil || !strings.Contains(err.Error(), "--folds") {
			t.Errorf("%v: err %v, want a --folds error", args, err)
		}
	}
}

// TestEvalLevelsRepeated: eval levels reports the mean and SD over repeated
// cross-validations and a verdict per target, from a data folder in the
// shared layout.
func TestEvalLevelsRepeated(t *testing.T) {
	data := t.TempDir()
	if err := os.MkdirAll(filepath.Join(data, "merlin"), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(ratedTSV(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "merlin", "merlin_dev.tsv"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	env := func(string) string { return "" }
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"eval", "levels", "--data", data, "--folds", "3", "--repeats", "4", "--held-out"}, env, &out, &errOut); err != nil {
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
	if err := run(context.Background(), []string{"eval", "levels", "--repeats", "0", "--data", data}, env, &out, &errOut); err == nil || !strings.Contains(err.Error(), "--repeats") {
		t.Errorf("--repeats 0: err %v, want a --repeats error", err)
	}
}
