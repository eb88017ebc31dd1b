package hunspell

import (
	"strings"
	"unicode/utf8"
)

// Compound positions, as Hunspell's IN_CPD_*: they decide which affixes a
// compound part may carry.
type cpdPos int

const (
	cpdNot cpdPos = iota
	cpdBegin
	cpdEnd
	cpdOther
)

// hit is one analysis of a word: the stem's flags and the affixes stripped.
type hit struct {
	root flagSet
	pfx  *affix
	sfx  *affix
	ok   bool
}

// maxWordRunes mirrors Hunspell's limit on word length; longer tokens are
// wrong, and the limit bounds compound recursion.
const maxWordRunes = 100

func (d *Dictionary) lookup(w string) []flagSet { return d.words[w] }

// Spell reports whether word is spelled correctly. word is one token as a
// text parser finds it (see Words); surrounding punctuation is not stripped
// beyond trailing dots, as in Hunspell.
func (d *Dictionary) Spell(word string) bool {
	return d.spell(word, 0)
}

func (d *Dictionary) spell(word string, depth int) bool {
	a := d.aff
	word = convert(word, a.iconvT)
	if a.ignore != "" {
		word = removeChars(word, a.ignore)
	}
	if word == "" || utf8.RuneCountInString(word) > maxWordRunes {
		return word == ""
	}
	w := strings.TrimRight(word, ".")
	abbv := len(w) < len(word)
	if w == "" {
		return true
	}
	if isNumber(w) {
		return true
	}
	ok, forbidden := d.spellCased(w, abbv, true)
	if ok {
		return true
	}
	if forbidden || depth > 10 {
		return false
	}
	// Hunspell breaks an all-capitals word after turning it into its
	// initial-capital form, so "BERLIN-WEIT" passes and "BERLIN-MITTE"
	// does not; we match it.
	if capType(w) == capAll {
		w = initCap(strings.ToLower(w))
	}
	return d.spellBreak(w, depth)
}

// isNumber accepts numbers with single dots, commas and dashes between
// digits, as Hunspell does.
func isNumber(s string) bool {
	sep := true // no separator at the start
	digit := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digit, sep = true, false
		case c == ',' || c == '.' || c == '-':
			if sep {
				return false
			}
			sep, digit = true, false
		default:
			return false
		}
	}
	return digit
}

func (d *Dictionary) spellBreak(w string, depth int) bool {
	n := 0
	for _, b := range d.aff.breaks {
		if p := strings.Trim(b, "^$"); p != "" {
			n += strings.Count(w, p)
		}
	}
	if n >= 10 {
		return false
	}
	for _, b := range d.aff.breaks {
		if len(b) < 2 || len(b) > len(w) {
			continue
		}
		if b[0] == '^' && strings.HasPrefix(w, b[1:]) && d.spell(w[len(b)-1:], depth+1) {
			return true
		}
		if b[len(b)-1] == '$' && strings.HasSuffix(w, b[:len(b)-1]) && d.spell(w[:len(w)-len(b)+1], depth+1) {
			return true
		}
	}
	// Break inside the word at the second occurrence of a pattern when
	// there is one, so dictionary words containing the pattern are still
	// found; then at the first occurrence, as Hunspell does.
	for _, second := range []bool{true, false} {
		for _, b := range d.aff.breaks {
			if b == "" || b[0] == '^' || b[len(b)-1] == '$' {
				continue
			}
			found := strings.Index(w, b)
			if found <= 0 || found >= len(w)-len(b) {
				continue
			}
			if second {
				if f2 := strings.Index(w[found+1:], b); f2 >= 0 {
					f2 += found + 1
					if f2 > 0 && f2 < len(w)-len(b) {
						found = f2
					}
				}
			}
			if d.spell(w[found+len(b):], depth+1) && d.spell(w[:found], depth+1) {
				return true
			}
		}
	}
	return false
}

