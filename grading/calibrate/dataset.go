package calibrate

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"strings"

	"github.com/langassess/langassess/cefr"
)

// Sample is one human-rated text for calibration and evaluation.
type Sample struct {
	ID    string
	Lang  string
	Text  string
	Level int            // CEFR index, A1 = 0 ... C2 = 5
	Sub   map[string]int // sub-ratings (MERLIN: Grammaticalaccuracy, Orthography, ...) as level indexes
}

// ParseLevel reads a CEFR level index, accepting the W&I sub-bands
// ("B1.ii") and "C2+" as their main level. It returns -1 for anything else.
func ParseLevel(s string) int { return cefr.ParseLoose(s).Index() }

// LevelName is the CEFR name of a level index ("" when out of range).
func LevelName(i int) string { return cefr.FromIndex(i).String() }

// ReadSamples reads human-rated texts in any of the formats calibrate
// accepts, recognised by their first bytes:
//   - JSON lines: one object a line with "text" and a level in "cefr" or
//     "level" (W&I+LOCNESS), optionally "lang" and "id"; lang defaults to
//     defLang.
//   - TSV with a header naming "text" and "cefr_overall" or "level", and
//     optionally "id", "lang" and sub-rating columns (MERLIN). A literal
//     backslash-n in the text is a line break, as the MERLIN export writes it.
//
// Rows without a usable level or text are skipped and counted in skipped.
func ReadSamples(r io.Reader, defLang string) (samples []Sample, skipped int, err error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(64)
	if len(bytes.TrimLeft(head, " \t\r\n\ufeff")) > 0 && bytes.TrimLeft(head, " \t\r\n\ufeff")[0] == '{' {
		return readJSONL(br, defLang)
	}
	return readTSV(br, defLang)
}

func readJSONL(r io.Reader, defLang string) ([]Sample, int, error) {
	var out []Sample
	skipped := 0
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var rec struct {
			ID    any    `json:"id"`
			Lang  string `json:"lang"`
			Text  string `json:"text"`
			CEFR  string `json:"cefr"`
			Level string `json:"level"`
		}
		if err := json.Unmarshal(b, &rec); err != nil {
			return out, skipped, fmt.Errorf("line %d: %w", line, err)
		}
		lvl := ParseLevel(rec.CEFR)
		if lvl < 0 {
			lvl = ParseLevel(rec.Level)
		}
		if lvl < 0 || strings.TrimSpace(rec.Text) == "" {
			skipped++
			continue
		}
		lang := rec.Lang
		if lang == "" {
			lang = defLang
		}
		id := fmt.Sprint(rec.ID)
		if rec.ID == nil {
			id = fmt.Sprint(line)
		}
		out = append(out, Sample{ID: id, Lang: lang, Text: rec.Text, Level: lvl})
	}
	if err := sc.Err(); err != nil {
		return out, skipped, fmt.Errorf("line %d: %w", line+1, err)
	}
	return out, skipped, nil
}

func readTSV(r io.Reader, defLang string) ([]Sample, int, error) {
	cr := csv.NewReader(r)
	cr.Comma = '\t'
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, 0, nil
		}
		return nil, 0, fmt.Errorf("header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")] = i
	}
	textCol, ok := col["text"]
	if !ok {
		return nil, 0, errors.New(`header: no "text" column`)
	}
	levelCol, ok := col["cefr_overall"]
	if !ok {
		if levelCol, ok = col["level"]; !ok {
			if levelCol, ok = col["cefr"]; !ok {
				return nil, 0, errors.New(`header: no "cefr_overall", "level" or "cefr" column`)
			}
		}
	}
	known := map[string]bool{"id": true, "lang": true, "text": true, "cefr_overall": true, "level": true, "cefr": true}
	var out []Sample
	skipped := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return out, skipped, fmt.Errorf("tsv: %w", err)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		if textCol >= len(rec) || levelCol >= len(rec) {
			skipped++
			continue
		}
		lvl := ParseLevel(rec[levelCol])
		txt := strings.ReplaceAll(rec[textCol], `\n`, "\n")
		if lvl < 0 || strings.TrimSpace(txt) == "" {
			skipped++
			continue
		}
		s := Sample{ID: get("id"), Lang: get("lang"), Text: txt, Level: lvl, Sub: map[string]int{}}
		if s.Lang == "" {
			s.Lang = defLang
		}
		for name, i := range col {
			if known[name] || i >= len(rec) {
				continue
			}
			if l := ParseLevel(rec[i]); l >= 0 {
				s.Sub[name] = l
			}
		}
		out = append(out, s)
	}
	return out, skipped, nil
}

// heldOutPercent is the share of rated texts set aside, by a hash of the
// text, as a test split that level development never looks at.
const heldOutPercent = 20

// HeldOut reports whether a text belongs to the fixed held-out test split:
// the FNV-1a hash of its bytes modulo 100 is below heldOutPercent. The split
// depends on the text alone, so it is the same on every machine, in every
// file order and for any subset of the data.
func HeldOut(text string) bool {
	h := fnv.New64a()
	h.Write([]byte(text)) // a hash.Hash never returns an error
	return h.Sum64()%100 < heldOutPercent
}

// SplitHeldOut separates samples into the development split (about 80%,
// used for all cross-validated work) and the held-out test split (about
// 20%, scored once with a model fitted on the development split).
func SplitHeldOut(samples []Sample) (dev, test []Sample) {
	for _, s := range samples {
		if HeldOut(s.Text) {
			test = append(test, s)
		} else {
			dev = append(dev, s)
		}
	}
	return dev, test
}
