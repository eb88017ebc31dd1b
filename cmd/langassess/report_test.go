package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/langassess/langassess/internal/seed"
	"github.com/langassess/langassess/reports"
)

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, &stdout, &stderr)
	return stdout.String(), err
}

// TestSeedReportCalibrate seeds a small SQLite database, then checks the
// reports the command prints against what was seeded, and refits the
// writing rubric from the seeded decisions.
func TestSeedReportCalibrate(t *testing.T) {
	dir := t.TempDir()
	var seedOut bytes.Buffer
	err := seed.Run(context.Background(), []string{"--data-dir", dir, "--responses", "900", "--flagged", "0.6", "--open", "0.1", "--workers", "2"},
		func(string) string { return "" }, &seedOut, io.Discard)
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	out := seedOut.String()
	var n, reviews, decided int
	if _, err := fmtSscanf(out, &n, &reviews, &decided); err != nil || n < 900 || reviews == 0 || decided == 0 || decided > reviews {
		t.Fatalf("seed said %q (%v)", out, err)
	}

	// JSON and CSV agree; assessed candidates per language add up across
	// channels the same way; complete never exceeds assessed.
	js, err := runCmd(t, "report", "placement", "--data-dir", dir, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rep reports.PlacementReport
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 22 {
		t.Fatalf("%d rows, want one per language x channel of the catalog (22)", len(rep.Rows))
	}
	assessed := map[string]int{}
	total := 0
	for _, r := range rep.Rows {
		if prev, ok := assessed[r.Language]; ok && prev != r.Assessed {
			t.Errorf("%s: %d assessed on %s, %d on another channel", r.Language, r.Assessed, r.Channel, prev)
		}
		if _, ok := assessed[r.Language]; !ok {
			total += r.Assessed
		}
		assessed[r.Language] = r.Assessed
		if r.Complete > r.Assessed || r.Eligible > r.Complete || r.PendingReview > r.Assessed {
			t.Errorf("inconsistent row %+v", r)
		}
	}
	// Each seeded assessment answers 9 items in one language (Czech has
	// fewer): about n/9 candidates in all.
	if total < n/9 || total > n/6 {
		t.Errorf("%d candidates assessed for %d responses", total, n)
	}
	csvOut, err := runCmd(t, "report", "placement", "--data-dir", dir, "--format", "csv", "--channel", "email")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	if err != nil || len(recs) != 10 || recs[1][1] != "email" {
		t.Fatalf("csv %v: %q", err, csvOut)
	}
	for _, rec := range recs[1:] {
		if got, _ := strconv.Atoi(rec[3]); got != assessed[rec[0]] {
			t.Errorf("csv %s assessed %s, json %d", rec[0], rec[3], assessed[rec[0]])
		}
	}
	// The trend over the whole seeded period (90 days, by month) counts
	// every complete candidate once, in the period it became complete:
	// the placement report's complete and eligible per row, and the
	// reviews open now in the last period.
	from := time.Now().UTC().AddDate(0, -4, 0).Format(time.DateOnly)
	js, err = runCmd(t, "report", "trend", "--data-dir", dir, "--interval", "month", "--from", from, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var trend reports.TrendReport
	if err := json.Unmarshal([]byte(js), &trend); err != nil {
		t.Fatal(err)
	}
	if len(trend.Rows) != len(rep.Rows) || trend.Interval != "month" {
		t.Fatalf("trend: %d rows, interval %q", len(trend.Rows), trend.Interval)
	}
	for i, tr := range trend.Rows {
		pr := rep.Rows[i]
		q, c := 0, 0
		for _, p := range tr.Periods {
			q += p.Qualified
			c += p.Qualified + p.NotQualified
		}
		last := tr.Periods[len(tr.Periods)-1]
		if len(tr.Periods) != 5 || q != pr.Eligible || c != pr.Complete || last.PendingReview != pr.PendingReview {
			t.Errorf("trend %s/%s: %d periods, %d qualified, %d complete, %d pending at the end; placement %+v",
				tr.Language, tr.Channel, len(tr.Periods), q, c, last.PendingReview, pr)
		}
	}
	table, err := runCmd(t, "report", "trend", "--data-dir", dir, "--language", "de", "--channel", "voice")
	if lines := strings.Split(strings.TrimSpace(table), "\n"); err != nil || len(lines) != 1+reports.DefaultTrendPeriods ||
		!strings.HasPrefix(lines[0], "LANGUAGE  CHANNEL  PERIOD") || !strings.HasPrefix(lines[1], "de        voice    20") || !strings.Contains(lines[1], "-W") {
		t.Errorf("trend table %v:\n%s", err, table)
	}
	for _, args := range [][]string{{"trend", "--interval", "hour"}, {"placement", "--interval", "day"}, {"trend", "--interval", "day", "--from", "2020-01-01"}} {
		if _, err := runCmd(t, append([]string{"report"}, append(args, "--data-dir", dir)...)...); err == nil {
			t.Errorf("report %v accepted", args)
		}
	}
	table, err = runCmd(t, "report", "agreement", "--data-dir", dir)
	if err != nil || !strings.HasPrefix(table, "LANGUAGE") || !strings.Contains(table, "level") {
		t.Errorf("agreement table %v:\n%s", err, table)
	}
	if _, err := runCmd(t, "report", "placement", "--data-dir", dir, "--channel", "fax"); err == nil {
		t.Error("--channel fax accepted")
	}
	if _, err := runCmd(t, "report", "lost", "--data-dir", dir); err == nil {
		t.Error("unknown report accepted")
	}

	// Refit the writing rubric on a copy of the pack; only --write writes.
	pack := filepath.Join(t.TempDir(), "pack")
	copyDir(t, "../../rubrics/packs/customer-support-v1", pack)
	file := filepath.Join(pack, "rubrics", "writing.yaml")
	before, _ := os.ReadFile(file)
	out, err = runCmd(t, "calibrate", "--from-reviews", "--data-dir", dir, "--pack-dir", pack, "--min", "4", "--folds", "2")
	if err != nil || !strings.Contains(out, "QWK BEFORE") || !strings.Contains(out, "nothing written") {
		t.Fatalf("calibrate: %v\n%s", err, out)
	}
	if after, _ := os.ReadFile(file); !bytes.Equal(before, after) {
		t.Error("calibrate without --write changed the rubric")
	}
	out, err = runCmd(t, "calibrate", "--from-reviews", "--data-dir", dir, "--pack-dir", pack, "--min", "4", "--folds", "2", "--write", file)
	if err != nil || !strings.Contains(out, "wrote en weights and cuts") {
		t.Fatalf("calibrate --write: %v\n%s", err, out)
	}
	if after, _ := os.ReadFile(file); bytes.Equal(before, after) || !bytes.Contains(after, []byte("grader decisions on writing items (en)")) {
		t.Error("calibrate --write did not record the refit")
	}
	if _, err := runCmd(t, "rubric", "validate", pack); err != nil {
		t.Errorf("the refitted pack does not validate: %v", err)
	}
}

// fmtSscanf reads the seed summary line.
func fmtSscanf(s string, n, reviews, decided *int) (int, error) {
	f := strings.Fields(s)
	if len(f) < 6 {
		return 0, strconv.ErrSyntax
	}
	var err error
	if *n, err = strconv.Atoi(f[1]); err != nil {
		return 0, err
	}
	if *reviews, err = strconv.Atoi(f[4]); err != nil {
		return 1, err
	}
	*decided, err = strconv.Atoi(strings.TrimPrefix(f[6], "("))
	return 3, err
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestReportPeriodOrder: an empty or reversed period is refused, as the
// HTTP route refuses it, instead of printing an empty report (or, in
// calibrate, "no grader decisions yet").
func TestReportPeriodOrder(t *testing.T) {
	dir := t.TempDir()
	for _, period := range [][2]string{{"2026-02-01", "2026-01-01"}, {"2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"}} {
		for _, cmd := range [][]string{{"report", "agreement"}, {"report", "placement"}, {"report", "trend"}, {"calibrate", "--from-reviews"}} {
			_, err := runCmd(t, append(cmd, "--data-dir", dir, "--from", period[0], "--to", period[1])...)
			if err == nil || !strings.Contains(err.Error(), "--from must be before --to") {
				t.Errorf("%s --from %s --to %s: %v, want the period refused", cmd, period[0], period[1], err)
			}
		}
	}
}
