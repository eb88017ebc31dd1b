package grading

import (
	"fmt"
	"math"
	"strings"
)

// ItemSpec is what grading needs from a rubric item in one language. It is
// built from the rubric pack (see rubric.go); tests build it directly.
type ItemSpec struct {
	ID            string
	Prompt        string     // shown to the candidate; copying it earns nothing
	Topic         string     // more on-topic text (a reading passage); quoting it is allowed
	KeyPoints     []KeyPoint // what a complete answer says
	Forbidden     []KeyPoint // statements that cost points (wrong promises, wrong facts)
	ExpectedWords int        // length earns credit up to here
	MinWords      int        // below this the answer is flagged too_short
}

// KeyPoint is one thing the answer should (or, when forbidden, must not)
// say, with alternative phrasings in the answer's language.
type KeyPoint struct {
	ID           string
	Weight       float64 // relative; 0 means 1
	Alternatives []string
}

// KeyPointMatch is the evidence for one key point or forbidden statement.
type KeyPointMatch struct {
	ID          string   `json:"id"`
	Matched     bool     `json:"matched"`
	Weight      float64  `json:"weight"`
	Alternative string   `json:"alternative,omitempty"` // which phrasing matched
	Words       []string `json:"words,omitempty"`       // answer words that matched it
	Offsets     []int    `json:"offsets,omitempty"`     // their byte offsets
	Negated     bool     `json:"negated,omitempty"`     // found only in a negated sentence
}

// negations per language (folded): a key point found only in a sentence
// that negates it while the phrasing does not ("we will not refund" against
// "we will refund") does not count, for key points and forbidden statements
// alike.
var negations = map[string][]string{
	"en": {"not", "no", "never", "don't", "doesn't", "won't", "can't", "cannot", "isn't", "didn't", "n't"},
	"de": {"nicht", "kein", "keine", "keinen", "keinem", "keiner", "nie", "niemals"},
	"fr": {"ne", "pas", "jamais", "n'", "aucun", "aucune"},
	"es": {"no", "nunca", "jamas", "ningun", "ninguna"},
	"it": {"non", "mai", "nessun", "nessuno", "nessuna"},
	"pt": {"nao", "nunca", "nenhum", "nenhuma"},
	"nl": {"niet", "geen", "nooit"},
	"pl": {"nie", "nigdy", "zaden", "zadna"},
	"cs": {"ne", "nikdy", "zadny", "zadna"},
}

// compiledItem is an ItemSpec prepared for matching, built once per item and
// language and cached by the engine.
type compiledItem struct {
	spec      ItemSpec
	lang      string
	keys      []compiledPoint
	forbidden []compiledPoint
	topic     map[string]bool // stems and 5-letter prefixes of content words
	neg       map[string]bool // the language's negation words
	prompt    map[uint64]bool // word 3-shingles of the prompt
}

type compiledPoint struct {
	point KeyPoint
	alts  [][]token
}

func compileItem(spec ItemSpec, lang string) *compiledItem {
	ci := &compiledItem{spec: spec, lang: lang, topic: map[string]bool{}, neg: negationSet(lang)}
	comp := func(ps []KeyPoint) []compiledPoint {
		var out []compiledPoint
		for _, p := range ps {
			if p.Weight <= 0 {
				p.Weight = 1
			}
			cp := compiledPoint{point: p}
			for _, a := range p.Alternatives {
				toks := tokens(lang, a)
				if len(toks) == 0 {
					continue
				}
				cp.alts = append(cp.alts, toks)
				for _, tk := range toks {
					ci.addTopic(tk)
				}
			}
			out = append(out, cp)
		}
		return out
	}
	ci.keys = comp(spec.KeyPoints)
	ci.forbidden = comp(spec.Forbidden)
	pt := analyse(spec.Prompt, lang)
	for _, w := range pt.Words {
		ci.addTopic(token{fold: w.Fold, stem: stem(lang, w.Fold)})
	}
	ci.prompt = shingleSet(foldsOf(pt.Words))
	for _, w := range analyse(spec.Topic, lang).Words {
		ci.addTopic(token{fold: w.Fold, stem: stem(lang, w.Fold)})
	}
	return ci
}

// prefixKey is the topic-map key of a word's first five letters ("" for a
// shorter word); the NUL keeps it apart from stems.
func prefixKey(folded string) string {
	n := 0
	for i := range folded {
		if n == 5 {
			return "\x00" + folded[:i]
		}
		n++
	}
	if n == 5 {
		return "\x00" + folded
	}
	return ""
}

func (ci *compiledItem) addTopic(tk token) {
	if !isContent(tk.fold) {
		return
	}
	ci.topic[tk.stem] = true
	if p := prefixKey(tk.fold); p != "" {
		ci.topic[p] = true
	}
}

func (ci *compiledItem) onTopic(w word, tk token) bool {
	if !isContent(w.Fold) {
		return false
	}
	return ci.topic[tk.stem] || (tk.prefix != "" && ci.topic[tk.prefix])
}

// hasTopic reports whether the item gives any topic vocabulary to judge
// sentences by.
func (ci *compiledItem) hasTopic() bool { return len(ci.topic) > 0 }

// offTopicMinWords: sentences shorter than this (greetings, sign-offs) are
// never called off topic.
const offTopicMinWords = 5