// spellCased tries the capitalisation variants Hunspell tries.
func (d *Dictionary) spellCased(w string, abbv, cpd bool) (ok, forbidden bool) {
	a := d.aff
	ct := capType(w)
	switch ct {
	case capNone, capHuh, capHuhInit:
		_, ok, forb := d.checkword(w, false, cpd)
		if ok {
			return true, false
		}
		if forb {
			return false, true
		}
		if abbv {
			if _, ok, _ := d.checkword(w+".", false, cpd); ok {
				return true, false
			}
		}
		return false, false
	case capAll:
		if _, ok, forb := d.checkword(w, false, cpd); ok {
			return true, false
		} else if forb {
			return false, true
		}
		if abbv {
			if _, ok, _ := d.checkword(w+".", false, cpd); ok {
				return true, false
			}
		}
		lower := strings.ToLower(w)
		if a.checkSharps && strings.Contains(lower, "ss") {
			if d.spellSharps(lower, 0, 0, 0, cpd) || d.spellSharps(initCap(lower), 0, 0, 0, cpd) {
				return true, false
			}
		}
	}
	// INITCAP, and ALLCAP falling through: the initial-capital form,
	// then the lower-case form.
	lower := strings.ToLower(w)
	initc := initCap(lower)
	root, ok, forb := d.checkword(initc, ct == capInit, cpd)
	if forb {
		return false, true
	}
	if ok && root.has(a.keepCase) && ct == capAll {
		ok = false
	}
	if ok {
		return true, false
	}
	root, ok, forb = d.checkword(lower, false, cpd)
	if forb {
		return false, true
	}
	if !ok && abbv {
		root, ok, _ = d.checkword(lower+".", false, cpd)
		if !ok {
			root, ok, _ = d.checkword(initc+".", ct == capInit, cpd)
			if ok && root.has(a.keepCase) && ct == capAll {
				return false, false
			}
			return ok, false
		}
	}
	if ok && root.has(a.keepCase) && (ct == capAll || !(a.checkSharps && strings.Contains(w, "ß"))) {
		ok = false
	}
	return ok, false
}

// spellSharps tries every combination of "ss" -> "ß" (German CHECKSHARPS).
func (d *Dictionary) spellSharps(base string, pos, n, repnum int, cpd bool) bool {
	i := strings.Index(base[pos:], "ss")
	if i >= 0 && n < 5 {
		i += pos
		alt := base[:i] + "ß" + base[i+2:]
		if d.spellSharps(alt, i+len("ß"), n+1, repnum+1, cpd) {
			return true
		}
		return d.spellSharps(base, i+2, n+1, repnum, cpd)
	}
	if repnum > 0 {
		_, ok, _ := d.checkword(base, false, cpd)
		return ok
	}
	return false
}

// checkword is Hunspell's checkword: stem lookup, affixes, then compounds.
// initCapInput marks input that was typed with an initial capital, which
// may not match the hidden twins of mixed-case words; cpd false leaves out
// compounds (the first round of suggestions, as in Hunspell).
func (d *Dictionary) checkword(w string, initCapInput, cpd bool) (root flagSet, ok, forbidden bool) {
	a := d.aff
	homs := d.lookup(w)
	if len(homs) > 0 {
		if homs[0].has(a.forbidden) {
			return nil, false, true
		}
		for _, fs := range homs {
			if fs.has(a.needAffix) || fs.has(a.onlyInCompound) || (initCapInput && fs.has(hiddenUpcase)) {
				continue
			}
			return fs, true, false
		}
	}
	h := d.affixCheck(w, 0, cpdNot)
	if h.ok {
		if h.root.has(a.onlyInCompound) || (initCapInput && h.root.has(hiddenUpcase)) {
			return nil, false, false
		}
		if h.root.has(a.forbidden) {
			return nil, false, true
		}
		return h.root, true, false
	}
	if !cpd {
		return nil, false, false
	}
	if a.compoundFlag != 0 || a.compoundBegin != 0 {
		budget := compoundBudget
		if r, ok := d.compoundCheck(w, 0, 0, &budget); ok {
			return r, true, false
		}
	}
	if len(a.compoundRules) > 0 {
		if d.ruleCompound(w) {
			return flagSet{}, true, false
		}
	}
	return nil, false, false
}

