package hunspell

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxSuggestions is how many suggestions Suggest returns at most.
const MaxSuggestions = 5

// ed2Budget bounds the second edit round, and checkBudget all candidate
// checks of one Suggest: each costs a spell check (affixes, compounds; up to
// 50 µs for a long German compound), and a grader needs a few good
// suggestions, not all of them.
const (
	ed2Budget   = 1000
	checkBudget = 2500
)

// Suggest returns up to MaxSuggestions corrections for a misspelled word,
// best first, in Hunspell's order: capitalisation, the REP table of typical
// errors, swapped neighbours, a deleted, inserted or replaced character
// (TRY characters), two words; first without compounds, then with them;
// then edits at distance 2 within a fixed budget. Candidates are checked
// without BREAK splitting, so "Wohn-g" is never offered. A correctly spelled
// word gets none.
func (d *Dictionary) Suggest(word string) []string {
	if word == "" || d.Spell(word) {
		return nil
	}
	word = convert(word, d.aff.iconvT)
	s := &sugg{d: d, seen: map[string]bool{word: true}, budget: checkBudget}
	s.cased(word)
	s.accents(word)
	s.apostrophe(word)
	s.rep(word)
	s.edits1(word, s.try)
	if len(s.out) == 0 && (d.aff.compoundBegin != 0 || d.aff.compoundFlag != 0) {
		s.cpd = true
		s.seen = map[string]bool{word: true}
		s.rep(word)
		s.edits1(word, s.try)
	}
	if len(s.out) == 0 && s.budget > 0 {
		budget := ed2Budget
		var first []string
		s.edits1(word, func(c string) bool { first = append(first, c); return false })
		for _, c := range first {
			if budget <= 0 || len(s.out) >= MaxSuggestions {
				break
			}
			s.edits1Cheap(c, func(c2 string) bool {
				budget--
				return s.try(c2) || budget <= 0
			})
		}
	}
	for i, o := range s.out {
		s.out[i] = convert(o, d.aff.oconvT)
	}
	return s.out
}

type sugg struct {
	d      *Dictionary
	budget int  // candidate checks left
	cpd    bool // compounds allowed in this round
	seen   map[string]bool
	out    []string
}

// ok checks a candidate like Spell but without BREAK and, in the first
// round, without compounds.
func (s *sugg) ok(c string) bool {
	if c == "" || isNumber(c) {
		return false
	}
	good, _ := s.d.spellCased(c, false, s.cpd)
	return good && !s.noSuggest(c)
}

// try adds c when it is spelled correctly; it reports whether the list is
// full.
func (s *sugg) try(c string) bool {
	if len(s.out) >= MaxSuggestions || s.budget <= 0 {
		return true
	}
	if s.seen[c] {
		return false
	}
	s.seen[c] = true
	s.budget--
	var good bool
	if i := strings.IndexByte(c, ' '); i > 0 {
		good = s.ok(c[:i]) && s.ok(c[i+1:])
	} else {
		good = s.ok(c)
	}
	if good {
		s.out = append(s.out, c)
	}
	return len(s.out) >= MaxSuggestions
}

// noSuggest reports stems marked NOSUGGEST (vulgar or rare words).
func (s *sugg) noSuggest(c string) bool {
	ns := s.d.aff.noSuggest
	if ns == 0 {
		return false
	}
	for _, fs := range s.d.lookup(c) {
		if fs.has(ns) {
			return true
		}
	}
	return false
}

func (s *sugg) cased(w string) {
	switch capType(w) {
	case capNone:
		s.try(initCap(w))
	case capAll, capHuh, capHuhInit:
		l := strings.ToLower(w)
		s.try(l)
		s.try(initCap(l))
	case capInit:
		s.try(strings.ToLower(w))
	}
}

// maxAccentCandidates bounds the two-position accent round.
const maxAccentCandidates = 400

// accents tries the word with accented letters from the TRY list in place
// of plain ones (or the other way round), at one or two positions: learners
// drop and misplace accents more than any other error ("perche" ->
// "perché", "deja" -> "déjà", "juz" -> "już").
func (s *sugg) accents(w string) {
	rs := []rune(w)
	try := s.tryRunes()
	alts := make([][]rune, len(rs))
	var pos []int
	for i, r := range rs {
		b := baseLetter(r)
		for _, t := range try {
			if t != r && baseLetter(t) == b && unicode.IsUpper(t) == unicode.IsUpper(r) {
				alts[i] = append(alts[i], t)
			}
		}
		if len(alts[i]) > 0 {
			pos = append(pos, i)
		}
	}
	c := append([]rune(nil), rs...)
	for _, i := range pos {
		for _, a := range alts[i] {
			c[i] = a
			if s.try(string(c)) {
				return
			}
		}
		c[i] = rs[i]
	}
	n := 0
	for x, i := range pos {
		for _, j := range pos[x+1:] {
			for _, a := range alts[i] {
				for _, b := range alts[j] {
					if n++; n > maxAccentCandidates {
						return
					}
					c[i], c[j] = a, b
					if s.try(string(c)) {
						return
					}
				}
			}
			c[i], c[j] = rs[i], rs[j]
		}
	}
}

// apostrophe tries the word with an apostrophe inserted ("dont" ->
// "don't", "Im" -> "I'm"), a frequent omission that the TRY order would
// rank below plain letters.
func (s *sugg) apostrophe(w string) {
	if !strings.ContainsAny(s.d.aff.tryChars+s.d.aff.wordChars, "'’") {
		return
	}
	for i := 1; i < len(w); i++ {
		if !utf8.RuneStart(w[i]) {
			continue
		}
		if s.try(w[:i] + "'" + w[i:]) {
			return
		}
	}
}

// baseLetter is r without diacritics, lower-cased ("é" -> 'e', "ż" ->
// 'z'); letters that do not decompose (ł, ø) are their own base.
func baseLetter(r rune) rune {
	d := norm.NFD.String(string(r))
	b, _ := utf8.DecodeRuneInString(d)
	return unicode.ToLower(b)
}

func (s *sugg) rep(w string) {
	for _, p := range s.d.aff.rep {
		from, to := p[0], p[1]
		anchorStart, anchorEnd := strings.HasPrefix(from, "^"), strings.HasSuffix(from, "$")
		from = strings.TrimSuffix(strings.TrimPrefix(from, "^"), "$")
		if from == "" {
			continue
		}
		for i := 0; i < len(w); {
			j := strings.Index(w[i:], from)
			if j < 0 {
				break
			}
			j += i
			if (!anchorStart || j == 0) && (!anchorEnd || j+len(from) == len(w)) {
				if s.try(w[:j] + to + w[j+len(from):]) {
					return
				}
			}
			i = j + 1
		}
	}
}

// tryRunes are the TRY characters that may appear inside a suggestion:
// not the hyphen or dot, which only produce BREAK-style non-words.
func (s *sugg) tryRunes() []rune {
	var out []rune
	for _, r := range s.d.aff.tryChars {
		if r != '-' && r != '.' && r != ' ' {
			out = append(out, r)
		}
	}
	return out
}

// edits1 generates distance-1 candidates in Hunspell's order; fn returns
// true to stop.
func (s *sugg) edits1(w string, fn func(string) bool) {
	rs := []rune(w)
	if charEdits(rs, s.tryRunes(), false, fn) {
		return
	}
	for i := 1; i < len(rs); i++ {
		if fn(string(rs[:i]) + " " + string(rs[i:])) {
			return
		}
	}
}

// edits1Cheap is the second round: swaps, deletions, and insertions and
// replacements with the ten most frequent TRY characters.
func (s *sugg) edits1Cheap(w string, fn func(string) bool) {
	if strings.IndexByte(w, ' ') >= 0 || utf8.RuneCountInString(w) < 2 {
		return
	}
	try := s.tryRunes()
	if len(try) > 10 {
		try = try[:10]
	}
	// the second round has always offered the no-op swap of two equal
	// neighbours (it costs one ed2Budget unit); kept so suggestions do not
	// change under a refactor
	charEdits([]rune(w), try, true, fn)
}

// charEdits calls fn with every swap of neighbours (of equal ones too when
// sameSwaps), deletion, insertion of a try rune and replacement by one, in
// that order; it reports whether fn asked to stop.
func charEdits(rs, try []rune, sameSwaps bool, fn func(string) bool) bool {
	for i := 0; i+1 < len(rs); i++ {
		if rs[i] == rs[i+1] && !sameSwaps {
			continue
		}
		c := append([]rune(nil), rs...)
		c[i], c[i+1] = c[i+1], c[i]
		if fn(string(c)) {
			return true
		}
	}
	for i := range rs {
		if fn(string(rs[:i]) + string(rs[i+1:])) {
			return true
		}
	}
	for i := 0; i <= len(rs); i++ {
		for _, t := range try {
			if fn(string(rs[:i]) + string(t) + string(rs[i:])) {
				return true
			}
		}
	}
	for i := range rs {
		for _, t := range try {
			if t == rs[i] {
				continue
			}
			c := append([]rune(nil), rs...)
			c[i] = t
			if fn(string(c)) {
				return true
			}
		}
	}
	return false
}
