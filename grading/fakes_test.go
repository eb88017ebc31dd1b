package grading

import (
	"context"
	"strings"
	"sync"

	"github.com/langassess/langassess/rubrics"
)

// testPack is a frozen copy of the default pack (testdata/pack), so golden
// results do not move when the shipped pack is recalibrated.
var testPack = sync.OnceValues(func() (*rubrics.Pack, error) { return rubrics.Load("testdata/pack") })

// markerDetector is a LanguageDetector for tests: it scores languages by
// their most frequent function words, so no lingua models are loaded.
type markerDetector struct{}

var markers = map[string][]string{
	"en": {"the", "and", "is", "you", "we", "your", "to", "of", "will", "for", "i", "a", "it", "in", "are", "with", "my"},
	"de": {"der", "die", "das", "und", "ist", "sie", "wir", "ich", "nicht", "ihre", "den", "zu", "mit", "ein", "eine", "auf"},
	"fr": {"le", "la", "les", "et", "est", "vous", "nous", "je", "pas", "de", "une", "un", "sur", "votre"},
	"es": {"el", "los", "y", "es", "usted", "que", "su", "por", "una", "en", "con", "para"},
}

func (markerDetector) Confidences(text string) map[string]float64 {
	counts := map[string]float64{}
	var total float64
	for _, w := range strings.Fields(strings.ToLower(text)) {
		w = strings.Trim(w, ".,!?;:")
		for lang, list := range markers {
			for _, m := range list {
				if w == m {
					counts[lang]++
					total++
				}
			}
		}
	}
	for l := range counts {
		counts[l] /= total
	}
	return counts
}

// listProofreader reports the listed words as spelling errors and "a apple"
// style article errors as grammar, for deterministic tests.
type listProofreader struct {
	misspelled map[string]bool
	noDict     map[string]bool
	fail       error
}

func (p listProofreader) Check(_ context.Context, lang, text string) (Proof, error) {
	if p.fail != nil {
		return Proof{}, p.fail
	}
	if p.noDict[lang] {
		return Proof{GrammarChecked: true, Unchecked: "no dictionary for " + lang}, nil
	}
	pr := Proof{SpellingChecked: true, GrammarChecked: true}
	tx := analyse(text, lang)
	for i, w := range tx.Words {
		pr.Words++
		if p.misspelled[w.Fold] {
			pr.Errors = append(pr.Errors, ProofError{Offset: w.Offset, Length: len(w.Text), Category: "spelling", Rule: "TEST", Message: "misspelled"})
		}
		if w.Fold == "a" && i+1 < len(tx.Words) && strings.ContainsAny(tx.Words[i+1].Fold[:1], "aeiou") {
			pr.Errors = append(pr.Errors, ProofError{Offset: w.Offset, Length: 1, Category: "grammar", Rule: "A_AN", Message: "use an"})
		}
	}
	return pr, nil
}

func testEngine(tb interface{ Fatal(...any) }, p Proofreader) *Engine {
	if p == nil {
		p = listProofreader{misspelled: map[string]bool{"recieve": true, "refnd": true, "tommorow": true}}
	}
	pack, err := testPack()
	if err != nil {
		tb.Fatal(err)
	}
	e, err := New(context.Background(), Config{Languages: []string{"en", "de", "fr", "es"}, Pack: pack, Detector: markerDetector{}, Proofreader: p})
	if err != nil {
		tb.Fatal(err)
	}
	return e
}