// affixCheck is Hunspell's affix_check, with the suffix pass first: most
// inflected words carry a suffix only, and the prefix pass with its cross
// products costs several times more (French). The answer is the same
// unless two analyses disagree on FORBIDDENWORD or KEEPCASE, which the
// comparison with the hunspell command (langassess-eval spelling) would
// show.
func (d *Dictionary) affixCheck(w string, need flag, in cpdPos) hit {
	if h := d.suffixCheck(w, false, nil, 0, need, in); h.ok {
		return h
	}
	if h := d.prefixCheck(w, in, need); h.ok {
		return h
	}
	if len(d.aff.contFlags) > 0 {
		if h := d.suffixCheckTwo(w, false, nil, need); h.ok {
			return h
		}
		if h := d.prefixCheckTwo(w, cpdNot, need); h.ok {
			return h
		}
	}
	return hit{}
}

// eachPrefix calls fn for every prefix entry whose appended string starts w.
func (d *Dictionary) eachPrefix(w string, fn func(*affix) bool) bool {
	for i := 0; i <= len(w); {
		for _, pe := range d.aff.pfx[w[:i]] {
			if fn(pe) {
				return true
			}
		}
		if i == len(w) {
			break
		}
		_, n := utf8.DecodeRuneInString(w[i:])
		i += n
	}
	return false
}

// eachSuffix calls fn for every suffix entry whose appended string ends w,
// the empty suffix first.
func (d *Dictionary) eachSuffix(w string, fn func(*affix) bool) bool {
	for i := len(w); i >= 0; {
		for _, se := range d.aff.sfx[w[i:]] {
			if fn(se) {
				return true
			}
		}
		if i == 0 {
			break
		}
		_, n := utf8.DecodeLastRuneInString(w[:i])
		i -= n
	}
	return false
}

func (d *Dictionary) prefixCheck(w string, in cpdPos, need flag) (out hit) {
	a := d.aff
	d.eachPrefix(w, func(pe *affix) bool {
		if (in == cpdNot && pe.cont.has(a.onlyInCompound)) || (in == cpdEnd && !pe.cont.has(a.compoundPermit)) {
			return false
		}
		out = d.pfxCheckword(pe, w, in, need)
		return out.ok
	})
	return out
}

func (d *Dictionary) pfxCheckword(pe *affix, w string, in cpdPos, need flag) hit {
	a := d.aff
	tmpl := len(w) - len(pe.append)
	if !(tmpl > 0 || (tmpl == 0 && a.fullStrip)) {
		return hit{}
	}
	tmp := pe.strip + w[len(pe.append):]
	if !pe.matchCond(tmp) {
		return hit{}
	}
	for _, fs := range d.lookup(tmp) {
		if fs.has(pe.flag) && !pe.cont.has(a.needAffix) &&
			(need == 0 || fs.has(need) || pe.cont.has(need)) {
			return hit{root: fs, pfx: pe, ok: true}
		}
	}
	if pe.cross && in != cpdBegin {
		if h := d.suffixCheck(tmp, true, pe, 0, need, in); h.ok {
			return h
		}
	}
	return hit{}
}

func (d *Dictionary) suffixCheck(w string, xp bool, ppfx *affix, cclass, need flag, in cpdPos) hit {
	a := d.aff
	var badflag flag
	if in == cpdNot {
		badflag = a.onlyInCompound
	}
	var pcont flagSet
	if ppfx != nil {
		pcont = ppfx.cont
	}
	for i := len(w); i >= 0; {
		list := a.sfx[w[i:]]
		// Entries sharing an appended string are sorted by stripped
		// string, so the stem is built and looked up once per strip:
		// most candidates fail at that lookup.
		lastStrip, looked := "", false
		var homs []flagSet
		var tmp string
		for _, se := range list {
			if cclass != 0 && len(se.cont) == 0 {
				continue
			}
			if in == cpdBegin && !se.cont.has(a.compoundPermit) {
				continue
			}
			if a.circumfix != 0 && pcont.has(a.circumfix) != se.cont.has(a.circumfix) {
				continue
			}
			if in == cpdNot && se.cont.has(a.onlyInCompound) {
				continue
			}
			if cclass == 0 && se.cont.has(a.needAffix) && (ppfx == nil || pcont.has(a.needAffix)) {
				continue
			}
			if xp && !se.cross {
				continue
			}
			if !(i > 0 || (i == 0 && a.fullStrip)) {
				continue
			}
			if !looked || se.strip != lastStrip {
				tmp = w[:i] + se.strip
				homs = d.lookup(tmp)
				lastStrip, looked = se.strip, true
			}
			if len(homs) == 0 || !se.matchCond(tmp) {
				continue
			}
			if h := d.sfxMatch(se, homs, xp, ppfx, cclass, need, badflag); h.ok {
				return h
			}
		}
		if i == 0 {
			break
		}
		_, n := utf8.DecodeLastRuneInString(w[:i])
		i -= n
	}
	return hit{}
}

