package grading

import (
	"context"
	"os"
	"slices"
	"sync"
	"testing"
)

var realChecker = sync.OnceValues(func() (*checker, error) {
	return newChecker(context.Background(), Config{Languages: []string{"it", "de", "fr", "en"}})
})

// TestCheckerAdapter runs grading/grammar through the adapter: byte offsets
// that point at the flagged words, and the two kinds of unknown words the
// engine does not count (names inside a sentence, elided forms).
func TestCheckerAdapter(t *testing.T) {
	if _, err := os.Stat("/usr/share/hunspell/it_IT.dic"); err != nil {
		t.Skip("Hunspell dictionaries not installed")
	}
	c, err := realChecker()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, text string
		flagged    []string // spelling errors, as written
	}{
		{"it", "Sono andato all'inizio dell'anno. Perchè quest'anno è così bello?", []string{"Perchè"}},
		{"it", "Ho parlato con il signor Bruzzi ieri.", nil},                              // a name inside a sentence
		{"de", "Ich habe Herrn Bruzzi gestern gesehen, er ist nett.", []string{"Bruzzi"}}, // German capitalises nouns: no name rule
		{"fr", "L'homme qu'il a vu aujourd'hui était très grnad.", []string{"grnad"}},
		{"en", "The café is near, and we recieve nothing.", []string{"recieve"}}, // offsets after a multibyte letter
		{"en", "We will send it tomorow", []string{"tomorow"}},                   // an error that ends the text
	}
	for _, tt := range tests {
		p, err := c.Check(context.Background(), tt.lang, tt.text)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range p.Errors {
			if e.Category == "spelling" {
				got = append(got, tt.text[e.Offset:e.Offset+e.Length])
			}
		}
		if !slices.Equal(got, tt.flagged) {
			t.Errorf("%s %q: spelling errors %q, want %q", tt.lang, tt.text, got, tt.flagged)
		}
		if !p.SpellingChecked {
			t.Errorf("%s: spelling not checked", tt.lang)
		}
	}
}

func TestRuneOffsets(t *testing.T) {
	if got := runeOffsets("aé€b"); !slices.Equal(got, []int{0, 1, 3, 6, 7}) {
		t.Errorf("runeOffsets = %v", got)
	}
}
