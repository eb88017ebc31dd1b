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
	groups := groupQueues(queues, language, channel)
	rows := make([]ReportRow, len(groups))
	times := make([][]float64, len(groups))
	for i, g := range groups {
		rows[i] = ReportRow{Language: g.language, Channel: g.channel, Queues: g.ids(), Demand: g.demand(), Levels: map[string]map[string]int{}}
		for _, q := range g.queues {
			for s := range q.MinLevels {
				rows[i].Levels[s] = map[string]int{}
			}
		}
	}
	for _, c := range cands {
		for _, l := range c.Languages {
			complete := l.Complete()
			for i, g := range groups {
				if g.language != l.Language {
					continue
				}
				r := &rows[i]
				r.Assessed++
				if l.OpenReviews > 0 {
					r.PendingReview++
				}
				if !complete {
					continue
				}
				r.Complete++
				if d, ok := c.TimeToDecision[l.Language]; ok {
					times[i] = append(times[i], d.Seconds())
				}
				for s, dist := range r.Levels {
					if sl, ok := l.Skills[s]; ok {
						dist[sl.Level]++
					}
				}
				if qualifies(g.queues, l) {
					r.Eligible++
				}
			}
		}
	}
	for i := range rows {
		r := &rows[i]
		if m, ok := median(times[i]); ok {
			r.MedianTimeToDecisionSec = &m
		}
		if r.Demand > 0 {
			c := math.Round(float64(r.Eligible)/float64(r.Demand)*1000) / 1000
			r.Coverage = &c
		}
	}
	return rows
}

// queueGroup is the catalog's queues of one language and channel, the unit
// the planner's reports count by.
type queueGroup struct {
	language, channel string
	queues            []rubrics.Queue
}

func (g queueGroup) ids() []string {
	out := make([]string, len(g.queues))
	for i, q := range g.queues {
		out[i] = q.ID
	}
	return out
}

func (g queueGroup) demand() int {
	n := 0
	for _, q := range g.queues {
		n += q.Demand
	}
	return n
}

// groupQueues groups the catalog's queues by language and channel, in the
// catalog's order of first appearance; language and channel filter the
// groups ("" for all).
func groupQueues(queues []rubrics.Queue, language, channel string) []queueGroup {
	var groups []queueGroup
	for _, q := range queues {
		if (language != "" && q.Language != language) || (channel != "" && q.Channel != channel) {
			continue
		}
		i := slices.IndexFunc(groups, func(g queueGroup) bool { return g.language == q.Language && g.channel == q.Channel })
		if i < 0 {
			groups = append(groups, queueGroup{language: q.Language, channel: q.Channel})
			i = len(groups) - 1
		}
		groups[i].queues = append(groups[i].queues, q)
	}
	return groups
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
