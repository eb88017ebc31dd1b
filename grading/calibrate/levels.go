package calibrate

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/langassess/langassess/agreement"
	"github.com/langassess/langassess/cefr"
	"github.com/langassess/langassess/rubrics"
)

// LevelModel is a fitted rubric scale: the overall score is the weighted
// mean of the dimension scores (weights summing to 1, so it stays on the
// 0-100 scale) and Cuts are the lowest overall scores of each level, read as
// rubrics.Scale reads them (below the first cut is the level under it). SEM
// is the measurement error of the overall score, used for the borderline
// flag: Fit sets the in-sample SD(s)*sqrt(1-r); Calibrate replaces it with
// the cross-validated standard error of the score around the cut
// (distanceSE).
type LevelModel struct {
	Weights map[string]float64 `json:"weights"`
	Cuts    []rubrics.Cut      `json:"cuts"`
	SEM     float64            `json:"sem"`
	// Extrapolated lists levels above the highest one in the training data
	// whose cuts were spaced by the mean fitted band width, so a stronger
	// candidate can still reach them.
	Extrapolated []string `json:"extrapolated,omitempty"`
}

// Scale is the model as a rubric scale.
func (m LevelModel) Scale() *rubrics.Scale {
	return &rubrics.Scale{Weights: m.Weights, Cuts: m.Cuts}
}

// Predict is the level index of a set of dimension scores (-1 when none of
// the weighted dimensions has a score).
func (m LevelModel) Predict(scores map[string]float64) int {
	sc := m.Scale()
	o, ok := sc.Combine(scores)
	if !ok {
		return -1
	}
	return ParseLevel(sc.Level(o))
}

// Fit fits weights and cut scores to human levels: non-negative least
// squares of the level on the dimension scores (every subset of dimensions
// tried, so the solution is the exact constrained optimum), weights
// normalised to sum to 1, then cut scores placed to maximise quadratic
// weighted kappa on the training data. dims names the columns of x.
func Fit(dims []string, x [][]float64, y []int) LevelModel {
	w := nnls(x, y)
	total := 0.0
	for _, v := range w {
		total += v
	}
	m := LevelModel{Weights: map[string]float64{}}
	if total == 0 {
		// nothing predicts the level: weigh all dimensions equally.
		for i := range w {
			w[i] = 1
		}
		total = float64(len(w))
	}
	for i, d := range dims {
		m.Weights[d] = w[i] / total
	}
	for i := range w {
		w[i] /= total
	}
	for i, d := range dims {
		m.Weights[d] = w[i]
	}
	s := combine(x, w)
	m.Cuts, m.Extrapolated = fitCuts(s, y)
	m.SEM = sem(s, y)
	return m
}

func combine(x [][]float64, w []float64) []float64 {
	s := make([]float64, len(x))
	for i, row := range x {
		for j, v := range row {
			s[i] += v * w[j]
		}
	}
	return s
}

// nnls solves min ||y - a - Xw|| with w >= 0 (a free) by trying every subset
// of columns: fine for the handful of dimensions a rubric has.
func nnls(x [][]float64, y []int) []float64 {
	if len(x) == 0 {
		return nil
	}
	d := len(x[0])
	best := make([]float64, d)
	bestErr := math.Inf(1)
	for mask := 0; mask < 1<<d; mask++ {
		var cols []int
		for j := range d {
			if mask&(1<<j) != 0 {
				cols = append(cols, j)
			}
		}
		coef, ok := leastSquares(x, y, cols)
		if !ok {
			continue
		}
		feasible := true
		for _, c := range coef[1:] {
			if c < 0 {
				feasible = false
			}
		}
		if !feasible {
			continue
		}
		var sse float64
		for i, row := range x {
			p := coef[0]
			for k, j := range cols {
				p += coef[k+1] * row[j]
			}
			sse += (float64(y[i]) - p) * (float64(y[i]) - p)
		}
		if sse < bestErr-1e-12 {
			bestErr = sse
			clear(best)
			for k, j := range cols {
				best[j] = coef[k+1]
			}
		}
	}
	return best
}

// leastSquares fits y = c0 + sum c_k x[cols[k]] by the normal equations.
func leastSquares(x [][]float64, y []int, cols []int) ([]float64, bool) {
	p := len(cols) + 1
	a := make([][]float64, p)
	for i := range a {
		a[i] = make([]float64, p+1)
	}
	row := make([]float64, p)
	for i, r := range x {
		row[0] = 1
		for k, j := range cols {
			row[k+1] = r[j]
		}
		for u := range p {
			for v := range p {
				a[u][v] += row[u] * row[v]
			}
			a[u][p] += row[u] * float64(y[i])
		}
	}
	// Gauss-Jordan with partial pivoting and a tiny ridge for stability.
	for u := 1; u < p; u++ {
		a[u][u] += 1e-9 * float64(len(x))
	}
	for c := range p {
		piv := c
		for r := c + 1; r < p; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[piv][c]) {
				piv = r
			}
		}
		if math.Abs(a[piv][c]) < 1e-12 {
			return nil, false
		}
		a[c], a[piv] = a[piv], a[c]
		for r := range p {
			if r == c {
				continue
			}
			f := a[r][c] / a[c][c]
			for k := c; k <= p; k++ {
				a[r][k] -= f * a[c][k]
			}
		}
	}
	out := make([]float64, p)
	for c := range p {
		out[c] = a[c][p] / a[c][c]
	}
	return out, true
}

