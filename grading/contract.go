package grading

// The exported types here are the contract the API, the CLI and the
// evaluation tools code against: keep names and JSON tags, add fields only.

import (
	"context"
	"errors"

	"github.com/langassess/langassess/audio"
	"github.com/langassess/langassess/rubrics"
)

// Version of the engine, recorded with every score.
const Version = "0.2.0"

// Input is one answer to grade.
type Input struct {
	ID           string // caller's id, echoed in Result.ID; keys the duplicate index
	Language     string // expected language, ISO 639-1
	AssessmentID string // optional; with ItemID selects the item rubric
	ItemID       string // optional; "" grades with the language's generic writing rubric
	Text         string // written answer (or transcript of a spoken one)
	Audio        []byte // WAV bytes of a spoken answer, optional
	Transcript   string // optional transcript for Audio
}

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
	Audio         *audio.Report     `json:"audio,omitempty"`
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

// InputError means the input cannot be graded (unsupported language, unknown
// item, corrupt audio). Field is a JSON pointer into the request ("/language").
type InputError struct {
	Code   string // stable, e.g. "language.unsupported", "item.unknown", "audio.invalid"
	Field  string
	Detail string
}

func (e *InputError) Error() string { return e.Detail }

// Grader is what the API and the CLI need from the engine.
type Grader interface {
	Grade(ctx context.Context, in Input) (Result, error)
}

// ErrUnavailable is returned (wrapped) when the engine cannot grade now;
// callers keep the response pending and retry.
var ErrUnavailable = errors.New("grading: engine unavailable")

// Config configures an Engine. Zero values mean the documented defaults.
type Config struct {
	Languages       []string      // configured languages (ISO 639-1); default en,de,fr,es,it,pt,nl,pl,cs
	Pack            *rubrics.Pack // rubric pack; nil means rubrics.Default()
	HunspellDir     string        // default /usr/share/hunspell
	LanguageToolURL string        // optional LanguageTool server, e.g. http://localhost:8081
	Audio           audio.Config
	AudioLimits     audio.Limits

	// Detector replaces the lingua detector (tests); nil builds lingua.
	Detector LanguageDetector
	// Proofreader replaces the spelling and grammar checker; nil builds the
	// one from grading/grammar with HunspellDir and LanguageToolURL.
	Proofreader Proofreader
	// Duplicates replaces the in-memory duplicate index (the API can back
	// it by the store so replicas share it); nil keeps DuplicatesPerItem
	// answers per item and language in memory.
	Duplicates        DuplicateIndex
	DuplicatesPerItem int // default 2000
}

// DefaultLanguages are the configured languages when Config.Languages is empty.
var DefaultLanguages = []string{"en", "de", "fr", "es", "it", "pt", "nl", "pl", "cs"}
