package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/langassess/langassess/grading/result"
)

func f64(v float64) *float64 { return &v }

func graded(level string, flags ...result.Flag) result.Result {
	if flags == nil {
		flags = []result.Flag{}
	}
	return result.Result{
		Level:  level,
		Scores: result.Scores{Comprehension: f64(71.5), Grammar: f64(64), Vocabulary: f64(58.25)},
		Language: &result.LanguageResult{
			Expected: "de", Detected: "de", Confidence: 0.97,
		},
		Flags:         flags,
		Evidence:      map[string]any{"errors": []any{"agreement"}, "key_points": float64(3)},
		RubricVersion: "default@2026.1",
		EngineVersion: "9.9.9-test",
	}
}

func ids(rs []Response) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func TestLeaseJobs(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		ctx := t.Context()
		a := newAssessment(t, s, "c1")
		var made []Response
		for i := range 3 {
			r, _, err := s.CreateResponse(ctx, spoken(a.ID, fmt.Sprint("s", i), fmt.Sprint("k", i), []byte{byte(i), 1, 2}))
			if err != nil {
				t.Fatal(err)
			}
			made = append(made, r)
			clk.advance(time.Second)
		}

		first, err := s.LeaseJobs(ctx, "worker-a", time.Minute, 2)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ids(first), ids(made[:2]); !reflect.DeepEqual(got, want) {
			t.Fatalf("worker-a leased %v, want the two oldest %v", got, want)
		}
		for i, r := range first {
			if r.Attempts != 1 || !reflect.DeepEqual(r.Audio, []byte{byte(i), 1, 2}) {
				t.Errorf("leased %s: attempts %d audio %v, want 1 and its audio", r.ID, r.Attempts, r.Audio)
			}
		}
		second, err := s.LeaseJobs(ctx, "worker-b", time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(second); !reflect.DeepEqual(got, []string{made[2].ID}) {
			t.Errorf("worker-b leased %v, want only the free one %s", got, made[2].ID)
		}
		if none, err := s.LeaseJobs(ctx, "worker-c", time.Minute, 10); err != nil || len(none) != 0 {
			t.Errorf("worker-c leased %v, %v; want nothing while leases run", ids(none), err)
		}

		// The leases expire: another worker takes all three again.
		clk.advance(time.Minute + time.Second)
		third, err := s.LeaseJobs(ctx, "worker-c", time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ids(third), ids(made); !reflect.DeepEqual(got, want) {
			t.Errorf("after expiry worker-c leased %v, want %v", got, want)
		}
		for _, r := range third {
			if r.Attempts != 2 {
				t.Errorf("%s attempts %d after re-lease, want 2", r.ID, r.Attempts)
			}
		}
		// The old owner lost its lease.
		if err := s.CompleteGrade(ctx, made[0].ID, "worker-a", graded("B1")); !errors.Is(err, ErrConflict) {
			t.Errorf("CompleteGrade with a lost lease: %v, want ErrConflict", err)
		}
		if err := s.FailGrade(ctx, made[0].ID, "worker-a", "boom", clk.now(), false); !errors.Is(err, ErrConflict) {
			t.Errorf("FailGrade with a lost lease: %v, want ErrConflict", err)
		}
		if err := s.CompleteGrade(ctx, made[0].ID, "worker-c", graded("B1")); err != nil {
			t.Errorf("CompleteGrade by the holder: %v", err)
		}
		// An expired lease nobody took is lost too.
		clk.advance(2 * time.Minute)
		if err := s.CompleteGrade(ctx, made[1].ID, "worker-c", graded("B1")); !errors.Is(err, ErrConflict) {
			t.Errorf("CompleteGrade after the lease ran out: %v, want ErrConflict", err)
		}
		if got, _ := s.GetResponse(ctx, made[1].ID); got.Status != StatusPending || got.Result != nil {
			t.Errorf("a refused CompleteGrade changed the response: %+v", got)
		}

		for _, bad := range []struct {
			owner string
			lease time.Duration
			limit int
		}{{"", time.Minute, 1}, {"w", 0, 1}, {"w", time.Minute, 0}} {
			if _, err := s.LeaseJobs(ctx, bad.owner, bad.lease, bad.limit); err == nil {
				t.Errorf("LeaseJobs(%q, %v, %d) succeeded, want an error", bad.owner, bad.lease, bad.limit)
			}
		}
	})
}

