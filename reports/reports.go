package reports

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/langassess/langassess/grading/placement"
	"github.com/langassess/langassess/rubrics"
	"github.com/langassess/langassess/store"
)

// Store is what the reports read; *store.Store implements it.
type Store interface {
	ReportSummaries(ctx context.Context, f store.ReportFilter, items []store.ItemSkill) ([]placement.Summary, error)
	ReviewedAnswers(ctx context.Context, f store.ReportFilter, withText bool) ([]store.ReviewedAnswer, error)
	CompletedSummaries(ctx context.Context, f store.ReportFilter, items []store.ItemSkill) ([]placement.Summary, error)
	PendingReviews(ctx context.Context, language string, ends []time.Time) (map[string][]int, error)
}

// Query selects what a report covers.
type Query struct {
	From, To time.Time // [From, To): assessments created (placement) or decisions made (agreement)
	Language string
	Channel  string // placement and trend
	Interval string // trend only: placement.IntervalDay, IntervalWeek or IntervalMonth
}

// PlacementReport is the planner's placement report.
type PlacementReport struct {
	From        *time.Time            `json:"from,omitempty"`
	To          *time.Time            `json:"to,omitempty"`
	Language    string                `json:"language,omitempty"`
	Channel     string                `json:"channel,omitempty"`
	GeneratedAt time.Time             `json:"generated_at"`
	Rows        []placement.ReportRow `json:"rows"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// Placement counts candidates per language and channel of the
// pack's queue catalog.
func Placement(ctx context.Context, st Store, pack *rubrics.Pack, q Query) (PlacementReport, error) {
	sums, err := st.ReportSummaries(ctx, store.ReportFilter{From: q.From, To: q.To, Language: q.Language}, PackItems(pack))
	if err != nil {
		return PlacementReport{}, err
	}
	return PlacementReport{From: timePtr(q.From), To: timePtr(q.To), Language: q.Language, Channel: q.Channel,
		GeneratedAt: time.Now().UTC().Truncate(time.Second),
		Rows:        placement.Report(sums, pack.Queues(), q.Language, q.Channel)}, nil
}

// PackItems lists every item of the pack with its skill and weight, what
// the store's report aggregation needs to know about the pack.
func PackItems(pack *rubrics.Pack) []store.ItemSkill {
	var out []store.ItemSkill
	for _, a := range pack.Assessments {
		for _, it := range a.Items {
			out = append(out, store.ItemSkill{AssessmentKey: a.ID, ItemID: it.ID, Skill: it.Skill, Weight: it.Weight})
		}
	}
	return out
}

func fmtFloat(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

// WriteCSV writes one line per language and channel; the level
// distribution becomes one column per skill and level (empty when the
// channel's queues do not require the skill).
func (r PlacementReport) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"language", "channel", "queues", "assessed", "complete", "eligible", "pending_review",
		"demand", "coverage", "median_time_to_decision_s"}
	for _, s := range rubrics.Skills {
		for _, l := range rubrics.Levels {
			head = append(head, s+"_"+l)
		}
	}
	if err := cw.Write(head); err != nil {
		return fmt.Errorf("report csv: %w", err)
	}
	for _, row := range r.Rows {
		rec := []string{row.Language, row.Channel, strings.Join(row.Queues, " "), strconv.Itoa(row.Assessed),
			strconv.Itoa(row.Complete), strconv.Itoa(row.Eligible), strconv.Itoa(row.PendingReview),
			strconv.Itoa(row.Demand), fmtFloat(row.Coverage), fmtFloat(row.MedianTimeToDecisionSec)}
		for _, s := range rubrics.Skills {
			dist, ok := row.Levels[s]
			for _, l := range rubrics.Levels {
				if ok {
					rec = append(rec, strconv.Itoa(dist[l]))
				} else {
					rec = append(rec, "")
				}
			}
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("report csv: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// AgreementReport is human vs machine on reviewed responses.
type AgreementReport struct {
	From        *time.Time               `json:"from,omitempty"`
	To          *time.Time               `json:"to,omitempty"`
	Language    string                   `json:"language,omitempty"`
	GeneratedAt time.Time                `json:"generated_at"`
	Rows        []placement.AgreementRow `json:"rows"`
}

// Agreement compares the final grader decisions with the
// machine per language and dimension.
func Agreement(ctx context.Context, st Store, pack *rubrics.Pack, q Query) (AgreementReport, error) {
	ra, err := st.ReviewedAnswers(ctx, store.ReportFilter{From: q.From, To: q.To, Language: q.Language}, false)
	if err != nil {
		return AgreementReport{}, err
	}
	rv := make([]placement.Reviewed, len(ra))
	for i, x := range ra {
		rv[i] = x.Placement()
	}
	return AgreementReport{From: timePtr(q.From), To: timePtr(q.To), Language: q.Language,
		GeneratedAt: time.Now().UTC().Truncate(time.Second), Rows: placement.Agreement(pack, rv)}, nil
}

// WriteCSV writes one line per language and dimension.
func (r AgreementReport) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"language", "dimension", "n", "qwk", "exact", "adjacent", "smd", "pearson", "spearman"}); err != nil {
		return fmt.Errorf("report csv: %w", err)
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	for _, row := range r.Rows {
		if err := cw.Write([]string{row.Language, row.Dimension, strconv.Itoa(row.N), f(row.QWK), f(row.Exact),
			f(row.Adjacent), f(row.SMD), f(row.Pearson), f(row.Spearman)}); err != nil {
			return fmt.Errorf("report csv: %w", err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// Trend report limits.
const (
	// MaxTrendPeriods bounds the periods of one trend report (a year of
	// days), so a request cannot ask for an unbounded answer.
	MaxTrendPeriods = 366
	// DefaultTrendPeriods is how many periods, up to and including the
	// current one, a trend report covers without from.
	DefaultTrendPeriods = 12
)

// TrendRange resolves a trend report's range: an empty interval is a
// week; without to, the range ends with the period now is in; without
// from, it starts DefaultTrendPeriods periods before its end. The range
// is widened to whole periods (UTC); more than MaxTrendPeriods of them, or
// from not before to, is an error.
func TrendRange(q Query, now time.Time) (Query, error) {
	if q.Interval == "" {
		q.Interval = placement.IntervalWeek
	}
	if !slices.Contains(placement.Intervals, q.Interval) {
		return q, fmt.Errorf("interval must be day, week or month, not %s", strconv.Quote(q.Interval))
	}
	if q.To.IsZero() {
		q.To = placement.AddPeriods(placement.PeriodStart(now, q.Interval), q.Interval, 1)
	}
	if q.From.IsZero() {
		q.From = placement.AddPeriods(placement.PeriodStart(q.To.Add(-time.Nanosecond), q.Interval), q.Interval, 1-DefaultTrendPeriods)
	}
	if !q.From.Before(q.To) {
		return q, errors.New("from must be before to")
	}
	if n := placement.PeriodCount(q.From, q.To, q.Interval); n > MaxTrendPeriods {
		return q, fmt.Errorf("from %s to %s is %d periods of a %s; at most %d in one report: narrow the range or use a longer interval",
			q.From.Format(time.RFC3339), q.To.Format(time.RFC3339), n, q.Interval, MaxTrendPeriods)
	}
	b := placement.Periods(q.From, q.To, q.Interval)
	q.From, q.To = b[0], b[len(b)-1]
	if q.To.Year() > 9999 {
		// RFC 3339 (and so the JSON report) has no year 10000.
		return q, fmt.Errorf("the last period ends %s: the periods must end before the year 10000", q.To.Format(time.DateOnly))
	}
	return q, nil
}

// TrendReport is the planner's trend over time.
type TrendReport struct {
	From        time.Time            `json:"from"` // the first period's start
	To          time.Time            `json:"to"`   // the last period's end (exclusive)
	Interval    string               `json:"interval"`
	Language    string               `json:"language,omitempty"`
	Channel     string               `json:"channel,omitempty"`
	GeneratedAt time.Time            `json:"generated_at"`
	Rows        []placement.TrendRow `json:"rows"`
}

// Trend counts, per language and channel of the pack's queue
// catalog and per period of q (resolved by TrendRange), the candidates who
// became complete and qualified or not, and those pending review at the
// period's end.
func Trend(ctx context.Context, st Store, pack *rubrics.Pack, q Query) (TrendReport, error) {
	if q.From.IsZero() || q.To.IsZero() || q.Interval == "" {
		return TrendReport{}, errors.New("trend report: unresolved range (call TrendRange)")
	}
	b := placement.Periods(q.From, q.To, q.Interval)
	// The two reads are independent: the review history (about 60 ms on
	// 12,000 reviews) runs on its own connection while the completions
	// are aggregated.
	type pendingResult struct {
		counts map[string][]int
		err    error
	}
	pc := make(chan pendingResult, 1)
	go func() {
		counts, err := st.PendingReviews(ctx, q.Language, b[1:])
		pc <- pendingResult{counts, err}
	}()
	sums, err := st.CompletedSummaries(ctx, store.ReportFilter{From: b[0], To: b[len(b)-1], Language: q.Language}, PackItems(pack))
	pr := <-pc
	if err != nil {
		return TrendReport{}, err
	}
	if pr.err != nil {
		return TrendReport{}, pr.err
	}
	pending := pr.counts
	var done []placement.Completed
	for _, s := range sums {
		for _, l := range s.Languages {
			done = append(done, placement.Completed{ID: s.ID, Levels: l, At: s.CompletedAt[l.Language]})
		}
	}
	rows, err := placement.Trend(done, pending, pack.Queues(), b, q.Language, q.Channel)
	if err != nil {
		return TrendReport{}, err
	}
	return TrendReport{From: b[0], To: b[len(b)-1], Interval: q.Interval, Language: q.Language, Channel: q.Channel,
		GeneratedAt: time.Now().UTC().Truncate(time.Second), Rows: rows}, nil
}

// WriteCSV writes one line per language, channel and period.
func (r TrendReport) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"language", "channel", "queues", "demand", "period_start", "period_end",
		"qualified", "not_qualified", "pending_review"}); err != nil {
		return fmt.Errorf("report csv: %w", err)
	}
	for _, row := range r.Rows {
		for _, p := range row.Periods {
			if err := cw.Write([]string{row.Language, row.Channel, strings.Join(row.Queues, " "), strconv.Itoa(row.Demand),
				p.Start.Format(time.RFC3339), p.End.Format(time.RFC3339), strconv.Itoa(p.Qualified),
				strconv.Itoa(p.NotQualified), strconv.Itoa(p.PendingReview)}); err != nil {
				return fmt.Errorf("report csv: %w", err)
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// ParseTime reads a report bound: RFC 3339, or a date (YYYY-MM-DD,
// UTC). A date as the upper bound includes that whole day.
func ParseTime(s string, upper bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither a date (2026-01-31) nor an RFC 3339 time", s)
	}
	if upper {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}
