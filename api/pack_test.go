package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/rubrics"
	"github.com/langassess/langassess/store"
)

// changedPack is testPack after a pack change: assessment "support" is gone
// (renamed), so assessments created from it have no pack entry.
func changedPack() *rubrics.Pack {
	p := testPack()
	p.Assessments[0].ID = "support-v2"
	return p
}

// restartWith replaces the env's server by one over the same store that
// runs pack, as after a restart with another LANGASSESS_PACK_DIR.
func (e *env) restartWith(pack *rubrics.Pack) {
	e.srv = New(e.srv.cfg, e.st, e.grader, pack, e.srv.log)
	e.http = httptest.NewServer(e.srv.Handler())
	e.t.Cleanup(e.http.Close)
}

// TestPackChanged: an assessment whose pack entry disappeared gets 409
// assessment.pack_changed, with what to do, from every route that needs the
// entry; before, an answer to it was a 500. Staff still read its stored
// answers, with the problem as a warning.
func TestPackChanged(t *testing.T) {
	e := newEnv(t, nil)
	e.grader.set(gradeOK)
	first := e.postAnswer(e.tokens["candidate"], written("email", "en", "Dear customer"))
	if first.Status != store.StatusGraded {
		t.Fatalf("status %q before the pack change", first.Status)
	}
	placementPath := "/v1/assessments/" + e.assess + "/placement"
	e.mustJSON(e.do("GET", placementPath, e.tokens["planner"], request{}), http.StatusOK, nil)

	e.restartWith(changedPack())
	responses := e.count("responses")
	for _, tc := range []struct {
		who      string
		req      func() *http.Response
		inDetail string
	}{
		{"candidate answer", func() *http.Response {
			return e.do("POST", "/v1/assessments/"+e.assess+"/responses", e.tokens["candidate"], written("email", "de", "Sehr geehrte"))
		}, "contact the organisation that invited you"},
		{"admin answer", func() *http.Response {
			return e.do("POST", "/v1/assessments/"+e.assess+"/responses", e.tokens["admin"], written("email", "de", "Sehr geehrte"))
		}, `has no assessment "support": restart the server with a pack that has it`},
		{"candidate progress", func() *http.Response {
			return e.do("GET", "/v1/assessments/"+e.assess, e.tokens["candidate"], request{})
		}, "contact the organisation"},
		{"placement", func() *http.Response {
			return e.do("GET", placementPath, e.tokens["planner"], request{})
		}, "restart the server with a pack that has it"},
		{"placement export", func() *http.Response {
			return e.do("GET", placementPath+"/export?format=genesys", e.tokens["admin"], request{})
		}, "restart the server"},
	} {
		resp := tc.req()
		p := e.problemOf(resp)
		if resp.StatusCode != http.StatusConflict || p.Code != "assessment.pack_changed" || !strings.Contains(p.Detail, tc.inDetail) {
			t.Errorf("%s: %d %s %q; want 409 assessment.pack_changed saying %q", tc.who, resp.StatusCode, p.Code, p.Detail, tc.inDetail)
		}
	}
	if n := e.count("responses"); n != responses {
		t.Errorf("refused answers stored: %d responses, had %d", n, responses)
	}

	var staff assessmentView
	e.mustJSON(e.do("GET", "/v1/assessments/"+e.assess, e.tokens["grader"], request{}), http.StatusOK, &staff)
	if len(staff.Responses) != 1 || staff.Responses[0].ID != first.ID || staff.Responses[0].Result == nil {
		t.Errorf("staff lost the stored answer: %+v", staff.Responses)
	}
	if len(staff.Warnings) != 1 || staff.Warnings[0].Code != "assessment.pack_changed" ||
		!strings.Contains(staff.Warnings[0].Detail, "restart the server") || len(staff.Items) != 0 {
		t.Errorf("staff view items %v, warnings %+v; want no items and the pack_changed warning", staff.Items, staff.Warnings)
	}
}

