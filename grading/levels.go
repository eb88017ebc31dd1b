package grading

import (
	"math"
	"slices"
	"sort"
)

// LevelModel turns dimension scores into a CEFR level: the overall score is
// the weighted mean of the dimension scores (weights summing to 1, so it
// stays on the 0-100 scale) and Cuts[i] is the lowest overall score of level
// i+1 (Cuts[0] is A2's, Cuts[4] C2's). SEM is the measurement error of the
// overall score, used for the borderline flag.
type LevelModel struct {
	Weights map[string]float64 `json:"weights"`
	Cuts    []float64          `json:"cuts"`
	SEM     float64            `json:"sem"`
}

// Overall is the weighted mean of the dimensions the model weights and the
// answer has; a dimension the answer lacks (nil score) is left out and the
// rest renormalised.
func (m LevelModel) Overall(scores map[string]float64) (float64, bool) {
	var s, w float64
	for d, wd := range m.Weights {
		v, ok := scores[d]
		if !ok || wd <= 0 {
			continue
		}
		s += wd * v
		w += wd
	}
	if w == 0 {
		return 0, false
	}
	return s / w, true
}

// Level is the level index of an overall score.
func (m LevelModel) Level(score float64) int {
	l := 0
	for i, c := range m.Cuts {
		if score >= c {
			l = i + 1
		}
	}
	return l
}

// NearestCut returns the cut score closest to score and its distance.
func (m LevelModel) NearestCut(score float64) (cut float64, level int, dist float64) {
	dist = math.Inf(1)
	for i, c := range m.Cuts {
		if d := math.Abs(score - c); d < dist {
			cut, level, dist = c, i+1, d
		}
	}
	return cut, level, dist
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
	s := make([]float64, len(x))
	for i, row := range x {
		for j, v := range row {
			s[i] += v * w[j] / total
		}
	}
	m.Cuts = fitCuts(s, y)
	m.SEM = sem(s, y)
	return m
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

// fitCuts places the five cut scores on the overall score s. Levels absent
// from the training data get no band: cuts below the lowest seen level sit
// at 0 and cuts above the highest at 100 (reachable only by a perfect
// score). The seen cuts start halfway between neighbouring levels' median
// scores and are then moved one at a time to the candidate that maximises
// QWK, until nothing improves.
func fitCuts(s []float64, y []int) []float64 {
	lo, hi := slices.Min(y), slices.Max(y)
	cuts := make([]float64, len(cefrLevels)-1)
	for i := range cuts {
		switch {
		case i+1 <= lo:
			cuts[i] = 0
		case i+1 > hi:
			cuts[i] = 100
		}
	}
	if lo == hi {
		return cuts
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
	prev := math.Inf(-1)
	for l := lo + 1; l <= hi; l++ {
		a, okA := med[l-1]
		b, okB := med[l]
		c := (a + b) / 2
		if !okA || !okB {
			c = prev + 1
		}
		c = math.Max(c, prev)
		cuts[l-1] = c
		prev = c
	}
	cand := slices.Clone(s)
	sort.Float64s(cand)
	cand = slices.Compact(cand)
	mids := make([]float64, 0, len(cand)+1)
	for i := 1; i < len(cand); i++ {
		mids = append(mids, (cand[i-1]+cand[i])/2)
	}
	pred := make([]int, len(s))
	score := func() float64 {
		m := LevelModel{Cuts: cuts}
		for i, v := range s {
			pred[i] = m.Level(v)
		}
		return QWK(y, pred)
	}
	best := score()
	for range 20 {
		improved := false
		for l := lo + 1; l <= hi; l++ {
			lower, upper := math.Inf(-1), math.Inf(1)
			if l-1 > lo {
				lower = cuts[l-2]
			}
			if l < hi {
				upper = cuts[l]
			}
			keep := cuts[l-1]
			for _, c := range mids {
				if c < lower || c > upper {
					continue
				}
				cuts[l-1] = c
				if q := score(); q > best+1e-12 {
					best, keep, improved = q, c, true
				}
			}
			cuts[l-1] = keep
		}
		if !improved {
			break
		}
	}
	for i := range cuts {
		cuts[i] = math.Round(cuts[i]*100) / 100
	}
	return cuts
}

// sem is the standard error of measurement of the overall score, SD(s) *
// sqrt(1 - r) with r the correlation of the score with the human level
// standing in for reliability: the score-scale width within which a human
// rater might place an answer on either side of a cut.
func sem(s []float64, y []int) float64 {
	r := Pearson(s, toFloats(y))
	if r <= 0 {
		return math.Sqrt(variance(s))
	}
	return math.Round(math.Sqrt(variance(s))*math.Sqrt(1-r)*100) / 100
}

// CrossValidate predicts every sample's level from a model fitted on the
// other folds (stratified k-fold, deterministic: samples are dealt to folds
// in order within each level) and returns the out-of-fold predictions.
func CrossValidate(dims []string, x [][]float64, y []int, k int) []int {
	folds := stratifiedFolds(y, k)
	pred := make([]int, len(y))
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
		for i := range y {
			if folds[i] != f {
				continue
			}
			sc := map[string]float64{}
			for j, d := range dims {
				sc[d] = x[i][j]
			}
			o, _ := m.Overall(sc)
			pred[i] = m.Level(o)
		}
	}
	return pred
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
