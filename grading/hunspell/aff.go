package hunspell

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// flag is an affix or word flag. Hunspell itself limits flags to 16 bits.
type flag uint16

// flagSet is a small set of flags; most words carry fewer than ten, so a
// linear scan beats a map.
type flagSet []flag

func (s flagSet) has(f flag) bool {
	if f == 0 {
		return false
	}
	for _, x := range s {
		if x == f {
			return true
		}
	}
	return false
}

// flagMode is the FLAG directive: how flag strings are written.
type flagMode int

const (
	flagChar flagMode = iota // one character a flag (default)
	flagLong                 // two characters a flag
	flagNum                  // decimal numbers separated by commas
	flagUTF8                 // one Unicode character a flag
)

// condElem is one position of an affix condition: a set of characters,
// negated or not, or any character.
type condElem struct {
	any   bool
	neg   bool
	chars string
}

func (c condElem) match(r rune) bool {
	if c.any {
		return true
	}
	in := strings.ContainsRune(c.chars, r)
	return in != c.neg
}

// affix is one PFX or SFX line.
type affix struct {
	flag   flag
	prefix bool
	cross  bool
	strip  string
	append string
	cont   flagSet // continuation classes
	cond   []condElem
}

// matchCond tests the condition against the start (prefix) or end (suffix)
// of root.
func (a *affix) matchCond(root string) bool {
	if len(a.cond) == 0 {
		return true
	}
	if a.prefix {
		s := root
		for _, c := range a.cond {
			r, n := utf8.DecodeRuneInString(s)
			if n == 0 || !c.match(r) {
				return false
			}
			s = s[n:]
		}
		return true
	}
	s := root
	for i := len(a.cond) - 1; i >= 0; i-- {
		r, n := utf8.DecodeLastRuneInString(s)
		if n == 0 || !a.cond[i].match(r) {
			return false
		}
		s = s[:len(s)-n]
	}
	return true
}

// affixData is everything read from an .aff file.
type affixData struct {
	encoding string
	mode     flagMode
	aliases  []flagSet // AF, 1-based in files

	// pfx and sfx index entries by their appended string.
	pfx map[string][]*affix
	sfx map[string][]*affix
	// contFlags holds every flag used as a continuation class, so
	// twofold suffix checks run only for suffixes that can be inner ones.
	contFlags map[flag]bool

	compoundFlag, compoundBegin, compoundMiddle, compoundEnd flag
	compoundPermit, compoundForbid, onlyInCompound           flag
	needAffix, forbidden, keepCase, circumfix, noSuggest     flag
	forceUCase                                               flag
	compoundMin                                              int
	compoundRules                                            [][]ruleElem
	fullStrip, checkSharps                                   bool

	wordChars string
	tryChars  string
	ignore    string
	breaks    []string
	rep       [][2]string
	iconv     [][2]string
	oconv     [][2]string
	// iconvT and oconvT are the tables indexed for convert; nil when
	// empty.
	iconvT, oconvT *convTable
	keys           []string
}

// ruleElem is one element of a COMPOUNDRULE: a flag with an optional
// quantifier '*' or '?'.
type ruleElem struct {
	flag  flag
	quant byte
}

// decoderFor maps a SET value to a decoder; nil means UTF-8 (no conversion).
func decoderFor(set string) (*encoding.Decoder, error) {
	switch strings.ToUpper(strings.ReplaceAll(set, "_", "-")) {
	case "", "UTF-8":
		return nil, nil
	case "ISO8859-1", "ISO-8859-1":
		return charmap.ISO8859_1.NewDecoder(), nil
	case "ISO8859-2", "ISO-8859-2":
		return charmap.ISO8859_2.NewDecoder(), nil
	case "ISO8859-3", "ISO-8859-3":
		return charmap.ISO8859_3.NewDecoder(), nil
	case "ISO8859-4", "ISO-8859-4":
		return charmap.ISO8859_4.NewDecoder(), nil
	case "ISO8859-5", "ISO-8859-5":
		return charmap.ISO8859_5.NewDecoder(), nil
	case "ISO8859-6", "ISO-8859-6":
		return charmap.ISO8859_6.NewDecoder(), nil
	case "ISO8859-7", "ISO-8859-7":
		return charmap.ISO8859_7.NewDecoder(), nil
	case "ISO8859-8", "ISO-8859-8":
		return charmap.ISO8859_8.NewDecoder(), nil
	case "ISO8859-9", "ISO-8859-9":
		return charmap.ISO8859_9.NewDecoder(), nil
	case "ISO8859-10", "ISO-8859-10":
		return charmap.ISO8859_10.NewDecoder(), nil
	case "ISO8859-13", "ISO-8859-13":
		return charmap.ISO8859_13.NewDecoder(), nil
	case "ISO8859-14", "ISO-8859-14":
		return charmap.ISO8859_14.NewDecoder(), nil
	case "ISO8859-15", "ISO-8859-15":
		return charmap.ISO8859_15.NewDecoder(), nil
	case "KOI8-R":
		return charmap.KOI8R.NewDecoder(), nil
	case "KOI8-U":
		return charmap.KOI8U.NewDecoder(), nil
	case "MICROSOFT-CP1251", "CP1251":
		return charmap.Windows1251.NewDecoder(), nil
	}
	return nil, fmt.Errorf("unsupported SET encoding %q", set)
}

