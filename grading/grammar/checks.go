package grammar

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/langassess/langassess/grading/hunspell"
	"github.com/langassess/langassess/rubrics"
)

// analysis holds one Check's state.
type analysis struct {
	text    string
	toks    []token
	lang    string
	dict    *hunspell.Speller
	pack    *rubrics.RulePack
	maxSugg int
	nSugg   int
	errs    []Error
	// spelled marks tokens with a spelling error, so the dictionary-based
	// capitalisation check does not report them twice.
	spelled map[int]bool
}

func (a *analysis) run() {
	a.spelled = map[int]bool{}
	if a.dict != nil {
		a.spelling()
	}
	if a.pack != nil {
		c := a.pack.Checks
		if c.Repetition {
			a.repetition(c.RepetitionAllow)
		}
		if c.SentenceStart {
			a.sentenceStart()
		}
		if c.CapitalMidSentence && a.dict != nil {
			a.capitalMidSentence(c.CapitalAllow)
		}
		a.rules()
	}
}

// add records an error unless the same span already has one of the same
// category (the dictionary and a rule both flag a lower-case "i").
func (a *analysis) add(e Error) {
	for _, o := range a.errs {
		if o.Offset == e.Offset && o.Length == e.Length && o.Category == e.Category {
			return
		}
	}
	a.errs = append(a.errs, e)
}

// spelling checks every word with the dictionary, splitting tokens the way
// the hunspell command does. A word that is right with an initial capital
// (a German noun written in lower case, "english") is a capitalisation
// error.
func (a *analysis) spelling() {
	for i, t := range a.toks {
		if t.kind != kindWord {
			continue
		}
		hyphen := strings.Contains(t.text, "-")
		if hyphen && a.dict.Spell(t.text) {
			continue
		}
		for _, sp := range a.dict.Words(t.text) {
			w := t.text[sp.Start:sp.End]
			// A one-letter part before a hyphen ("e-mail" in
			// Czech, "T-shirt") is a prefix, not a word.
			if hyphen && utf8.RuneCountInString(w) == 1 && sp.End < len(t.text) && t.text[sp.End] == '-' {
				continue
			}
			if a.dict.Spell(w) || a.elided(w, t.text[sp.End:]) {
				continue
			}
			off := t.rstart + utf8.RuneCountInString(t.text[:sp.Start])
			n := utf8.RuneCountInString(w)
			a.spelled[i] = true
			if fixed := capitalise(w); fixed != w && a.dict.Spell(fixed) {
				msg := "This word is written with a capital letter."
				if a.lang == "de" {
					msg = "Nouns are written with a capital letter in German."
				}
				a.add(Error{Offset: off, Length: n, Category: Capitalisation, Rule: "CAPITAL_REQUIRED",
					Message: msg, Suggestions: []string{fixed}, Source: "hunspell"})
				continue
			}
			e := Error{Offset: off, Length: n, Category: Spelling, Rule: "HUNSPELL",
				Message: "Possible spelling mistake.", Source: "hunspell"}
			if a.nSugg < a.maxSugg {
				a.nSugg++
				e.Suggestions = a.dict.Suggest(w)
			}
			a.add(e)
		}
	}
}

// elisions are the Italian forms written with an apostrophe glued to the
// next word ("dell'anno", "quest'anno"). it_IT does not count the
// apostrophe as part of a word, so the hunspell command reads a bare
// "dell" and rejects it; learners rarely get these wrong.
var elisions = map[string]map[string]bool{
	"it": {"l": true, "d": true, "dell": true, "nell": true, "sull": true, "all": true, "dall": true,
		"coll": true, "quest": true, "quell": true, "un": true, "bell": true, "sant": true, "buon": true,
		"c": true, "m": true, "t": true, "s": true, "v": true, "n": true, "com": true, "dov": true,
		"cos": true, "anch": true, "tutt": true, "nessun": true, "qualcos": true, "mezz": true},
}

