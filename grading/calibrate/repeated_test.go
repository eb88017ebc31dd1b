package calibrate

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// noisyRated are texts whose level follows vocabulary with noise that
// crosses the cuts, so fold assignments change the predictions; length
// carries no level information.
func noisyRated(n int) []Rated {
	var rated []Rated
	for i := range n {
		lvl := i % 3
		noise := float64((i*7919)%41) - 20 // -20..20, against 20 points between levels
		rated = append(rated, Rated{
			Sample: Sample{ID: fmt.Sprint(i), Lang: "xx", Level: lvl, Text: fmt.Sprintf("text %d", i)},
			Scores: map[string]float64{"vocabulary": 30 + 20*float64(lvl) + noise},
			Words:  100 + (i*37)%200,
		})
	}
	return rated
}

func TestRepeatCrossValidation(t *testing.T) {
	rated := noisyRated(240)
	r, err := RepeatCrossValidation("xx", rated, []string{"vocabulary"}, 10, 8)
	if err != nil {
		t.Fatal(err)
	}
	if r.N != 240 || r.Repeats != 8 || r.Folds != 10 {
		t.Errorf("header %+v", r)
	}
	// The model sees the level through the noise; length sees nothing.
	if r.Model.QWK.Mean < 0.6 || r.Length.QWK.Mean > 0.3 {
		t.Errorf("model QWK %+v, length-only %+v", r.Model.QWK, r.Length.QWK)
	}
	// Different fold orders give different results, and the summary
	// brackets them.
	if r.Model.QWK.SD <= 0 || r.Model.QWK.Min >= r.Model.QWK.Max {
		t.Errorf("no spread over repeats: %+v", r.Model.QWK)
	}
	if r.Model.QWK.Mean < r.Model.QWK.Min || r.Model.QWK.Mean > r.Model.QWK.Max {
		t.Errorf("mean outside min..max: %+v", r.Model.QWK)
	}
	// The gain is the paired per-repeat difference, so its mean is the
	// difference of the means.
	if d := r.Model.QWK.Mean - r.Length.QWK.Mean; math.Abs(r.Gain.Mean-d) > 1e-12 {
		t.Errorf("gain mean %v, difference of means %v", r.Gain.Mean, d)
	}

	// The same texts in another order give the same result: the folds
	// depend on the texts, not on the file order.
	rev := slices.Clone(rated)
	slices.Reverse(rev)
	r2, err := RepeatCrossValidation("xx", rev, []string{"vocabulary"}, 10, 8)
	if err != nil {
		t.Fatal(err)
	}
	// (compared as text: a constant length-only prediction has an
	// undefined Spearman, and NaN != NaN)
	if fmt.Sprint(r2.Model, r2.Length) != fmt.Sprint(r.Model, r.Length) {
		t.Errorf("input order changed the result:\n%v\n%v", fmt.Sprint(r.Model, r.Length), fmt.Sprint(r2.Model, r2.Length))
	}

	// One repeat is one cross-validation: no spread.
	one, err := RepeatCrossValidation("xx", rated, []string{"vocabulary"}, 10, 1)
	if err != nil {
		t.Fatal(err)
	}
	if one.Model.QWK.SD != 0 || one.Model.QWK.Min != one.Model.QWK.Mean {
		t.Errorf("one repeat: %+v", one.Model.QWK)
	}
}

func TestShuffledOrderDiffersByRepeat(t *testing.T) {
	rated := noisyRated(50)
	a, b := shuffledOrder(rated, 0), shuffledOrder(rated, 1)
	if slices.Equal(a, b) {
		t.Error("repeats 0 and 1 deal the same order")
	}
	s := slices.Clone(a)
	slices.Sort(s)
	for i, v := range s {
		if v != i {
			t.Fatalf("order %v is not a permutation", a)
		}
	}
}

func TestRepeatCrossValidationRefuses(t *testing.T) {
	rated := noisyRated(30)
	for _, c := range []struct {
		k, repeats int
		rated      []Rated
		dims       []string
	}{
		{1, 5, rated, []string{"vocabulary"}},
		{10, 0, rated, []string{"vocabulary"}},
		{10, 5, rated[:19], []string{"vocabulary"}},
		{10, 5, rated, nil},
	} {
		if _, err := RepeatCrossValidation("xx", c.rated, c.dims, c.k, c.repeats); err == nil {
			t.Errorf("k %d repeats %d n %d dims %v: no error", c.k, c.repeats, len(c.rated), c.dims)
		}
	}
}
