package grading

import (
	"slices"
	"testing"
)

func TestKeyPoints(t *testing.T) {
	spec := ItemSpec{
		Prompt: "Write a reply to the customer about the double charge.",
		KeyPoints: []KeyPoint{
			{ID: "refund", Weight: 2, Alternatives: []string{"we will refund", "money back"}},
			{ID: "apology", Weight: 1, Alternatives: []string{"sorry", "apologise"}},
			{ID: "days", Weight: 1, Alternatives: []string{"five working days"}},
		},
		Forbidden: []KeyPoint{{ID: "return", Weight: 1, Alternatives: []string{"send the shoes back"}}},
	}
	tests := []struct {
		name      string
		lang      string
		spec      ItemSpec
		text      string
		score     float64
		matched   []string
		forbidden bool
	}{
		{"all points, stemmed", "en", spec, "We are sorry. We will refund you; the money comes back within five working days.", 100, []string{"refund", "apology", "days"}, false},
		{"misspelled and inflected", "en", spec, "We apologised. We will refunded it in five workng days.", 100, []string{"refund", "apology", "days"}, false},
		{"negated does not count", "en", spec, "We will not refund anything. Sorry.", 25, []string{"apology"}, false},
		{"forbidden costs", "en", spec, "Sorry, we will refund you after you send the shoes back.", 50, []string{"refund", "apology"}, true},
		{"nothing", "en", spec, "Hello there, how are you?", 0, nil, false},
		{"german folding and prefixes", "de", ItemSpec{KeyPoints: []KeyPoint{
			{ID: "erstattung", Alternatives: []string{"zurückerstatten"}},
			{ID: "entschuldigung", Alternatives: []string{"Entschuldigung"}},
		}}, "Wir ZURUECKERSTATTEN... nein: wir werden das Geld zuruckerstatten. Entschuldigungen!", 100, []string{"erstattung", "entschuldigung"}, false},
		{"short words need exact match", "en", ItemSpec{KeyPoints: []KeyPoint{{ID: "now", Alternatives: []string{"now"}}}}, "It is not possible.", 0, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ci := compileItem(tt.spec, tt.lang)
			tx := analyse(tt.text, tt.lang)
			ci.markSentences(tx)
			score, keys, forb := ci.comprehension(tx)
			if score == nil || *score != tt.score {
				t.Fatalf("score %v, want %v (keys %+v)", score, tt.score, keys)
			}
			var got []string
			for _, k := range keys {
				if k.Matched {
					got = append(got, k.ID)
					if len(k.Words) == 0 || len(k.Words) != len(k.Offsets) || k.Alternative == "" {
						t.Errorf("key point %s matched without evidence: %+v", k.ID, k)
					}
					for i, w := range k.Words {
						if tt.text[k.Offsets[i]:k.Offsets[i]+len(w)] != w {
							t.Errorf("offset %d does not point at %q", k.Offsets[i], w)
						}
					}
				}
			}
			if !slices.Equal(got, tt.matched) {
				t.Errorf("matched %v, want %v", got, tt.matched)
			}
			if f := len(forb) > 0 && forb[0].Matched; f != tt.forbidden {
				t.Errorf("forbidden matched %v, want %v", f, tt.forbidden)
			}
		})
	}
}

func TestSameWord(t *testing.T) {
	tests := []struct {
		lang, a, b string
		want       bool
	}{
		{"en", "refunds", "refund", true},  // stemmer
		{"en", "recieve", "receive", true}, // one edit in 7 letters
		{"en", "now", "not", false},        // short: exact only
		{"de", "erstattung", "erstatten", true},
		{"it", "rimborseremo", "rimborsare", true}, // shared prefix, no stemmer
		{"pl", "zwrot", "zwrócimy", false},
		{"en", "payment", "pavement", false},
	}
	for _, tt := range tests {
		a := token{fold: fold(tt.a), stem: stem(tt.lang, fold(tt.a))}
		b := token{fold: fold(tt.b), stem: stem(tt.lang, fold(tt.b))}
		if got := sameWord(tt.lang, a, b); got != tt.want {
			t.Errorf("sameWord(%s, %q, %q) = %v, want %v", tt.lang, tt.a, tt.b, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		lim  int
		want int
	}{{"kitten", "sitting", 5, 3}, {"abc", "abc", 1, 0}, {"abcdef", "uvwxyz", 2, 3}, {"żółw", "zolw", 5, 3}, {"recieve", "receive", 2, 1}} {
		if got := editDistance(tt.a, tt.b, tt.lim); got != tt.want {
			t.Errorf("editDistance(%q,%q,%d) = %d, want %d", tt.a, tt.b, tt.lim, got, tt.want)
		}
	}
}