// elided reports a word that is an elided form because an apostrophe and a
// letter follow it inside the token.
func (a *analysis) elided(w, rest string) bool {
	if !strings.HasPrefix(rest, "'") && !strings.HasPrefix(rest, "’") {
		return false
	}
	if elisions[a.lang][strings.ToLower(w)] {
		return true
	}
	return a.dict.Spell(w + "'")
}

func capitalise(w string) string {
	r, n := utf8.DecodeRuneInString(w)
	if !unicode.IsLower(r) {
		return w
	}
	return string(unicode.ToUpper(r)) + w[n:]
}

func lowerFirst(w string) string {
	r, n := utf8.DecodeRuneInString(w)
	return string(unicode.ToLower(r)) + w[n:]
}

// isInitCap reports a word with a capital first letter and no other
// capitals ("Company", not "EU" or "McDonald").
func isInitCap(w string) bool {
	for i, r := range w {
		if i == 0 {
			if !unicode.IsUpper(r) {
				return false
			}
		} else if unicode.IsUpper(r) {
			return false
		}
	}
	return w != ""
}

func (a *analysis) repetition(allow []string) {
	for i := 1; i < len(a.toks); i++ {
		p, t := a.toks[i-1], a.toks[i]
		// A title repeated as the first word of the text is not a
		// repetition; neither is "Long long ago".
		if t.kind != kindWord || p.kind != kindWord || t.lower != p.lower || t.lineStart || (isInitCap(p.text) && !isInitCap(t.text)) {
			continue
		}
		skip := false
		for _, w := range allow {
			if w == t.lower {
				skip = true
				break
			}
		}
		if skip {
			continue
		}
		// The first of the two is reported: MultiGED annotators mark
		// that one, and deleting either gives the same text.
		a.add(Error{Offset: p.rstart, Length: p.rend - p.rstart, Category: Repetition, Rule: "REPEATED_WORD",
			Message: "The word is repeated.", Suggestions: []string{""}, Source: "rules"})
	}
}

// abbreviationBefore reports a full stop that most likely ends an
// abbreviation ("Nr.", "bzw.", "Mr.") rather than a sentence.
func (a *analysis) abbreviationBefore(i int) bool {
	if i < 2 || a.toks[i-1].text != "." {
		return false
	}
	p := a.toks[i-2]
	if p.kind == kindNum {
		return true // "1. Mai", "3. Stock": an ordinal
	}
	return p.kind == kindWord && (utf8.RuneCountInString(p.text) <= 3 || strings.Contains(p.text, "."))
}

// sentenceStart flags a sentence that starts with a lower-case letter
// after a full stop, question or exclamation mark.
func (a *analysis) sentenceStart() {
	for i, t := range a.toks {
		if !t.sentStart || t.kind != kindWord || a.spelled[i] {
			continue
		}
		r, _ := utf8.DecodeRuneInString(t.text)
		if !unicode.IsLower(r) || a.abbreviationBefore(i) {
			continue
		}
		// "..." and "?!" chains are style, not sentence ends.
		if i >= 2 && a.toks[i-2].kind == kindPunct {
			continue
		}
		a.add(Error{Offset: t.rstart, Length: t.rend - t.rstart, Category: Capitalisation, Rule: "SENTENCE_START",
			Message: "A sentence starts with a capital letter.", Suggestions: []string{capitalise(t.text)}, Source: "rules"})
	}
}

