package hunspell

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Dictionary is one loaded Hunspell dictionary. Immutable after Load.
type Dictionary struct {
	aff *affixData
	// words maps a stem to its homonyms' flag sets.
	words map[string][]flagSet
	// apostrophe is set when WORDCHARS lists an apostrophe, which
	// Hunspell's text parser then keeps inside words.
	apostrophe bool
}

// hiddenUpcase marks the initial-capital twin Hunspell adds for mixed-case
// words ("OpenOffice.org" -> "Openoffice.org"), which only an all-caps input
// may reach. Flag 65535 is reserved by Hunspell for the same purpose.
const hiddenUpcase flag = 0xffff

// Load reads a dictionary from an .aff and a .dic file.
func Load(affPath, dicPath string) (*Dictionary, error) {
	affRaw, err := os.ReadFile(affPath)
	if err != nil {
		return nil, fmt.Errorf("hunspell: %w", err)
	}
	dicRaw, err := os.ReadFile(dicPath)
	if err != nil {
		return nil, fmt.Errorf("hunspell: %w", err)
	}
	d, err := Parse(affRaw, dicRaw)
	if err != nil {
		return nil, fmt.Errorf("hunspell: %s: %w", dicPath, err)
	}
	return d, nil
}

// Parse builds a dictionary from the bytes of an .aff and a .dic file, in
// the encoding the .aff file's SET names. Errors name the file and line.
func Parse(affRaw, dicRaw []byte) (*Dictionary, error) {
	set := findSet(affRaw)
	dec, err := decoderFor(set)
	if err != nil {
		return nil, fmt.Errorf("aff: %w", err)
	}
	affText, err := toUTF8(affRaw, dec)
	if err != nil {
		return nil, fmt.Errorf("aff: %w", err)
	}
	aff, err := parseAff(affText, set)
	if err != nil {
		return nil, fmt.Errorf("aff: %w", err)
	}
	dicText, err := toUTF8(dicRaw, dec)
	if err != nil {
		return nil, fmt.Errorf("dic: %w", err)
	}
	d := &Dictionary{aff: aff}
	if err := d.parseDic(dicText); err != nil {
		return nil, fmt.Errorf("dic: %w", err)
	}
	d.apostrophe = strings.ContainsAny(aff.wordChars, "'’")
	return d, nil
}

func (d *Dictionary) parseDic(text []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	lineNo := 0
	// Many stems share a flag string ("/SJm"); sharing one flagSet per
	// distinct string saves most of the allocations and a third of the
	// heap. Flag sets are never modified after parsing.
	shared := map[string]flagSet{}
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		if lineNo == 1 {
			// The first line is the approximate word count; size the
			// map from it.
			n := 0
			fmt.Sscanf(strings.TrimSpace(line), "%d", &n)
			// The count is only a hint: never trust it beyond the
			// number of lines actually present.
			if lines := bytes.Count(text, []byte{'\n'}); n < 0 || n > lines {
				n = lines
			}
			d.words = make(map[string][]flagSet, n+n/8)
			continue
		}
		if line == "" || line[0] == '\t' || line[0] == ' ' || line[0] == '#' {
			continue
		}
		// Morphological fields follow a tab or a space; a slash
		// escaped by a backslash belongs to the word.
		if j := strings.IndexAny(line, "\t "); j >= 0 {
			line = line[:j]
		}
		word, flagStr := line, ""
		for k := 0; k < len(line); k++ {
			if line[k] == '\\' && k+1 < len(line) && line[k+1] == '/' {
				k++
				continue
			}
			if line[k] == '/' && k > 0 {
				word, flagStr = line[:k], line[k+1:]
				break
			}
		}
		word = strings.ReplaceAll(word, `\/`, "/")
		if d.aff.ignore != "" {
			word = removeChars(word, d.aff.ignore)
		}
		if word == "" {
			continue
		}
		fs, ok := shared[flagStr]
		if !ok {
			var err error
			fs, err = d.aff.parseFlags(flagStr)
			if err != nil {
				return fmt.Errorf("line %d: %w", lineNo, err)
			}
			shared[flagStr] = fs
		}
		d.add(word, fs)
		// Mixed-case words get an initial-capital twin usable only
		// from all-caps input, as Hunspell does, so "OPENOFFICE.ORG"
		// matches "OpenOffice.org".
		if ct := capType(word); (ct == capHuh || ct == capHuhInit || (ct == capAll && len(fs) > 0)) && !fs.has(d.aff.forbidden) {
			twin := initCap(strings.ToLower(word))
			if twin != word {
				hs := make(flagSet, 0, len(fs)+1)
				hs = append(hs, fs...)
				d.add(twin, append(hs, hiddenUpcase))
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("line %d: %w", lineNo, err)
	}
	if d.words == nil {
		return fmt.Errorf("empty file")
	}
	return nil
}

func (d *Dictionary) add(word string, fs flagSet) {
	d.words[word] = append(d.words[word], fs)
}

// capitalisation types, as in Hunspell.
type caseType int

const (
	capNone    caseType = iota // no capitals
	capInit                    // first letter only
	capAll                     // every cased letter
	capHuh                     // mixed, first lower
	capHuhInit                 // mixed, first upper
)

// capType follows Hunspell's get_captype: a capital is a letter that
// changes when lower-cased; caseless characters (digits, hyphens, ß whose
// upper case is itself) count as neutral, so "GRUß" is all capitals.
func capType(s string) caseType {
	ncap, neutral, n := 0, 0, 0
	first := false
	for i, r := range s {
		n++
		l := unicode.ToLower(r)
		if l != r {
			ncap++
			if i == 0 {
				first = true
			}
		}
		if unicode.ToUpper(r) == l {
			neutral++
		}
	}
	switch {
	case ncap == 0:
		return capNone
	case ncap == 1 && first:
		return capInit
	case ncap == n || ncap+neutral == n:
		return capAll
	case ncap > 1 && first:
		return capHuhInit
	}
	return capHuh
}

func initCap(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	u := unicode.ToTitle(r)
	if u == r {
		return s
	}
	return string(u) + s[n:]
}

// lowerFirst lower-cases the first letter only.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	l := unicode.ToLower(r)
	if l == r {
		return s
	}
	return string(l) + s[n:]
}

// Stems reports the size of the stem table (for load diagnostics).
func (d *Dictionary) Stems() int { return len(d.words) }