// sfxMatch is the flag part of Hunspell's SfxEntry::checkword, for the
// homonyms of the stem se leaves.
func (d *Dictionary) sfxMatch(se *affix, homs []flagSet, xp bool, ppfx *affix, cclass, need, badflag flag) hit {
	for _, fs := range homs {
		if !(fs.has(se.flag) || (ppfx != nil && ppfx.cont.has(se.flag))) {
			continue
		}
		if xp && !(ppfx != nil && (fs.has(ppfx.flag) || se.cont.has(ppfx.flag))) {
			continue
		}
		if cclass != 0 && !se.cont.has(cclass) {
			continue
		}
		if badflag != 0 && fs.has(badflag) {
			continue
		}
		if need != 0 && !fs.has(need) && !se.cont.has(need) {
			continue
		}
		return hit{root: fs, pfx: ppfx, sfx: se, ok: true}
	}
	return hit{}
}

// suffixCheckTwo handles twofold suffixes: an outer suffix whose flag is a
// continuation class of the inner one.
func (d *Dictionary) suffixCheckTwo(w string, xp bool, ppfx *affix, need flag) (out hit) {
	a := d.aff
	d.eachSuffix(w, func(se *affix) bool {
		if !a.contFlags[se.flag] {
			return false
		}
		if xp && !se.cross {
			return false
		}
		tmpl := len(w) - len(se.append)
		if tmpl <= 0 {
			return false
		}
		tmp := w[:tmpl] + se.strip
		if !se.matchCond(tmp) {
			return false
		}
		if ppfx != nil && !se.cont.has(ppfx.flag) {
			out = d.suffixCheck(tmp, xp, ppfx, se.flag, need, cpdNot)
		} else {
			out = d.suffixCheck(tmp, false, nil, se.flag, need, cpdNot)
		}
		if out.ok {
			out.sfx = se
		}
		return out.ok
	})
	return out
}

func (d *Dictionary) prefixCheckTwo(w string, in cpdPos, need flag) (out hit) {
	a := d.aff
	d.eachPrefix(w, func(pe *affix) bool {
		tmpl := len(w) - len(pe.append)
		if !(tmpl > 0 || (tmpl == 0 && a.fullStrip)) {
			return false
		}
		tmp := pe.strip + w[len(pe.append):]
		if !pe.matchCond(tmp) || !pe.cross || in == cpdBegin {
			return false
		}
		out = d.suffixCheckTwo(tmp, true, pe, need)
		if out.ok {
			out.pfx = pe
		}
		return out.ok
	})
	return out
}

// compoundMin is COMPOUNDMIN, default 3 as in Hunspell.
func (a *affixData) cpdMin() int {
	if a.compoundMin > 0 {
		return a.compoundMin
	}
	return 3
}

