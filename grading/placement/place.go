package placement

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/langassess/langassess/rubrics"
)

// Match is a queue the candidate qualifies for.
type Match struct {
	Queue    string `json:"queue"`
	Title    string `json:"title,omitempty"`
	Language string `json:"language"`
	Channel  string `json:"channel"`
	// Margin is how far the weakest required skill lies above the queue's
	// minimum, in CEFR bands (Value - minimum index): the ranking key, so
	// the queue the candidate is safest in comes first.
	Margin float64 `json:"margin"`
}

// Gap is one requirement a candidate misses.
type Gap struct {
	Skill string `json:"skill"`
	Have  string `json:"have"`
	Need  string `json:"need"`
	Bands int    `json:"bands"` // whole CEFR levels missing
	// Distance is Need's index minus the weighted mean Value: how far off
	// the candidate is on the continuous scale.
	Distance float64 `json:"distance"`
}

// AudioGap is an audio requirement of a voice queue a recording misses.
type AudioGap struct {
	Measure string  `json:"measure"` // snr_db, clipped_ratio or loudness_lufs
	Have    float64 `json:"have"`
	Need    float64 `json:"need"` // a minimum, except clipped_ratio (a maximum)
}

// Step is one step of a training path.
type Step struct {
	Skill string   `json:"skill,omitempty"`
	From  string   `json:"from,omitempty"`
	To    string   `json:"to,omitempty"`
	Focus []string `json:"focus,omitempty"` // weakest dimensions first
	Text  string   `json:"text"`
}

// NearMiss is a queue the candidate misses by at most one band per skill
// (or only by the recording setup).
type NearMiss struct {
	Queue     string     `json:"queue"`
	Title     string     `json:"title,omitempty"`
	Language  string     `json:"language"`
	Channel   string     `json:"channel"`
	Gaps      []Gap      `json:"gaps"`
	AudioGaps []AudioGap `json:"audio_gaps,omitempty"`
	Training  []Step     `json:"training"`
}

// Placement is a candidate's placement against the queue catalog.
type Placement struct {
	Eligible   []Match    `json:"eligible"`
	NearMisses []NearMiss `json:"near_misses"`
}

// nearMissBands is the largest per-skill gap still reported as a near
// miss: one level is what a few weeks of focused training can close.
const nearMissBands = 1

// Evaluate checks one queue against a candidate's levels in the queue's
// language. ok is true when eligible (margin set); otherwise gaps and
// audio gaps say why; missing is true when a required skill was not
// assessed at all (then it is neither eligible nor a near miss).
func Evaluate(q rubrics.Queue, l Languages) (margin float64, gaps []Gap, audio []AudioGap, missing bool) {
	margin = math.Inf(1)
	skills := make([]string, 0, len(q.MinLevels))
	for s := range q.MinLevels {
		skills = append(skills, s)
	}
	sort.Slice(skills, func(i, j int) bool {
		return slices.Index(rubrics.Skills, skills[i]) < slices.Index(rubrics.Skills, skills[j])
	})
	for _, skill := range skills {
		need := q.MinLevels[skill]
		have, ok := l.Skills[skill]
		if !ok {
			missing = true
			continue
		}
		d := have.Value - float64(rubrics.LevelIndex(need))
		margin = min(margin, d)
		if !rubrics.AtLeast(have.Level, need) {
			gaps = append(gaps, Gap{Skill: skill, Have: have.Level, Need: need,
				Bands: rubrics.LevelGap(have.Level, need), Distance: round3(-d)})
		}
	}
	if q.Audio != nil {
		a := l.Audio
		if a == nil {
			missing = true
		} else {
			r := q.Audio
			if r.MinSNRDB != 0 && a.SNRdB < r.MinSNRDB {
				audio = append(audio, AudioGap{Measure: "snr_db", Have: a.SNRdB, Need: r.MinSNRDB})
			}
			if r.MaxClipping != 0 && a.ClippedRatio > r.MaxClipping {
				audio = append(audio, AudioGap{Measure: "clipped_ratio", Have: a.ClippedRatio, Need: r.MaxClipping})
			}
			if r.MinLoudnessLUFS != 0 && a.LoudnessLUFS < r.MinLoudnessLUFS {
				audio = append(audio, AudioGap{Measure: "loudness_lufs", Have: a.LoudnessLUFS, Need: r.MinLoudnessLUFS})
			}
		}
	}
	if math.IsInf(margin, 1) {
		margin = 0
	}
	return round3(margin), gaps, audio, missing
}