// TestLeaseJobsConcurrent: workers racing for jobs never share one.
func TestLeaseJobsConcurrent(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, _ *clock) {
		ctx := t.Context()
		a := newAssessment(t, s, "c1")
		const jobs, workers = 40, 8
		for i := range jobs {
			if _, _, err := s.CreateResponse(ctx, written(a.ID, fmt.Sprint("w", i), "")); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		var leased []string
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for {
					got, err := s.LeaseJobs(ctx, fmt.Sprint("worker-", w), time.Minute, 3)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					leased = append(leased, ids(got)...)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		sort.Strings(leased)
		if len(leased) != jobs || len(slices.Compact(leased)) != jobs {
			t.Errorf("%d leases over %d distinct jobs, want each of the %d jobs exactly once", len(leased), len(slices.Compact(leased)), jobs)
		}
	})
}

func TestLeaseResponse(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		ctx := t.Context()
		r := oneResponse(t, s)
		steps := []struct {
			name    string
			advance time.Duration
			id      string
			owner   string
			want    bool
		}{
			{"free", 0, r.ID, "api-1", true},
			{"held by api-1", 0, r.ID, "worker", false},
			{"holder again", 0, r.ID, "api-1", false},
			{"expired", 31 * time.Second, r.ID, "worker", true},
			{"unknown", 0, "missing", "worker", false},
		}
		for _, st := range steps {
			clk.advance(st.advance)
			got, err := s.LeaseResponse(ctx, st.id, st.owner, 30*time.Second)
			if err != nil || got != st.want {
				t.Errorf("%s: %v %v, want %v", st.name, got, err, st.want)
			}
		}
		if got, _ := s.GetResponse(ctx, r.ID); got.Attempts != 2 {
			t.Errorf("attempts %d after two leases, want 2", got.Attempts)
		}
		if err := s.CompleteGrade(ctx, r.ID, "worker", graded("A2")); err != nil {
			t.Fatal(err)
		}
		if ok, err := s.LeaseResponse(ctx, r.ID, "late", time.Minute); err != nil || ok {
			t.Errorf("lease of a graded response: %v %v, want false", ok, err)
		}
	})
}