// compoundCheck is the flag-based part of Hunspell's compound_check
// (COMPOUNDFLAG, COMPOUNDBEGIN/MIDDLE/END, COMPOUNDPERMITFLAG,
// ONLYINCOMPOUND, COMPOUNDFORBIDFLAG). It returns the first part's flags.
func (d *Dictionary) compoundCheck(w string, wordnum, depth int, budget *int) (flagSet, bool) {
	a := d.aff
	if depth > 10 || *budget <= 0 {
		return nil, false
	}
	cmin := a.cpdMin()
	cf, cb, cm, ce := a.compoundFlag, a.compoundBegin, a.compoundMiddle, a.compoundEnd
	total := utf8.RuneCountInString(w)
	if total < 2*cmin {
		return nil, false
	}
	runes := 0
	for i := 0; i < len(w); {
		_, n := utf8.DecodeRuneInString(w[i:])
		i += n
		runes++
		if runes < cmin {
			continue
		}
		if total-runes < cmin {
			break
		}
		st, rest := w[:i], w[i:]
		*budget--
		if *budget <= 0 {
			return nil, false
		}

		var h hit
		checkedPrefix := false
		for _, fs := range d.lookup(st) {
			if fs.has(a.needAffix) {
				continue
			}
			if (cf != 0 && fs.has(cf)) || (wordnum == 0 && fs.has(cb)) || (wordnum > 0 && fs.has(cm)) {
				h = hit{root: fs, ok: true}
				break
			}
		}
		if !h.ok {
			if cf != 0 {
				h = d.prefixCheck(st, cpdBegin, cf)
				if !h.ok {
					h = d.suffixCheck(st, false, nil, 0, cf, cpdBegin)
					if h.ok && h.sfx != nil && (h.sfx.cont.has(a.compoundForbid) || h.sfx.cont.has(ce)) {
						h = hit{}
					}
				}
			}
			if h.ok {
				checkedPrefix = true
			} else if wordnum == 0 && cb != 0 {
				h = d.suffixCheck(st, false, nil, 0, cb, cpdBegin)
				if !h.ok {
					h = d.prefixCheck(st, cpdBegin, cb)
				}
				checkedPrefix = h.ok
			} else if wordnum > 0 && cm != 0 {
				h = d.suffixCheck(st, false, nil, 0, cm, cpdOther)
				if !h.ok {
					h = d.prefixCheck(st, cpdOther, cm)
				}
				checkedPrefix = h.ok
			}
		}
		if h.ok && ce != 0 && ((h.pfx != nil && h.pfx.cont.has(ce)) || (h.sfx != nil && h.sfx.cont.has(ce))) {
			h = hit{}
		}
		if h.ok && !checkedPrefix && wordnum == 0 && cm != 0 && ((h.pfx != nil && h.pfx.cont.has(cm)) || (h.sfx != nil && h.sfx.cont.has(cm))) {
			h = hit{}
		}
		if h.ok && (h.root.has(a.forbidden) || h.root.has(hiddenUpcase)) {
			return nil, false
		}
		if !h.ok {
			continue
		}
		if !(checkedPrefix || (cf != 0 && h.root.has(cf)) || (wordnum == 0 && h.root.has(cb)) || (wordnum > 0 && h.root.has(cm))) {
			continue
		}
		// The rest as one last part: a stem, then with affixes.
		for _, fs := range d.lookup(rest) {
			if fs.has(a.needAffix) {
				continue
			}
			if (cf != 0 && fs.has(cf)) || (ce != 0 && fs.has(ce)) {
				if fs.has(a.forbidden) || fs.has(hiddenUpcase) {
					break
				}
				return h.root, true
			}
		}
		var h2 hit
		if cf != 0 {
			h2 = d.affixCheck(rest, cf, cpdEnd)
		}
		if !h2.ok && ce != 0 {
			h2 = d.affixCheck(rest, ce, cpdEnd)
		}
		if h2.ok && a.compoundForbid != 0 && ((h2.pfx != nil && h2.pfx.cont.has(a.compoundForbid)) || (h2.sfx != nil && h2.sfx.cont.has(a.compoundForbid))) {
			h2 = hit{}
		}
		if h2.ok && (h2.root.has(a.forbidden) || h2.root.has(hiddenUpcase)) {
			return nil, false
		}
		if h2.ok {
			return h.root, true
		}
		// The rest as a compound of its own.
		if _, ok := d.compoundCheck(rest, wordnum+1, depth+1, budget); ok {
			return h.root, true
		}
	}
	return nil, false
}

// compoundBudget bounds the split points tried for one word: compound
// analysis is exponential in the worst case, and words come from candidates'
// answers. Real compounds need a few dozen.
const compoundBudget = 400

