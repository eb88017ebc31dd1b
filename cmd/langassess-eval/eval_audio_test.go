package main

import (
	"context"
	"math"
	"os/exec"
	"testing"

	"github.com/langassess/langassess/agreement"
)

func TestSpearman(t *testing.T) {
	tests := []struct {
		x, y []float64
		want float64
	}{
		{[]float64{1, 2, 3, 4}, []float64{10, 20, 30, 40}, 1},
		{[]float64{1, 2, 3, 4}, []float64{4, 3, 2, 1}, -1},
		{[]float64{1, 2, 3, 4, 5}, []float64{1, 8, 27, 64, 125}, 1}, // monotone, not linear
		{[]float64{1, 1, 2, 3}, []float64{1, 2, 3, 4}, 0.9487},      // a tie shares its mean rank
		{[]float64{5, 5, 5}, []float64{1, 2, 3}, 0},                 // no variance
	}
	for _, tt := range tests {
		if got := agreement.Spearman(tt.x, tt.y); math.Abs(got-tt.want) > 1e-4 {
			t.Errorf("agreement.Spearman(%v, %v) = %.4f, want %.4f", tt.x, tt.y, got, tt.want)
		}
	}
}

// TestTrueSyllables counts nuclei in espeak-ng's phonemes: diphthongs once,
// syllabic consonants (Czech r) as nuclei.
func TestTrueSyllables(t *testing.T) {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng not installed")
	}
	tests := []struct {
		lang, text string
		want       int
	}{
		{"en", "thank you for calling", 5},
		{"en", "the price is fine", 4},  // diphthongs aɪ
		{"cs", "strč prst skrz krk", 4}, // syllabic r
		{"de", "Guten Morgen", 4},
		{"es", "buenos días", 4},
	}
	for _, tt := range tests {
		got, err := trueSyllables(context.Background(), tt.lang, tt.text)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s %q: %d syllables, want %d", tt.lang, tt.text, got, tt.want)
		}
	}
}

func TestAddNoiseSNR(t *testing.T) {
	x := make([]float32, 16000)
	for i := range x {
		x[i] = float32(0.3 * math.Sin(float64(i)/5))
	}
	for _, kind := range []string{"white", "brown"} {
		y := addNoise(x, 15, kind, 1)
		n := make([]float32, len(x))
		for i := range x {
			n[i] = y[i] - x[i]
		}
		if got := 10 * math.Log10(power(x)/power(n)); math.Abs(got-15) > 0.01 {
			t.Errorf("%s noise mixed at %.3f dB, want 15", kind, got)
		}
	}
}