func TestCompleteGrade(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		ctx := t.Context()
		a := newAssessment(t, s, "c1")
		flagged := []result.Flag{
			{Code: "wrong_language", Message: "answer is in English", Evidence: map[string]any{"detected": "en", "confidence": 0.91}},
			{Code: FlagBorderline, Message: "near the B1/B2 cut"},
		}
		cases := []struct {
			name        string
			res         result.Result
			wantFlags   int
			wantReview  bool
			wantPrio    int
			wantReasons string
		}{
			{"clean", graded("B2"), 0, false, 0, ""},
			{"flagged", graded("B1", flagged...), 2, true, PriorityBorderline, `["wrong_language","borderline"]`},
			{"flagged, not borderline", graded("A2", flagged[0]), 1, true, PriorityNormal, `["wrong_language"]`},
		}
		open := 0
		for _, c := range cases {
			r, _, err := s.CreateResponse(ctx, written(a.ID, c.name, ""))
			if err != nil {
				t.Fatal(err)
			}
			if ok, err := s.LeaseResponse(ctx, r.ID, "api", time.Minute); !ok || err != nil {
				t.Fatalf("%s: lease %v %v", c.name, ok, err)
			}
			clk.advance(time.Second)
			if err := s.CompleteGrade(ctx, r.ID, "api", c.res); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			got, err := s.GetResponse(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != StatusGraded || got.GradedAt == nil || !got.GradedAt.Equal(clk.now()) {
				t.Errorf("%s: status %s graded at %v, want graded at %v", c.name, got.Status, got.GradedAt, clk.now())
			}
			if got.Result == nil || !reflect.DeepEqual(*got.Result, c.res) {
				t.Errorf("%s: result\n got %+v\nwant %+v", c.name, got.Result, c.res)
			}
			if got.RubricVersion != c.res.RubricVersion {
				t.Errorf("%s: rubric version %q, want %q", c.name, got.RubricVersion, c.res.RubricVersion)
			}
			var level, rubric, engine string
			var grammar float64
			if err := s.w.QueryRowContext(ctx, `SELECT level, grammar, rubric_version, engine_version FROM scores WHERE response_id = $1`,
				r.ID).Scan(&level, &grammar, &rubric, &engine); err != nil {
				t.Fatal(err)
			}
			if level != c.res.Level || grammar != 64 || rubric != c.res.RubricVersion || engine != "9.9.9-test" {
				t.Errorf("%s: score row %s %v %s %s", c.name, level, grammar, rubric, engine)
			}
			if n := count(t, s, `SELECT count(*) FROM flags WHERE response_id = $1`, r.ID); n != c.wantFlags {
				t.Errorf("%s: %d flag rows, want %d", c.name, n, c.wantFlags)
			}
			var prio int
			var reasons string
			err = s.w.QueryRowContext(ctx, `SELECT priority, reasons FROM reviews WHERE response_id = $1 AND state = 'open'`, r.ID).Scan(&prio, &reasons)
			if c.wantReview {
				open++
				if err != nil {
					t.Fatalf("%s: review: %v", c.name, err)
				}
				if prio != c.wantPrio || compactJSON(t, reasons) != c.wantReasons {
					t.Errorf("%s: review priority %d reasons %s, want %d %s", c.name, prio, reasons, c.wantPrio, c.wantReasons)
				}
				if n := count(t, s, `SELECT count(*) FROM review_audit u JOIN reviews v ON v.id = u.review_id
					WHERE v.response_id = $1 AND u.action = 'open' AND u.actor = 'system'`, r.ID); n != 1 {
					t.Errorf("%s: %d audit rows for the opening, want 1", c.name, n)
				}
			} else if err == nil {
				t.Errorf("%s: a review was opened for a clean grade", c.name)
			}
			if n, err := s.CountOpenReviews(ctx); err != nil || n != open {
				t.Errorf("%s: CountOpenReviews %d %v, want %d", c.name, n, err, open)
			}
			// Graded is final: the lease is gone.
			if err := s.CompleteGrade(ctx, r.ID, "api", c.res); !errors.Is(err, ErrConflict) {
				t.Errorf("%s: second CompleteGrade: %v, want ErrConflict", c.name, err)
			}
		}
		if err := s.CompleteGrade(ctx, "missing", "api", graded("B1")); !errors.Is(err, ErrNotFound) {
			t.Errorf("CompleteGrade of unknown: %v, want ErrNotFound", err)
		}

		// An empty engine version is recorded as this binary's engine.
		r, _, err := s.CreateResponse(ctx, written(a.ID, "nover", ""))
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := s.LeaseResponse(ctx, r.ID, "api", time.Minute); !ok || err != nil {
			t.Fatalf("lease: %v %v", ok, err)
		}
		res := graded("B1")
		res.EngineVersion = ""
		if err := s.CompleteGrade(ctx, r.ID, "api", res); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.GetResponse(ctx, r.ID); got.Result.EngineVersion != result.Version {
			t.Errorf("engine version %q, want %q", got.Result.EngineVersion, result.Version)
		}
	})
}

func TestFailGrade(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		ctx := t.Context()
		r := oneResponse(t, s)
		lease := func(owner string) []string { t.Helper(); return ids(leaseJobs(t, s, owner)) }
		if got := lease("w1"); len(got) != 1 {
			t.Fatalf("leased %v, want the response", got)
		}
		if err := s.FailGrade(ctx, r.ID, "someone-else", "x", clk.now(), false); !errors.Is(err, ErrConflict) {
			t.Errorf("FailGrade by a non-holder: %v, want ErrConflict", err)
		}
		if err := s.FailGrade(ctx, "missing", "w1", "x", clk.now(), false); !errors.Is(err, ErrNotFound) {
			t.Errorf("FailGrade of unknown: %v, want ErrNotFound", err)
		}
		// A retryable failure: pending, lease released, not before retryAt.
		if err := s.FailGrade(ctx, r.ID, "w1", "engine unavailable", clk.now().Add(10*time.Second), false); err != nil {
			t.Fatal(err)
		}
		got, _ := s.GetResponse(ctx, r.ID)
		if got.Status != StatusPending || got.LastError != "engine unavailable" || got.Attempts != 1 {
			t.Errorf("after a retryable failure: %+v", got)
		}
		if got := lease("w2"); len(got) != 0 {
			t.Errorf("leased %v before the retry time", got)
		}
		clk.advance(10 * time.Second)
		if got := lease("w2"); len(got) != 1 {
			t.Fatalf("leased %v at the retry time, want the response", got)
		}
		// The final failure: failed with the reason, never leased again.
		if err := s.FailGrade(ctx, r.ID, "w2", "corrupt input", clk.now().Add(time.Hour), true); err != nil {
			t.Fatal(err)
		}
		got, _ = s.GetResponse(ctx, r.ID)
		if got.Status != StatusFailed || got.LastError != "corrupt input" || got.Attempts != 2 || got.Result != nil {
			t.Errorf("after the final failure: %+v", got)
		}
		clk.advance(2 * time.Hour)
		if got := lease("w3"); len(got) != 0 {
			t.Errorf("leased a failed response: %v", got)
		}
		if ok, _ := s.LeaseResponse(ctx, r.ID, "api", time.Minute); ok {
			t.Error("LeaseResponse took a failed response")
		}
	})
}