// ruleCompound checks COMPOUNDRULE compounds (English ordinals such as
// "21st", Dutch and Swedish numerals): every part a dictionary stem, the
// sequence of parts matching a rule.
func (d *Dictionary) ruleCompound(w string) bool {
	a := d.aff
	if utf8.RuneCountInString(w) > 40 {
		return false
	}
	cmin := a.cpdMin()
	var parts []flagSet
	budget := compoundBudget
	var rec func(s string) bool
	rec = func(s string) bool {
		if budget--; budget <= 0 {
			return false
		}
		runes := 0
		for i := 0; i < len(s); {
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
			runes++
			if runes < cmin {
				continue
			}
			homs := d.lookup(s[:i])
			if i == len(s) && len(parts) >= 1 && len(homs) == 0 {
				// The last part may carry affixes, as in Hunspell
				// ("16-åringar": åring + ar).
				if h := d.affixCheck(s, 0, cpdEnd); h.ok {
					homs = []flagSet{h.root}
				}
			}
			for _, fs := range homs {
				parts = append(parts, fs)
				if i == len(s) {
					if len(parts) >= 2 && a.matchRules(parts) {
						return true
					}
				} else if len(parts) < 10 && rec(s[i:]) {
					return true
				}
				parts = parts[:len(parts)-1]
			}
		}
		return false
	}
	return rec(w)
}

func (a *affixData) matchRules(parts []flagSet) bool {
	for _, r := range a.compoundRules {
		if matchRule(r, parts) {
			return true
		}
	}
	return false
}

func matchRule(r []ruleElem, parts []flagSet) bool {
	if len(r) == 0 {
		return len(parts) == 0
	}
	e := r[0]
	switch e.quant {
	case '*':
		if matchRule(r[1:], parts) {
			return true
		}
		return len(parts) > 0 && parts[0].has(e.flag) && matchRule(r, parts[1:])
	case '?':
		if matchRule(r[1:], parts) {
			return true
		}
		return len(parts) > 0 && parts[0].has(e.flag) && matchRule(r[1:], parts[1:])
	}
	return len(parts) > 0 && parts[0].has(e.flag) && matchRule(r[1:], parts[1:])
}

// convTable is an ICONV or OCONV table indexed by the first byte of each
// pattern, so words without such a byte pass untouched and the others
// try only the patterns that can match.
type convTable struct {
	pairs   [][2]string
	byFirst [256][]int
}

func newConvTable(pairs [][2]string) *convTable {
	t := &convTable{pairs: pairs}
	for i, p := range pairs {
		if p[0] != "" {
			t.byFirst[p[0][0]] = append(t.byFirst[p[0][0]], i)
		}
	}
	return t
}

// convert applies the table, longest match first at each position.
func convert(s string, t *convTable) string {
	if t == nil {
		return s
	}
	var b strings.Builder
	changed := false
	for i := 0; i < len(s); {
		best := -1
		for _, k := range t.byFirst[s[i]] {
			p := t.pairs[k]
			if strings.HasPrefix(s[i:], p[0]) && (best < 0 || len(p[0]) > len(t.pairs[best][0])) {
				best = k
			}
		}
		if best >= 0 && t.pairs[best][1] != t.pairs[best][0] {
			if !changed {
				b.WriteString(s[:i])
				changed = true
			}
			b.WriteString(t.pairs[best][1])
			i += len(t.pairs[best][0])
			continue
		}
		n := 1
		if best >= 0 {
			n = len(t.pairs[best][0])
		}
		if changed {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	if !changed {
		return s
	}
	return b.String()
}

// SpellExact reports whether word is correct exactly as written, without
// the lower-case fallback Spell applies to capitalised words: "Company" is
// not exact in English while "company" is, "Haus" is in German. Grammar
// checks use it to find words capitalised in the middle of a sentence.
func (d *Dictionary) SpellExact(word string) bool {
	word = convert(word, d.aff.iconvT)
	w := strings.TrimRight(word, ".")
	if w == "" || isNumber(w) {
		return true
	}
	_, ok, _ := d.checkword(w, capType(w) == capInit, true)
	return ok
}

// StemFlags reports whether word is a stem of the dictionary exactly as
// written, and whether any of its homonyms carries one of flags (written
// as in the .dic file, e.g. "ST"). Grammar rules use it to read word
// classes the dictionary encodes, such as German noun genders.
func (d *Dictionary) StemFlags(word, flags string) (stem, has bool) {
	homs := d.lookup(word)
	if len(homs) == 0 {
		return false, false
	}
	want, err := d.aff.parseRawFlags(flags)
	if err != nil {
		return true, false
	}
	for _, fs := range homs {
		for _, f := range want {
			if fs.has(f) {
				return true, true
			}
		}
	}
	return true, false
}
