package rubrics

import (
	"math"
	"slices"
)

// Pack is a loaded, validated rubric pack. It is immutable after load: the
// exported slices and maps are shared by every caller and must not be
// modified, which is what makes a Pack safe for concurrent use.
type Pack struct {
	ID          string // e.g. "customer-support-v1"
	Version     string // declared in pack.yaml; record it (with Digest) with every score
	Languages   []string
	Assessments []*Assessment

	// Digest is "sha256:" and 16 hex digits of the pack's file contents, so
	// a score can be traced to the exact files even when someone edits a
	// custom pack without bumping Version.
	Digest string

	rubrics   []*Rubric
	rubricIdx map[string]*Rubric
	defaults  map[string]*Rubric // skill -> default rubric
	queues    []Queue
	platforms []Platform
}

// Ref identifies the pack contents for audit records:
// "customer-support-v1@1.0.0+sha256:0123456789abcdef".
func (p *Pack) Ref() string { return p.ID + "@" + p.Version + "+" + p.Digest }

// HasLanguage reports whether lang is one of the pack's configured languages.
func (p *Pack) HasLanguage(lang string) bool { return slices.Contains(p.Languages, lang) }

// Assessment finds an assessment by id.
func (p *Pack) Assessment(id string) (*Assessment, bool) {
	for _, a := range p.Assessments {
		if a.ID == id {
			return a, true
		}
	}
	return nil, false
}

// Rubric finds a rubric by id.
func (p *Pack) Rubric(id string) (*Rubric, bool) {
	r, ok := p.rubricIdx[id]
	return r, ok
}

// Rubrics lists the pack's rubrics in file order.
func (p *Pack) Rubrics() []*Rubric { return p.rubrics }

// DefaultRubric is the rubric for a skill that items without their own
// rubric use; the writing one also grades answers that name no item.
func (p *Pack) DefaultRubric(skill string) (*Rubric, bool) {
	r, ok := p.defaults[skill]
	return r, ok
}

// WritingRubric is the generic writing rubric's scale for lang, used for an
// answer that names no item. Validation guarantees it for every pack
// language.
func (p *Pack) WritingRubric(lang string) (*Scale, bool) {
	r, ok := p.defaults[SkillWriting]
	if !ok {
		return nil, false
	}
	return r.Scale(lang)
}

// Cuts returns the cut scores of the default rubric for (lang, skill).
func (p *Pack) Cuts(lang, skill string) ([]Cut, bool) {
	r, ok := p.defaults[skill]
	if !ok {
		return nil, false
	}
	s, ok := r.Scale(lang)
	if !ok {
		return nil, false
	}
	return s.Cuts, true
}

// Queues lists the queue catalog in file order.
func (p *Pack) Queues() []Queue { return p.queues }

// Queue finds a queue by id.
func (p *Pack) Queue(id string) (Queue, bool) {
	for _, q := range p.queues {
		if q.ID == id {
			return q, true
		}
	}
	return Queue{}, false
}

// Platforms lists the export platforms' CEFR maps.
func (p *Pack) Platforms() []Platform { return p.platforms }

// PlatformLevel maps a CEFR level to a routing platform's proficiency
// (e.g. "amazon-connect", "B2" -> 4).
func (p *Pack) PlatformLevel(platform, level string) (int, bool) {
	for _, pl := range p.platforms {
		if pl.ID == platform {
			v, ok := pl.Levels[level]
			return v, ok
		}
	}
	return 0, false
}

// Assessment is a set of items a candidate answers in each of its languages.
type Assessment struct {
	ID        string
	Title     string
	Languages []string // every item has a prompt in each
	Items     []*Item
}

// Item finds an item by id.
func (a *Assessment) Item(id string) (*Item, bool) {
	for _, it := range a.Items {
		if it.ID == id {
			return it, true
		}
	}
	return nil, false
}

// Item is one question.
type Item struct {
	ID       string
	Kind     string            // KindWritten, KindSpoken, KindReading
	Skill    string            // SkillReading, SkillWriting, SkillSpeaking
	Prompts  map[string]string // language -> prompt shown to the candidate
	Weight   float64           // share of the item in its skill's level, > 0
	Length   Length            // expected answer length; zero fields are unset
	RubricID string            // as written; "" means the skill's default rubric

	passageID string
	passage   map[string]string
	keyPoints map[string][]KeyPoint
	forbidden map[string][]Forbidden
	rubric    *Rubric
}

// Prompt returns the prompt in lang ("" when the item has none in lang).
func (it *Item) Prompt(lang string) string { return it.Prompts[lang] }

// Languages the item is available in, sorted.
func (it *Item) Languages() []string {
	out := make([]string, 0, len(it.Prompts))
	for l := range it.Prompts {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}

// Passage is the reading text the item is about in lang ("" for none).
func (it *Item) Passage(lang string) string { return it.passage[lang] }

// PassageID names the item's passage ("" for none); items about the same
// text share it.
func (it *Item) PassageID() string { return it.passageID }

// KeyPoints are what a full answer covers, with the phrasings accepted in lang.
func (it *Item) KeyPoints(lang string) []KeyPoint { return it.keyPoints[lang] }

// Forbidden are statements that show misunderstanding, with their phrasings in lang.
func (it *Item) Forbidden(lang string) []Forbidden { return it.forbidden[lang] }

// Rubric is the rubric that grades the item: its own or its skill's default.
func (it *Item) Rubric() *Rubric { return it.rubric }

// Scale is the item's rubric values for lang.
func (it *Item) Scale(lang string) (*Scale, bool) { return it.rubric.Scale(lang) }

// Length is an item's expected answer length. Answers earn length credit
// only up to the maximum, so padding does not pay.
type Length struct {
	MinWords   int     `json:"min_words,omitempty"`   // written and reading items
	MaxWords   int     `json:"max_words,omitempty"`   // 0 = no maximum
	MinSeconds float64 `json:"min_seconds,omitempty"` // spoken items
	MaxSeconds float64 `json:"max_seconds,omitempty"` // 0 = no maximum
}

// KeyPoint is one thing a full answer says, in one language.
type KeyPoint struct {
	ID          string   `json:"id"`
	Description string   `json:"description,omitempty"` // for graders: what the point means
	Weight      float64  `json:"weight"`                // > 0; comprehension = matched weight / total weight
	Phrases     []string `json:"phrases"`               // alternatives: any one of them matching counts
}

// Forbidden is a statement that contradicts the passage or the task, in one
// language. A match subtracts Penalty (in key point weight units) from the
// matched weight.
type Forbidden struct {
	ID          string   `json:"id"`
	Description string   `json:"description,omitempty"`
	Penalty     float64  `json:"penalty"` // > 0
	Phrases     []string `json:"phrases"`
}

// Rubric weights dimension scores into one score per skill and maps it to
// CEFR levels with cut scores, per language.
type Rubric struct {
	ID      string
	Title   string
	Skill   string
	Default bool // the skill's default rubric
	// Length expected of an answer that names no item (the generic
	// rubric's use); zero fields are unset.
	Length Length

	scales map[string]*Scale
}

// Scale returns the rubric's weights and cuts for lang.
func (r *Rubric) Scale(lang string) (*Scale, bool) {
	s, ok := r.scales[lang]
	return s, ok
}

// Scale is a rubric's values for one language.
type Scale struct {
	Rubric   string `json:"rubric"` // rubric id
	Skill    string `json:"skill"`
	Language string `json:"language"`
	// Weights per dimension as written (relative, > 0). Dimensions absent
	// from the map do not count.
	Weights map[string]float64 `json:"weights"`
	Cuts    []Cut              `json:"cuts"`          // ascending by level and by Min
	Fit     *Fit               `json:"fit,omitempty"` // nil when the values were set by hand
}

// Cut is the lowest score that earns Level.
type Cut struct {
	Level string  `json:"level"`
	Min   float64 `json:"min"`
}

// Fit records how a scale's values were calibrated, shown beside them in
// the rubric file.
type Fit struct {
	Data    string             `json:"data,omitempty"`    // data set, e.g. "merlin/merlin_dev.tsv (de)"
	N       int                `json:"n"`                 // rated texts used
	Folds   int                `json:"folds,omitempty"`   // cross-validation folds (0 = none)
	Date    string             `json:"date,omitempty"`    // YYYY-MM-DD
	Metrics map[string]float64 `json:"metrics,omitempty"` // e.g. qwk, exact, adjacent, f1_weighted, spearman, smd
	Note    string             `json:"note,omitempty"`
}

// Dimensions lists the weighted dimensions in the canonical order.
func (s *Scale) Dimensions() []string {
	var out []string
	for _, d := range Dimensions {
		if _, ok := s.Weights[d]; ok {
			out = append(out, d)
		}
	}
	return out
}

// Combine is the weighted mean of the dimension scores present in scores,
// renormalised over those present (a written answer has no fluency). ok is
// false when no weighted dimension has a score.
func (s *Scale) Combine(scores map[string]float64) (score float64, ok bool) {
	var sum, wsum float64
	for d, w := range s.Weights {
		v, has := scores[d]
		if !has || math.IsNaN(v) {
			continue
		}
		sum += w * v
		wsum += w
	}
	if wsum == 0 {
		return 0, false
	}
	return sum / wsum, true
}

// Level maps a 0-100 score to a CEFR level: the highest cut whose Min the
// score reaches, or the level below the first cut (A1).
func (s *Scale) Level(score float64) string {
	level := ""
	if len(s.Cuts) > 0 {
		if i := LevelIndex(s.Cuts[0].Level); i > 0 {
			level = Levels[i-1]
		}
	}
	for _, c := range s.Cuts {
		if score >= c.Min {
			level = c.Level
		}
	}
	if level == "" {
		return Levels[0]
	}
	return level
}

// Queue is a support queue agents are placed in.
type Queue struct {
	ID        string             `json:"id"`
	Title     string             `json:"title,omitempty"`
	Language  string             `json:"language"`
	Channel   string             `json:"channel"`    // ChannelVoice, ChannelChat, ChannelEmail
	MinLevels map[string]string  `json:"min_levels"` // skill -> minimum CEFR level
	Audio     *AudioRequirements `json:"audio,omitempty"`
	Demand    int                `json:"demand"` // headcount wanted
}

// Eligible reports whether per-skill levels meet every minimum of the queue.
func (q Queue) Eligible(levels map[string]string) bool {
	for skill, min := range q.MinLevels {
		if !AtLeast(levels[skill], min) {
			return false
		}
	}
	return true
}

// Gaps lists, per skill the queue requires, how many CEFR steps levels
// fall short (0 = met). A skill with no level yet counts as the full
// distance from below A1, so a near miss is never a candidate who was
// simply not assessed in that skill.
func (q Queue) Gaps(levels map[string]string) map[string]int {
	out := make(map[string]int, len(q.MinLevels))
	for skill, min := range q.MinLevels {
		if have := levels[skill]; ValidLevel(have) {
			out[skill] = LevelGap(have, min)
		} else {
			out[skill] = LevelIndex(min) + 1
		}
	}
	return out
}

// AudioRequirements are what a voice queue needs from a candidate's
// recordings beyond the quality gate; zero fields are unset.
type AudioRequirements struct {
	MinSNRDB        float64 `json:"min_snr_db,omitempty"`        // WADA-SNR estimate, dB
	MaxClipping     float64 `json:"max_clipping,omitempty"`      // share of clipped samples, 0-1
	MinLoudnessLUFS float64 `json:"min_loudness_lufs,omitempty"` // integrated loudness, e.g. -35
}

// Platform maps CEFR levels to a routing platform's proficiency scale for
// exports (Amazon Connect Level 1-5, Genesys Cloud proficiency 0-5).
type Platform struct {
	ID     string         `json:"id"` // e.g. "amazon-connect", "genesys-cloud"
	Title  string         `json:"title,omitempty"`
	Min    int            `json:"min"`
	Max    int            `json:"max"`
	Levels map[string]int `json:"levels"` // every CEFR level -> platform level
}
