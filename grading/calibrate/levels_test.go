package calibrate

import (
	"math"
	"strings"
	"testing"

	"github.com/langassess/langassess/agreement"
	"github.com/langassess/langassess/rubrics"
)

// synthetic makes n texts whose level is driven by dimension "a" (with a
// little of "b") while "c" is noise, so a fit must weigh a most and c not at
// all.
func synthetic(n int) ([][]float64, []int) {
	var x [][]float64
	var y []int
	for i := range n {
		lvl := i % 4
		a := 20*float64(lvl) + 10 + float64((i*7)%9)
		b := 15*float64(lvl) + float64((i*5)%23)
		c := float64((i * 13) % 97)
		x = append(x, []float64{a, b, c})
		y = append(y, lvl+1) // A2..C1
	}
	return x, y
}

func TestFit(t *testing.T) {
	x, y := synthetic(400)
	m := Fit([]string{"a", "b", "c"}, x, y)
	if !(m.Weights["a"] > m.Weights["b"]) || m.Weights["c"] > 0.02 {
		t.Errorf("weights %v: want a > b and c ~ 0", m.Weights)
	}
	sum := m.Weights["a"] + m.Weights["b"] + m.Weights["c"]
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("weights sum to %v", sum)
	}
	// Cuts for B1..C1 from the data, then C2 extrapolated above every score.
	if len(m.Cuts) != 4 || m.Cuts[0].Level != "B1" || m.Cuts[3].Level != "C2" || len(m.Extrapolated) != 1 {
		t.Fatalf("cuts %v extrapolated %v", m.Cuts, m.Extrapolated)
	}
	pred, err := CrossValidate([]string{"a", "b", "c"}, x, y, 5)
	if err != nil {
		t.Fatal(err)
	}
	if a := agreement.Agree(y, pred); a.QWK < 0.95 || a.Exact < 0.85 {
		t.Errorf("cross-validated agreement on separable data too low: %+v", a)
	}
	// The rubric's validation accepts what the fit produced.
	for i := 1; i < len(m.Cuts); i++ {
		if !(m.Cuts[i].Min > m.Cuts[i-1].Min) || m.Cuts[i].Min > 100 {
			t.Errorf("cuts not increasing within 0-100: %v", m.Cuts)
		}
	}
	if got := m.Predict(map[string]float64{"a": 0, "b": 0, "c": 50}); got != 1 {
		t.Errorf("lowest answer predicted %s, want the lowest level seen (A2)", LevelName(got))
	}
}

func TestFitCutsMaximisesQWK(t *testing.T) {
	s := []float64{10, 12, 14, 30, 32, 34, 60, 61, 62}
	y := []int{0, 0, 0, 1, 1, 1, 2, 2, 2}
	cuts, _, q := fitCutsQWK(s, y)
	if q != 1 || cuts[0].Level != "A2" || cuts[0].Min <= 14 || cuts[0].Min > 30 || cuts[1].Min <= 34 || cuts[1].Min > 60 {
		t.Errorf("cuts %v qwk %v", cuts, q)
	}
}

func TestCalibrateLengthBaseline(t *testing.T) {
	// Level follows vocabulary, not length: the model must beat length.
	var rated []Rated
	for i := range 200 {
		lvl := i % 3
		rated = append(rated, Rated{
			Sample: Sample{ID: "s", Lang: "xx", Level: lvl, Sub: map[string]int{"Orthography": lvl}},
			Scores: map[string]float64{"vocabulary": 30 + 20*float64(lvl) + float64(i%7), "spelling": 50 + 10*float64(lvl) + float64(i%11)},
			Words:  100 + (i*37)%200,
		})
	}
	c, err := Calibrate("xx", rated, 5)
	if err != nil {
		t.Fatal(err)
	}
	if c.CV.QWK < 0.9 || c.LengthCV.QWK > 0.3 {
		t.Errorf("model QWK %v, length-only %v", c.CV.QWK, c.LengthCV.QWK)
	}
	if c.SubRatings["spelling~Orthography"] < 0.8 {
		t.Errorf("sub-rating correlation %v", c.SubRatings)
	}
	// The borderline band is the cross-validated SE around the cut: a
	// clean synthetic scale gives a band below the in-sample SEM that flags
	// no more texts,
	// and the share it flags is what FlaggedShare reports for every cut.
	if c.Model.SEM <= 0 || c.Model.SEM >= c.InSampleSEM || c.BorderlineShare > c.InSampleSEMShare {
		t.Errorf("band %v (share %v), in-sample SEM %v (share %v)", c.Model.SEM, c.BorderlineShare, c.InSampleSEM, c.InSampleSEMShare)
	}
	if got := c.FlaggedShare(nil); got != c.BorderlineShare {
		t.Errorf("FlaggedShare(nil) = %v, want %v", got, c.BorderlineShare)
	}
	if got := c.FlaggedShare(map[string]bool{"no such level": true}); got != 0 {
		t.Errorf("FlaggedShare(no cut) = %v, want 0", got)
	}
	// Held out: the same relation on texts the fit never saw.
	h := EvaluateHeldOut("xx", c.Dims, rated[:150], rated[150:])
	if h.N != 50 || h.Model.QWK < 0.9 || h.Length.QWK > 0.3 {
		t.Errorf("held-out n %d model QWK %v length-only %v", h.N, h.Model.QWK, h.Length.QWK)
	}
	cal := c.Calibration("writing", "test data", "2026-01-01")
	if cal.Language != "xx" || cal.Metrics["qwk"] != c.CV.QWK || len(cal.Cuts) == 0 || cal.Weights["vocabulary"] == 0 {
		t.Errorf("calibration %+v", cal)
	}
}

