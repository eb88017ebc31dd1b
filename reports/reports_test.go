package reports

import (
	"strings"
	"testing"
	"time"

	"github.com/langassess/langassess/rubrics"
)

func TestParseReportTime(t *testing.T) {
	for _, tt := range []struct {
		in    string
		upper bool
		want  string
		err   bool
	}{
		{"", false, "0001-01-01T00:00:00Z", false},
		{"2026-03-01", false, "2026-03-01T00:00:00Z", false},
		{"2026-03-01", true, "2026-03-02T00:00:00Z", false},
		{"2026-03-01T10:00:00+02:00", true, "2026-03-01T08:00:00Z", false},
		{"March", false, "", true},
	} {
		got, err := ParseTime(tt.in, tt.upper)
		if (err != nil) != tt.err || (!tt.err && got.Format(time.RFC3339) != tt.want) {
			t.Errorf("ParseReportTime(%q, %v) = %v, %v; want %s", tt.in, tt.upper, got, err, tt.want)
		}
	}
}

// TestParseQuery: the one validation the HTTP routes and the command line
// share; Prefix names the parameters as the caller's user knows them.
func TestParseQuery(t *testing.T) {
	pack, err := rubrics.Default()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		kind string
		p    Params
		err  string // "" for none
	}{
		{KindPlacement, Params{From: "2026-01-01", To: "2026-02-01", Language: "de", Channel: "voice"}, ""},
		{KindAgreement, Params{Language: "en"}, ""},
		{KindTrend, Params{Interval: "month"}, ""},
		{"lost", Params{}, "unknown report"},
		{KindPlacement, Params{From: "yesterday"}, "from: "},
		{KindPlacement, Params{From: "yesterday", Prefix: "--"}, "--from: "},
		{KindPlacement, Params{From: "2026-02-01", To: "2026-01-01", Prefix: "--"}, "--from must be before --to"},
		{KindPlacement, Params{Language: "xx"}, "language \"xx\" is not a language"},
		{KindPlacement, Params{Channel: "fax"}, "channel must be voice, chat or email"},
		{KindAgreement, Params{Channel: "voice"}, "channel is only for"},
		{KindPlacement, Params{Interval: "day"}, "interval is only for the trend report"},
		{KindTrend, Params{IntervalSet: true}, "interval must be day, week or month"},
		{KindTrend, Params{Interval: "hour"}, "interval must be day, week or month"},
	} {
		q, err := ParseQuery(tt.kind, tt.p, pack, now)
		if tt.err == "" {
			if err != nil {
				t.Errorf("%s %+v: %v", tt.kind, tt.p, err)
			}
			if tt.kind == KindTrend && (q.From.IsZero() || !q.To.After(now)) {
				t.Errorf("%s %+v: range %v..%v not resolved", tt.kind, tt.p, q.From, q.To)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s %+v: error %v, want %q", tt.kind, tt.p, err, tt.err)
		}
	}
}
