package api

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/langassess/langassess/reports"
	"github.com/langassess/langassess/rubrics"
	"github.com/langassess/langassess/store"
)

// BenchmarkReports times each report through the whole HTTP stack (auth,
// store read, placement, encoding) on a PostgreSQL database filled by
// `langassess-eval seed`, and, as the baseline of the same run, the
// per-response read (store.ReportCandidates: one row per response with
// placement.FinalLevels in Go) that the aggregated report read replaced. It skips unless LANGASSESS_BENCH_DATABASE_URL is set:
//
//	langassess-eval seed --database-url "$URL" --responses 100000
//	LANGASSESS_BENCH_DATABASE_URL="$URL" go test ./api -run '^$' -bench Reports -benchtime 20x
func BenchmarkReports(b *testing.B) {
	url := os.Getenv("LANGASSESS_BENCH_DATABASE_URL")
	if url == "" {
		b.Skip("set LANGASSESS_BENCH_DATABASE_URL to a database filled by langassess-eval seed")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, url, "")
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	pack, err := rubrics.Default()
	if err != nil {
		b.Fatal(err)
	}
	srv := New(Config{Languages: pack.Languages}, st, &fnGrader{}, pack, slog.New(slog.NewTextHandler(io.Discard, nil)))
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	tok, hash, err := store.NewToken()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.CreateToken(ctx, hash, store.Token{Role: store.RolePlanner, Name: "bench"}); err != nil {
		b.Fatal(err)
	}
	last30 := time.Now().UTC().AddDate(0, 0, -30).Format(time.DateOnly)
	last120 := time.Now().UTC().AddDate(0, 0, -120).Format(time.DateOnly)
	get := func(b *testing.B, path, accept string) {
		req, _ := http.NewRequest("GET", hs.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		resp, err := hs.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("%s: %d", path, resp.StatusCode)
		}
		b.SetBytes(n)
	}
	b.Run("baseline-per-response-read-all", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.ReportCandidates(ctx, store.ReportFilter{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, c := range []struct{ name, path, accept string }{
		{"placement-all-json", "/v1/reports/placement", ""},
		{"placement-all-csv", "/v1/reports/placement", "text/csv"},
		{"placement-de-last30d", "/v1/reports/placement?language=de&from=" + last30, ""},
		{"placement-voice", "/v1/reports/placement?channel=voice", ""},
		{"agreement-all-json", "/v1/reports/agreement", ""},
		{"agreement-all-csv", "/v1/reports/agreement?format=csv", ""},
		{"trend-12weeks-json", "/v1/reports/trend", ""},
		{"trend-12weeks-csv", "/v1/reports/trend", "text/csv"},
		{"trend-days-last30d", "/v1/reports/trend?interval=day&from=" + last30, ""},
		{"trend-de-months", "/v1/reports/trend?interval=month&language=de&from=" + last120, ""},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				get(b, c.path, c.accept)
			}
		})
	}
}

