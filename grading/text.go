package grading

import (
	"math"
	"strings"
	"unicode"

	"github.com/langassess/langassess/agreement"
	"github.com/rivo/uniseg"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// word is one word token: its text as written, its folded form and its byte
// offset in the analysed text.
type word struct {
	Text   string
	Fold   string
	Offset int
	Sent   int // index of its sentence
}

// sentence is a span of the text.
type sentence struct {
	Offset, End   int    // byte range
	First, NWords int    // index of its first word, and how many
	Key           string // folded words joined, to spot repeats
	Repeat        bool   // the same sentence already occurred earlier
	Topic         bool   // shares vocabulary with the item (always true without one)
	Copied        bool   // mostly copied from the item's prompt
}

// TextStats are the surface measures of a text, reported as evidence.
type TextStats struct {
	Words               int     `json:"words"`
	UniqueWords         int     `json:"unique_words"`
	Sentences           int     `json:"sentences"`
	RepeatedSentences   int     `json:"repeated_sentences"`
	MTLD                float64 `json:"mtld"`
	MeanSentenceWords   float64 `json:"mean_sentence_words"`
	SDSentenceWords     float64 `json:"sd_sentence_words"`
	MeanWordLength      float64 `json:"mean_word_length"`
	LongWordShare       float64 `json:"long_word_share"`
	Connectives         int     `json:"connectives"`
	DistinctConnectives int     `json:"distinct_connectives"`
	// DistinctConnectivesCapped counts them within the first
	// genericExpectedWords counted words only, for the coherence score:
	// a longer text meets more different connectives by chance alone.
	DistinctConnectivesCapped int `json:"distinct_connectives_capped"`
}

// text is the analysed form of an answer every later stage reads.
type text struct {
	Raw       string
	Lang      string
	Words     []word
	Sentences []sentence
	toks      []token // matching forms of Words, made on first use
}

// tokens returns the words' folded and stemmed forms, stemming each word
// once however many key points are matched against it.
func (t *text) tokens(lang string) []token {
	if t.toks == nil {
		t.toks = make([]token, len(t.Words))
		for i, w := range t.Words {
			t.toks[i] = token{fold: w.Fold, stem: stem(lang, w.Fold), prefix: prefixKey(w.Fold)}
		}
	}
	return t.toks
}

// accentFold removes combining marks after canonical decomposition; the
// letters that do not decompose (ß, ł, ø, đ, æ, œ) are mapped explicitly so
// "Straße"/"strasse" and "złoty"/"zloty" compare equal.
var foldReplacer = strings.NewReplacer("ß", "ss", "ł", "l", "ø", "o", "đ", "d", "æ", "ae", "œ", "oe", "’", "'", "ı", "i")

// fold lowercases and strips accents: the comparison key for key points,
// connectives and repeats.
func fold(s string) string {
	s = strings.ToLower(s)
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	s = foldReplacer.Replace(s)
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return out
}

// isWord reports whether a word-boundary segment is a word (has a letter or
// digit) rather than spaces or punctuation.
func isWord(seg string) bool {
	for _, r := range seg {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// analyse segments the text into sentences and words with Unicode (UAX #29)
// rules, so scripts without spaces between words (Chinese, Japanese, Thai)
// still yield tokens: one per ideograph or run uniseg keeps together. A line
// break also ends a sentence, because letters and e-mails put the greeting
// and the signature on lines of their own without a full stop.
func analyse(raw, lang string) *text {
	t := &text{Raw: raw, Lang: lang}
	seen := map[string]bool{}
	off := 0
	rest := raw
	state := -1
	for len(rest) > 0 {
		var s string
		s, rest, state = uniseg.FirstSentenceInString(rest, state)
		// uniseg ends sentences at paragraph separators already; split the
		// remaining single line breaks too.
		lineOff := off
		for line := range strings.SplitAfterSeq(s, "\n") {
			t.addSentence(line, lineOff, seen)
			lineOff += len(line)
		}
		off += len(s)
	}
	return t
}

func (t *text) addSentence(s string, off int, seen map[string]bool) {
	first := len(t.Words)
	var keys []string
	rest, state, pos := s, -1, off
	for len(rest) > 0 {
		var w string
		w, rest, state = uniseg.FirstWordInString(rest, state)
		if isWord(w) {
			f := fold(w)
			t.Words = append(t.Words, word{Text: w, Fold: f, Offset: pos, Sent: len(t.Sentences)})
			keys = append(keys, f)
		}
		pos += len(w)
	}
	if len(keys) == 0 {
		return
	}
	key := strings.Join(keys, " ")
	t.Sentences = append(t.Sentences, sentence{
		Offset: off, End: off + len(s), First: first, NWords: len(keys),
		Key: key, Repeat: seen[key] || t.contained(keys), Topic: true,
	})
	seen[key] = true
}

// repeatMinWords and repeatContained: a sentence of at least 4 words whose
// words (90% of them) all occur in one earlier sentence restates it ("We
// will refund the payment." after "We checked it and we will refund the
// payment to your card.") and earns nothing, like an exact repeat.
const (
	repeatMinWords  = 4
	repeatContained = 0.9
)

func (t *text) contained(keys []string) bool {
	if len(keys) < repeatMinWords {
		return false
	}
	for _, prev := range t.Sentences {
		if prev.Repeat || prev.NWords < len(keys) {
			continue
		}
		set := make(map[string]bool, prev.NWords)
		for _, w := range t.Words[prev.First : prev.First+prev.NWords] {
			set[w.Fold] = true
		}
		in := 0
		for _, k := range keys {
			if set[k] {
				in++
			}
		}
		if float64(in) >= repeatContained*float64(len(keys)) {
			return true
		}
	}
	return false
}

// counted reports whether a sentence earns credit.
func (s sentence) counted() bool { return !s.Repeat && s.Topic && !s.Copied }

// scored returns the words that count for scoring: those of sentences that
// are neither repeats of an earlier sentence nor off the item's topic, so
// padding an answer adds nothing.
func (t *text) scored() []word {
	out := make([]word, 0, len(t.Words))
	for _, s := range t.Sentences {
		if !s.counted() {
			continue
		}
		out = append(out, t.Words[s.First:s.First+s.NWords]...)
	}
	return out
}

// stats computes the surface measures over the scored sentences.
func (t *text) stats() TextStats {
	words := t.scored()
	st := TextStats{Words: len(words)}
	var lens []float64
	for _, s := range t.Sentences {
		if s.Repeat {
			st.RepeatedSentences++
		}
		if !s.counted() {
			continue
		}
		lens = append(lens, float64(s.NWords))
	}
	st.Sentences = len(lens)
	st.MeanSentenceWords = agreement.Mean(lens)
	st.SDSentenceWords = math.Sqrt(agreement.Variance(lens))
	types := map[string]bool{}
	folds := make([]string, len(words))
	var letters, long int
	for i, w := range words {
		types[w.Fold] = true
		folds[i] = w.Fold
		n := letterCount(w.Fold)
		letters += n
		if n >= longWord {
			long++
		}
	}
	st.UniqueWords = len(types)
	st.MTLD = mtld(folds)
	if len(words) > 0 {
		st.MeanWordLength = float64(letters) / float64(len(words))
		st.LongWordShare = float64(long) / float64(len(words))
	}
	st.Connectives, st.DistinctConnectives = countConnectives(t.Lang, folds)
	_, st.DistinctConnectivesCapped = countConnectives(t.Lang, folds[:min(len(folds), genericExpectedWords)])
	return st
}

// longWord is the length from which a word counts as "long": a proxy for
// less frequent vocabulary, because across languages word length falls with
// frequency (Zipf's law of abbreviation) and we ship no frequency lists.
const longWord = 7

func letterCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// mtldThreshold is the type-token ratio that closes a factor (McCarthy &
// Jarvis 2010).
const mtldThreshold = 0.72

// mtld is the measure of textual lexical diversity: the mean length of word
// runs that keep the type-token ratio above 0.72, averaged over a forward and
// a backward pass. Unlike the plain type-token ratio it does not fall as a
// text gets longer.
func mtld(words []string) float64 {
	if len(words) == 0 {
		return 0
	}
	rev := make([]string, len(words))
	for i, w := range words {
		rev[len(words)-1-i] = w
	}
	return (mtldPass(words) + mtldPass(rev)) / 2
}

func mtldPass(words []string) float64 {
	var factors float64
	types := map[string]bool{}
	n := 0
	for _, w := range words {
		types[w] = true
		n++
		if float64(len(types))/float64(n) <= mtldThreshold {
			factors++
			clear(types)
			n = 0
		}
	}
	if n > 0 {
		ttr := float64(len(types)) / float64(n)
		factors += (1 - ttr) / (1 - mtldThreshold)
	}
	if factors == 0 {
		// every word distinct: the text is too short to close a factor.
		return float64(len(words))
	}
	return float64(len(words)) / factors
}