// capitalMidSentence flags a capitalised word inside a sentence that the
// dictionary knows only in lower case.
func (a *analysis) capitalMidSentence(allow []string) {
	for i, t := range a.toks {
		if i == 0 || t.kind != kindWord || t.sentStart || t.lineStart || t.afterQuote || a.spelled[i] || !isInitCap(t.text) {
			continue
		}
		// Only inside running text: a lower-case word before, and a
		// lower-case word or punctuation after. Letter headers,
		// addresses and names ("Strada Maggiore", "Canton Ticino")
		// have capitals around them.
		if p := a.toks[i-1]; p.kind != kindWord || !unicode.IsLower(firstRune(p.text)) {
			continue
		}
		if i+1 < len(a.toks) {
			if nx := a.toks[i+1]; nx.kind == kindNum || (nx.kind == kindWord && !unicode.IsLower(firstRune(nx.text))) {
				continue
			}
		}
		skip := false
		for _, w := range allow {
			if w == t.text {
				skip = true
				break
			}
		}
		if skip || a.dict.SpellExact(t.text) || !a.dict.Spell(t.lower) {
			continue
		}
		a.add(Error{Offset: t.rstart, Length: t.rend - t.rstart, Category: Capitalisation, Rule: "CAPITAL_MID_SENTENCE",
			Message: "This word is written in lower case inside a sentence.", Suggestions: []string{lowerFirst(t.text)}, Source: "rules"})
	}
}

// rules runs the pack's token patterns.
func (a *analysis) rules() {
	toks := a.toks
	for i := range toks {
	rule:
		for _, r := range a.pack.Rules {
			n := len(r.Pattern)
			if i+n > len(toks) {
				continue
			}
			if r.Start && !(toks[i].sentStart || toks[i].lineStart) {
				continue
			}
			if r.MidSentence && (i == 0 || toks[i].sentStart || toks[i].lineStart || toks[i].afterQuote) {
				continue
			}
			for k, m := range r.Pattern {
				t := toks[i+k]
				if !m.Match(t.text, t.lower, t.kind == kindPunct) || !a.stemOK(m, t.text) {
					continue rule
				}
			}
			if i > 0 {
				p := toks[i-1]
				if r.Before != nil && !r.Before.Match(p.text, p.lower, p.kind == kindPunct) {
					continue
				}
				if r.BeforeNot != nil && r.BeforeNot.Match(p.text, p.lower, p.kind == kindPunct) {
					continue
				}
			} else if r.Before != nil {
				continue
			}
			if i+n < len(toks) {
				t := toks[i+n]
				if r.After != nil && !r.After.Match(t.text, t.lower, t.kind == kindPunct) {
					continue
				}
				if r.AfterNot != nil && r.AfterNot.Match(t.text, t.lower, t.kind == kindPunct) {
					continue
				}
			} else if r.After != nil {
				continue
			}
			from, to := r.Marked()
			first, last := toks[i+from], toks[i+to-1]
			e := Error{Offset: first.rstart, Length: last.rend - first.rstart, Category: r.Category, Rule: r.ID,
				Message: r.Message, Source: "rules"}
			if r.Suggest != "" {
				s := r.Suggest
				for k := n; k >= 1; k-- {
					s = strings.ReplaceAll(s, "{"+itoa(k)+"}", toks[i+k-1].text)
				}
				if isInitCap(first.text) || (first.sentStart && unicode.IsUpper(firstRune(first.text))) {
					s = capitalise(s)
				}
				e.Suggestions = []string{s}
			}
			a.add(e)
		}
	}
}

// stemOK tests a matcher's dictionary conditions (stem_with,
// stem_without); without a dictionary they cannot hold.
func (a *analysis) stemOK(m *rubrics.TokenMatcher, w string) bool {
	if m.StemWith == "" && m.StemWithout == "" {
		return true
	}
	if a.dict == nil {
		return false
	}
	if m.StemWith != "" {
		if stem, has := a.dict.StemFlags(w, m.StemWith); !stem || !has {
			return false
		}
	}
	if m.StemWithout != "" {
		if stem, has := a.dict.StemFlags(w, m.StemWithout); !stem || has {
			return false
		}
	}
	return true
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func itoa(k int) string {
	if k < 10 {
		return string(rune('0' + k))
	}
	return itoa(k/10) + string(rune('0'+k%10))
}
