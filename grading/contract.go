package grading

// CONTRACT written by the lead. Result's JSON field names are read by the
// evaluation tools and the API: keep them. The grading helper owns the
// package and may add fields and types.

import (
	"context"
	"errors"

	"github.com/langassess/langassess/audio"
	"github.com/langassess/langassess/rubrics"
)

// Version of the engine, recorded with every score.
const Version = "0.1.0"

// Input is one answer to grade.
type Input struct {
	ID           string // caller's id, echoed in Result.ID
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
	Scores        Scores            `json:"scores"`
	Language      *LanguageResult   `json:"language,omitempty"`
	Flags         []Flag            `json:"flags"`
	Audio         *audio.Report     `json:"audio,omitempty"`
	Evidence      map[string]any    `json:"evidence,omitempty"`
	RubricVersion string            `json:"rubric_version,omitempty"`
	EngineVersion string            `json:"engine_version"`
	Error         string            `json:"error,omitempty"` // the input itself is unusable
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
}

// Engine grades answers. Build once with New; safe for concurrent use.
type Engine struct {
	cfg Config
}

// New builds the engine: loads the pack, dictionaries and the language
// detector (preloaded). It may take a second or two.
func New(ctx context.Context, cfg Config) (*Engine, error) {
	return &Engine{cfg: cfg}, nil
}

// Grade grades one answer. Bad input yields *InputError (wrapped).
func (e *Engine) Grade(ctx context.Context, in Input) (Result, error) {
	return Result{}, ErrUnavailable // STUB until the engine lands
}

// Ready reports whether the models are loaded.
func (e *Engine) Ready() bool { return true }