// TestWorkerPackChanged: a pending answer whose assessment's pack entry is
// gone is a counted attempt with reason assessment.pack_changed, failed
// after MaxAttempts without calling the engine; restarted with the right
// pack in time, the worker grades it.
func TestWorkerPackChanged(t *testing.T) {
	for _, restore := range []bool{false, true} {
		name := "stays_changed"
		if restore {
			name = "pack_restored"
		}
		t.Run(name, func(t *testing.T) {
			maxAttempts := 3
			if restore {
				maxAttempts = 50 // room to stop the worker before it gives up
			}
			e := newEnv(t, func(c *Config) { c.MaxAttempts = maxAttempts })
			e.grader.set(func(ctx context.Context, in grading.Input) (grading.Result, error) { return grading.Result{}, errBoom })
			v := e.postAnswer(e.tokens["candidate"], written("email", "en", "Dear customer"))
			if v.Status != store.StatusPending {
				t.Fatalf("status %q after a failed in-request attempt, want pending", v.Status)
			}
			e.grader.set(gradeOK)
			calls := e.grader.calls.Load()
			e.restartWith(changedPack())
			if !restore {
				e.startWorker()
				r := e.waitStatus(v.ID, store.StatusFailed, 5*time.Second)
				if r.Attempts != 3 || !strings.Contains(r.LastError, "gave up after 3 attempts: assessment.pack_changed") ||
					!strings.Contains(r.LastError, `no assessment "support"`) {
					t.Errorf("attempts %d, last error %q", r.Attempts, r.LastError)
				}
				if n := e.grader.calls.Load() - calls; n != 0 {
					t.Errorf("the engine was called %d times for an assessment missing from the pack", n)
				}
				return
			}
			// One attempt under the changed pack, then the right pack again.
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { e.srv.RunWorker(ctx); close(done) }()
			deadline := time.Now().Add(5 * time.Second)
			for {
				r, err := e.st.GetResponse(context.Background(), v.ID)
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(r.LastError, "assessment.pack_changed") {
					if r.Status != store.StatusPending {
						t.Fatalf("status %q after the first pack_changed attempt, want pending", r.Status)
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("no pack_changed attempt in 5 s: %+v", r)
				}
				time.Sleep(5 * time.Millisecond)
			}
			cancel()
			<-done
			e.restartWith(testPack())
			e.startWorker()
			r := e.waitStatus(v.ID, store.StatusGraded, 5*time.Second)
			if r.Result == nil || r.Result.Level != "B1" {
				t.Errorf("graded with result %+v", r.Result)
			}
		})
	}
}

// TestReplayAfterPackChange: a client retrying an answer the service
// already acknowledged gets its stored result back, even after the pack
// lost the assessment (the retry is not a new answer); a new key is still
// refused with assessment.pack_changed.
func TestReplayAfterPackChange(t *testing.T) {
	e := newEnv(t, nil)
	e.grader.set(gradeOK)
	path := "/v1/assessments/" + e.assess + "/responses"
	var first responseView
	e.mustJSON(e.do("POST", path, e.tokens["candidate"], withKey(written("email", "en", "Dear customer"), "k-1")), http.StatusCreated, &first)

	e.restartWith(changedPack())
	replay := e.do("POST", path, e.tokens["candidate"], withKey(written("email", "en", "Dear customer"), "k-1"))
	var again responseView
	e.mustJSON(replay, http.StatusOK, &again)
	if again.ID != first.ID || replay.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay after the pack change: id %q (first %q), replayed %q", again.ID, first.ID, replay.Header.Get("Idempotent-Replayed"))
	}
	// Same key, another answer: still the reuse error, not a new row.
	if p := e.problemOf(e.do("POST", path, e.tokens["candidate"], withKey(written("email", "en", "Other text"), "k-1"))); p.Code != "idempotency_key.reused" {
		t.Errorf("same key, other answer: %s, want idempotency_key.reused", p.Code)
	}
	if p := e.problemOf(e.do("POST", path, e.tokens["candidate"], withKey(written("email", "en", "Dear customer"), "k-2"))); p.Code != "assessment.pack_changed" {
		t.Errorf("new key after the pack change: %s, want assessment.pack_changed", p.Code)
	}
}