// findSet returns the SET value of an .aff file without decoding it (the
// directive itself is ASCII in every encoding Hunspell supports).
func findSet(raw []byte) string {
	for line := range bytes.Lines(raw) {
		f := bytes.Fields(line)
		if len(f) >= 2 && string(f[0]) == "SET" {
			return string(f[1])
		}
	}
	return ""
}

// toUTF8 converts raw file bytes with dec (nil: already UTF-8; invalid
// sequences are kept and later compare unequal, as in Hunspell).
func toUTF8(raw []byte, dec *encoding.Decoder) ([]byte, error) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if dec == nil {
		return raw, nil
	}
	out, err := dec.Bytes(raw)
	if err != nil {
		return nil, fmt.Errorf("convert from %T: %w", dec, err)
	}
	return out, nil
}

// parseFlags decodes a flag string in the file's flag mode.
func (d *affixData) parseFlags(s string) (flagSet, error) {
	if s == "" {
		return nil, nil
	}
	if len(d.aliases) > 0 {
		if n, err := strconv.Atoi(s); err == nil {
			if n < 1 || n > len(d.aliases) {
				return nil, fmt.Errorf("flag alias %d out of range 1..%d", n, len(d.aliases))
			}
			return d.aliases[n-1], nil
		}
	}
	return d.parseRawFlags(s)
}

func (d *affixData) parseRawFlags(s string) (flagSet, error) {
	var out flagSet
	switch d.mode {
	case flagLong:
		rs := []rune(s)
		for i := 0; i < len(rs); i += 2 {
			f := rs[i] << 8
			if i+1 < len(rs) {
				f |= rs[i+1] & 0xff
			}
			out = append(out, flag(f))
		}
	case flagNum:
		for p := range strings.SplitSeq(s, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil || n <= 0 || n > 65535 {
				return nil, fmt.Errorf("bad numeric flag %q", p)
			}
			out = append(out, flag(n))
		}
	default:
		for _, r := range s {
			if r > 0xffff {
				return nil, fmt.Errorf("flag %q above U+FFFF", r)
			}
			out = append(out, flag(r))
		}
	}
	return out, nil
}

func (d *affixData) parseFlag(s string) (flag, error) {
	fs, err := d.parseRawFlags(s)
	if err != nil {
		return 0, err
	}
	if len(fs) == 0 {
		return 0, fmt.Errorf("empty flag")
	}
	return fs[0], nil
}

// parseCond parses an affix condition such as "[^aeiou]y".
func parseCond(s string) ([]condElem, error) {
	if s == "." || s == "" {
		return nil, nil
	}
	var out []condElem
	for i := 0; i < len(s); {
		switch s[i] {
		case '.':
			out = append(out, condElem{any: true})
			i++
		case '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				return nil, fmt.Errorf("unclosed [ in condition %q", s)
			}
			body := s[i+1 : i+j]
			e := condElem{}
			if strings.HasPrefix(body, "^") {
				e.neg = true
				body = body[1:]
			}
			e.chars = body
			out = append(out, e)
			i += j + 1
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			out = append(out, condElem{chars: string(r)})
			i += n
		}
	}
	return out, nil
}

