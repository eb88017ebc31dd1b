package grading

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/pemistahl/lingua-go"
)

// LanguageDetector gives, for a text, a confidence 0-1 per configured
// language (ISO 639-1, lower case), summing to at most 1; an empty map when
// the text holds nothing to detect. Declared here so tests can grade without
// loading language models.
type LanguageDetector interface {
	Confidences(text string) map[string]float64
}

// Lingua is the production LanguageDetector: lingua-go in high-accuracy
// mode over an explicit language set (with all 75 languages it confuses
// close ones and needs about 2 GB), models preloaded so the first answer is
// not slow. Safe for concurrent use.
type Lingua struct {
	det   lingua.LanguageDetector
	codes map[lingua.Language]string
}

// NewLingua builds the detector for the given ISO 639-1 codes. It takes
// about a second and a few hundred MB for the default nine languages.
//
// lingua needs at least two languages to tell apart, so a single configured
// language gets a contrast language (English, or German for English): a
// German-only deployment then still flags an answer written in English as
// the wrong language. The contrast is only detected, never accepted: which
// languages an answer may be in stays the engine's configured list.
func NewLingua(langs []string) (*Lingua, error) {
	seen := map[string]bool{}
	var uniq []string
	for _, l := range langs {
		l = strings.ToLower(strings.TrimSpace(l))
		if !seen[l] {
			seen[l] = true
			uniq = append(uniq, l)
		}
	}
	switch {
	case len(uniq) == 0:
		return nil, fmt.Errorf("language detector: no languages")
	case len(uniq) == 1:
		uniq = append(uniq, contrastLanguage(uniq[0]))
	}
	var isos []lingua.IsoCode639_1
	codes := map[lingua.Language]string{}
	for _, l := range uniq {
		if !SupportedLanguage(l) {
			return nil, fmt.Errorf("language detector: unknown language %q", l)
		}
		iso := lingua.GetIsoCode639_1FromValue(strings.ToUpper(l))
		isos = append(isos, iso)
		codes[lingua.GetLanguageFromIsoCode639_1(iso)] = l
	}
	det := lingua.NewLanguageDetectorBuilder().FromIsoCodes639_1(isos...).WithPreloadedLanguageModels().Build()
	return &Lingua{det: det, codes: codes}, nil
}

// contrastLanguage is the language the detector adds next to a single
// configured one: English, the language a candidate most often falls back
// to, or German when the one language is English.
func contrastLanguage(only string) string {
	if only == "en" {
		return "de"
	}
	return "en"
}

// SupportedLanguage reports whether the language detector knows the ISO
// 639-1 code (lower or upper case), so a configuration can be refused
// before the models load.
func SupportedLanguage(code string) bool {
	return lingua.GetIsoCode639_1FromValue(strings.ToUpper(strings.TrimSpace(code))) != lingua.UnknownIsoCode639_1
}

// Confidences implements LanguageDetector.
func (l *Lingua) Confidences(text string) map[string]float64 {
	out := map[string]float64{}
	for _, cv := range l.det.ComputeLanguageConfidenceValues(text) {
		if c, ok := l.codes[cv.Language()]; ok && cv.Value() > 0 {
			out[c] = cv.Value()
		}
	}
	return out
}

// Language-check thresholds.
const (
	// shortAnswerWords: below this many words (or shortAnswerLetters
	// letters) an answer ("OK", "Anna Nowak", "12") carries too little text
	// to tell languages apart, so it is never flagged for its language.
	shortAnswerWords   = 4
	shortAnswerLetters = 20
	// wrongLanguageMax: the expected language's confidence below which,
	// with another language on top, the answer is in the wrong language.
	wrongLanguageMax = 0.25
	// lowConfidenceMax: expected language on top but with less than this.
	lowConfidenceMax = 0.5
	// A chunk of text counts as another language when that language's
	// confidence there is at least otherChunkMin; mixedShareMin of the
	// words in such chunks flags the answer as mixed.
	otherChunkMin = 0.6
	mixedShareMin = 0.2
	chunkMinWords = 6
	// chunkMinBytes: lingua reads texts from 120 characters with trigrams
	// only (shorter ones with 1- to 5-grams, five times the work), and
	// chunks that long are also sure enough to count as another language.
	// Each call also has a fixed cost (confidences in arbitrary-precision
	// decimals), so a long text is cut into at most maxChunks chunks.
	chunkMinBytes = 120
	maxChunks     = 4
)

