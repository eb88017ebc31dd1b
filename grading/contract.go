package grading

// The exported types here are the contract the API, the CLI and the
// evaluation tools code against: keep names and JSON tags, add fields only.

import (
	"context"
	"errors"

	"github.com/langassess/langassess/audio"
	"github.com/langassess/langassess/grading/result"
	"github.com/langassess/langassess/rubrics"
)

// The result types live in grading/result so that packages which store or
// show a result (store, reports, the API) do not compile the engine; these
// aliases keep grading.Result and friends working.
type (
	Result         = result.Result
	Scores         = result.Scores
	LanguageResult = result.LanguageResult
	Flag           = result.Flag
)

// Version of the engine, recorded with every score.
const Version = result.Version

// Flag codes: stable, read by the API, the review queue and reports.
const (
	FlagWrongLanguage         = result.FlagWrongLanguage
	FlagMixedLanguage         = result.FlagMixedLanguage
	FlagLowLanguageConfidence = result.FlagLowLanguageConfidence
	FlagTooShort              = result.FlagTooShort
	FlagOffTopic              = result.FlagOffTopic
	FlagCopiedPrompt          = result.FlagCopiedPrompt
	FlagDuplicateAnswer       = result.FlagDuplicateAnswer
	FlagBorderline            = result.FlagBorderline
	FlagAudioUnscorable       = result.FlagAudioUnscorable
	FlagAudioDegraded         = result.FlagAudioDegraded
	FlagSpellingUnchecked     = result.FlagSpellingUnchecked
	FlagGrammarUnchecked      = result.FlagGrammarUnchecked
	FlagEngineUnavailable     = result.FlagEngineUnavailable
)

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
