package grammar

import (
	"context"
	"testing"
	"unicode/utf8"
)

// FuzzCheck feeds arbitrary text (answers are untrusted) to Check: it must
// not panic, and every error must lie inside the text.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"I have a apple. he have a cat!",
		"Hello 😀 i went to london… the the end",
		"z.B. 3.5. E-Mail don't \"quoted\" (paren) – dash\n\nnew line",
		"\xff\xfe invalid utf-8 a a",
		"",
	} {
		f.Add(s)
	}
	c := newTestChecker(f, Config{Languages: []string{"en"}, SpellingSuggestions: 2})
	f.Fuzz(func(t *testing.T, text string) {
		r, err := c.Check(context.Background(), "en", text)
		if err != nil {
			t.Fatal(err)
		}
		n := utf8.RuneCountInString(text)
		for _, e := range r.Errors {
			if e.Offset < 0 || e.Length < 0 || e.Offset+e.Length > n {
				t.Fatalf("error %+v outside the text of %d runes", e, n)
			}
		}
		if r.Words < 0 || (r.Words == 0 && len(r.Errors) > 0 && r.PerHundredWords[Spelling] != 0) {
			t.Fatalf("words %d with errors %v", r.Words, r.Errors)
		}
	})
}