// TestTrendReportOverHTTP: one English candidate completes (its flagged
// call decided) and qualifies everywhere, another waits for review; the
// trend puts the first in the current period of every interval, the
// second among those pending at the current period's end, and agrees with
// the placement report. Bad ranges are 400 problems.
func TestTrendReportOverHTTP(t *testing.T) {
	e := newPEnv(t, machine)
	wav := toneWAV(2)
	id := e.candidate("cand-1", wav)
	e.candidate("cand-2", wav)
	var list reviewList
	e.must("GET", "/v1/reviews", "grader", nil, http.StatusOK, &list)
	for _, v := range list.Reviews {
		if v.AssessmentID == id {
			path := "/v1/reviews/" + itoa(int(v.ID))
			e.must("POST", path+"/claim", "grader", nil, http.StatusOK, nil)
			e.must("POST", path+"/decision", "grader", map[string]any{"level": "B2"}, http.StatusOK, nil)
		}
	}
	now := time.Now().UTC()
	var place reports.PlacementReport
	e.must("GET", "/v1/reports/placement?language=en", "planner", nil, http.StatusOK, &place)

	for _, c := range []struct {
		query    string
		interval string
		periods  int
	}{
		{"", "week", reports.DefaultTrendPeriods},
		{"&interval=day", "day", reports.DefaultTrendPeriods},
		{"&interval=month&from=" + now.AddDate(0, -2, 0).Format(time.DateOnly), "month", 3},
	} {
		var rep reports.TrendReport
		e.must("GET", "/v1/reports/trend?language=en"+c.query, "planner", nil, http.StatusOK, &rep)
		if rep.Interval != c.interval || len(rep.Rows) != 3 || !rep.To.After(now) || rep.From.After(now) {
			t.Fatalf("%s: report %+v", c.query, rep)
		}
		for i, row := range rep.Rows {
			pr := place.Rows[i]
			if row.Language != pr.Language || row.Channel != pr.Channel || row.Demand != pr.Demand || len(row.Periods) != c.periods {
				t.Errorf("%s: row %s/%s demand %d, %d periods; placement row %+v", c.query, row.Language, row.Channel, row.Demand, len(row.Periods), pr)
				continue
			}
			qualified := 0
			for j, p := range row.Periods {
				if p.Start.Location() != time.UTC || (j > 0 && !p.Start.Equal(row.Periods[j-1].End)) || !p.Start.Before(p.End) {
					t.Errorf("%s: periods not contiguous at %d: %+v", c.query, j, row.Periods)
				}
				last := j == len(row.Periods)-1
				if !last && (p.Qualified != 0 || p.NotQualified != 0 || p.PendingReview != 0) {
					t.Errorf("%s: period %v before anything happened: %+v", c.query, p.Start, p)
				}
				if last && (now.Before(p.Start) || !now.Before(p.End) || p.NotQualified != 0 || p.PendingReview != pr.PendingReview) {
					t.Errorf("%s: current period %+v; placement: pending review %d", c.query, p, pr.PendingReview)
				}
				qualified += p.Qualified
			}
			if qualified != pr.Eligible || qualified != 1 {
				t.Errorf("%s %s: %d qualified in the trend, %d eligible in the placement report, want 1", c.query, row.Channel, qualified, pr.Eligible)
			}
		}
	}

	// CSV: one line per period, the same content negotiation as the
	// placement report.
	today := now.Format(time.DateOnly)
	code, body, h := e.call("GET", "/v1/reports/trend?language=en&channel=voice&interval=day&from="+today+"&to="+today, "planner", nil, "Accept", "text/csv")
	recs, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || err != nil || len(recs) != 2 {
		t.Fatalf("csv: %d %s %v\n%s", code, h.Get("Content-Type"), err, body)
	}
	want := []string{"en", "voice", "en-voice", "40", today + "T00:00:00Z", now.AddDate(0, 0, 1).Format(time.DateOnly) + "T00:00:00Z", "1", "0", "1"}
	if strings.Join(recs[0], ",") != "language,channel,queues,demand,period_start,period_end,qualified,not_qualified,pending_review" ||
		strings.Join(recs[1], ",") != strings.Join(want, ",") {
		t.Errorf("csv\n%s\nwant %v", body, want)
	}
	if code, body, _ := e.call("GET", "/v1/reports/trend?format=csv&channel=email", "admin", nil); code != http.StatusOK ||
		strings.Count(string(body), "\n") != 1+9*reports.DefaultTrendPeriods {
		t.Errorf("format=csv, all email rows: %d, %d lines\n%s", code, strings.Count(string(body), "\n"), body)
	}
	// A year outside RFC 3339 (and so JSON) is refused, not a 500.
	var far reports.TrendReport
	e.must("GET", "/v1/reports/trend?interval=day&to=9999-12-30&language=en", "planner", nil, http.StatusOK, &far)
	if len(far.Rows) != 3 || len(far.Rows[0].Periods) != reports.DefaultTrendPeriods || !far.To.Equal(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("up to 9999-12-30: %+v", far)
	}

	for _, c := range []struct{ query, detail string }{
		{"interval=hour", "interval must be day, week or month"},
		{"interval=", "interval must be day, week or month"},
		{"from=yesterday", "from: "},
		{"to=2026-13-01", "to: "},
		{"from=2026-02-01&to=2026-01-01", "from must be before to"},
		{"from=2026-02-01T10:00:00Z&to=2026-02-01T10:00:00Z", "from must be before to"},
		{"interval=day&from=2025-01-01&to=2026-01-02", "367 periods of a day; at most 366"},
		{"interval=month&from=0001-01-02", "periods of a month; at most 366"},
		{"interval=month&to=9999-12-31", "must end before the year 10000"},
		{"interval=day&to=9999-12-31", "must end before the year 10000"},
		{"channel=fax", "channel"},
		{"language=xx", "language"},
		{"format=xml", "format"},
	} {
		code, body, h := e.call("GET", "/v1/reports/trend?"+c.query, "planner", nil)
		var p Problem
		if err := json.Unmarshal(body, &p); code != http.StatusBadRequest || err != nil || h.Get("Content-Type") != "application/problem+json" ||
			p.Code != "query.invalid" || !strings.Contains(p.Detail, c.detail) {
			t.Errorf("%s: %d %s %s, want 400 query.invalid with %q", c.query, code, h.Get("Content-Type"), body, c.detail)
		}
	}
	if code, _, _ := e.call("GET", "/v1/reports/trend?interval=day&from=2025-01-01&to=2025-12-31", "planner", nil); code != http.StatusOK {
		t.Errorf("366 days: %d, want 200", code)
	}
}
