package placement

import (
	"math"
	"slices"
	"sort"

	"github.com/langassess/langassess/rubrics"
)

// Answer is one graded (or not yet graded) answer of an assessment, as the
// placement sees it.
type Answer struct {
	Language string
	ItemID   string
	Kind     string  // rubrics.KindWritten or KindSpoken, as submitted
	Skill    string  // rubrics.SkillReading, SkillWriting or SkillSpeaking
	Weight   float64 // the item's share in its skill (rubrics.Item.Weight); <= 0 counts as 1

	// Graded is false while the answer waits for the engine; such an
	// answer makes the assessment incomplete and counts for nothing yet.
	Graded bool
	// Failed answers could not be graded at all (input error, attempts
	// exhausted): they count for nothing and do not hold completion up.
	Failed bool

	MachineLevel  string             // the engine's CEFR level ("" when it gave none)
	MachineScores map[string]float64 // dimension -> 0-100

	// Review is the answer's review state: "" (never flagged), "open"
	// (open or claimed: a person still has to look) or "decided".
	Review string
	// HumanLevel and HumanScores are the final grader decision; they
	// override the machine when HumanLevel is set.
	HumanLevel  string
	HumanScores map[string]float64

	Audio *Audio // spoken answers: the recording's measured quality
}

// Audio is what a voice queue's audio requirements are checked against.
type Audio struct {
	SNRdB        float64 `json:"snr_db"`
	ClippedRatio float64 `json:"clipped_ratio"`
	LoudnessLUFS float64 `json:"loudness_lufs"`
}

// Final is the level that stands for the answer: the grader's when decided,
// else the machine's ("" when neither exists or the answer does not count).
func (a Answer) Final() string {
	if !a.Graded || a.Failed {
		return ""
	}
	if a.HumanLevel != "" {
		return a.HumanLevel
	}
	return a.MachineLevel
}

// scores are the dimension scores that stand (the grader's when decided).
func (a Answer) scores() map[string]float64 {
	if a.HumanLevel != "" && len(a.HumanScores) > 0 {
		return a.HumanScores
	}
	return a.MachineScores
}

// SkillLevel is a candidate's final level in one skill of one language.
type SkillLevel struct {
	Skill string `json:"skill"`
	Level string `json:"level"`
	// Value is the item-weighted mean of the answers' level indexes
	// (A1 = 0 ... C2 = 5); Level is Value rounded, halves down, so a
	// candidate exactly between two levels is not promoted.
	Value    float64 `json:"value"`
	Answers  int     `json:"answers"`
	Reviewed int     `json:"reviewed"` // answers whose level a grader decided
}

// Languages are a candidate's final levels in one language.
type Languages struct {
	Language string                `json:"language"`
	Skills   map[string]SkillLevel `json:"skills"`
	// Audio is the weakest recording (lowest SNR and loudness, most
	// clipping): a voice queue needs every recording to meet its bar, since
	// all come from the candidate's own setup. Nil without spoken answers.
	Audio *Audio `json:"audio,omitempty"`
	// Weakest lists, per skill, the scored dimensions from weakest to
	// strongest (mean over the skill's answers): the training focus.
	Weakest map[string][]string `json:"weakest,omitempty"`
	// Pending counts answers not graded yet, OpenReviews those a person
	// still has to review.
	Pending     int `json:"pending"`
	OpenReviews int `json:"open_reviews"`
}

// Complete reports whether nothing is left to decide: every answer graded
// (or failed for good) and no review open.
func (l Languages) Complete() bool { return l.Pending == 0 && l.OpenReviews == 0 }

// LevelFromValue rounds a weighted mean level index to a CEFR level, halves
// down ("" for NaN).
func LevelFromValue(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	i := int(math.Ceil(v - 0.5 - 1e-9))
	i = min(max(i, 0), len(rubrics.Levels)-1)
	return rubrics.Levels[i]
}

// FinalLevels combines answers into levels per language and skill, in the
// order languages first appear in answers. A decision overrides the
// machine; answers without a level (pending, failed, unscorable) do not
// count towards a skill.
func FinalLevels(answers []Answer) []Languages {
	type acc struct {
		sum, wsum float64
		n, rev    int
		dims      map[string][2]float64 // dimension -> sum, count
	}
	var order []string
	byLang := map[string]map[string]*acc{}
	out := map[string]*Languages{}
	for _, a := range answers {
		l, ok := out[a.Language]
		if !ok {
			l = &Languages{Language: a.Language, Skills: map[string]SkillLevel{}}
			out[a.Language] = l
			byLang[a.Language] = map[string]*acc{}
			order = append(order, a.Language)
		}
		switch {
		case a.Failed:
		case !a.Graded:
			l.Pending++
		case a.Review == "open":
			l.OpenReviews++
		}
		if a.Audio != nil && a.Graded && !a.Failed {
			if l.Audio == nil {
				c := *a.Audio
				l.Audio = &c
			} else {
				l.Audio.SNRdB = min(l.Audio.SNRdB, a.Audio.SNRdB)
				l.Audio.LoudnessLUFS = min(l.Audio.LoudnessLUFS, a.Audio.LoudnessLUFS)
				l.Audio.ClippedRatio = max(l.Audio.ClippedRatio, a.Audio.ClippedRatio)
			}
		}
		idx := rubrics.LevelIndex(a.Final())
		if idx < 0 || a.Skill == "" {
			continue
		}
		s := byLang[a.Language][a.Skill]
		if s == nil {
			s = &acc{dims: map[string][2]float64{}}
			byLang[a.Language][a.Skill] = s
		}
		w := a.Weight
		if w <= 0 {
			w = 1
		}
		s.sum += w * float64(idx)
		s.wsum += w
		s.n++
		if a.HumanLevel != "" {
			s.rev++
		}
		for d, v := range a.scores() {
			p := s.dims[d]
			s.dims[d] = [2]float64{p[0] + v, p[1] + 1}
		}
	}
	res := make([]Languages, 0, len(order))
	for _, lang := range order {
		l := out[lang]
		for skill, s := range byLang[lang] {
			v := s.sum / s.wsum
			l.Skills[skill] = SkillLevel{Skill: skill, Level: LevelFromValue(v), Value: round3(v), Answers: s.n, Reviewed: s.rev}
			if len(s.dims) > 0 {
				if l.Weakest == nil {
					l.Weakest = map[string][]string{}
				}
				l.Weakest[skill] = weakest(s.dims)
			}
		}
		res = append(res, *l)
	}
	return res
}

// weakest orders dimensions by mean score, lowest first (length is left
// out: writing more is not a skill to train).
func weakest(dims map[string][2]float64) []string {
	var names []string
	for d := range dims {
		if d != rubrics.DimLength {
			names = append(names, d)
		}
	}
	mean := func(d string) float64 { return dims[d][0] / dims[d][1] }
	sort.Slice(names, func(i, j int) bool {
		mi, mj := mean(names[i]), mean(names[j])
		if mi != mj {
			return mi < mj
		}
		return slices.Index(rubrics.Dimensions, names[i]) < slices.Index(rubrics.Dimensions, names[j])
	})
	return names
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }
