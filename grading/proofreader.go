package grading

import (
	"context"
	"errors"
	"fmt"

	"github.com/langassess/langassess/grading/hunspell"
)

// NewProofreader builds the spelling and grammar checker the engine uses
// from the configuration (Hunspell dictionaries in cfg.HunspellDir).
func NewProofreader(ctx context.Context, cfg Config) (Proofreader, error) {
	return newDefaultProofreader(ctx, cfg)
}

func newDefaultProofreader(ctx context.Context, cfg Config) (Proofreader, error) {
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
		if d.Spell(w) {
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
