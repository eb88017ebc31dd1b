package result

import (
	"github.com/langassess/langassess/audio/report"
	"github.com/langassess/langassess/rubrics"
)

// Version of the engine, recorded with every score.
const Version = "0.2.0"

// Scores are dimension scores 0-100; nil when the dimension does not apply.
type Scores struct {
	Comprehension *float64 `json:"comprehension"`
	Grammar       *float64 `json:"grammar"`
	Vocabulary    *float64 `json:"vocabulary"`
	Fluency       *float64 `json:"fluency"`
	Spelling      *float64 `json:"spelling"`
	Coherence     *float64 `json:"coherence"`
	Length        *float64 `json:"length"` // credit for length up to the expected length
}

// ByDimension lists the present scores under the rubric dimension names.
func (s Scores) ByDimension() map[string]float64 {
	out := map[string]float64{}
	for d, p := range map[string]*float64{
		rubrics.DimComprehension: s.Comprehension, rubrics.DimGrammar: s.Grammar,
		rubrics.DimVocabulary: s.Vocabulary, rubrics.DimFluency: s.Fluency,
		rubrics.DimSpelling: s.Spelling, rubrics.DimCoherence: s.Coherence,
		rubrics.DimLength: s.Length,
	} {
		if p != nil {
			out[d] = *p
		}
	}
	return out
}

// LanguageResult reports the language check.
type LanguageResult struct {
	Expected   string  `json:"expected"`
	Detected   string  `json:"detected"`
	Confidence float64 `json:"confidence"` // confidence for the expected language, 0-1
}

// Flag is something a machine should not decide alone.
type Flag struct {
	Code     string         `json:"code"` // stable: e.g. "wrong_language", "audio_unscorable"
	Message  string         `json:"message"`
	Evidence map[string]any `json:"evidence,omitempty"`
}

// Result is the grade of one answer.
type Result struct {
	ID            string            `json:"id,omitempty"`
	Level         string            `json:"level,omitempty"`  // overall CEFR (A1..C2)
	Levels        map[string]string `json:"levels,omitempty"` // per dimension
	Score         *float64          `json:"score,omitempty"`  // overall 0-100 the level comes from
	Skill         string            `json:"skill,omitempty"`  // reading | writing | speaking
	Scores        Scores            `json:"scores"`
	Language      *LanguageResult   `json:"language,omitempty"`
	Flags         []Flag            `json:"flags"`
	Audio         *report.Report    `json:"audio,omitempty"`
	Evidence      map[string]any    `json:"evidence,omitempty"`
	RubricVersion string            `json:"rubric_version,omitempty"`
	EngineVersion string            `json:"engine_version"`
	Error         string            `json:"error,omitempty"` // the input itself is unusable
}

// HasFlag reports whether the result carries a flag with this code.
func (r Result) HasFlag(code string) bool {
	for _, f := range r.Flags {
		if f.Code == code {
			return true
		}
	}
	return false
}

// Flag codes: stable, read by the API, the review queue and reports.
const (
	FlagWrongLanguage         = "wrong_language"
	FlagMixedLanguage         = "mixed_language"
	FlagLowLanguageConfidence = "low_language_confidence"
	FlagTooShort              = "too_short"
	FlagOffTopic              = "off_topic"
	FlagCopiedPrompt          = "copied_prompt"
	FlagDuplicateAnswer       = "duplicate_answer"
	FlagBorderline            = "borderline"
	FlagAudioUnscorable       = "audio_unscorable"
	FlagAudioDegraded         = "audio_degraded" // scorable, but the fluency measures rest on a poor recording
	FlagSpellingUnchecked     = "spelling_unchecked"
	FlagGrammarUnchecked      = "grammar_unchecked"
	FlagEngineUnavailable     = "grading_engine_unavailable"
)
