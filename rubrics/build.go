package rubrics

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
)

// file is one decoded pack file.
type file struct {
	doc *fileDoc
	src *source
}

var (
	reID   = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)
	reLang = regexp.MustCompile(`^[a-z]{2}$`)
)

// checker collects validation errors; build keeps going after an error so
// one run reports every problem.
type checker struct {
	errs ErrorList
	ids  map[string]map[string]loc // kind -> id -> where first defined
}

// seen is the id set of one kind of pack-wide object (rubric, assessment, queue).
func (c *checker) seen(kind string) map[string]loc {
	if c.ids == nil {
		c.ids = map[string]map[string]loc{}
	}
	if c.ids[kind] == nil {
		c.ids[kind] = map[string]loc{}
	}
	return c.ids[kind]
}

func (c *checker) add(l loc, format string, args ...any) {
	c.errs = append(c.errs, &Error{File: l.src.name, Line: l.line(), Msg: fmt.Sprintf(format, args...)})
}

// sortedKeys iterates maps in a fixed order so messages come out the same
// on every run.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// build validates the union of files and assembles the Pack.
func build(files []file, where string) (*Pack, error) {
	c := &checker{}
	var meta *packDoc
	var metaLoc loc
	for _, f := range files {
		if f.doc.Pack == nil {
			continue
		}
		if meta != nil {
			c.add(loc{src: f.src, path: []any{"pack"}}, "pack: is already defined in %s", metaLoc.src.name)
			continue
		}
		meta, metaLoc = f.doc.Pack, loc{src: f.src, path: []any{"pack"}}
	}
	if meta == nil {
		return nil, ErrorList{{File: where, Msg: "no pack: section (id, version, languages) in any file"}}
	}
	p := &Pack{ID: meta.ID, Version: meta.Version, rubricIdx: map[string]*Rubric{}, defaults: map[string]*Rubric{}}
	if !reID.MatchString(meta.ID) {
		c.add(metaLoc.at("id"), "pack id %q must be lowercase letters, digits, '.', '_' or '-'", meta.ID)
	}
	if strings.TrimSpace(meta.Version) == "" {
		c.add(metaLoc.at("version"), "pack version is missing")
	}
	p.Languages = c.languages(metaLoc.at("languages"), meta.Languages, nil)
	if len(meta.Languages) == 0 {
		c.add(metaLoc, "pack languages are missing")
	}
	c.platforms(p, metaLoc, meta.Platforms)

	for _, f := range files {
		for i, d := range f.doc.Rubrics {
			c.rubric(p, loc{src: f.src, path: []any{"rubrics", i}}, d)
		}
	}
	if _, ok := p.defaults[SkillWriting]; !ok {
		c.add(metaLoc, "no default writing rubric: answers that name no item need one (mark a writing rubric default: true)")
	}
	for _, f := range files {
		for i, d := range f.doc.Assessments {
			c.assessment(p, loc{src: f.src, path: []any{"assessments", i}}, d)
		}
	}
	// A broken item is left out of the pack, so "no assessment measures
	// this skill" would only echo an error already reported.
	checkMeasured := len(c.errs) == 0
	for _, f := range files {
		for i, d := range f.doc.Queues {
			c.queue(p, loc{src: f.src, path: []any{"queues", i}}, d, checkMeasured)
		}
	}
	if err := c.errs.err(); err != nil {
		return nil, err
	}
	return p, nil
}

// digest hashes file names and contents in name order.
func digest(names []string, data [][]byte) string {
	h := sha256.New()
	for i, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(data[i]))
		h.Write(data[i])
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:16]
}

// languages checks a language list against the allowed set (nil = any
// well-formed code) and returns it.
func (c *checker) languages(l loc, langs []string, allowed []string) []string {
	seen := map[string]bool{}
	var out []string
	for i, lang := range langs {
		switch {
		case !reLang.MatchString(lang):
			c.add(l.at(i), "language %q is not an ISO 639-1 code (two lowercase letters)", lang)
		case seen[lang]:
			c.add(l.at(i), "language %q is listed twice", lang)
		case allowed != nil && !slices.Contains(allowed, lang):
			c.add(l.at(i), "language %q is not configured in the pack (languages: %s)", lang, strings.Join(allowed, ", "))
		default:
			out = append(out, lang)
		}
		seen[lang] = true
	}
	return out
}

