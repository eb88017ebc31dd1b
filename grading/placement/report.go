package placement

import (
	"math"
	"slices"
	"sort"
	"time"

	"github.com/langassess/langassess/rubrics"
)

// Resolve fills each answer's skill and weight from the pack's item (the
// assessment key is the pack's assessment id). Items the pack does not know
// keep their skill, or get the skill of their kind (written -> writing,
// spoken -> speaking), with weight 1.
func Resolve(pack *rubrics.Pack, assessmentKey string, answers []Answer) {
	pa, _ := pack.Assessment(assessmentKey)
	for i := range answers {
		a := &answers[i]
		if pa != nil {
			if it, ok := pa.Item(a.ItemID); ok {
				a.Skill, a.Weight = it.Skill, it.Weight
				continue
			}
		}
		if a.Skill == "" {
			switch a.Kind {
			case rubrics.KindSpoken:
				a.Skill = rubrics.SkillSpeaking
			case rubrics.KindReading:
				a.Skill = rubrics.SkillReading
			default:
				a.Skill = rubrics.SkillWriting
			}
		}
		if a.Weight <= 0 {
			a.Weight = 1
		}
	}
}

// Candidate is one assessment's answers.
type Candidate struct {
	ID      string
	Answers []Answer
	// TimeToDecision is, per language, from the last answer submitted to
	// the last grade or decision that completed it (absent while
	// incomplete).
	TimeToDecision map[string]time.Duration
	// CompletedAt is, per complete language, the time of that last grade
	// or decision: when the language became complete (the trend report's
	// period).
	CompletedAt map[string]time.Time
}

// Summary is one assessment as the planner report counts it: its final
// levels per language (Weakest may be left out) and time to decision.
type Summary struct {
	ID             string
	Languages      []Languages
	TimeToDecision map[string]time.Duration
	CompletedAt    map[string]time.Time
}

// Summarize computes a candidate's summary from its answers.
func Summarize(c Candidate) Summary {
	return Summary{ID: c.ID, Languages: FinalLevels(c.Answers), TimeToDecision: c.TimeToDecision, CompletedAt: c.CompletedAt}
}

// ReportRow is the placement report for one language and channel.
type ReportRow struct {
	Language string   `json:"language"`
	Channel  string   `json:"channel"`
	Queues   []string `json:"queues"`
	// Assessed candidates answered at least one item in the language;
	// Complete ones have nothing left to grade or review in it;
	// Eligible ones are complete and qualify for at least one of the
	// queues; PendingReview ones have a review open in the language.
	Assessed      int `json:"assessed"`
	Complete      int `json:"complete"`
	Eligible      int `json:"eligible"`
	PendingReview int `json:"pending_review"`
	// Levels is the distribution of final levels of complete candidates,
	// per skill the queues require: skill -> level -> candidates.
	Levels map[string]map[string]int `json:"levels"`
	// MedianTimeToDecisionSec is over complete candidates (nil for none).
	MedianTimeToDecisionSec *float64 `json:"median_time_to_decision_s"`
	Demand                  int      `json:"demand"` // headcount wanted, summed over the queues
	// Coverage is Eligible / Demand (nil when there is no demand).
	Coverage *float64 `json:"coverage"`
}

// Report counts candidates per language and channel of the queue catalog;
// language and channel filter the rows ("" for all). Rows follow the
// catalog's order of first appearance.
func Report(cands []Summary, queues []rubrics.Queue, language, channel string) []ReportRow {
	type key struct{ lang, channel string }
	var keys []key
	rows := map[key]*ReportRow{}
	times := map[key][]float64{}
	for _, q := range queues {
		if (language != "" && q.Language != language) || (channel != "" && q.Channel != channel) {
			continue
		}
		k := key{q.Language, q.Channel}
		r, ok := rows[k]
		if !ok {
			r = &ReportRow{Language: q.Language, Channel: q.Channel, Levels: map[string]map[string]int{}}
			rows[k] = r
			keys = append(keys, k)
		}
		r.Queues = append(r.Queues, q.ID)
		r.Demand += q.Demand
		for s := range q.MinLevels {
			if r.Levels[s] == nil {
				r.Levels[s] = map[string]int{}
			}
		}
	}
	for _, c := range cands {
		for _, l := range c.Languages {
			complete := l.Complete()
			for _, k := range keys {
				if k.lang != l.Language {
					continue
				}
				r := rows[k]
				r.Assessed++
				if l.OpenReviews > 0 {
					r.PendingReview++
				}
				if !complete {
					continue
				}
				r.Complete++
				if d, ok := c.TimeToDecision[l.Language]; ok {
					times[k] = append(times[k], d.Seconds())
				}
				for s, dist := range r.Levels {
					if sl, ok := l.Skills[s]; ok {
						dist[sl.Level]++
					}
				}
				for _, qid := range r.Queues {
					q, _ := queueByID(queues, qid)
					if _, gaps, audio, missing := Evaluate(q, l); !missing && len(gaps) == 0 && len(audio) == 0 {
						r.Eligible++
						break
					}
				}
			}
		}
	}
	out := make([]ReportRow, 0, len(keys))
	for _, k := range keys {
		r := rows[k]
		if m, ok := median(times[k]); ok {
			r.MedianTimeToDecisionSec = &m
		}
		if r.Demand > 0 {
			c := math.Round(float64(r.Eligible)/float64(r.Demand)*1000) / 1000
			r.Coverage = &c
		}
		out = append(out, *r)
	}
	return out
}

func queueByID(queues []rubrics.Queue, id string) (rubrics.Queue, bool) {
	i := slices.IndexFunc(queues, func(q rubrics.Queue) bool { return q.ID == id })
	if i < 0 {
		return rubrics.Queue{}, false
	}
	return queues[i], true
}

func median(x []float64) (float64, bool) {
	if len(x) == 0 {
		return 0, false
	}
	sort.Float64s(x)
	n := len(x)
	m := x[n/2]
	if n%2 == 0 {
		m = (x[n/2-1] + x[n/2]) / 2
	}
	return math.Round(m*10) / 10, true
}
