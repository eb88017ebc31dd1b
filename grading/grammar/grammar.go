// Package grammar finds spelling and grammar errors in a learner's text:
// spelling from Hunspell dictionaries (package grading/hunspell), learner
// error rules from the per-language rule packs of package rubrics, and
// optionally a LanguageTool server. It counts errors per 100 words by
// category so the grading engine can score accuracy, and keeps each error's
// place and message as evidence for graders.
//
// A language without a dictionary or rules is reported as unchecked
// (Report.SpellingChecked, Report.GrammarChecked, Report.Unchecked), never as
// a text without errors.
//
// Concurrency: a *Checker is immutable after New and safe for concurrent
// use; dictionaries are loaded once per language.
package grammar

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/langassess/langassess/grading/hunspell"
	"github.com/langassess/langassess/rubrics"
)

// Error categories (rubrics.RuleCategories lists them all).
const (
	Spelling       = "spelling"
	Agreement      = "agreement"
	Article        = "article"
	Capitalisation = "capitalisation"
	WordOrder      = "word_order"
	Punctuation    = "punctuation"
	Repetition     = "repetition"
	Other          = "other"
)

// Error is one error found in the text. Offset and Length count runes
// (characters), not bytes.
type Error struct {
	Offset      int      `json:"offset"`
	Length      int      `json:"length"`
	Category    string   `json:"category"`
	Rule        string   `json:"rule"`
	Message     string   `json:"message"`
	Suggestions []string `json:"suggestions,omitempty"`
	Source      string   `json:"source,omitempty"` // hunspell, rules, languagetool
}

// Report is the result of Check.
type Report struct {
	Language string  `json:"language"`
	Words    int     `json:"words"`
	Errors   []Error `json:"errors"`
	// PerHundredWords is errors per 100 words by category; every
	// category a source covered is present, zero included.
	PerHundredWords map[string]float64 `json:"per_hundred_words"`
	// SpellingChecked is false when no dictionary exists for the
	// language; GrammarChecked when neither a rule pack nor LanguageTool
	// covered it. Unchecked says what was not checked and why.
	SpellingChecked bool     `json:"spelling_checked"`
	GrammarChecked  bool     `json:"grammar_checked"`
	Unchecked       []string `json:"unchecked,omitempty"`
	// Sources names what checked the text ("hunspell:de_DE",
	// "rules:de", "languagetool").
	Sources []string `json:"sources"`
	// Warnings are problems that did not stop the check (LanguageTool
	// unreachable).
	Warnings []string `json:"warnings,omitempty"`
}

// Config configures a Checker. Zero values mean the documented defaults.
type Config struct {
	Languages   []string // preloaded at New; others load on first use
	HunspellDir string   // default /usr/share/hunspell
	// RulePacks by language; nil means rubrics.DefaultRulePacks().
	RulePacks map[string]*rubrics.RulePack
	// LanguageToolURL, e.g. http://localhost:8081, adds a LanguageTool
	// server's matches; HTTPClient is used for it (default: a client
	// with a 5 s timeout).
	LanguageToolURL string
	HTTPClient      *http.Client
	// SpellingSuggestions is how many spelling errors per Check get
	// suggestions; 0 (the default) means none, because one suggestion
	// search costs 1-80 ms (German compounds are the slow end) while a
	// whole Check costs well under one. Checker.Suggest gives them on
	// demand, for a grader looking at one error. Rule errors always
	// carry their suggestion.
	SpellingSuggestions int
}

// Checker checks texts. Build with New.
type Checker struct {
	dicts   *hunspell.Set
	packs   map[string]*rubrics.RulePack
	lt      *languageTool
	maxSugg int
}