// langKey checks a language used as a mapping key.
func (c *checker) langKey(l loc, lang string, allowed []string, what string) bool {
	if !slices.Contains(allowed, lang) {
		c.add(l, "%s in language %q, which is not declared (languages: %s)", what, lang, strings.Join(allowed, ", "))
		return false
	}
	return true
}

func (c *checker) id(l loc, id, what string, seen map[string]loc) bool {
	if id == "" {
		c.add(l, "%s has no id", what)
		return false
	}
	if !reID.MatchString(id) {
		c.add(l.at("id"), "%s id %q must be lowercase letters, digits, '.', '_' or '-'", what, id)
		return false
	}
	if prev, dup := seen[id]; dup {
		c.add(l.at("id"), "duplicate %s id %q (first at %s:%d)", what, id, prev.src.name, prev.line())
		return false
	}
	seen[id] = l.at("id")
	return true
}

func (c *checker) platforms(p *Pack, l loc, docs []platformDoc) {
	seen := map[string]loc{}
	for i, d := range docs {
		pl := l.at("platforms", i)
		c.id(pl, d.ID, "platform", seen)
		if d.Min == nil || d.Max == nil || *d.Min >= *d.Max {
			c.add(pl, "platform %q needs min and max with min < max", d.ID)
			continue
		}
		out := Platform{ID: d.ID, Title: d.Title, Min: *d.Min, Max: *d.Max, Levels: map[string]int{}}
		for _, lv := range sortedKeys(d.Levels) {
			if !ValidLevel(lv) {
				c.add(pl.at("levels", lv), "%q is not a CEFR level (A1, A2, B1, B2, C1, C2)", lv)
			}
		}
		prev := math.MinInt
		for _, lv := range Levels {
			v, ok := d.Levels[lv]
			switch {
			case !ok:
				c.add(pl.at("levels"), "platform %q has no level for %s", d.ID, lv)
			case v < out.Min || v > out.Max:
				c.add(pl.at("levels", lv), "platform level %d for %s is outside %d..%d", v, lv, out.Min, out.Max)
			case v < prev:
				c.add(pl.at("levels", lv), "platform level for %s (%d) is below the one for the level before (%d)", lv, v, prev)
			}
			if ok {
				out.Levels[lv] = v
				prev = max(prev, v)
			}
		}
		p.platforms = append(p.platforms, out)
	}
}

func (c *checker) rubric(p *Pack, l loc, d rubricDoc) {
	if !c.id(l, d.ID, "rubric", c.seen("rubric")) {
		return
	}
	if !slices.Contains(Skills, d.Skill) {
		c.add(l.at("skill"), "rubric skill %q is not one of %s", d.Skill, strings.Join(Skills, ", "))
	}
	r := &Rubric{ID: d.ID, Title: d.Title, Skill: d.Skill, Default: d.Default, scales: map[string]*Scale{}}
	if d.Length != nil {
		r.Length = c.length(l.at("length"), d.Skill == SkillSpeaking, "a "+d.Skill+" rubric", d.Length)
	}
	if d.Default {
		if prev, ok := p.defaults[d.Skill]; ok {
			c.add(l.at("default"), "rubric %q is the second default for %s (the first is %q)", d.ID, d.Skill, prev.ID)
		} else {
			p.defaults[d.Skill] = r
		}
	}
	var defWeights map[string]float64
	var defCuts []Cut
	if d.Weights != nil {
		defWeights = c.weights(l.at("weights"), d.Weights)
	}
	if d.Cuts != nil {
		defCuts = c.cuts(l.at("cuts"), d.Cuts)
	}
	for _, lang := range sortedKeys(d.Languages) {
		c.langKey(l.at("languages", lang), lang, p.Languages, "rubric values")
	}
	for _, lang := range p.Languages {
		s := &Scale{Rubric: r.ID, Skill: r.Skill, Language: lang, Weights: defWeights, Cuts: defCuts}
		if ld, ok := d.Languages[lang]; ok {
			ll := l.at("languages", lang)
			if ld.Weights != nil {
				s.Weights = c.weights(ll.at("weights"), ld.Weights)
			}
			if ld.Cuts != nil {
				s.Cuts = c.cuts(ll.at("cuts"), ld.Cuts)
			}
			if ld.Calibration != nil {
				s.Fit = c.fit(ll.at("calibration"), ld.Calibration)
			}
		}
		if d.Weights == nil && (d.Languages[lang].Weights == nil) {
			c.add(l, "rubric %q has no weights for %s (set weights: or languages.%s.weights)", d.ID, lang, lang)
		}
		if d.Cuts == nil && (d.Languages[lang].Cuts == nil) {
			c.add(l, "rubric %q has no cuts for %s (set cuts: or languages.%s.cuts)", d.ID, lang, lang)
		}
		r.scales[lang] = s
	}
	p.rubrics = append(p.rubrics, r)
	p.rubricIdx[r.ID] = r
}

