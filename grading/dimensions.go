package grading

import "math"

// Proof is what grading needs from a spelling and grammar checker (package
// grading/grammar, or a test double): the errors found in a text.
type Proof struct {
	Errors          []ProofError
	Words           int  // words the checker counted
	SpellingChecked bool // false when no dictionary exists for the language
	GrammarChecked  bool // false when no rule pack or server covered the language
	Unchecked       string
}

// ProofError is one error with its place in the text.
type ProofError struct {
	Offset      int      `json:"offset"`
	Length      int      `json:"length"`
	Category    string   `json:"category"`
	Rule        string   `json:"rule"`
	Message     string   `json:"message"`
	Suggestions []string `json:"suggestions,omitempty"`
}

// features are the measures of one text that dimension scores are built from.
// Calibration and grading compute them the same way.
type features struct {
	Stats          TextStats
	GrammarPer100  float64 // category-weighted non-spelling errors per 100 scored words
	SpellingPer100 float64
	Spelling       bool // a dictionary checked the spelling
	Grammar        bool // rules checked the grammar
	ByCategory     map[string]int
}

// categoryWeight is how much one error of a category costs in the grammar
// score. Punctuation and capitalisation matter less than agreement or word
// order to a reader; unknown categories count fully.
var categoryWeight = map[string]float64{
	"punctuation":    0.5,
	"capitalisation": 0.5,
	"capitalization": 0.5,
	"typography":     0.25,
	"style":          0.25,
	"whitespace":     0.25,
}

// isSpelling reports whether an error category is spelling (scored in its own
// dimension, so a typo does not count twice).
func isSpelling(cat string) bool { return cat == "spelling" || cat == "typos" || cat == "misspelling" }

// measure combines the text analysis and the checker's errors into features.
// Errors inside sentences that do not count (repeats, off-topic padding) are
// ignored, as those sentences' words are.
func measure(t *text, p Proof) features {
	f := features{Stats: t.stats(), Spelling: p.SpellingChecked, Grammar: p.GrammarChecked, ByCategory: map[string]int{}}
	counted := func(off int) bool {
		for _, s := range t.Sentences {
			if off >= s.Offset && off < s.End {
				return s.counted()
			}
		}
		return true
	}
	var g, sp float64
	for _, e := range p.Errors {
		if !counted(e.Offset) {
			continue
		}
		f.ByCategory[e.Category]++
		if isSpelling(e.Category) {
			sp++
			continue
		}
		w, ok := categoryWeight[e.Category]
		if !ok {
			w = 1
		}
		g += w
	}
	if n := float64(max(f.Stats.Words, 1)); f.Stats.Words > 0 {
		f.GrammarPer100 = 100 * g / n
		f.SpellingPer100 = 100 * sp / n
	}
	return f
}

// ramp maps x linearly from [lo, hi] onto [0, 100], clamped.
func ramp(x, lo, hi float64) float64 {
	if hi == lo {
		return 0
	}
	v := 100 * (x - lo) / (hi - lo)
	return math.Max(0, math.Min(100, v))
}

// errorScore maps errors per 100 words onto 0-100: 100 with no errors,
// halving every errorHalfLife errors per 100 words, so the first errors cost
// the most and a very weak text still ranks below a weak one.
func errorScore(per100 float64) float64 {
	return 100 * math.Exp2(-per100/errorHalfLife)
}

// errorHalfLife: 5 errors per 100 words (one in every other sentence of a
// learner's text) halves the score.
const errorHalfLife = 5.0

// The dimension maps below are fixed documented functions of the features;
// calibration fits only how the dimensions are weighted and where the cut
// scores lie, so a rubric file can hold the whole model.

// grammarScore is 0-100 from non-spelling errors per 100 words; nil when no
// grammar check ran.
func grammarScore(f features) *float64 {
	if !f.Grammar {
		return nil
	}
	return ptr(errorScore(f.GrammarPer100))
}

// spellingScore is 0-100 from spelling errors per 100 words; nil without a
// dictionary.
func spellingScore(f features) *float64 {
	if !f.Spelling {
		return nil
	}
	return ptr(errorScore(f.SpellingPer100))
}

// vocabularyScore averages diversity and range: MTLD from 20 (a beginner's
// repeated words) to 100 (fluent prose), and the share of long words from 5%
// to 35% (see longWord), with the mean word length from 3.5 to 6.5 letters.
func vocabularyScore(f features) float64 {
	s := f.Stats
	return (ramp(s.MTLD, 20, 100) + ramp(s.LongWordShare, 0.05, 0.35) + ramp(s.MeanWordLength, 3.5, 6.5)) / 3
}

// coherenceScore averages sentence structure (mean sentence length from 4
// to 20 words), connective use (0 to 10 per 100 words) and connective
// variety (0 to 12 different ones within the first 250 words, so length
// beyond the expected pays nothing here either).
func coherenceScore(f features) float64 {
	s := f.Stats
	per100 := 0.0
	if s.Words > 0 {
		per100 = 100 * float64(s.Connectives) / float64(s.Words)
	}
	return (ramp(s.MeanSentenceWords, 4, 20) + ramp(per100, 0, 10) + ramp(float64(s.DistinctConnectivesCapped), 0, 12)) / 3
}

// lengthScore credits length only up to the expected length, on a log
// scale: the first words say the most about what a writer can do (30 words
// against 60 separates A1 from A2; 200 against 230 separates little), and
// words beyond the expected length earn nothing.
func lengthScore(f features, expected int) float64 {
	if expected <= 0 {
		expected = genericExpectedWords
	}
	w := math.Min(float64(f.Stats.Words), float64(expected))
	return 100 * math.Log1p(w) / math.Log1p(float64(expected))
}

func ptr(v float64) *float64 { return &v }

// dimensionScores are the text dimension scores (comprehension is the
// item's business and fluency the recording's; fluency is passed through).
func dimensionScores(f features, expected int, fluency *float64) Scores {
	return Scores{
		Grammar:    round1p(grammarScore(f)),
		Spelling:   round1p(spellingScore(f)),
		Vocabulary: round1p(ptr(vocabularyScore(f))),
		Coherence:  round1p(ptr(coherenceScore(f))),
		Length:     round1p(ptr(lengthScore(f, expected))),
		Fluency:    fluency,
	}
}
