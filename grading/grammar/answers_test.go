package grammar

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/langassess/langassess/grading/hunspell"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/answers")

// answerLangs are the sample answers in testdata/answers (a support
// e-mail of about 150 words with a few learner errors each).
var answerLangs = []string{"cs", "de", "en", "es", "fr", "it", "nl", "pl", "pt"}

// systemChecker builds a checker on the Debian dictionaries, or skips.
func systemChecker(tb testing.TB, langs ...string) *Checker {
	tb.Helper()
	for _, l := range langs {
		if _, _, err := hunspell.Files(hunspell.DefaultDir, l); errors.Is(err, hunspell.ErrNoDictionary) {
			tb.Skipf("no system dictionary for %s in %s", l, hunspell.DefaultDir)
		}
	}
	c, err := New(context.Background(), Config{Languages: langs, HunspellDir: hunspell.DefaultDir, SpellingSuggestions: 5})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// TestAnswersGolden checks the sample answers against golden files listing
// each error found: rule, category, the flagged text and suggestions.
// Regenerate with go test -run TestAnswersGolden -update.
func TestAnswersGolden(t *testing.T) {
	c := systemChecker(t, answerLangs...)
	for _, lang := range answerLangs {
		text, err := os.ReadFile(filepath.Join("testdata", "answers", lang+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		r, err := c.Check(context.Background(), lang, string(text))
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "words %d, spelling checked %v, grammar checked %v\n", r.Words, r.SpellingChecked, r.GrammarChecked)
		rs := []rune(string(text))
		for _, e := range r.Errors {
			fmt.Fprintf(&b, "%d\t%s\t%s\t%q\t%q\n", e.Offset, e.Category, e.Rule, string(rs[e.Offset:e.Offset+e.Length]), e.Suggestions)
		}
		golden := filepath.Join("testdata", "answers", lang+".golden")
		if *update {
			if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if b.String() != string(want) {
			t.Errorf("%s: got\n%s\nwant\n%s", lang, b.String(), want)
		}
	}
}

// BenchmarkCheck measures Check (default configuration: no spelling
// suggestions) on a 150-word answer per language with the system
// dictionaries, against tokenizing the same text (baseline).
func BenchmarkCheck(b *testing.B) {
	systemChecker(b, answerLangs...)
	c, err := New(context.Background(), Config{Languages: answerLangs})
	if err != nil {
		b.Fatal(err)
	}
	for _, lang := range answerLangs {
		text, err := os.ReadFile(filepath.Join("testdata", "answers", lang+".txt"))
		if err != nil {
			b.Fatal(err)
		}
		b.Run("tokenize/"+lang, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				tokenize(string(text))
			}
		})
		b.Run("check/"+lang, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if _, err := c.Check(context.Background(), lang, string(text)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCheckSuggestions is Check with suggestions for up to five
// spelling errors: the cost a caller pays for SpellingSuggestions.
func BenchmarkCheckSuggestions(b *testing.B) {
	c := systemChecker(b, answerLangs...)
	for _, lang := range answerLangs {
		text, err := os.ReadFile(filepath.Join("testdata", "answers", lang+".txt"))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(lang, func(b *testing.B) {
			for b.Loop() {
				c.Check(context.Background(), lang, string(text))
			}
		})
	}
}