func (c *checker) weights(l loc, w map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for _, dim := range sortedKeys(w) {
		v := w[dim]
		switch {
		case !slices.Contains(Dimensions, dim):
			c.add(l.at(dim), "%q is not a dimension (%s)", dim, strings.Join(Dimensions, ", "))
		case !(v > 0) || math.IsInf(v, 0):
			c.add(l.at(dim), "weight of %s must be positive, got %v (leave out a dimension that should not count)", dim, v)
		default:
			out[dim] = v
		}
	}
	if len(w) == 0 {
		c.add(l, "weights are empty")
	}
	return out
}

func (c *checker) cuts(l loc, m map[string]float64) []Cut {
	var out []Cut
	for _, lv := range sortedKeys(m) {
		v := m[lv]
		switch {
		case !ValidLevel(lv):
			c.add(l.at(lv), "cut level %q is not a CEFR level (A1, A2, B1, B2, C1, C2)", lv)
		case !(v >= 0 && v <= 100):
			c.add(l.at(lv), "cut score for %s must be within 0..100, got %v", lv, v)
		default:
			out = append(out, Cut{Level: lv, Min: v})
		}
	}
	slices.SortFunc(out, func(a, b Cut) int { return cmp.Compare(LevelIndex(a.Level), LevelIndex(b.Level)) })
	for i := 1; i < len(out); i++ {
		a, b := out[i-1], out[i]
		if LevelIndex(b.Level) != LevelIndex(a.Level)+1 {
			c.add(l.at(b.Level), "cuts skip from %s to %s: give every level in between", a.Level, b.Level)
		}
		if b.Min <= a.Min {
			c.add(l.at(b.Level), "cut scores must increase: %s (%v) is not above %s (%v)", b.Level, b.Min, a.Level, a.Min)
		}
	}
	if len(m) == 0 {
		c.add(l, "cuts are empty")
	}
	return out
}

func (c *checker) fit(l loc, d *fitDoc) *Fit {
	if d.N < 0 {
		c.add(l.at("n"), "n must not be negative")
	}
	if d.Folds < 0 {
		c.add(l.at("folds"), "folds must not be negative")
	}
	if d.Date != "" {
		if _, err := time.Parse(time.DateOnly, d.Date); err != nil {
			c.add(l.at("date"), "date %q is not YYYY-MM-DD", d.Date)
		}
	}
	for _, k := range sortedKeys(d.Metrics) {
		if v := d.Metrics[k]; math.IsNaN(v) || math.IsInf(v, 0) {
			c.add(l.at("metrics", k), "metric %s is not a finite number", k)
		}
	}
	return &Fit{Data: d.Data, N: d.N, Folds: d.Folds, Date: d.Date, Metrics: d.Metrics, Note: d.Note}
}

