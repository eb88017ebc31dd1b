package rubrics

import (
	"math"
	"testing"
)

func TestLevelHelpers(t *testing.T) {
	tests := []struct {
		a, b  string
		index int // LevelIndex(a)
		least bool
		gap   int
	}{
		{"A1", "A1", 0, true, 0},
		{"B1", "B2", 2, false, 1},
		{"C2", "B2", 5, true, 0},
		{"A2", "C1", 1, false, 3},
		{"b1", "A1", -1, false, -1},
		{"B1", "", 2, false, -1},
	}
	for _, tt := range tests {
		if got := LevelIndex(tt.a); got != tt.index {
			t.Errorf("LevelIndex(%q) = %d, want %d", tt.a, got, tt.index)
		}
		if got := AtLeast(tt.a, tt.b); got != tt.least {
			t.Errorf("AtLeast(%q, %q) = %v", tt.a, tt.b, got)
		}
		if got := LevelGap(tt.a, tt.b); got != tt.gap {
			t.Errorf("LevelGap(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.gap)
		}
	}
}

func TestScaleLevel(t *testing.T) {
	fromA2 := &Scale{Cuts: []Cut{{"A2", 20}, {"B1", 40}, {"B2", 60}, {"C1", 75}, {"C2", 90}}}
	fromB1 := &Scale{Cuts: []Cut{{"B1", 50}, {"B2", 70}}}
	fromA1 := &Scale{Cuts: []Cut{{"A1", 0}, {"A2", 30}}}
	tests := []struct {
		s     *Scale
		score float64
		want  string
	}{
		{fromA2, -5, "A1"}, {fromA2, 19.99, "A1"}, {fromA2, 20, "A2"}, {fromA2, 59.9, "B1"},
		{fromA2, 60, "B2"}, {fromA2, 89, "C1"}, {fromA2, 100, "C2"},
		{fromB1, 10, "A2"}, {fromB1, 50, "B1"}, {fromB1, 99, "B2"},
		{fromA1, 0, "A1"}, {fromA1, 31, "A2"},
		{&Scale{}, 50, "A1"},
	}
	for _, tt := range tests {
		if got := tt.s.Level(tt.score); got != tt.want {
			t.Errorf("Level(%v) with cuts %v = %s, want %s", tt.score, tt.s.Cuts, got, tt.want)
		}
	}
}

func TestScaleCombine(t *testing.T) {
	s := &Scale{Weights: map[string]float64{DimComprehension: 2, DimGrammar: 1, DimFluency: 1}}
	tests := []struct {
		name   string
		scores map[string]float64
		want   float64
		ok     bool
	}{
		{"all", map[string]float64{DimComprehension: 80, DimGrammar: 40, DimFluency: 60}, 65, true},
		// A written answer has no fluency: the others are renormalised.
		{"no fluency", map[string]float64{DimComprehension: 80, DimGrammar: 50}, 70, true},
		{"unweighted ignored", map[string]float64{DimGrammar: 50, DimVocabulary: 100}, 50, true},
		{"NaN skipped", map[string]float64{DimGrammar: 50, DimFluency: math.NaN()}, 50, true},
		{"none", map[string]float64{DimVocabulary: 100}, 0, false},
	}
	for _, tt := range tests {
		got, ok := s.Combine(tt.scores)
		if math.Round(got*1000)/1000 != tt.want || ok != tt.ok {
			t.Errorf("%s: Combine = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
	if got := (&Scale{Weights: map[string]float64{DimGrammar: 1, DimSpelling: 1, DimCoherence: 1}}).Dimensions(); len(got) != 3 || got[0] != DimGrammar || got[2] != DimCoherence {
		t.Errorf("Dimensions() = %v, want canonical order", got)
	}
}
