package grading

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/langassess/langassess/grading/grammar"
)

// checker adapts grading/grammar's Checker (Hunspell spelling, learner
// error rule packs, optional LanguageTool) to the Proofreader the engine
// consumes.
type checker struct {
	c *grammar.Checker
}

func newChecker(ctx context.Context, cfg Config) (*checker, error) {
	langs := cfg.Languages
	if len(langs) == 0 {
		langs = DefaultLanguages
	}
	c, err := grammar.New(ctx, grammar.Config{Languages: langs, HunspellDir: cfg.HunspellDir, LanguageToolURL: cfg.LanguageToolURL})
	if err != nil {
		return nil, err
	}
	return &checker{c: c}, nil
}

// Check implements Proofreader. The checker counts offsets in runes; the
// engine's evidence and sentence bookkeeping use bytes, so they are
// converted here. Unknown capitalised words inside a sentence are taken
// for names, not misspellings (see likelyName).
func (k *checker) Check(ctx context.Context, lang, text string) (Proof, error) {
	r, err := k.c.Check(ctx, lang, text)
	if err != nil {
		return Proof{}, fmt.Errorf("grammar check: %w", err)
	}
	p := Proof{Words: r.Words, SpellingChecked: r.SpellingChecked, GrammarChecked: r.GrammarChecked,
		Unchecked: strings.Join(append(r.Unchecked, r.Warnings...), "; ")}
	byteAt := runeOffsets(text)
	for _, e := range r.Errors {
		if e.Offset < 0 || e.Offset >= len(byteAt) || e.Offset+e.Length >= len(byteAt) {
			continue
		}
		off, end := byteAt[e.Offset], byteAt[e.Offset+e.Length]
		if e.Category == grammar.Spelling && (likelyName(lang, text, off) || elidedBefore(lang, text, end)) {
			continue
		}
		p.Errors = append(p.Errors, ProofError{Offset: off, Length: end - off, Category: e.Category, Rule: e.Rule,
			Message: e.Message, Suggestions: e.Suggestions})
	}
	return p, nil
}

// runeOffsets maps rune index -> byte offset, with one extra entry for the
// end of the text.
func runeOffsets(s string) []int {
	out := make([]int, 0, utf8.RuneCountInString(s)+1)
	for i := range s {
		out = append(out, i)
	}
	return append(out, len(s))
}

// elidedBefore reports whether the word ending at end is an elided form
// ("dell'anno", "quest'anno", "l'homme"): Italian and French write the
// article or pronoun with an apostrophe glued to the next word, and a
// dictionary whose word characters lack the apostrophe sees a bare "dell"
// and rejects it. Learners rarely misspell these short forms, while the
// false alarms numbered hundreds in MERLIN's Italian texts.
func elidedBefore(lang, text string, end int) bool {
	if lang != "it" && lang != "fr" {
		return false
	}
	rest := text[end:]
	for _, ap := range []string{"'", "’"} {
		if after, ok := strings.CutPrefix(rest, ap); ok {
			r, _ := utf8.DecodeRuneInString(after)
			return unicode.IsLetter(r)
		}
	}
	return false
}