func (c *checker) assessment(p *Pack, l loc, d assessmentDoc) {
	if !c.id(l, d.ID, "assessment", c.seen("assessment")) {
		return
	}
	a := &Assessment{ID: d.ID, Title: d.Title, Languages: p.Languages}
	if d.Languages != nil {
		a.Languages = c.languages(l.at("languages"), d.Languages, p.Languages)
	}
	if strings.TrimSpace(d.Title) == "" {
		c.add(l, "assessment %q has no title", d.ID)
	}
	for _, pid := range sortedKeys(d.Passages) {
		pl := l.at("passages", pid)
		if !reID.MatchString(pid) {
			c.add(pl, "passage id %q must be lowercase letters, digits, '.', '_' or '-'", pid)
		}
		texts := d.Passages[pid]
		for _, lang := range sortedKeys(texts) {
			if c.langKey(pl.at(lang), lang, a.Languages, "passage") && strings.TrimSpace(texts[lang]) == "" {
				c.add(pl.at(lang), "passage %q is empty in %s", pid, lang)
			}
		}
		for _, lang := range a.Languages {
			if _, ok := texts[lang]; !ok {
				c.add(pl, "passage %q has no text in %s", pid, lang)
			}
		}
	}
	if len(d.Items) == 0 {
		c.add(l, "assessment %q has no items", d.ID)
	}
	ids := map[string]loc{}
	for i, id := range d.Items {
		il := l.at("items", i)
		if !c.id(il, id.ID, "item", ids) {
			continue
		}
		if it := c.item(p, a, d, il, id); it != nil {
			a.Items = append(a.Items, it)
		}
	}
	p.Assessments = append(p.Assessments, a)
}

func (c *checker) item(p *Pack, a *Assessment, ad assessmentDoc, l loc, d itemDoc) *Item {
	it := &Item{ID: d.ID, Kind: d.Kind, Skill: d.Skill, RubricID: d.Rubric, Weight: 1, Prompts: map[string]string{},
		passageID: d.Passage, keyPoints: map[string][]KeyPoint{}, forbidden: map[string][]Forbidden{}}
	if !slices.Contains(Kinds, d.Kind) {
		c.add(l.at("kind"), "item kind %q is not one of %s", d.Kind, strings.Join(Kinds, ", "))
		return nil
	}
	if it.Skill == "" {
		it.Skill = skillOfKind[it.Kind]
	} else if !slices.Contains(Skills, it.Skill) {
		c.add(l.at("skill"), "item skill %q is not one of %s", d.Skill, strings.Join(Skills, ", "))
		return nil
	}
	it.Weight = c.positive(l.at("weight"), d.Weight, "item weight")
	if d.Rubric != "" {
		r, ok := p.rubricIdx[d.Rubric]
		switch {
		case !ok:
			c.add(l.at("rubric"), "unknown rubric %q", d.Rubric)
		case r.Skill != it.Skill:
			c.add(l.at("rubric"), "rubric %q grades %s, but the item measures %s", d.Rubric, r.Skill, it.Skill)
		default:
			it.rubric = r
		}
	} else if r, ok := p.defaults[it.Skill]; ok {
		it.rubric = r
	} else {
		c.add(l, "item %q names no rubric and there is no default %s rubric", d.ID, it.Skill)
	}
	if d.Passage != "" {
		texts, ok := ad.Passages[d.Passage]
		if !ok {
			c.add(l.at("passage"), "unknown passage %q", d.Passage)
		}
		it.passage = texts
	} else if it.Kind == KindReading {
		c.add(l, "reading item %q has no passage", d.ID)
	}
	if d.Length != nil {
		it.Length = c.length(l.at("length"), it.Kind == KindSpoken, "a "+it.Kind+" item", d.Length)
	}
	for _, lang := range sortedKeys(d.Prompts) {
		if c.langKey(l.at("prompts", lang), lang, a.Languages, "prompt") {
			if strings.TrimSpace(d.Prompts[lang]) == "" {
				c.add(l.at("prompts", lang), "prompt is empty in %s", lang)
			}
			it.Prompts[lang] = d.Prompts[lang]
		}
	}
	for _, lang := range a.Languages {
		if _, ok := d.Prompts[lang]; !ok {
			c.add(l.at("prompts"), "item %q has no prompt in %s", d.ID, lang)
		}
	}
	if it.Kind == KindReading && len(d.KeyPoints) == 0 {
		c.add(l, "reading item %q has no key_points to grade comprehension with", d.ID)
	}
	ids := map[string]loc{}
	for i, kd := range d.KeyPoints {
		kl := l.at("key_points", i)
		c.id(kl, kd.ID, "key point", ids)
		w := c.positive(kl.at("weight"), kd.Weight, "key point weight")
		for lang, phrases := range c.alternatives(kl, a.Languages, kd.Alternatives, "key point "+strconvQuote(kd.ID)) {
			it.keyPoints[lang] = append(it.keyPoints[lang], KeyPoint{ID: kd.ID, Description: kd.Description, Weight: w, Phrases: phrases})
		}
	}
	for i, fd := range d.Forbidden {
		fl := l.at("forbidden", i)
		c.id(fl, fd.ID, "forbidden statement", ids)
		pen := c.positive(fl.at("penalty"), fd.Penalty, "penalty")
		for lang, phrases := range c.alternatives(fl, a.Languages, fd.Alternatives, "forbidden statement "+strconvQuote(fd.ID)) {
			it.forbidden[lang] = append(it.forbidden[lang], Forbidden{ID: fd.ID, Description: fd.Description, Penalty: pen, Phrases: phrases})
		}
	}
	return it
}

