package hunspell

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a word found in a text: byte offsets into the text.
type Span struct {
	Start, End int
}

// isWordChar follows Hunspell's text parser: letters and the dictionary's
// WORDCHARS.
func (d *Dictionary) isWordChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || (d.aff.wordChars != "" && strings.ContainsRune(d.aff.wordChars, r))
}

// Words splits text into the words the hunspell command would check: runs
// of letters and WORDCHARS, with an apostrophe inside a word only when the
// dictionary lists it in WORDCHARS.
func (d *Dictionary) Words(text string) []Span {
	var out []Span
	start := -1
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		// A colon is part of a word only between word characters
		// (Swedish "ex:a", "EU:s"), as in Hunspell's text parser.
		if r == ':' && d.isWordChar(r) {
			nr, _ := utf8.DecodeRuneInString(text[i+n:])
			if start < 0 || i+n >= len(text) || !d.isWordChar(nr) || nr == ':' {
				if start >= 0 {
					out = append(out, Span{start, i})
					start = -1
				}
				i += n
				continue
			}
		}
		if d.isWordChar(r) {
			if start < 0 {
				start = i
			}
			i += n
			continue
		}
		if start >= 0 && d.apostrophe && (r == '\'' || r == '’') {
			nr, _ := utf8.DecodeRuneInString(text[i+n:])
			if i+n < len(text) && d.isWordChar(nr) {
				i += n
				continue
			}
		}
		if start >= 0 {
			out = append(out, Span{start, i})
			start = -1
		}
		i += n
	}
	if start >= 0 {
		out = append(out, Span{start, len(text)})
	}
	return out
}