// parseAff reads a UTF-8 converted .aff file. Errors name the line.
func parseAff(text []byte, enc string) (*affixData, error) {
	d := &affixData{
		encoding:  enc,
		pfx:       map[string][]*affix{},
		sfx:       map[string][]*affix{},
		contFlags: map[flag]bool{},
		breaks:    []string{"-", "^-", "-$"},
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read aff: %w", err)
	}
	defer d.sortByStrip()
	defer func() {
		if len(d.iconv) > 0 {
			d.iconvT = newConvTable(d.iconv)
		}
		if len(d.oconv) > 0 {
			d.oconvT = newConvTable(d.oconv)
		}
	}()
	// FLAG and AF must be known before any flag is parsed; Hunspell reads
	// them in order too, but some files declare AF after the header
	// comments only, so read them in a first pass.
	for i, line := range lines {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "FLAG" {
			switch f[1] {
			case "long":
				d.mode = flagLong
			case "num":
				d.mode = flagNum
			case "UTF-8":
				d.mode = flagUTF8
			default:
				return nil, fmt.Errorf("line %d: unknown FLAG %q", i+1, f[1])
			}
		}
	}
	breaksSeen := false
	for i := 0; i < len(lines); i++ {
		f := strings.Fields(lines[i])
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		lineNo := i + 1
		fail := func(err error) error { return fmt.Errorf("line %d: %s: %w", lineNo, f[0], err) }
		arg := ""
		if len(f) > 1 {
			arg = f[1]
		}
		var err error
		one := func(dst *flag) {
			if arg == "" {
				err = fmt.Errorf("missing flag")
				return
			}
			*dst, err = d.parseFlag(arg)
		}
		// table reads n following lines that start with name.
		table := func(name string, minFields int) ([][]string, error) {
			n, err := strconv.Atoi(arg)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("bad count %q", arg)
			}
			var rows [][]string
			for k := 0; k < n; k++ {
				if i+1 >= len(lines) {
					return nil, fmt.Errorf("table ends after %d of %d lines", k, n)
				}
				i++
				g := strings.Fields(lines[i])
				if len(g) < minFields || g[0] != name {
					return nil, fmt.Errorf("line %d: expected %s entry", i+1, name)
				}
				rows = append(rows, g)
			}
			return rows, nil
		}
		switch f[0] {
		case "SET", "FLAG", "LANG", "AM", "MAP", "PHONE", "NOSPLITSUGS", "ONLYMAXDIFF",
			"MAXNGRAMSUGS", "MAXCPDSUGS", "MAXDIFF", "SUGSWITHDOTS", "NOSUGGEST_SUFFIX",
			"COMPOUNDSYLLABLE", "SYLLABLENUM", "CHECKCOMPOUNDCASE", "CHECKCOMPOUNDDUP",
			"CHECKCOMPOUNDREP", "CHECKCOMPOUNDTRIPLE", "SIMPLIFIEDTRIPLE",
			"CHECKCOMPOUNDPATTERN", "COMPOUNDWORDMAX", "NAME", "VERSION", "HOME", "DESC",
			"WARN", "FORBIDWARN", "SUBSTANDARD", "LEMMA_PRESENT", "PSEUDOROOT", "COMPLEXPREFIXES",
			"COMPOUNDMORESUFFIXES", "COMPOUNDROOT", "ONLYUPCASE", "SUGGESTWITHDOTS", "NOSPLITSUG":
			// Not needed for checking and suggestions here. Tables
			// such as MAP and CHECKCOMPOUNDPATTERN have rows starting
			// with the same keyword, which land here too.
		case "AF":
			if _, convErr := strconv.Atoi(arg); convErr == nil && len(f) == 2 && len(d.aliases) == 0 {
				rows, err := table("AF", 1)
				if err != nil {
					return nil, fail(err)
				}
				for _, r := range rows {
					s := ""
					if len(r) > 1 {
						s = r[1]
					}
					fs, err := d.parseRawFlags(s)
					if err != nil {
						return nil, fail(err)
					}
					d.aliases = append(d.aliases, fs)
				}
			}
		case "TRY":
			d.tryChars = arg
		case "KEY":
			d.keys = strings.Split(arg, "|")
		case "WORDCHARS":
			d.wordChars = arg
		case "IGNORE":
			d.ignore = arg
		case "COMPOUNDFLAG":
			one(&d.compoundFlag)
		case "COMPOUNDBEGIN":
			one(&d.compoundBegin)
		case "COMPOUNDMIDDLE":
			one(&d.compoundMiddle)
		case "COMPOUNDEND", "COMPOUNDLAST":
			one(&d.compoundEnd)
		case "COMPOUNDPERMITFLAG":
			one(&d.compoundPermit)
		case "COMPOUNDFORBIDFLAG":
			one(&d.compoundForbid)
		case "ONLYINCOMPOUND":
			one(&d.onlyInCompound)
		case "NEEDAFFIX":
			one(&d.needAffix)
		case "FORBIDDENWORD":
			one(&d.forbidden)
		case "KEEPCASE":
			one(&d.keepCase)
		case "CIRCUMFIX":
			one(&d.circumfix)
		case "NOSUGGEST":
			one(&d.noSuggest)
		case "FORCEUCASE":
			one(&d.forceUCase)
		case "COMPOUNDMIN":
			d.compoundMin, err = strconv.Atoi(arg)
		case "FULLSTRIP":
			d.fullStrip = true
		case "CHECKSHARPS":
			d.checkSharps = true
		case "BREAK":
			rows, terr := table("BREAK", 2)
			if terr != nil {
				return nil, fail(terr)
			}
			if !breaksSeen {
				d.breaks = nil
				breaksSeen = true
			}
			for _, r := range rows {
				d.breaks = append(d.breaks, r[1])
			}
		case "REP", "ICONV", "OCONV":
			name := f[0]
			rows, terr := table(name, 3)
			if terr != nil {
				return nil, fail(terr)
			}
			for _, r := range rows {
				p := [2]string{strings.ReplaceAll(r[1], "_", " "), strings.ReplaceAll(r[2], "_", " ")}
				switch name {
				case "REP":
					d.rep = append(d.rep, p)
				case "ICONV":
					d.iconv = append(d.iconv, p)
				default:
					d.oconv = append(d.oconv, p)
				}
			}
		case "COMPOUNDRULE":
			rows, terr := table("COMPOUNDRULE", 2)
			if terr != nil {
				return nil, fail(terr)
			}
			for _, r := range rows {
				rule, rerr := d.parseRule(r[1])
				if rerr != nil {
					return nil, fail(rerr)
				}
				d.compoundRules = append(d.compoundRules, rule)
			}
		case "PFX", "SFX":
			if len(f) < 4 {
				return nil, fail(fmt.Errorf("short affix header"))
			}
			fl, ferr := d.parseFlag(f[1])
			if ferr != nil {
				return nil, fail(ferr)
			}
			cross := f[2] == "Y"
			n, cerr := strconv.Atoi(f[3])
			if cerr != nil || n < 0 {
				return nil, fail(fmt.Errorf("bad entry count %q", f[3]))
			}
			for k := 0; k < n; k++ {
				if i+1 >= len(lines) {
					return nil, fail(fmt.Errorf("affix class ends after %d of %d entries", k, n))
				}
				i++
				g := strings.Fields(lines[i])
				if len(g) < 4 || g[0] != f[0] {
					return nil, fmt.Errorf("line %d: expected %s entry", i+1, f[0])
				}
				a, aerr := d.parseAffix(g, fl, f[0] == "PFX", cross)
				if aerr != nil {
					return nil, fmt.Errorf("line %d: %w", i+1, aerr)
				}
				if a.prefix {
					d.pfx[a.append] = append(d.pfx[a.append], a)
				} else {
					d.sfx[a.append] = append(d.sfx[a.append], a)
				}
				for _, c := range a.cont {
					d.contFlags[c] = true
				}
			}
		}
		if err != nil {
			return nil, fail(err)
		}
	}
	return d, nil
}