// languageCheck is the outcome of the language check.
type languageCheck struct {
	Result     LanguageResult
	Short      bool
	OtherShare float64            // share of words in chunks of other languages
	Others     map[string]float64 // language -> share of words
	Flags      []Flag
}

// checkLanguage detects the answer's language. The text is cut into chunks
// of whole sentences of at least chunkMinWords words and chunkMinBytes
// bytes (a quarter of the text when that is more), and each chunk is
// detected once: the chunk results give the share of text in other languages
// (lingua's own multiple-language mode labels word by word, which on learner
// text with misspellings scatters short false switches), and their
// word-weighted mean gives the whole text's confidences, so the text is read
// once rather than twice.
func checkLanguage(det LanguageDetector, t *text, expected string) languageCheck {
	lc := languageCheck{Result: LanguageResult{Expected: expected}, Others: map[string]float64{}}
	letters := 0
	for _, w := range t.Words {
		letters += letterCount(w.Text)
	}
	lc.Short = len(t.Words) < shortAnswerWords || letters < shortAnswerLetters
	if det == nil || len(t.Words) == 0 {
		return lc
	}
	total := map[string]float64{}
	var weight float64
	flush := func(from, to, words int) {
		if words == 0 {
			return
		}
		conf := det.Confidences(t.Raw[from:to])
		top, topC := argmax(conf)
		for l, c := range conf {
			total[l] += c * float64(words)
		}
		weight += float64(words)
		if top != "" && top != expected && topC >= otherChunkMin {
			lc.Others[top] += float64(words)
		}
	}
	// remaining[i] is the text left after sentence i, to keep the last
	// chunk from being a scrap.
	remaining := make([]int, len(t.Sentences))
	for i := len(t.Sentences) - 2; i >= 0; i-- {
		remaining[i] = remaining[i+1] + t.Sentences[i+1].End - t.Sentences[i+1].Offset
	}
	chunkBytes := max(chunkMinBytes, len(t.Raw)/maxChunks)
	start, words := -1, 0
	for i, s := range t.Sentences {
		if start < 0 {
			start = s.Offset
		}
		words += s.NWords
		last := i == len(t.Sentences)-1
		if last || (words >= chunkMinWords && s.End-start >= chunkBytes && remaining[i] >= chunkMinBytes) {
			flush(start, s.End, words)
			start, words = -1, 0
		}
	}
	if weight > 0 {
		for l := range total {
			total[l] /= weight
		}
	}
	other := 0.0
	for l, n := range lc.Others {
		lc.Others[l] = round3(n / weight)
		other += n
	}
	if weight > 0 {
		lc.OtherShare = round3(other / weight)
	}
	top, topC := argmax(total)
	lc.Result.Detected = top
	lc.Result.Confidence = round3(total[expected])
	if lc.Short || top == "" {
		return lc
	}
	ev := map[string]any{"detected": top, "detected_confidence": round3(topC), "expected_confidence": lc.Result.Confidence}
	switch {
	case top != expected && total[expected] < wrongLanguageMax:
		lc.Flags = append(lc.Flags, Flag{Code: FlagWrongLanguage,
			Message:  fmt.Sprintf("The answer looks written in %s, not %s.", top, expected),
			Evidence: ev})
	case lc.OtherShare >= mixedShareMin:
		ev["other_share"] = lc.OtherShare
		ev["other_languages"] = lc.Others
		lc.Flags = append(lc.Flags, Flag{Code: FlagMixedLanguage,
			Message:  fmt.Sprintf("About %.0f%% of the answer is in another language.", 100*lc.OtherShare),
			Evidence: ev})
	case total[expected] < lowConfidenceMax:
		lc.Flags = append(lc.Flags, Flag{Code: FlagLowLanguageConfidence,
			Message:  fmt.Sprintf("The language check is unsure the answer is in %s.", expected),
			Evidence: ev})
	}
	return lc
}

func argmax(m map[string]float64) (string, float64) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys) // deterministic on ties
	best, bestV := "", math.Inf(-1)
	for _, k := range keys {
		if m[k] > bestV {
			best, bestV = k, m[k]
		}
	}
	if best == "" {
		return "", 0
	}
	return best, bestV
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }
