package api

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/store"
)

// lookupFails is a store whose GetAssessment fails with err.
type lookupFails struct {
	Store
	err error
}

func (s lookupFails) GetAssessment(ctx context.Context, id string) (store.Assessment, error) {
	return store.Assessment{}, fmt.Errorf("get assessment %s: %w", id, s.err)
}

// workerOver runs a second server's worker over st (the env's store behind
// a wrapper) with the env's settings and grader, for the test's lifetime.
func (e *env) workerOver(st Store) {
	srv := New(e.srv.cfg, st, e.grader, testPack(), e.srv.log)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.RunWorker(ctx); close(done) }()
	e.t.Cleanup(func() { cancel(); <-done })
}

// TestWorkerAssessmentLookupFails: a job whose assessment cannot be read
// is a failed attempt like any other, final after MaxAttempts; before, it
// was left pending without a limit and retried forever. A definite
// ErrNotFound is final at once.
func TestWorkerAssessmentLookupFails(t *testing.T) {
	for _, tc := range []struct {
		name         string
		err          error
		wantAttempts int
		wantReason   string
	}{
		{"transient", errBoom, 3, "gave up after 3 attempts: assessment lookup failed"},
		{"gone", store.ErrNotFound, 2, "no longer exists"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) { c.MaxAttempts = 3 })
			e.grader.set(func(ctx context.Context, in grading.Input) (grading.Result, error) {
				return grading.Result{}, errBoom
			})
			v := e.postAnswer(e.tokens["candidate"], written("email", "en", "Dear customer"))
			if v.Status != store.StatusPending {
				t.Fatalf("status %q after the in-request attempt, want pending", v.Status)
			}
			calls := e.grader.calls.Load()
			e.workerOver(lookupFails{Store: e.st, err: tc.err})
			r := e.waitStatus(v.ID, store.StatusFailed, 5*time.Second)
			if r.Attempts != tc.wantAttempts || !strings.Contains(r.LastError, tc.wantReason) {
				t.Errorf("attempts %d, last error %q; want %d and %q", r.Attempts, r.LastError, tc.wantAttempts, tc.wantReason)
			}
			if n := e.grader.calls.Load() - calls; n != 0 {
				t.Errorf("the engine was called %d times without an assessment", n)
			}
		})
	}
}

// TestUnavailableEngineSpendsNoAttempts: while the engine is unavailable
// (language models loading) an answer goes back to pending with a short
// retry and keeps its attempts, however many rounds that takes; once the
// engine is available the worker grades it. Before, each round counted and
// the answer was failed after MaxAttempts.
func TestUnavailableEngineSpendsNoAttempts(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		const maxAttempts = 3
		e := newEnvOn(t, dialect, func(c *Config) { c.MaxAttempts = maxAttempts })
		var rounds atomic.Int64
		e.grader.set(func(ctx context.Context, in grading.Input) (grading.Result, error) {
			rounds.Add(1)
			return grading.Result{}, fmt.Errorf("language models still loading: %w", grading.ErrUnavailable)
		})
		v := e.postAnswer(e.tokens["candidate"], written("email", "en", "Dear customer"))
		if v.Status != store.StatusPending {
			t.Fatalf("status %q with the engine unavailable, want pending", v.Status)
		}
		e.startWorker()
		deadline := time.Now().Add(10 * time.Second)
		for rounds.Load() < 4*maxAttempts {
			if time.Now().After(deadline) {
				t.Fatalf("only %d grading rounds in 10 s", rounds.Load())
			}
			time.Sleep(10 * time.Millisecond)
		}
		r, err := e.st.GetResponse(context.Background(), v.ID)
		if err != nil {
			t.Fatal(err)
		}
		// At most the attempt of a lease held right now.
		if r.Status != store.StatusPending || r.Attempts > 1 || !strings.Contains(r.LastError, "unavailable") {
			t.Fatalf("after %d unavailable rounds: status %q, attempts %d, last error %q; want pending, at most 1",
				rounds.Load(), r.Status, r.Attempts, r.LastError)
		}
		e.grader.set(gradeOK)
		r = e.waitStatus(v.ID, store.StatusGraded, 5*time.Second)
		if r.Attempts != 1 || r.Result == nil || r.Result.Level != "B1" {
			t.Errorf("graded with attempts %d, result %+v; want the one attempt that graded it", r.Attempts, r.Result)
		}
	})
}
