package grading

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/langassess/langassess/grading/hunspell"
)

// NewProofreader builds the spelling and grammar checker the engine uses
// from the configuration (Hunspell dictionaries in cfg.HunspellDir).
func NewProofreader(ctx context.Context, cfg Config) (Proofreader, error) {
	return newDefaultProofreader(ctx, cfg)
}

func newDefaultProofreader(ctx context.Context, cfg Config) (Proofreader, error) {
	return newChecker(ctx, cfg)
}

// newSpellProofreader checks spelling only, straight from the Hunspell
// dictionaries.
func newSpellProofreader(ctx context.Context, cfg Config) (Proofreader, error) {
	set := hunspell.NewSet(cfg.HunspellDir)
	langs := cfg.Languages
	if len(langs) == 0 {
		langs = DefaultLanguages
	}
	if err := set.Preload(langs...); err != nil {
		return nil, fmt.Errorf("hunspell: %w", err)
	}
	return &spellProofreader{set: set}, ctx.Err()
}

// spellProofreader checks spelling with the Hunspell dictionaries. Grammar
// rules come from grading/grammar; until they are wired in, grammar is
// reported unchecked.
type spellProofreader struct {
	set *hunspell.Set
}

func (p *spellProofreader) Check(ctx context.Context, lang, text string) (Proof, error) {
	d, err := p.set.Get(lang)
	if errors.Is(err, hunspell.ErrNoDictionary) {
		return Proof{Unchecked: fmt.Sprintf("no Hunspell dictionary for %s in %s", lang, p.set.Dir())}, nil
	}
	if err != nil {
		return Proof{}, fmt.Errorf("spelling %s: %w", lang, err)
	}
	pr := Proof{SpellingChecked: true, Unchecked: "no grammar rules for " + lang}
	for _, sp := range d.Words(text) {
		pr.Words++
		w := text[sp.Start:sp.End]
		if d.Spell(w) || elided(d, text, sp) || likelyName(lang, text, sp.Start) {
			continue
		}
		pr.Errors = append(pr.Errors, ProofError{Offset: sp.Start, Length: sp.End - sp.Start, Category: "spelling",
			Rule: "HUNSPELL", Message: fmt.Sprintf("%q is not in the %s dictionary.", w, lang)})
	}
	return pr, ctx.Err()
}

// noProofreader checks nothing and says so, so every answer is flagged
// spelling_unchecked and grammar_unchecked instead of scoring zero errors.
type noProofreader struct{}

func (noProofreader) Check(context.Context, string, string) (Proof, error) {
	return Proof{Unchecked: "no spelling or grammar checker configured"}, nil
}

// elided accepts an elided article or preposition written with its
// apostrophe ("dell'", "l'", "qu'"): dictionaries list them with the
// apostrophe, while the word splitter stops before it.
func elided(d *hunspell.Dictionary, text string, sp hunspell.Span) bool {
	rest := text[sp.End:]
	for _, ap := range []string{"'", "’"} {
		if strings.HasPrefix(rest, ap) {
			return d.Spell(text[sp.Start:sp.End]+"'") || d.Spell(text[sp.Start:sp.End]+"’")
		}
	}
	return false
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