// sortByStrip orders the entries sharing an appended string by their
// stripped string (stable, so file order stays within a strip), which
// suffixCheck relies on to look each stem up once.
func (d *affixData) sortByStrip() {
	for _, m := range []map[string][]*affix{d.sfx, d.pfx} {
		for _, l := range m {
			slices.SortStableFunc(l, func(a, b *affix) int { return strings.Compare(a.strip, b.strip) })
		}
	}
}

func (d *affixData) parseAffix(g []string, fl flag, prefix, cross bool) (*affix, error) {
	a := &affix{flag: fl, prefix: prefix, cross: cross}
	if g[2] != "0" {
		a.strip = g[2]
	}
	app := g[3]
	if j := strings.IndexByte(app, '/'); j >= 0 {
		cont, err := d.parseFlags(app[j+1:])
		if err != nil {
			return nil, err
		}
		a.cont = cont
		app = app[:j]
	}
	if app != "0" {
		a.append = app
	}
	if d.ignore != "" {
		a.append = removeChars(a.append, d.ignore)
		a.strip = removeChars(a.strip, d.ignore)
	}
	cond := "."
	if len(g) > 4 {
		cond = g[4]
	}
	c, err := parseCond(cond)
	if err != nil {
		return nil, err
	}
	a.cond = c
	return a, nil
}

// parseRule parses a COMPOUNDRULE: flags with '*' or '?'; long and num
// flags are written in parentheses.
func (d *affixData) parseRule(s string) ([]ruleElem, error) {
	var out []ruleElem
	for len(s) > 0 {
		var tok string
		if s[0] == '(' {
			j := strings.IndexByte(s, ')')
			if j < 0 {
				return nil, fmt.Errorf("unclosed ( in %q", s)
			}
			tok, s = s[1:j], s[j+1:]
		} else {
			_, n := utf8.DecodeRuneInString(s)
			tok, s = s[:n], s[n:]
		}
		if tok == "*" || tok == "?" {
			if len(out) == 0 {
				return nil, fmt.Errorf("quantifier first in rule")
			}
			out[len(out)-1].quant = tok[0]
			continue
		}
		fl, err := d.parseFlag(tok)
		if err != nil {
			return nil, err
		}
		out = append(out, ruleElem{flag: fl})
	}
	return out, nil
}

func removeChars(s, chars string) string {
	if s == "" || !strings.ContainsAny(s, chars) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(chars, r) {
			return -1
		}
		return r
	}, s)
}