// compactJSON normalises a JSON array for comparison (PostgreSQL jsonb adds
// spaces).
func compactJSON(t *testing.T, s string) string {
	t.Helper()
	var v []string
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// TestDeferGrade: a deferred attempt leaves the response pending until the
// retry time, releases the lease and takes back the attempt the lease
// counted, however often it happens; a counted failure still counts.
func TestDeferGrade(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		ctx := t.Context()
		r := oneResponse(t, s)
		lease := func(owner string) []Response { t.Helper(); return leaseJobs(t, s, owner) }
		for round := range 20 {
			got := lease("w")
			if len(got) != 1 || got[0].Attempts != 1 {
				t.Fatalf("round %d: leased %+v, want the response at attempt 1", round, got)
			}
			if err := s.DeferGrade(ctx, r.ID, "w", "engine unavailable", clk.now().Add(5*time.Second)); err != nil {
				t.Fatal(err)
			}
			now, _ := s.GetResponse(ctx, r.ID)
			if now.Status != StatusPending || now.Attempts != 0 || now.LastError != "engine unavailable" {
				t.Fatalf("round %d: after deferring %+v, want pending with 0 attempts", round, now)
			}
			if got := lease("other"); len(got) != 0 {
				t.Fatalf("round %d: leased %v before the retry time", round, ids(got))
			}
			clk.advance(5 * time.Second)
		}
		// The in-request lease is taken back the same way.
		if ok, err := s.LeaseResponse(ctx, r.ID, "api", time.Minute); err != nil || !ok {
			t.Fatalf("LeaseResponse: %v %v", ok, err)
		}
		if err := s.DeferGrade(ctx, r.ID, "api", "engine unavailable", clk.now()); err != nil {
			t.Fatal(err)
		}
		// A counted failure after deferrals is attempt 1.
		if got := lease("w"); len(got) != 1 || got[0].Attempts != 1 {
			t.Fatalf("leased %+v, want attempt 1", got)
		}
		if err := s.FailGrade(ctx, r.ID, "w", "boom", clk.now(), false); err != nil {
			t.Fatal(err)
		}
		if now, _ := s.GetResponse(ctx, r.ID); now.Attempts != 1 || now.LastError != "boom" {
			t.Errorf("after a counted failure: %+v", now)
		}

		if got := lease("w"); len(got) != 1 {
			t.Fatal("not leased again")
		}
		if err := s.DeferGrade(ctx, r.ID, "someone-else", "x", clk.now()); !errors.Is(err, ErrConflict) {
			t.Errorf("DeferGrade by a non-holder: %v, want ErrConflict", err)
		}
		if err := s.DeferGrade(ctx, "missing", "w", "x", clk.now()); !errors.Is(err, ErrNotFound) {
			t.Errorf("DeferGrade of unknown: %v, want ErrNotFound", err)
		}
		if now, _ := s.GetResponse(ctx, r.ID); now.Attempts != 2 {
			t.Errorf("refused deferrals changed attempts to %d, want 2", now.Attempts)
		}
		clk.advance(2 * time.Minute) // the lease ran out
		if err := s.DeferGrade(ctx, r.ID, "w", "x", clk.now()); !errors.Is(err, ErrConflict) {
			t.Errorf("DeferGrade after the lease expired: %v, want ErrConflict", err)
		}
	})
}

// leaseJobs leases up to 10 due jobs for owner for a minute.
func leaseJobs(t *testing.T, s *Store, owner string) []Response {
	t.Helper()
	got, err := s.LeaseJobs(t.Context(), owner, time.Minute, 10)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// oneResponse stores one written answer in a new assessment.
func oneResponse(t *testing.T, s *Store) Response {
	t.Helper()
	a := newAssessment(t, s, "c1")
	r, _, err := s.CreateResponse(t.Context(), written(a.ID, "w1", ""))
	if err != nil {
		t.Fatal(err)
	}
	return r
}
