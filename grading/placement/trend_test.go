package placement

import (
	"reflect"
	"testing"
	"time"

	"github.com/langassess/langassess/rubrics"
)

func TestPeriods(t *testing.T) {
	at := func(s string) time.Time {
		x, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	for _, c := range []struct {
		from, to, interval string
		n                  int
		first, last        string // first period's start, last period's end
	}{
		// Sunday 23:59:59.999999 is still the week of Monday 2 March;
		// Monday midnight starts the next.
		{"2026-03-08T23:59:59.999999Z", "2026-03-09T00:00:00Z", IntervalWeek, 1, "2026-03-02T00:00:00Z", "2026-03-09T00:00:00Z"},
		{"2026-03-08T23:59:59Z", "2026-03-09T00:00:00.000001Z", IntervalWeek, 2, "2026-03-02T00:00:00Z", "2026-03-16T00:00:00Z"},
		// Times in other zones are put in UTC first: 00:30 on Monday in
		// Berlin is Sunday in UTC.
		{"2026-03-09T00:30:00+01:00", "2026-03-09T01:30:00+01:00", IntervalWeek, 2, "2026-03-02T00:00:00Z", "2026-03-16T00:00:00Z"},
		{"2026-03-09T00:30:00+01:00", "2026-03-09T01:30:00+01:00", IntervalDay, 2, "2026-03-08T00:00:00Z", "2026-03-10T00:00:00Z"},
		{"2026-01-31T12:00:00Z", "2026-03-01T00:00:00Z", IntervalMonth, 2, "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z"},
		{"2025-12-31T23:59:59Z", "2026-01-01T00:00:01Z", IntervalMonth, 2, "2025-12-01T00:00:00Z", "2026-02-01T00:00:00Z"},
		{"2024-02-28T00:00:00Z", "2024-03-01T00:00:00Z", IntervalDay, 2, "2024-02-28T00:00:00Z", "2024-03-01T00:00:00Z"},
		// Over 292 years, where time.Duration saturates.
		{"0001-01-01T00:00:00Z", "9999-12-31T00:00:00Z", IntervalDay, 3652058, "", ""},
		{"0001-01-01T00:00:00Z", "9999-12-31T00:00:00Z", IntervalMonth, 119988, "", ""},
	} {
		n := PeriodCount(at(c.from), at(c.to), c.interval)
		if n != c.n {
			t.Errorf("%s %s..%s: %d periods, want %d", c.interval, c.from, c.to, n, c.n)
		}
		if c.first == "" {
			continue
		}
		b := Periods(at(c.from), at(c.to), c.interval)
		if len(b) != n+1 || !b[0].Equal(at(c.first)) || !b[n].Equal(at(c.last)) || b[0].Location() != time.UTC {
			t.Errorf("%s %s..%s: bounds %v, want %s..%s", c.interval, c.from, c.to, b, c.first, c.last)
		}
		for i := 1; i < len(b); i++ {
			if !PeriodStart(b[i], c.interval).Equal(b[i]) || !PeriodStart(b[i].Add(-time.Nanosecond), c.interval).Equal(b[i-1]) {
				t.Errorf("%s: bound %v is not a period start after %v", c.interval, b[i], b[i-1])
			}
		}
	}
}

func TestTrend(t *testing.T) {
	queues := []rubrics.Queue{
		{ID: "en-chat", Language: "en", Channel: "chat", MinLevels: map[string]string{"writing": "B1"}, Demand: 4},
		{ID: "en-voice", Language: "en", Channel: "voice", MinLevels: map[string]string{"speaking": "B2"},
			Audio: &rubrics.AudioRequirements{MinSNRDB: 15}, Demand: 2},
		{ID: "en-chat-2", Language: "en", Channel: "chat", MinLevels: map[string]string{"writing": "C1"}, Demand: 1},
	}
	b := Periods(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), IntervalDay)
	lv := func(skill, level string, audio *Audio) Languages {
		return Languages{Language: "en", Skills: map[string]SkillLevel{skill: {Skill: skill, Level: level,
			Value: float64(rubrics.LevelIndex(level))}}, Audio: audio}
	}
	done := []Completed{
		{ID: "a", Levels: lv("writing", "B1", nil), At: b[0]},
		{ID: "b", Levels: lv("speaking", "C1", &Audio{SNRdB: 10}), At: b[1].Add(-time.Microsecond)},
		{ID: "c", Levels: lv("speaking", "B2", &Audio{SNRdB: 20}), At: b[1]},
		{ID: "d", Levels: lv("writing", "C2", nil), At: b[2]}, // after the last period
		{ID: "e", Levels: Languages{Language: "en", Pending: 1}, At: b[1]},
	}
	rows, err := Trend(done, map[string][]int{"en": {3, 0}}, queues, b, "", "")
	if err != nil {
		t.Fatal(err)
	}
	want := []TrendRow{
		{Language: "en", Channel: "chat", Queues: []string{"en-chat", "en-chat-2"}, Demand: 5, Periods: []TrendPeriod{
			{Start: b[0], End: b[1], Qualified: 1, NotQualified: 1, PendingReview: 3},
			{Start: b[1], End: b[2], Qualified: 0, NotQualified: 1, PendingReview: 0}}},
		{Language: "en", Channel: "voice", Queues: []string{"en-voice"}, Demand: 2, Periods: []TrendPeriod{
			{Start: b[0], End: b[1], Qualified: 0, NotQualified: 2, PendingReview: 3},
			{Start: b[1], End: b[2], Qualified: 1, NotQualified: 0, PendingReview: 0}}},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("trend\n got %+v\nwant %+v", rows, want)
	}
	if rows, _ := Trend(done, nil, queues, b, "en", "voice"); len(rows) != 1 || rows[0].Periods[1].Qualified != 1 || rows[0].Periods[0].PendingReview != 0 {
		t.Errorf("voice only, no pending counts: %+v", rows)
	}
	if _, err := Trend(done, map[string][]int{"en": {1}}, queues, b, "", ""); err == nil {
		t.Error("pending counts for one of two periods accepted")
	}
	if _, err := Trend(done, nil, queues, b[:1], "", ""); err == nil {
		t.Error("no periods accepted")
	}
}
