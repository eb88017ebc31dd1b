package grading

import (
	"context"
	"math"
	"testing"

	"github.com/langassess/langassess/audio"
	"github.com/langassess/langassess/rubrics"
)

func TestBorderline(t *testing.T) {
	e := &Engine{}
	sc := &rubrics.Scale{Weights: map[string]float64{"grammar": 1}, Cuts: []rubrics.Cut{{Level: "B1", Min: 40}, {Level: "B2", Min: 60}},
		Fit: &rubrics.Fit{Metrics: map[string]float64{"sem": 2.5}}}
	for _, tt := range []struct {
		score float64
		level string
		flag  bool
	}{{58.5, "B1", true}, {61, "B2", true}, {50, "B1", false}, {39, "A2", true}, {20, "A2", false}} {
		r := Result{Scores: Scores{Grammar: &tt.score}, Evidence: map[string]any{}}
		e.level(target{scale: sc}, &r)
		if r.Level != tt.level || r.HasFlag(FlagBorderline) != tt.flag {
			t.Errorf("score %v: level %s borderline %v, want %s %v", tt.score, r.Level, r.HasFlag(FlagBorderline), tt.level, tt.flag)
		}
	}
}

func TestFluencyScore(t *testing.T) {
	halting := audio.Fluency{Syllables: 60, SpeechRate: 1.0, ArticulationRate: 2.5, Pauses: 30, PausesPerMinute: 30, MeanLengthOfRun: 2}
	fluent := audio.Fluency{Syllables: 240, SpeechRate: 4.2, ArticulationRate: 5.6, Pauses: 5, PausesPerMinute: 5, MeanLengthOfRun: 40}
	mid := audio.Fluency{Syllables: 150, SpeechRate: 2.5, ArticulationRate: 4, Pauses: 18, PausesPerMinute: 18, MeanLengthOfRun: 7}
	for _, tt := range []struct {
		f    audio.Fluency
		want float64
	}{{halting, 0}, {fluent, 100}, {mid, 50}} {
		if got, ev := fluencyScore(tt.f, 60); got != tt.want || ev["score_parts"] == nil {
			t.Errorf("fluency %+v = %v, want %v", tt.f, got, tt.want)
		}
	}
	// Derived measures when the audio report leaves them out.
	if got, ev := fluencyScore(audio.Fluency{Syllables: 100, SpeechRate: 2.5, ArticulationRate: 4, Pauses: 9}, 30); ev["pauses_per_minute"] != 18.0 || ev["mean_length_of_run"] != 10.0 || got <= 0 {
		t.Errorf("derived measures %v (score %v)", ev, got)
	}
}

func TestMemoryIndexBounded(t *testing.T) {
	m := NewMemoryIndex(2)
	sh := func(words string) []uint64 { return shingles(foldsOf(analyse(words, "en").Words)) }
	ctx := context.Background()
	a := sh("one two three four five six")
	m.MatchAndAdd(ctx, "k", "a", a)
	m.MatchAndAdd(ctx, "k", "b", sh("seven eight nine ten eleven"))
	if id, sim, _ := m.MatchAndAdd(ctx, "k", "c", a); id != "a" || sim != 1 {
		t.Errorf("match %q %v, want a 1", id, sim)
	}
	// "a" has been evicted by "c" (capacity 2, oldest first).
	if id, sim, _ := m.MatchAndAdd(ctx, "k", "d", sh("one two three four")); id != "c" || sim != 1 {
		t.Errorf("after eviction: %q %v, want c", id, sim)
	}
	if id, _, _ := m.MatchAndAdd(ctx, "other", "e", a); id != "" {
		t.Errorf("keys must not mix: matched %q", id)
	}
}

// TestBorderlineOnlyWherePlacementChanges: the pack's English queues need
// writing B1 or B2, so only those cuts raise the flag.
func TestBorderlineOnlyWherePlacementChanges(t *testing.T) {
	e := testEngine(t, nil)
	sc := &rubrics.Scale{Language: "en", Weights: map[string]float64{"grammar": 1},
		Cuts: []rubrics.Cut{{Level: "A2", Min: 20}, {Level: "B1", Min: 40}, {Level: "B2", Min: 60}, {Level: "C1", Min: 80}}}
	for _, tt := range []struct {
		score float64
		flag  bool
	}{{21, false}, {41, true}, {59, true}, {79, false}} {
		r := Result{Scores: Scores{Grammar: &tt.score}, Evidence: map[string]any{}}
		e.level(target{scale: sc, skill: "writing"}, &r)
		if r.HasFlag(FlagBorderline) != tt.flag {
			t.Errorf("score %v: borderline %v, want %v", tt.score, r.HasFlag(FlagBorderline), tt.flag)
		}
	}
}

// TestMemoryIndexZeroValueAndShares: a MemoryIndex{} (exported, so callers
// may build one) panicked on its nil map; similarity is the share of this
// answer's distinct shingles found in the other, repeats counted once.
func TestMemoryIndexZeroValueAndShares(t *testing.T) {
	var m MemoryIndex
	sh := func(words string) []uint64 { return shingles(foldsOf(analyse(words, "en").Words)) }
	ctx := context.Background()
	tests := []struct {
		id, words string
		match     string
		sim       float64
	}{
		{"a", "one two three four x y", "", 0},
		{"b", "one two three four five six", "a", 0.5},                   // 2 of 4 shingles in a
		{"c", "one two three one two three one two three", "a", 1.0 / 3}, // 3 distinct shingles, a (first of a, b) holds one
		{"d", "two three one two three one", "c", 1},
	}
	for _, tt := range tests {
		id, sim, err := m.MatchAndAdd(ctx, "k", tt.id, sh(tt.words))
		if err != nil || id != tt.match || math.Abs(sim-tt.sim) > 1e-9 {
			t.Errorf("%s: matched %q %v (%v), want %q %v", tt.id, id, sim, err, tt.match, tt.sim)
		}
	}
}