// fitCuts places the cut scores on the overall score s. Cuts exist for the
// levels above the lowest one seen in the training data up to the highest
// seen; they start halfway between neighbouring levels' median scores and
// are then moved one at a time to the candidate that maximises QWK until
// nothing improves. Levels above the highest seen get cuts spaced by the
// mean fitted band width while they stay below 100, marked extrapolated.
func fitCuts(s []float64, y []int) ([]rubrics.Cut, []string) {
	cuts, extra, _ := fitCutsQWK(s, y)
	return cuts, extra
}

// maxCutCandidates bounds the positions tried for each cut: quantiles of the
// scores, so fitting stays fast on thousands of texts.
const maxCutCandidates = 120

func fitCutsQWK(s []float64, y []int) ([]rubrics.Cut, []string, float64) {
	lo, hi := slices.Min(y), slices.Max(y)
	if lo == hi {
		return []rubrics.Cut{{Level: LevelName(lo), Min: 0}}, nil, 0
	}
	med := map[int]float64{}
	for l := lo; l <= hi; l++ {
		var v []float64
		for i := range s {
			if y[i] == l {
				v = append(v, s[i])
			}
		}
		if len(v) > 0 {
			sort.Float64s(v)
			med[l] = v[len(v)/2]
		}
	}
	// cuts[k] is the lowest score of level lo+1+k.
	cuts := make([]float64, hi-lo)
	prev := math.Inf(-1)
	for l := lo + 1; l <= hi; l++ {
		a, okA := med[l-1]
		b, okB := med[l]
		c := (a + b) / 2
		if !okA || !okB {
			c = prev + 1
		}
		c = math.Max(c, prev)
		cuts[l-lo-1] = c
		prev = c
	}
	cand := slices.Clone(s)
	sort.Float64s(cand)
	cand = slices.Compact(cand)
	mids := make([]float64, 0, len(cand))
	step := max(1, len(cand)/maxCutCandidates)
	for i := step; i < len(cand); i += step {
		mids = append(mids, (cand[i-step]+cand[i])/2)
	}
	pred := make([]int, len(s))
	score := func() float64 {
		for i, v := range s {
			l := lo
			for k, c := range cuts {
				if v >= c {
					l = lo + 1 + k
				}
			}
			pred[i] = l
		}
		return agreement.QWK(y, pred)
	}
	best := score()
	for range 20 {
		improved := false
		for k := range cuts {
			lower, upper := math.Inf(-1), math.Inf(1)
			if k > 0 {
				lower = cuts[k-1]
			}
			if k < len(cuts)-1 {
				upper = cuts[k+1]
			}
			keep := cuts[k]
			for _, c := range mids {
				if c <= lower || c >= upper {
					continue
				}
				cuts[k] = c
				if q := score(); q > best+1e-12 {
					best, keep, improved = q, c, true
				}
			}
			cuts[k] = keep
		}
		if !improved {
			break
		}
	}
	out := make([]rubrics.Cut, 0, len(cefr.All))
	last := math.Inf(-1)
	for k, c := range cuts {
		c = math.Max(0, math.Min(100, math.Round(c*10)/10))
		if c <= last {
			c = last + 0.1 // the rubric needs strictly increasing cuts
		}
		out = append(out, rubrics.Cut{Level: LevelName(lo + 1 + k), Min: c})
		last = c
	}
	width := 15.0
	if len(cuts) > 1 {
		width = (cuts[len(cuts)-1] - cuts[0]) / float64(len(cuts)-1)
	}
	// The first level above the data is reached only by a score above
	// every rated text's, so the extrapolation changes no fitted level.
	top := slices.Max(s)
	var extra []string
	for l := hi + 1; l < len(cefr.All) && width > 0; l++ {
		c := math.Round((last+width)*10) / 10
		if l == hi+1 {
			c = math.Max(c, math.Ceil(top*10+1)/10)
		}
		if c >= 100 {
			break
		}
		out = append(out, rubrics.Cut{Level: LevelName(l), Min: c})
		extra = append(extra, LevelName(l))
		last = c
	}
	return out, extra, best
}

// sem is the standard error of measurement of the overall score, SD(s) *
// sqrt(1 - r) with r the correlation of the score with the human level
// standing in for reliability: the score-scale width within which a human
// rater might place an answer on either side of a cut.
func sem(s []float64, y []int) float64 {
	yf := make([]float64, len(y))
	for i, v := range y {
		yf[i] = float64(v)
	}
	r := agreement.Pearson(s, yf)
	if r <= 0 {
		return math.Sqrt(agreement.Variance(s))
	}
	return math.Round(math.Sqrt(agreement.Variance(s))*math.Sqrt(1-r)*100) / 100
}

