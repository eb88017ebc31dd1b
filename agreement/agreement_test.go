package agreement

import (
	"math"
	"testing"
)

func r3(v float64) float64 { return math.Round(v*1000) / 1000 }

func TestQWK(t *testing.T) {
	tests := []struct {
		name string
		a, b []int
		want float64
	}{
		{"perfect", []int{0, 1, 2, 3}, []int{0, 1, 2, 3}, 1},
		{"constant machine", []int{0, 1, 2}, []int{1, 1, 1}, 0},
		{"both constant", []int{2, 2}, []int{2, 2}, 1},
		// Hand computed: obs = [[1,1],[0,2]] over levels {0,1}, w01 = w10 = 1.
		// num = 1; expected = ha0*hb1/n + ha1*hb0/n = 2*3/4 + 2*1/4 = 2;
		// kappa = 1 - 1/2 = 0.5.
		{"two levels", []int{0, 0, 1, 1}, []int{0, 1, 1, 1}, 0.5},
		// Reversed ranking of three levels: num = 2*1 (corners, w=1) = 2;
		// expected = sum w_ij * 1*1/3 over i!=j = (0.25*4 + 1*2)/3 = 1;
		// kappa = 1 - 2 = -1.
		{"reversed", []int{0, 1, 2}, []int{2, 1, 0}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r3(QWK(tt.a, tt.b)); got != tt.want {
				t.Errorf("QWK = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWeightedF1(t *testing.T) {
	// class 0: support 2, tp 1, predicted 1 -> p=1, r=.5, f1=2/3
	// class 1: support 2, tp 2, predicted 3 -> p=2/3, r=1, f1=0.8
	// weighted = (2*2/3 + 2*0.8)/4 = 0.733
	if got := r3(WeightedF1([]int{0, 0, 1, 1}, []int{0, 1, 1, 1})); got != 0.733 {
		t.Errorf("WeightedF1 = %v, want 0.733", got)
	}
	if got := WeightedF1([]int{1, 2}, []int{1, 2}); got != 1 {
		t.Errorf("perfect WeightedF1 = %v", got)
	}
}

func TestCorrelationsAndSMD(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5}
	if got := r3(Spearman(x, []float64{2, 4, 6, 8, 100})); got != 1 {
		t.Errorf("Spearman monotone = %v, want 1", got)
	}
	if got := r3(Pearson(x, []float64{5, 4, 3, 2, 1})); got != -1 {
		t.Errorf("Pearson reversed = %v, want -1", got)
	}
	// ties take the average rank: ranks of {1,1,2} are {1.5,1.5,3}.
	if got := ranks([]float64{1, 1, 2}); got[0] != 1.5 || got[1] != 1.5 || got[2] != 3 {
		t.Errorf("ranks = %v", got)
	}
	// human {0,2} (sd sqrt2), machine {1,3} (sd sqrt2): SMD = 1/sqrt2.
	if got := r3(SMD([]float64{0, 2}, []float64{1, 3})); got != r3(1/math.Sqrt2) {
		t.Errorf("SMD = %v", got)
	}
}

func TestAgree(t *testing.T) {
	a := Agree([]int{0, 1, 2, 3}, []int{0, 2, 2, 1})
	if a.N != 4 || a.Exact != 0.5 || a.Adjacent != 0.75 {
		t.Errorf("Agree = %+v, want exact 0.5 adjacent 0.75", a)
	}
}

// qwkTable is the textbook k x k form of quadratic weighted kappa, the
// reference QWK's sums must match on small level ranges.
func qwkTable(a, b []int) float64 {
	lo, hi := a[0], a[0]
	for i := range a {
		lo, hi = min(lo, a[i], b[i]), max(hi, a[i], b[i])
	}
	k := hi - lo + 1
	if k < 2 {
		return 1
	}
	obs := make([]float64, k*k)
	ha, hb := make([]float64, k), make([]float64, k)
	for i := range a {
		obs[(a[i]-lo)*k+b[i]-lo]++
		ha[a[i]-lo]++
		hb[b[i]-lo]++
	}
	var num, den float64
	for i := range k {
		for j := range k {
			w := float64((i-j)*(i-j)) / float64((k-1)*(k-1))
			num += w * obs[i*k+j]
			den += w * ha[i] * hb[j] / float64(len(a))
		}
	}
	if den == 0 {
		return 0
	}
	return 1 - num/den
}

func TestQWKMatchesTable(t *testing.T) {
	seed := uint64(1)
	next := func(m int) int { // xorshift: deterministic, no global rand state
		seed ^= seed << 13
		seed ^= seed >> 7
		seed ^= seed << 17
		return int(seed % uint64(m))
	}
	for trial := range 200 {
		n, span := 1+next(30), 1+next(7)
		a, b := make([]int, n), make([]int, n)
		for i := range n {
			a[i], b[i] = next(span)-2, next(span)-2
			if trial%3 == 0 && next(2) == 0 {
				b[i] = a[i] // correlated raters as well as independent ones
			}
		}
		if got, want := r3(QWK(a, b)), r3(qwkTable(a, b)); got != want {
			t.Fatalf("QWK(%v, %v) = %v, table form %v", a, b, got, want)
		}
	}
}

// Levels far apart (a corrupt or hostile value) must not size a table by
// their span: the old k x k form asked for 1e18 cells here and panicked.
func TestQWKExtremeLevels(t *testing.T) {
	const g = 1_000_000_000
	tests := []struct {
		name string
		a, b []int
		want float64
	}{
		{"perfect", []int{0, g}, []int{0, g}, 1},
		{"two levels scaled", []int{0, 0, g, g}, []int{0, g, g, g}, 0.5},
		{"reversed scaled", []int{0, g, 2 * g}, []int{2 * g, g, 0}, -1},
		{"full int range", []int{math.MinInt, math.MaxInt}, []int{math.MinInt, math.MaxInt}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got float64
			allocs := testing.AllocsPerRun(1, func() { got = QWK(tt.a, tt.b) })
			if r3(got) != tt.want || allocs != 0 {
				t.Errorf("QWK = %v with %v allocations, want %v with none", got, allocs, tt.want)
			}
		})
	}
}

func TestWeightedF1Deterministic(t *testing.T) {
	// Many classes with supports whose weighted F1 terms round differently
	// when summed in another order: a map-ordered sum changed the last bits
	// between calls.
	var h, m []int
	for i := range 997 {
		h = append(h, i%13)
		m = append(m, (i*7+i/5)%13)
	}
	first := WeightedF1(h, m)
	for range 200 {
		if got := WeightedF1(h, m); got != first {
			t.Fatalf("WeightedF1 changed between calls: %v then %v", first, got)
		}
	}
}