// positive is an optional weight or penalty: 1 when the YAML leaves it out;
// NaN, zero, negative or infinite is reported at l (and returned, since the
// pack is rejected anyway).
func (c *checker) positive(l loc, v *float64, what string) float64 {
	if v == nil {
		return 1
	}
	if !(*v > 0) || math.IsInf(*v, 0) {
		c.add(l, "%s must be positive, got %v", what, *v)
	}
	return *v
}

func strconvQuote(s string) string { return fmt.Sprintf("%q", s) }

// alternatives checks the phrasings of a key point or forbidden statement:
// at least one per declared language, none blank or repeated.
func (c *checker) alternatives(l loc, langs []string, alts map[string][]string, what string) map[string][]string {
	out := map[string][]string{}
	for _, lang := range sortedKeys(alts) {
		al := l.at("alternatives", lang)
		if !c.langKey(al, lang, langs, what+" has alternatives") {
			continue
		}
		seen := map[string]bool{}
		for i, ph := range alts[lang] {
			key := strings.ToLower(strings.Join(strings.Fields(ph), " "))
			switch {
			case key == "":
				c.add(al.at(i), "%s has a blank alternative in %s", what, lang)
			case seen[key]:
				c.add(al.at(i), "%s repeats the alternative %q in %s", what, ph, lang)
			default:
				out[lang] = append(out[lang], strings.TrimSpace(ph))
			}
			seen[key] = true
		}
	}
	for _, lang := range langs {
		if len(alts[lang]) == 0 {
			c.add(l, "%s has no alternatives in %s", what, lang)
		}
	}
	return out
}

// length checks an expected length; what names its owner in messages
// ("a spoken item", "a writing rubric").
func (c *checker) length(l loc, spoken bool, what string, d *lengthDoc) Length {
	var out Length
	words := d.MinWords != nil || d.MaxWords != nil
	secs := d.MinSeconds != nil || d.MaxSeconds != nil
	if spoken && words {
		c.add(l, "%s's length is in seconds (min_seconds, max_seconds)", what)
	}
	if !spoken && secs {
		c.add(l, "%s's length is in words (min_words, max_words)", what)
	}
	if d.MinWords != nil {
		out.MinWords = *d.MinWords
	}
	if d.MaxWords != nil {
		out.MaxWords = *d.MaxWords
	}
	if d.MinSeconds != nil {
		out.MinSeconds = *d.MinSeconds
	}
	if d.MaxSeconds != nil {
		out.MaxSeconds = *d.MaxSeconds
	}
	if out.MinWords < 0 || out.MaxWords < 0 || out.MinSeconds < 0 || out.MaxSeconds < 0 ||
		math.IsNaN(out.MinSeconds) || math.IsNaN(out.MaxSeconds) || math.IsInf(out.MaxSeconds, 0) {
		c.add(l, "lengths must be non-negative numbers")
	}
	if out.MaxWords > 0 && out.MinWords > out.MaxWords {
		c.add(l.at("max_words"), "max_words (%d) is below min_words (%d)", out.MaxWords, out.MinWords)
	}
	if out.MaxSeconds > 0 && out.MinSeconds > out.MaxSeconds {
		c.add(l.at("max_seconds"), "max_seconds (%v) is below min_seconds (%v)", out.MaxSeconds, out.MinSeconds)
	}
	return out
}