func TestDistanceSE(t *testing.T) {
	model := func(wa float64, cut float64) LevelModel {
		return LevelModel{Weights: map[string]float64{"a": wa, "b": 1 - wa}, Cuts: []rubrics.Cut{{Level: "B1", Min: cut}}}
	}
	x := [][]float64{{40, 40}, {60, 60}, {50, 70}}
	tests := []struct {
		name   string
		models []LevelModel
		want   float64
	}{
		{"identical models", []LevelModel{model(1, 50), model(1, 50)}, 0},
		// The cut moves by 2 between two folds: d differs by 2, jackknife
		// SE = sqrt(1/2 * (1^2 + 1^2)) = 1.
		{"cut moves", []LevelModel{model(1, 50), model(1, 52)}, 1},
		// Texts with equal a and b score the same under either weighting,
		// so only the third text's distance moves (by 20): RMS over three
		// texts of (0, 0, 10) = 5.77.
		{"weights move", []LevelModel{model(1, 50), model(0, 50)}, 5.77},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := distanceSE([]string{"a", "b"}, x, tt.models); math.Abs(got-tt.want) > 0.005 {
				t.Errorf("distanceSE = %.3f, want %.2f", got, tt.want)
			}
		})
	}
}

func TestBorderlineShare(t *testing.T) {
	m := LevelModel{Weights: map[string]float64{"a": 1}, Cuts: []rubrics.Cut{{Level: "A2", Min: 40}, {Level: "B1", Min: 60}}}
	cv := cvResult{score: []float64{39.5, 45, 58.9, 70, math.NaN()}, fold: []int{0, 0, 0, 0, 0}, models: []LevelModel{m}}
	for _, tt := range []struct {
		band, want float64
	}{{0.4, 0}, {1, 0.25}, {1.2, 0.5}, {5.5, 0.75}, {10.5, 1}} {
		if got := cv.borderlineShare(tt.band); got != tt.want {
			t.Errorf("borderlineShare(%.1f) = %.2f, want %.2f", tt.band, got, tt.want)
		}
	}
}

// TestCalibrateFewFolds: fewer than two folds is an error (0 divided by
// zero dealing samples to folds and panicked; 1 fits on nothing).
func TestCalibrateFewFolds(t *testing.T) {
	var rated []Rated
	for i := range 30 {
		rated = append(rated, Rated{Sample: Sample{ID: "s", Lang: "xx", Level: i % 3},
			Scores: map[string]float64{"vocabulary": float64(30 + 20*(i%3))}, Words: 100})
	}
	for _, k := range []int{-1, 0, 1} {
		if _, err := Calibrate("xx", rated, k); err == nil || !strings.Contains(err.Error(), "folds") {
			t.Errorf("folds %d: error %v, want one about folds", k, err)
		}
	}
}

// CrossValidate refuses fewer than 2 folds instead of panicking (k = 0
// divided by zero dealing the folds, k < 0 made a negative-length slice).
func TestCrossValidateRefusesFewFolds(t *testing.T) {
	x, y := synthetic(40)
	for _, k := range []int{-1, 0, 1} {
		pred, err := CrossValidate([]string{"a", "b", "c"}, x, y, k)
		if err == nil || pred != nil {
			t.Errorf("CrossValidate(k=%d) = %v, %v; want an error and no predictions", k, pred, err)
		}
	}
	pred, err := CrossValidate([]string{"a", "b", "c"}, x, y, 2)
	if err != nil || len(pred) != len(y) {
		t.Errorf("CrossValidate(k=2) = %d predictions, %v; want %d", len(pred), err, len(y))
	}
}
