package grading

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NewProofreader builds the spelling and grammar checker the engine uses
// from the configuration: grading/grammar with the Hunspell dictionaries in
// cfg.HunspellDir, the rule packs, and cfg.LanguageToolURL when set.
// Calibration uses it to score rated texts exactly as Grade does.
func NewProofreader(ctx context.Context, cfg Config) (Proofreader, error) {
	return newDefaultProofreader(ctx, cfg)
}

func newDefaultProofreader(ctx context.Context, cfg Config) (Proofreader, error) {
	return newChecker(ctx, cfg)
}

// likelyName reports whether an unknown word is probably a proper name (a
// person, street or company no dictionary lists): capitalised and not at
// the start of a sentence or line. German capitalises every noun, so there
// a capital says nothing and the word stays an error.
func likelyName(lang, text string, start int) bool {
	if lang == "de" || lang == "lb" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[start:])
	if !unicode.IsUpper(r) {
		return false
	}
	before := strings.TrimRight(text[:start], " \t\"«(„“")
	if before == "" {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(before)
	return !strings.ContainsRune(".!?\n:", last)
}

// noProofreader checks nothing and says so, so every answer is flagged
// spelling_unchecked and grammar_unchecked instead of scoring zero errors.
type noProofreader struct{}

func (noProofreader) Check(context.Context, string, string) (Proof, error) {
	return Proof{Unchecked: "no spelling or grammar checker configured"}, nil
}