func (c *checker) queue(p *Pack, l loc, d queueDoc, checkMeasured bool) {
	if !c.id(l, d.ID, "queue", c.seen("queue")) {
		return
	}
	q := Queue{ID: d.ID, Title: d.Title, Language: d.Language, Channel: d.Channel, MinLevels: map[string]string{}}
	if !p.HasLanguage(d.Language) {
		c.add(l.at("language"), "queue language %q is not configured in the pack (languages: %s)", d.Language, strings.Join(p.Languages, ", "))
	}
	if !slices.Contains(Channels, d.Channel) {
		c.add(l.at("channel"), "queue channel %q is not one of %s", d.Channel, strings.Join(Channels, ", "))
	}
	for _, skill := range sortedKeys(d.MinLevels) {
		lv := d.MinLevels[skill]
		switch {
		case !slices.Contains(Skills, skill):
			c.add(l.at("min_levels", skill), "%q is not a skill (%s)", skill, strings.Join(Skills, ", "))
		case !ValidLevel(lv):
			c.add(l.at("min_levels", skill), "minimum level %q is not a CEFR level (A1, A2, B1, B2, C1, C2)", lv)
		default:
			q.MinLevels[skill] = lv
			if checkMeasured && p.HasLanguage(d.Language) && !p.measures(d.Language, skill) {
				c.add(l.at("min_levels", skill), "no assessment measures %s in %s, so no candidate could qualify", skill, d.Language)
			}
			if cuts, ok := p.Cuts(d.Language, skill); ok && len(cuts) > 0 && LevelIndex(cuts[len(cuts)-1].Level) < LevelIndex(lv) {
				c.add(l.at("min_levels", skill), "the %s cuts for %s stop at %s, so no candidate could reach %s", skill, d.Language, cuts[len(cuts)-1].Level, lv)
			}
		}
	}
	if len(d.MinLevels) == 0 {
		c.add(l, "queue %q has no min_levels", d.ID)
	}
	if d.Channel == ChannelVoice && d.MinLevels[SkillSpeaking] == "" {
		c.add(l.at("min_levels"), "voice queue %q needs a minimum speaking level", d.ID)
	}
	if d.Audio != nil {
		if d.Channel != ChannelVoice {
			c.add(l.at("audio"), "audio requirements only apply to voice queues")
		}
		q.Audio = &AudioRequirements{}
		if d.Audio.MinSNRDB != nil {
			q.Audio.MinSNRDB = *d.Audio.MinSNRDB
		}
		if v := d.Audio.MaxClipping; v != nil {
			if !(*v >= 0 && *v <= 1) {
				c.add(l.at("audio", "max_clipping"), "max_clipping is a share of samples, within 0..1")
			}
			q.Audio.MaxClipping = *v
		}
		if v := d.Audio.MinLoudnessLUFS; v != nil {
			if !(*v <= 0) {
				c.add(l.at("audio", "min_loudness_lufs"), "min_loudness_lufs must be at most 0 LUFS")
			}
			q.Audio.MinLoudnessLUFS = *v
		}
	}
	if d.Demand != nil {
		if *d.Demand < 0 {
			c.add(l.at("demand"), "demand must not be negative")
		}
		q.Demand = *d.Demand
	}
	p.queues = append(p.queues, q)
}

// measures reports whether some assessment has an item of skill in lang.
func (p *Pack) measures(lang, skill string) bool {
	for _, a := range p.Assessments {
		for _, it := range a.Items {
			if it.Skill == skill && it.Prompts[lang] != "" {
				return true
			}
		}
	}
	return false
}
