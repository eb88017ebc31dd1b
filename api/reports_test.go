package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/langassess/langassess/rubrics"
	"github.com/langassess/langassess/store"
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
		got, err := ParseReportTime(tt.in, tt.upper)
		if (err != nil) != tt.err || (!tt.err && got.Format(time.RFC3339) != tt.want) {
			t.Errorf("ParseReportTime(%q, %v) = %v, %v; want %s", tt.in, tt.upper, got, err, tt.want)
		}
	}
}

// BenchmarkReports times each report through the whole HTTP stack (auth,
// store read, placement, encoding) on a PostgreSQL database filled by
// `langassess seed`, and, as the baseline of the same run, the
// per-response read (store.ReportCandidates: one row per response with
// placement.FinalLevels in Go) that the aggregated report read replaced. It skips unless LANGASSESS_BENCH_DATABASE_URL is set:
//
//	langassess seed --database-url "$URL" --responses 100000
//	LANGASSESS_BENCH_DATABASE_URL="$URL" go test ./api -run '^$' -bench Reports -benchtime 20x
func BenchmarkReports(b *testing.B) {
	url := os.Getenv("LANGASSESS_BENCH_DATABASE_URL")
	if url == "" {
		b.Skip("set LANGASSESS_BENCH_DATABASE_URL to a database filled by langassess seed")
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
	tok, hash, err := NewToken()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.CreateToken(ctx, hash, store.Token{Role: store.RolePlanner, Name: "bench"}); err != nil {
		b.Fatal(err)
	}
	last30 := time.Now().UTC().AddDate(0, 0, -30).Format(time.DateOnly)
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
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				get(b, c.path, c.accept)
			}
		})
	}
}
