package grading

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
