package placement

import (
	"fmt"
	"time"

	"github.com/langassess/langassess/rubrics"
)

// Trend intervals: the length of one period of the trend report.
const (
	IntervalDay   = "day"
	IntervalWeek  = "week"
	IntervalMonth = "month"
)

// Intervals lists the trend intervals.
var Intervals = []string{IntervalDay, IntervalWeek, IntervalMonth}

// PeriodStart is the start of the period containing t, in UTC: midnight
// for a day, Monday midnight for a week (ISO 8601), the first of the month
// at midnight for a month. A period is [start, next start): an instant at
// midnight belongs to the period it starts.
func PeriodStart(t time.Time, interval string) time.Time {
	t = t.UTC()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	switch interval {
	case IntervalWeek:
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	case IntervalMonth:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return d
}

// AddPeriods moves a period start n periods on (back for n < 0).
func AddPeriods(start time.Time, interval string, n int) time.Time {
	switch interval {
	case IntervalWeek:
		return start.AddDate(0, 0, 7*n)
	case IntervalMonth:
		return start.AddDate(0, n, 0)
	}
	return start.AddDate(0, 0, n)
}

// PeriodCount is the number of periods from the one containing from to the
// one containing the instant just before to (to exclusive, after from).
func PeriodCount(from, to time.Time, interval string) int {
	first, last := PeriodStart(from, interval), PeriodStart(to.Add(-time.Nanosecond), interval)
	switch interval {
	case IntervalMonth:
		return (last.Year()-first.Year())*12 + int(last.Month()-first.Month()) + 1
	}
	// Unix seconds, not time.Sub: a Duration saturates after 292 years.
	days := int((last.Unix() - first.Unix()) / 86400)
	if interval == IntervalWeek {
		return days/7 + 1
	}
	return days + 1
}

// Periods returns the boundaries of the n periods covering [from, to)
// (to after from): n+1 instants, period i being [b[i], b[i+1]). The range
// is widened to whole periods.
func Periods(from, to time.Time, interval string) []time.Time {
	n := PeriodCount(from, to, interval)
	b := make([]time.Time, n+1)
	first := PeriodStart(from, interval)
	for i := range b {
		b[i] = AddPeriods(first, interval, i)
	}
	return b
}

// Completed is a candidate's language that has nothing left to decide,
// with its final levels and when it became complete.
type Completed struct {
	ID     string // the assessment
	Levels Languages
	At     time.Time
}

// TrendRow is the trend of one language and channel of the catalog.
type TrendRow struct {
	Language string        `json:"language"`
	Channel  string        `json:"channel"`
	Queues   []string      `json:"queues"`
	Demand   int           `json:"demand"` // headcount wanted, summed over the queues
	Periods  []TrendPeriod `json:"periods"`
}

// TrendPeriod counts one period [Start, End) of a trend row.
type TrendPeriod struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Qualified candidates became complete in the period and qualify for
	// at least one of the row's queues (the placement report's eligible);
	// NotQualified became complete in it and qualify for none.
	Qualified    int `json:"qualified"`
	NotQualified int `json:"not_qualified"`
	// PendingReview candidates had a review open in the language at End
	// (now, for a period that has not ended).
	PendingReview int `json:"pending_review"`
}

// Trend counts, per language and channel of the queue catalog and per
// period (bounds from Periods), the candidates who became complete in the
// period and whether they qualify, and those pending review at its end
// (pending: language -> one count per period). language and channel
// filter the rows ("" for all); rows follow the catalog's order of first
// appearance. Completions outside the periods are not counted.
func Trend(done []Completed, pending map[string][]int, queues []rubrics.Queue, bounds []time.Time, language, channel string) ([]TrendRow, error) {
	n := len(bounds) - 1
	if n < 1 {
		return nil, fmt.Errorf("placement: trend needs at least one period, got %d bounds", len(bounds))
	}
	for lang, counts := range pending {
		if len(counts) != n {
			return nil, fmt.Errorf("placement: trend: %d pending counts for %s, want one per period (%d)", len(counts), lang, n)
		}
	}
	groups := groupQueues(queues, language, channel)
	rows := make([]TrendRow, len(groups))
	for i, g := range groups {
		r := TrendRow{Language: g.language, Channel: g.channel, Queues: g.ids(), Demand: g.demand(), Periods: make([]TrendPeriod, n)}
		counts := pending[g.language] // nil: none pending
		for j := range r.Periods {
			r.Periods[j] = TrendPeriod{Start: bounds[j], End: bounds[j+1]}
			if counts != nil {
				r.Periods[j].PendingReview = counts[j]
			}
		}
		rows[i] = r
	}
	for _, c := range done {
		if !c.Levels.Complete() {
			continue
		}
		j := period(bounds, c.At)
		if j < 0 {
			continue
		}
		for i, g := range groups {
			if g.language != c.Levels.Language {
				continue
			}
			p := &rows[i].Periods[j]
			if qualifies(g.queues, c.Levels) {
				p.Qualified++
			} else {
				p.NotQualified++
			}
		}
	}
	return rows, nil
}

// qualifies reports whether l meets every requirement of one of the queues
// (the placement report's eligible).
func qualifies(queues []rubrics.Queue, l Languages) bool {
	for _, q := range queues {
		if _, gaps, audio, missing := Evaluate(q, l); !missing && len(gaps) == 0 && len(audio) == 0 {
			return true
		}
	}
	return false
}

// period is the index of the period holding t (-1 outside them all).
func period(bounds []time.Time, t time.Time) int {
	if t.Before(bounds[0]) || !t.Before(bounds[len(bounds)-1]) {
		return -1
	}
	lo, hi := 0, len(bounds)-1 // bounds[lo] <= t < bounds[hi]
	for hi-lo > 1 {
		m := (lo + hi) / 2
		if t.Before(bounds[m]) {
			hi = m
		} else {
			lo = m
		}
	}
	return lo
}
