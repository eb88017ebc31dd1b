package calibrate

import (
	"fmt"
	"hash/fnv"
	"math"
	"slices"

	"github.com/langassess/langassess/agreement"
)

// RepeatedCV is k-fold cross-validation repeated with the samples dealt to
// folds in different orders. One k-fold run on a few hundred texts moves by
// several hundredths of QWK with the fold assignment alone (MERLIN Italian:
// 0.69 to 0.74 over 20 orders), so a single run says as much about the luck
// of the folds as about the model; the mean over repeats does not depend on
// it, and the standard deviation shows how far one run may stray.
type RepeatedCV struct {
	Language string
	N        int
	Folds    int
	Repeats  int
	Dims     []string
	Model    AgreementStats // the rubric model, over repeats
	Length   AgreementStats // the length-only baseline, over the same folds
	Gain     Stat           // model QWK - length-only QWK, per repeat
}

// Stat is a mean and standard deviation over repeats.
type Stat struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
}

// AgreementStats summarises Agreement over repeats.
type AgreementStats struct {
	QWK, Exact, Adjacent, WeightedF1, Spearman, SMD Stat
}

// RepeatCrossValidation cross-validates the rubric model on dims and the
// length-only baseline repeats times with k folds each. Repeat r deals the
// samples to folds (stratified by level, as Calibrate does) in the order of
// an FNV-1a hash of r and the sample's text, so the result is the same on
// every machine and whatever order the data file has; both models see the
// same folds in each repeat, so the gain is a paired difference.
func RepeatCrossValidation(lang string, rated []Rated, dims []string, k, repeats int) (RepeatedCV, error) {
	res := RepeatedCV{Language: lang, N: len(rated), Folds: k, Repeats: repeats, Dims: dims}
	if k < 2 {
		return res, fmt.Errorf("repeated cross-validation %s: %d folds: cross-validation needs at least 2", lang, k)
	}
	if repeats < 1 {
		return res, fmt.Errorf("repeated cross-validation %s: %d repeats: need at least 1", lang, repeats)
	}
	if len(rated) < 2*k {
		return res, fmt.Errorf("repeated cross-validation %s: %d samples are too few for %d folds", lang, len(rated), k)
	}
	if len(dims) == 0 {
		return res, fmt.Errorf("repeated cross-validation %s: no dimensions", lang)
	}
	x, xl, y := matrices(dims, rated)
	var model, length []agreement.Agreement
	var gain []float64
	for r := range repeats {
		order := shuffledOrder(rated, r)
		px, pxl, py := make([][]float64, len(order)), make([][]float64, len(order)), make([]int, len(order))
		for i, j := range order {
			px[i], pxl[i], py[i] = x[j], xl[j], y[j]
		}
		m := agreement.Agree(py, crossValidate(dims, px, py, k).pred)
		l := agreement.Agree(py, crossValidate([]string{"words"}, pxl, py, k).pred)
		model, length = append(model, m), append(length, l)
		gain = append(gain, m.QWK-l.QWK)
	}
	res.Model, res.Length, res.Gain = summarise(model), summarise(length), stat(gain)
	return res, nil
}

// shuffledOrder is the permutation of rated for repeat r: sorted by the
// FNV-1a hash of r and each text (ties, such as duplicate texts, keep
// their input order).
func shuffledOrder(rated []Rated, r int) []int {
	keys := make([]uint64, len(rated))
	order := make([]int, len(rated))
	for i, s := range rated {
		h := fnv.New64a()
		fmt.Fprintf(h, "%d\x00%s", r, s.Text)
		keys[i] = h.Sum64()
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case keys[a] < keys[b]:
			return -1
		case keys[a] > keys[b]:
			return 1
		}
		return 0
	})
	return order
}

func summarise(as []agreement.Agreement) AgreementStats {
	get := func(f func(agreement.Agreement) float64) Stat {
		v := make([]float64, len(as))
		for i, a := range as {
			v[i] = f(a)
		}
		return stat(v)
	}
	return AgreementStats{
		QWK:        get(func(a agreement.Agreement) float64 { return a.QWK }),
		Exact:      get(func(a agreement.Agreement) float64 { return a.Exact }),
		Adjacent:   get(func(a agreement.Agreement) float64 { return a.Adjacent }),
		WeightedF1: get(func(a agreement.Agreement) float64 { return a.WeightedF1 }),
		Spearman:   get(func(a agreement.Agreement) float64 { return a.Spearman }),
		SMD:        get(func(a agreement.Agreement) float64 { return a.SMD }),
	}
}

// stat is the mean, sample standard deviation (0 for one value), minimum
// and maximum of v.
func stat(v []float64) Stat {
	if len(v) == 0 {
		return Stat{}
	}
	return Stat{Mean: agreement.Mean(v), SD: math.Sqrt(agreement.Variance(v)), Min: slices.Min(v), Max: slices.Max(v)}
}