// New builds a Checker and loads the dictionaries of cfg.Languages.
func New(ctx context.Context, cfg Config) (*Checker, error) {
	c := &Checker{dicts: hunspell.NewSet(cfg.HunspellDir), packs: cfg.RulePacks, maxSugg: max(cfg.SpellingSuggestions, 0)}
	if c.packs == nil {
		p, err := rubrics.DefaultRulePacks()
		if err != nil {
			return nil, fmt.Errorf("grammar: %w", err)
		}
		c.packs = p
	}
	if cfg.LanguageToolURL != "" {
		hc := cfg.HTTPClient
		if hc == nil {
			hc = &http.Client{Timeout: 5 * time.Second}
		}
		c.lt = &languageTool{url: strings.TrimRight(cfg.LanguageToolURL, "/"), client: hc}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := c.dicts.Preload(cfg.Languages...); err != nil {
		return nil, fmt.Errorf("grammar: %w", err)
	}
	return c, nil
}

// Suggest returns spelling suggestions for one word (for a grader's view
// of an error whose suggestions Check left out).
func (c *Checker) Suggest(lang, word string) []string {
	d, err := c.dicts.Speller(lang)
	if err != nil {
		return nil
	}
	return d.Suggest(word)
}

// Check finds the errors in text written in lang (ISO 639-1).
func (c *Checker) Check(ctx context.Context, lang, text string) (Report, error) {
	if err := ctx.Err(); err != nil {
		return Report{}, err
	}
	r := Report{Language: lang, Errors: []Error{}, PerHundredWords: map[string]float64{}}
	toks := tokenize(text)
	for _, t := range toks {
		if t.kind == kindWord {
			r.Words++
		}
	}
	a := &analysis{text: text, toks: toks, lang: lang, maxSugg: c.maxSugg}
	covered := map[string]bool{}

	d, err := c.dicts.Speller(lang)
	switch {
	case err == nil:
		a.dict = d
		r.SpellingChecked = true
		r.Sources = append(r.Sources, "hunspell:"+strings.Join(d.Names(), ","))
		covered[Spelling] = true
	case errors.Is(err, hunspell.ErrNoDictionary):
		r.Unchecked = append(r.Unchecked, fmt.Sprintf("spelling: no Hunspell dictionary for %q", lang))
	default:
		return Report{}, fmt.Errorf("grammar: %w", err)
	}
	pack := c.packs[lang]
	if pack != nil {
		a.pack = pack
		r.GrammarChecked = true
		r.Sources = append(r.Sources, "rules:"+lang)
		for _, cat := range rubrics.RuleCategories {
			covered[cat] = true
		}
	}
	a.run()
	errs := a.errs
	if c.lt != nil {
		ltErrs, err := c.lt.check(ctx, lang, text)
		if err != nil {
			if ctx.Err() != nil {
				return Report{}, ctx.Err()
			}
			r.Warnings = append(r.Warnings, "languagetool: "+err.Error())
		} else {
			r.GrammarChecked = true
			r.Sources = append(r.Sources, "languagetool")
			for _, cat := range rubrics.RuleCategories {
				covered[cat] = true
			}
			errs = merge(errs, ltErrs)
		}
	}
	if !r.GrammarChecked {
		r.Unchecked = append(r.Unchecked, fmt.Sprintf("grammar: no rule pack for %q and no LanguageTool server", lang))
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Offset < errs[j].Offset })
	r.Errors = append(r.Errors, errs...)
	for cat := range covered {
		r.PerHundredWords[cat] = 0
	}
	if r.Words > 0 {
		for _, e := range r.Errors {
			r.PerHundredWords[e.Category] += 100 / float64(r.Words)
		}
		for k, v := range r.PerHundredWords {
			r.PerHundredWords[k] = float64(int(v*100+0.5)) / 100
		}
	}
	return r, nil
}

// merge adds LanguageTool's errors that do not overlap ours (ours carry
// the learner-specific message; LanguageTool covers what we lack).
func merge(ours, lt []Error) []Error {
	out := ours
	for _, e := range lt {
		clash := false
		for _, o := range ours {
			if e.Offset < o.Offset+o.Length && o.Offset < e.Offset+e.Length {
				clash = true
				break
			}
		}
		if !clash {
			out = append(out, e)
		}
	}
	return out
}

// token kinds
const (
	kindWord = iota
	kindNum
	kindPunct
)

// token is one word, number or punctuation mark. start/end are byte
// offsets, rstart/rend rune offsets.
type token struct {
	text         string
	lower        string
	start, end   int
	rstart, rend int
	kind         int
	sentStart    bool // first token of a sentence
	lineStart    bool // first token of a line (letters, addresses)
	afterQuote   bool // after a quote, colon, bracket or dash
}

// tokenize splits text into words (letters with inner apostrophes,
// hyphens and dots as in "z.B.", "don't", "E-Mail"), numbers and
// punctuation, and marks sentence and line starts.
func tokenize(text string) []token {
	var toks []token
	ri := 0 // rune index of i
	sentStart, lineStart, quote := true, true, false
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n':
			lineStart = true
			i += n
			ri++
			continue
		case unicode.IsSpace(r):
			i += n
			ri++
			continue
		}
		start, rstart := i, ri
		kind := kindPunct
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			kind = kindWord
			digits := true
			for i < len(text) {
				r, n = utf8.DecodeRuneInString(text[i:])
				if unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) {
					if !unicode.IsDigit(r) {
						digits = false
					}
					i += n
					ri++
					continue
				}
				// joiners inside a word
				if r == '\'' || r == '’' || r == '-' || r == '.' {
					nr, _ := utf8.DecodeRuneInString(text[i+n:])
					if i+n < len(text) && (unicode.IsLetter(nr) || unicode.IsDigit(nr)) {
						i += n
						ri++
						continue
					}
					// a dot ending an abbreviation of one letter
					// ("z.B.") belongs to the word
					if r == '.' && strings.Count(text[start:i], ".") > 0 && !digits {
						i += n
						ri++
					}
				}
				break
			}
			if digits {
				kind = kindNum
			}
		} else {
			i += n
			ri++
		}
		t := token{text: text[start:i], start: start, end: i, rstart: rstart, rend: ri, kind: kind,
			sentStart: sentStart, lineStart: lineStart, afterQuote: quote}
		t.lower = strings.ToLower(t.text)
		toks = append(toks, t)
		sentStart = kind == kindPunct && (t.text == "." || t.text == "!" || t.text == "?" || t.text == "…")
		// After a quote, a colon, a bracket or a dash the next word
		// may be capitalised or not.
		quote = kind == kindPunct && strings.Contains("\"“”„«»('‘:-–*/", t.text)
		lineStart = false
	}
	return toks
}
