package agreement

import (
	"maps"
	"math"
	"slices"
	"sort"
)

// Agreement holds the machine-human agreement statistics RSMTool reports
// (Williamson, Xi & Breyer 2012), computed over ordinal level indexes
// (A1=0 ... C2=5). The review-agreement report reuses it for grader pairs.
type Agreement struct {
	N          int     `json:"n"`
	QWK        float64 `json:"qwk"`         // quadratic weighted kappa
	Exact      float64 `json:"exact"`       // share of identical levels
	Adjacent   float64 `json:"adjacent"`    // share within one level
	WeightedF1 float64 `json:"weighted_f1"` // per-level F1 weighted by human support
	Spearman   float64 `json:"spearman"`
	Pearson    float64 `json:"pearson"`
	SMD        float64 `json:"smd"` // (mean machine - mean human) / pooled SD
}

// Agree compares human and machine levels pairwise. Both slices must have the
// same length; extra elements of the longer one are ignored.
func Agree(human, machine []int) Agreement {
	n := min(len(human), len(machine))
	human, machine = human[:n], machine[:n]
	a := Agreement{N: n}
	if n == 0 {
		return a
	}
	for i := range n {
		d := human[i] - machine[i]
		if d == 0 {
			a.Exact++
		}
		if d >= -1 && d <= 1 {
			a.Adjacent++
		}
	}
	a.Exact /= float64(n)
	a.Adjacent /= float64(n)
	a.QWK = QWK(human, machine)
	a.WeightedF1 = WeightedF1(human, machine)
	hf, mf := toFloats(human), toFloats(machine)
	a.Spearman = Spearman(hf, mf)
	a.Pearson = Pearson(hf, mf)
	a.SMD = SMD(hf, mf)
	return a
}

func toFloats(x []int) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// QWK is Cohen's kappa with quadratic weights over the categories spanned by
// both raters. It is 1 for perfect agreement and 0 for chance agreement;
// a rater who gives every answer the same level scores 0 (unless the other
// rater does too, when the two agree perfectly).
//
// It is computed from sums, not a k x k table: with weights (i-j)^2/(k-1)^2
// the observed disagreement is sum (a-b)^2 and the chance one
// sum_i sum_j (a_i-b_j)^2 / n = sum a^2 + sum b^2 - 2 sum a sum b / n, the
// (k-1)^2 cancelling. A table sized by the span of the inputs let one
// extreme value (a level of 1e9) ask for 1e18 cells.
func QWK(a, b []int) float64 {
	n := min(len(a), len(b))
	if n == 0 {
		return 0
	}
	lo, hi := a[0], a[0]
	for i := range n {
		lo, hi = min(lo, a[i], b[i]), max(hi, a[i], b[i])
	}
	if lo == hi {
		return 1 // both raters gave the same single category everywhere
	}
	// Shifted by lo in float64 so that neither hi-lo nor a square overflows int.
	var num, sa, sb, saa, sbb float64
	for i := range n {
		x, y := float64(a[i])-float64(lo), float64(b[i])-float64(lo)
		num += (x - y) * (x - y)
		sa, sb = sa+x, sb+y
		saa, sbb = saa+x*x, sbb+y*y
	}
	den := saa + sbb - 2*sa*sb/float64(n)
	if den == 0 {
		return 0
	}
	return 1 - num/den
}

// WeightedF1 is the mean of per-class F1 (classes of the human labels),
// weighted by each class's human support: scikit-learn's
// f1_score(average="weighted"), the figure Vajjala & Rama (2018) report.
func WeightedF1(human, machine []int) float64 {
	n := min(len(human), len(machine))
	if n == 0 {
		return 0
	}
	tp, support, predicted := map[int]float64{}, map[int]float64{}, map[int]float64{}
	for i := range n {
		support[human[i]]++
		predicted[machine[i]]++
		if human[i] == machine[i] {
			tp[human[i]]++
		}
	}
	// Classes in order, so the same labels give the same bits (a map's
	// order would change the last digit of the sum from run to run).
	var f float64
	for _, c := range slices.Sorted(maps.Keys(support)) {
		s := support[c]
		p, r := 0.0, tp[c]/s
		if predicted[c] > 0 {
			p = tp[c] / predicted[c]
		}
		if p+r > 0 {
			f += s * 2 * p * r / (p + r)
		}
	}
	return f / float64(n)
}

// Pearson correlation; 0 when either side has no variance.
func Pearson(x, y []float64) float64 {
	n := min(len(x), len(y))
	if n < 2 {
		return 0
	}
	mx, my := Mean(x[:n]), Mean(y[:n])
	var sxy, sxx, syy float64
	for i := range n {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// Spearman rank correlation, ties given their average rank.
func Spearman(x, y []float64) float64 {
	n := min(len(x), len(y))
	return Pearson(ranks(x[:n]), ranks(y[:n]))
}

func ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = avg
		}
		i = j + 1
	}
	return r
}

// SMD is the standardized mean difference of machine from human scores with
// the pooled standard deviation sqrt((sd_h^2 + sd_m^2) / 2), the form the
// field's |SMD| <= 0.15 gate uses; 0 when both sides are constant.
func SMD(human, machine []float64) float64 {
	n := min(len(human), len(machine))
	if n < 2 {
		return 0
	}
	sd := math.Sqrt((Variance(human[:n]) + Variance(machine[:n])) / 2)
	if sd == 0 {
		return 0
	}
	return (Mean(machine[:n]) - Mean(human[:n])) / sd
}

// Mean is the arithmetic mean, 0 for no values.
func Mean(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// Variance is the sample variance (n-1).
func Variance(x []float64) float64 {
	if len(x) < 2 {
		return 0
	}
	m := Mean(x)
	var s float64
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return s / float64(len(x)-1)
}
