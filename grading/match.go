package grading

import (
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/spanish"
	"github.com/kljensen/snowball/swedish"
)

// stemmers are the Snowball stemmers kljensen/snowball provides for our
// languages. German, Italian, Portuguese, Dutch, Polish and Czech have none
// there; for them matching relies on folding plus the spelling tolerance and
// prefix rule in sameWord, which catch most inflected endings.
var stemmers = map[string]func(string, bool) string{
	"en": english.Stem,
	"fr": french.Stem,
	"es": spanish.Stem,
	"sv": swedish.Stem,
}

// stem returns the comparison form of a folded word.
func stem(lang, folded string) string {
	if f, ok := stemmers[lang]; ok {
		return f(folded, true)
	}
	return folded
}

// tolerance is the edit distance a word of n letters may be off and still
// match: none up to 4 letters ("not" must not match "now"), one up to 8, two
// beyond.
func tolerance(n int) int {
	switch {
	case n <= 4:
		return 0
	case n <= 8:
		return 1
	default:
		return 2
	}
}

// sameWord reports whether an answer word matches a key-point word: equal
// stems, a misspelling within tolerance, or, for languages without a
// stemmer, the same word with a different inflectional ending: a shared
// prefix of at least 5 letters covering all but 3 letters of the longer
// word, or of at least 6 letters covering half of it ("rimborseremo",
// "rimborsare").
func sameWord(lang string, a, b token) bool {
	if a.stem == b.stem {
		return true
	}
	la, lb := utf8.RuneCountInString(a.fold), utf8.RuneCountInString(b.fold)
	if _, ok := stemmers[lang]; !ok {
		p, l := commonPrefix(a.fold, b.fold), max(la, lb)
		if (p >= 5 && p >= l-3) || (p >= 6 && 2*p >= l) {
			return true
		}
	}
	tol := tolerance(min(la, lb))
	if tol == 0 || abs(la-lb) > tol {
		return false
	}
	return editDistance(a.fold, b.fold, tol) <= tol
}

// token is a word prepared for matching.
type token struct {
	fold, stem string
	prefix     string // prefixKey(fold), for topic lookups
}

func tokens(lang, phrase string) []token {
	var out []token
	t := analyse(phrase, lang)
	for _, w := range t.Words {
		out = append(out, token{fold: w.Fold, stem: stem(lang, w.Fold)})
	}
	return out
}

func commonPrefix(a, b string) int {
	n := 0
	for a != "" && b != "" {
		ra, sa := utf8.DecodeRuneInString(a)
		rb, sb := utf8.DecodeRuneInString(b)
		if ra != rb {
			break
		}
		n++
		a, b = a[sa:], b[sb:]
	}
	return n
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// editDistance is the optimal-string-alignment distance over runes
// (Levenshtein plus transposition of neighbours, the commonest typo:
// "recieve"), giving up (returning limit+1) once a whole row exceeds limit.
func editDistance(a, b string, limit int) int {
	// Words are short: keep the runes and rows on the stack.
	var bufA, bufB [maxEditRunes]rune
	ra, rb := toRunes(a, bufA[:0]), toRunes(b, bufB[:0])
	if len(ra) >= maxEditRunes || len(rb) >= maxEditRunes {
		return limit + 1
	}
	var rows [3][maxEditRunes]int
	prev2, prev, cur := rows[0][:len(rb)+1], rows[1][:len(rb)+1], rows[2][:len(rb)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// maxEditRunes bounds the words editDistance compares; longer ones never
// match by spelling tolerance.
const maxEditRunes = 48

func toRunes(s string, buf []rune) []rune {
	for _, r := range s {
		buf = append(buf, r)
	}
	return buf
}

// isContent reports whether a folded word is long enough to carry topic
// meaning; short words are mostly function words in every language here.
func isContent(folded string) bool { return len([]rune(folded)) >= 4 }
