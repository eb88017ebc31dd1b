package grading

import (
	"math"
	"strings"
	"testing"
)

func TestAnalyseSegments(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		words     int
		sentences int
	}{
		{"english", "Hello there. We will refund you! OK?", 7, 3},
		{"letter lines", "Sehr geehrte Damen und Herren,\nich schreibe Ihnen.\nMit freundlichen Grüßen\nAnna", 12, 4},
		{"numbers and hyphens", "Order 48213-K cost €89.90.", 5, 1},
		// UAX #29 gives one token per ideograph where no spaces separate words.
		{"chinese", "我们会退款。谢谢", 7, 2},
		{"empty", "  \n ", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tx := analyse(tt.in, "en")
			if len(tx.Words) != tt.words || len(tx.Sentences) != tt.sentences {
				var ws []string
				for _, w := range tx.Words {
					ws = append(ws, w.Text)
				}
				t.Errorf("words %d sentences %d, want %d %d (%q)", len(tx.Words), len(tx.Sentences), tt.words, tt.sentences, ws)
			}
		})
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{"Straße": "strasse", "Crème BRÛLÉE": "creme brulee", "Złoty": "zloty", "plain": "plain", "Ærø": "aero"} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRepeatsDoNotCount(t *testing.T) {
	base := "We are sorry. The refund will arrive soon."
	padded := base + " The refund will arrive soon. The REFUND will arrive soon!"
	a, b := analyse(base, "en").stats(), analyse(padded, "en").stats()
	if a.Words != b.Words || b.RepeatedSentences != 2 {
		t.Errorf("padded stats %+v vs base %+v: repeats must not count", b, a)
	}
}

func TestMTLD(t *testing.T) {
	// All distinct: no factor closes, MTLD is the length.
	if got := mtld(strings.Fields("a b c d e")); got != 5 {
		t.Errorf("distinct MTLD = %v", got)
	}
	// "a a": TTR after 2 words is 0.5 <= 0.72, one factor per 2 words.
	if got := mtld(strings.Fields("a a a a a a")); got != 2 {
		t.Errorf("repetitive MTLD = %v, want 2", got)
	}
	rich := mtld(strings.Fields("the quick brown fox jumps over the lazy dog while a small cat sleeps near the warm fire"))
	poor := mtld(strings.Fields("the dog is big the dog is big the dog is big the dog is big the dog"))
	if !(rich > poor) {
		t.Errorf("MTLD rich %v should exceed poor %v", rich, poor)
	}
}

func TestConnectives(t *testing.T) {
	tests := []struct {
		lang, text      string
		total, distinct int
	}{
		{"en", "First we check, and then, on the other hand, we refund because it is fair.", 5, 5},
		{"de", "Ich komme, weil ich Zeit habe, aber nicht lange. Außerdem, ausserdem.", 4, 3},
		{"xx", "and but because", 0, 0},
	}
	for _, tt := range tests {
		tx := analyse(tt.text, tt.lang)
		total, distinct := countConnectives(tt.lang, foldsOf(tx.Words))
		if total != tt.total || distinct != tt.distinct {
			t.Errorf("%s %q: %d/%d, want %d/%d", tt.lang, tt.text, total, distinct, tt.total, tt.distinct)
		}
	}
}

func TestSentenceStats(t *testing.T) {
	st := analyse("One two three. One two three four five.", "en").stats()
	if st.Sentences != 2 || st.MeanSentenceWords != 4 || math.Abs(st.SDSentenceWords-math.Sqrt2) > 1e-9 {
		t.Errorf("stats %+v", st)
	}
}