// Place ranks the queues of the catalog for a candidate: eligible queues by
// margin (largest first, then catalog order), and near misses, each with a
// training path. Queues in languages the candidate was not assessed in, or
// needing a skill that was not assessed, appear in neither list.
func Place(levels []Languages, queues []rubrics.Queue) Placement {
	p := Placement{Eligible: []Match{}, NearMisses: []NearMiss{}}
	byLang := map[string]Languages{}
	for _, l := range levels {
		byLang[l.Language] = l
	}
	for _, q := range queues {
		l, ok := byLang[q.Language]
		if !ok {
			continue
		}
		margin, gaps, audio, missing := Evaluate(q, l)
		if missing {
			continue
		}
		if len(gaps) == 0 && len(audio) == 0 {
			p.Eligible = append(p.Eligible, Match{Queue: q.ID, Title: q.Title, Language: q.Language, Channel: q.Channel, Margin: margin})
			continue
		}
		near := true
		for _, g := range gaps {
			if g.Bands > nearMissBands {
				near = false
			}
		}
		if !near {
			continue
		}
		p.NearMisses = append(p.NearMisses, NearMiss{Queue: q.ID, Title: q.Title, Language: q.Language,
			Channel: q.Channel, Gaps: orEmpty(gaps), AudioGaps: audio, Training: training(gaps, audio, l)})
	}
	sort.SliceStable(p.Eligible, func(i, j int) bool { return p.Eligible[i].Margin > p.Eligible[j].Margin })
	return p
}

func orEmpty(g []Gap) []Gap {
	if g == nil {
		return []Gap{}
	}
	return g
}

// dimensionAdvice is what to practise for a weak dimension.
var dimensionAdvice = map[string]string{
	rubrics.DimComprehension: "reading customer messages for every request and detail",
	rubrics.DimGrammar:       "grammar accuracy",
	rubrics.DimSpelling:      "spelling",
	rubrics.DimVocabulary:    "service vocabulary and range",
	rubrics.DimCoherence:     "structuring answers with connectives",
	rubrics.DimFluency:       "speaking fluency (fewer and shorter pauses)",
}

// training suggests a path: one step per short skill, focused on its two
// weakest dimensions, then the recording setup.
func training(gaps []Gap, audio []AudioGap, l Languages) []Step {
	steps := []Step{}
	for _, g := range gaps {
		focus := l.Weakest[g.Skill]
		if len(focus) > 2 {
			focus = focus[:2]
		}
		text := fmt.Sprintf("raise %s from %s to %s", g.Skill, g.Have, g.Need)
		for i, d := range focus {
			if i == 0 {
				text += ": practise "
			} else {
				text += " and "
			}
			if a, ok := dimensionAdvice[d]; ok {
				text += a
			} else {
				text += d
			}
		}
		steps = append(steps, Step{Skill: g.Skill, From: g.Have, To: g.Need, Focus: focus, Text: text})
	}
	for _, a := range audio {
		var text string
		switch a.Measure {
		case "snr_db":
			text = fmt.Sprintf("record in a quieter place or with a headset microphone (signal-to-noise %.1f dB, need %.0f dB)", a.Have, a.Need)
		case "clipped_ratio":
			text = fmt.Sprintf("lower the microphone input level (%.2f%% of samples clipped, at most %.2f%%)", 100*a.Have, 100*a.Need)
		default:
			text = fmt.Sprintf("speak closer to the microphone or raise its level (loudness %.1f LUFS, need %.0f LUFS)", a.Have, a.Need)
		}
		steps = append(steps, Step{Text: text})
	}
	return steps
}