// offTopicTwoWords: from this many words a sentence needs two different
// topic words to count as on topic.
const offTopicTwoWords = 10

// copiedMinShare: a sentence most of whose word 3-shingles occur in the
// prompt is copied from it.
const copiedMinShare = 0.6

// markSentences labels each sentence copied from the prompt or off the
// item's topic; such sentences then earn nothing (see text.scored).
func (ci *compiledItem) markSentences(t *text) {
	toks := t.tokens(ci.lang)
	for i := range t.Sentences {
		s := &t.Sentences[i]
		ws := t.Words[s.First : s.First+s.NWords]
		if len(ci.prompt) > 0 && s.NWords >= 3 {
			sh := shingles(foldsOf(ws))
			in := 0
			for _, h := range sh {
				if ci.prompt[h] {
					in++
				}
			}
			if len(sh) > 0 && float64(in)/float64(len(sh)) >= copiedMinShare {
				s.Copied = true
			}
		}
		if ci.hasTopic() && s.NWords >= offTopicMinWords {
			// One shared word can be chance ("team", "holidays"); a long
			// sentence needs two different ones.
			need := 1
			if s.NWords >= offTopicTwoWords {
				need = 2
			}
			hits := map[string]bool{}
			for i, w := range ws {
				if ci.onTopic(w, toks[s.First+i]) {
					hits[w.Fold] = true
				}
			}
			s.Topic = len(hits) >= need
		}
	}
}

// comprehension scores key-point coverage: the weighted share of key points
// found in the counted sentences, minus each forbidden statement's weight
// share, on 0-100. It returns nil when the item has no key points.
func (ci *compiledItem) comprehension(t *text) (*float64, []KeyPointMatch, []KeyPointMatch) {
	if len(ci.keys) == 0 {
		return nil, nil, ci.matchAll(t, ci.forbidden)
	}
	keys := ci.matchAll(t, ci.keys)
	forb := ci.matchAll(t, ci.forbidden)
	var got, total float64
	for _, m := range keys {
		total += m.Weight
		if m.Matched {
			got += m.Weight
		}
	}
	for _, m := range forb {
		if m.Matched {
			got -= m.Weight
		}
	}
	s := math.Max(0, 100*got/total)
	s = math.Round(s*10) / 10
	return &s, keys, forb
}

func (ci *compiledItem) matchAll(t *text, points []compiledPoint) []KeyPointMatch {
	out := make([]KeyPointMatch, 0, len(points))
	for _, p := range points {
		out = append(out, ci.match(t, p))
	}
	return out
}

// match looks for any alternative of a key point inside one counted
// sentence: every word of the phrasing must match a word of that sentence
// (any order, each answer word used once).
func (ci *compiledItem) match(t *text, p compiledPoint) KeyPointMatch {
	m := KeyPointMatch{ID: p.point.ID, Weight: p.point.Weight}
	neg := ci.neg
	toks := t.tokens(ci.lang)
	for _, s := range t.Sentences {
		if s.Repeat || s.Copied {
			continue
		}
		ws := t.Words[s.First : s.First+s.NWords]
		sentToks := toks[s.First : s.First+s.NWords]
		for ai, alt := range p.alts {
			used := make([]bool, len(ws))
			var idx []int
			for _, at := range alt {
				found := -1
				for i, st := range sentToks {
					if !used[i] && sameWord(ci.lang, st, at) {
						found = i
						break
					}
				}
				if found < 0 {
					idx = nil
					break
				}
				used[found] = true
				idx = append(idx, found)
			}
			if idx == nil {
				continue
			}
			if negatedOnly(neg, ws, alt) {
				m.Negated = true
				continue
			}
			m.Matched, m.Negated = true, false
			m.Alternative = p.point.Alternatives[altIndex(p, ai)]
			for _, i := range idx {
				m.Words = append(m.Words, ws[i].Text)
				m.Offsets = append(m.Offsets, ws[i].Offset)
			}
			return m
		}
	}
	return m
}

// altIndex maps a compiled alternative back to its source phrasing (empty
// phrasings were skipped when compiling).
func altIndex(p compiledPoint, compiled int) int {
	n := -1
	for i, a := range p.point.Alternatives {
		if strings.TrimSpace(a) != "" && isWordy(a) {
			n++
		}
		if n == compiled {
			return i
		}
	}
	return 0
}

func isWordy(s string) bool {
	for _, w := range strings.Fields(s) {
		if isWord(w) {
			return true
		}
	}
	return false
}

func negationSet(lang string) map[string]bool {
	out := map[string]bool{}
	for _, n := range negations[lang] {
		out[n] = true
	}
	return out
}

// negatedOnly: the sentence has a negation word the phrasing lacks.
func negatedOnly(neg map[string]bool, ws []word, alt []token) bool {
	inAlt := map[string]bool{}
	for _, a := range alt {
		inAlt[a.fold] = true
	}
	for _, w := range ws {
		if neg[w.Fold] && !inAlt[w.Fold] {
			return true
		}
	}
	return false
}

func foldsOf(ws []word) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Fold
	}
	return out
}

func (m KeyPointMatch) String() string { return fmt.Sprintf("%s:%v", m.ID, m.Matched) }
