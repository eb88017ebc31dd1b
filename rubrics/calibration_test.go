package rubrics

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

var fitted = map[string]Calibration{
	"de": {Language: "de", Weights: map[string]float64{DimGrammar: 0.412345, DimSpelling: 0.1, DimVocabulary: 0.3, DimCoherence: 0},
		Cuts:    []Cut{{"B1", 38.04}, {"A2", 18.5}, {"B2", 57.25}, {"C1", 71}},
		Metrics: map[string]float64{"qwk": 0.83456, "spearman": 0.81, "smd": -0.0123}, Data: "merlin/merlin_dev.tsv (de)", N: 380, Folds: 5, Date: "2026-11-24"},
	"en": {Language: "en", Weights: map[string]float64{DimGrammar: 0.7, DimVocabulary: 0.3},
		Cuts: []Cut{{"A2", 25}, {"B1", 45}}, Metrics: map[string]float64{"qwk": 0.8}, Data: "wi_locness", N: 3000},
	"it": {Language: "it", Weights: map[string]float64{DimGrammar: 1}, Cuts: []Cut{{"A2", 30}, {"B1", 50}}, N: 12, Note: "few texts"},
}

// TestWriteCalibration writes three languages into a commented rubric
// file: a new section (de), a replaced one (en) and a flow-style empty
// one (it). The result is a golden file, so lost comments or
// reformatted values show up in the diff.
func TestWriteCalibration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "writing.yaml")
	copyFile(t, "testdata/calibration/input.yaml", path)
	for _, lang := range []string{"de", "en", "it"} {
		if err := WriteCalibration(path, fitted[lang]); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/calibration/output.golden.yaml", string(got))
	for _, c := range []string{"This comment must survive", "The generic writing rubric.", "# hand-set", "English was calibrated before"} {
		if !strings.Contains(string(got), c) {
			t.Errorf("comment %q lost", c)
		}
	}
}

// TestWriteCalibrationLoads writes into a copy of the default pack and
// reads the values back through Load.
func TestWriteCalibrationLoads(t *testing.T) {
	dir := t.TempDir()
	if err := WriteDefault(dir); err != nil {
		t.Fatal(err)
	}
	before, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteCalibration(filepath.Join(dir, "rubrics", "writing.yaml"), fitted["de"]); err != nil {
		t.Fatal(err)
	}
	p, err := Load(dir)
	if err != nil {
		t.Fatalf("pack no longer loads: %v", err)
	}
	de, _ := p.WritingRubric("de")
	if len(de.Cuts) != 4 || de.Cuts[0] != (Cut{"A2", 18.5}) || de.Cuts[1] != (Cut{"B1", 38}) {
		t.Errorf("de cuts = %v", de.Cuts)
	}
	if de.Weights[DimGrammar] != 0.4123 || de.Weights[DimCoherence] != 0 || len(de.Weights) != 4 {
		t.Errorf("de weights = %v (rounded to 4 decimals, zero weights left out, comprehension kept)", de.Weights)
	}
	// Comprehension keeps its default share (0.2) for item answers...
	var sum float64
	for _, w := range de.Weights {
		sum += w
	}
	if share := de.Weights[DimComprehension] / sum; share < 0.1995 || share > 0.2005 {
		t.Errorf("comprehension share %v, want the default 0.2", share)
	}
	// ...and an answer without it is scored with the fitted weights alone.
	scores := map[string]float64{DimGrammar: 50, DimSpelling: 80, DimVocabulary: 30}
	got, _ := de.Combine(scores)
	want := (0.412345*50 + 0.1*80 + 0.3*30) / 0.812345
	if d := got - want; d > 0.01 || d < -0.01 {
		t.Errorf("generic score %v, want %v", got, want)
	}
	if de.Fit == nil || de.Fit.N != 380 || de.Fit.Folds != 5 || de.Fit.Metrics["qwk"] != 0.835 || de.Fit.Data != "merlin/merlin_dev.tsv (de)" {
		t.Errorf("de fit = %+v", de.Fit)
	}
	enBefore, _ := before.WritingRubric("en")
	en, _ := p.WritingRubric("en")
	if len(en.Cuts) != len(enBefore.Cuts) || en.Cuts[0] != enBefore.Cuts[0] || (en.Fit == nil) != (enBefore.Fit == nil) {
		t.Errorf("en changed: %v -> %v", enBefore.Cuts, en.Cuts)
	}
	if p.Digest == before.Digest {
		t.Error("digest did not change with the calibration")
	}
	// Swedish is not configured in the pack: writing it would leave a
	// pack that no longer loads, so nothing is written.
	sv := fitted["de"]
	sv.Language = "sv"
	file := filepath.Join(dir, "rubrics", "writing.yaml")
	data, _ := os.ReadFile(file)
	err = WriteCalibration(file, sv)
	if err == nil || !strings.Contains(err.Error(), `rubric values in language "sv", which is not declared`) {
		t.Errorf("calibrating an unconfigured language: err = %v", err)
	}
	if after, _ := os.ReadFile(file); string(after) != string(data) {
		t.Error("file changed although the write failed")
	}
}

func TestWriteCalibrationErrors(t *testing.T) {
	ok := fitted["en"]
	with := func(f func(*Calibration)) Calibration {
		c := ok
		f(&c)
		return c
	}
	tests := []struct {
		name string
		c    Calibration
		file string // default: the input file
		want string
	}{
		{"unknown rubric", with(func(c *Calibration) { c.Rubric = "speaking" }), "", `no rubric "speaking" (the file has writing, essay)`},
		{"bad language", with(func(c *Calibration) { c.Language = "english" }), "", "not an ISO 639-1 code"},
		{"cuts not increasing", with(func(c *Calibration) { c.Cuts = []Cut{{"A2", 40}, {"B1", 30}} }), "", "cut scores must increase"},
		{"cut twice", with(func(c *Calibration) { c.Cuts = []Cut{{"A2", 40}, {"A2", 50}} }), "", "cut for A2 given twice"},
		{"no cuts", with(func(c *Calibration) { c.Cuts = nil }), "", "cuts are empty"},
		{"negative weight", with(func(c *Calibration) { c.Weights = map[string]float64{DimGrammar: -1} }), "", "must be positive"},
		{"unknown dimension", with(func(c *Calibration) { c.Weights = map[string]float64{"style": 1} }), "", `"style" is not a dimension`},
		{"bad date", with(func(c *Calibration) { c.Date = "24.11.2026" }), "", "not YYYY-MM-DD"},
		{"no file", ok, "testdata/calibration/missing.yaml", "no such file"},
		{"no rubrics list", ok, "testdata/valid/../packs/split/queues.yaml", "no rubrics: list"},
		{"not yaml", ok, "testdata/invalid/syntax-error.yaml", "did not find expected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "r.yaml")
			src := tt.file
			if src == "" {
				src = "testdata/calibration/input.yaml"
			}
			if _, err := os.Stat(src); err == nil {
				copyFile(t, src, path)
			}
			before, _ := os.ReadFile(path)
			err := WriteCalibration(path, tt.c)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			after, _ := os.ReadFile(path)
			if string(after) != string(before) {
				t.Error("the file changed although the write failed")
			}
		})
	}
}