// CrossValidate predicts every sample's level from a model fitted on the
// other folds (stratified k-fold, deterministic: samples are dealt to folds
// in order within each level) and returns the out-of-fold predictions.
// It refuses k < 2 as Calibrate does: one fold leaves nothing to train on and
// k < 1 would divide by zero dealing the folds.
func CrossValidate(dims []string, x [][]float64, y []int, k int) ([]int, error) {
	if k < 2 {
		return nil, fmt.Errorf("cross-validate: %d folds: cross-validation needs at least 2", k)
	}
	return crossValidate(dims, x, y, k).pred, nil
}

// cvResult is what one cross-validation run yields: out-of-fold levels and
// overall scores, and the model fitted on each fold's training part.
type cvResult struct {
	pred   []int
	score  []float64 // out-of-fold overall score (NaN when unscored)
	fold   []int     // the fold each sample was held out in
	models []LevelModel
}

func crossValidate(dims []string, x [][]float64, y []int, k int) cvResult {
	folds := stratifiedFolds(y, k)
	res := cvResult{pred: make([]int, len(y)), score: make([]float64, len(y)), fold: folds, models: make([]LevelModel, k)}
	for f := range k {
		var tx [][]float64
		var ty []int
		for i := range y {
			if folds[i] != f {
				tx = append(tx, x[i])
				ty = append(ty, y[i])
			}
		}
		if len(ty) == 0 {
			continue
		}
		m := Fit(dims, tx, ty)
		res.models[f] = m
		sc := m.Scale()
		for i := range y {
			if folds[i] != f {
				continue
			}
			row := map[string]float64{}
			for j, d := range dims {
				row[d] = x[i][j]
			}
			res.pred[i] = m.Predict(row)
			res.score[i] = math.NaN()
			if o, ok := sc.Combine(row); ok {
				res.score[i] = o
			}
		}
	}
	return res
}

// distanceSE is the cross-validated standard error of the overall score
// around the cut: for each text, the signed distance of its overall score
// from its nearest fitted (not extrapolated) cut is computed under each of
// the k fold models, and the grouped jackknife estimate
// sqrt((k-1)/k * sum (d_f - mean d)^2) of that distance is pooled as the
// root mean square over texts. Weights and cuts move together when a model
// is refitted on other rated texts (a heavier length weight raises both
// the scores and the cuts), so this is smaller than the spread of the
// score or of the cut alone, and it is what decides on which side of a cut
// a text lands. A score closer to a cut than this could have fallen on
// either side by the luck of the calibration data alone.
func distanceSE(dims []string, x [][]float64, models []LevelModel) float64 {
	var sum float64
	var n int
	for _, r := range x {
		row := map[string]float64{}
		for j, d := range dims {
			row[d] = r[j]
		}
		// distances[level] holds the text's distance from that level's cut
		// under each model.
		distances := map[string][]float64{}
		for _, m := range models {
			o, ok := m.Scale().Combine(row)
			if !ok {
				continue
			}
			for _, c := range m.Cuts {
				if !slices.Contains(m.Extrapolated, c.Level) {
					distances[c.Level] = append(distances[c.Level], o-c.Min)
				}
			}
		}
		nearest, best := "", math.Inf(1)
		for l, d := range distances {
			if len(d) == len(models) && math.Abs(agreement.Mean(d)) < best {
				nearest, best = l, math.Abs(agreement.Mean(d))
			}
		}
		d := distances[nearest]
		k := float64(len(d))
		if k < 2 {
			continue
		}
		mu := agreement.Mean(d)
		var ss float64
		for _, v := range d {
			ss += (v - mu) * (v - mu)
		}
		sum += (k - 1) / k * ss
		n++
	}
	if n == 0 {
		return 0
	}
	return math.Round(math.Sqrt(sum/float64(n))*100) / 100
}

// borderlineShare is the share of out-of-fold overall scores within band of
// one of their fold model's cut scores: how often the borderline flag would
// fire on texts like the calibration data.
func (cv cvResult) borderlineShare(band float64) float64 {
	return cv.borderlineShareAt(band, nil)
}

// borderlineShareAt counts only the cuts of levels (nil: every cut), as the
// engine flags only the cuts a queue's placement depends on.
func (cv cvResult) borderlineShareAt(band float64, levels map[string]bool) float64 {
	var n, near int
	for i, s := range cv.score {
		if math.IsNaN(s) || cv.fold == nil {
			continue
		}
		n++
		for _, c := range cv.models[cv.fold[i]].Cuts {
			if levels != nil && !levels[c.Level] {
				continue
			}
			if math.Abs(s-c.Min) < band {
				near++
				break
			}
		}
	}
	if n == 0 {
		return 0
	}
	return float64(near) / float64(n)
}

func stratifiedFolds(y []int, k int) []int {
	folds := make([]int, len(y))
	next := map[int]int{}
	for i, l := range y {
		folds[i] = next[l] % k
		next[l]++
	}
	return folds
}
