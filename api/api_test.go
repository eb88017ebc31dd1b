package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/store"
)

func written(item, lang, text string) request {
	return jsonBody(map[string]string{"item": item, "language": lang, "text": text})
}

func (e *env) postAnswer(tok string, r request) responseView {
	e.t.Helper()
	var v responseView
	e.mustJSON(e.do("POST", "/v1/assessments/"+e.assess+"/responses", tok, r), http.StatusCreated, &v)
	return v
}

func TestCreateAssessment(t *testing.T) {
	e := newEnv(t, nil)
	resp := e.do("POST", "/v1/assessments", e.tokens["admin"], jsonBody(map[string]any{
		"candidate_ref": "  ats-42 ", "assessment_id": "support", "languages": []string{"de", "de"},
	}))
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/v1/assessments/") {
		t.Errorf("Location %q", loc)
	}
	var got createAssessmentResponse
	e.mustJSON(resp, http.StatusCreated, &got)
	if got.ID == "" || got.ID == e.assess || !strings.HasPrefix(got.CandidateToken, "la_") {
		t.Fatalf("id %q token %q", got.ID, got.CandidateToken)
	}
	if got.CandidateRef != "ats-42" || got.PackVersion != "1.2.3" || strings.Join(got.Languages, ",") != "de" {
		t.Errorf("got %+v", got)
	}
	// en-only has no German prompt, so German gets two items.
	var items []string
	for _, it := range got.Items {
		items = append(items, it.Item+"/"+it.Language+"/"+it.Kind)
	}
	if want := "email/de/written call/de/spoken"; strings.Join(items, " ") != want {
		t.Errorf("items %q, want %q", items, want)
	}
	// The new candidate token works for its assessment only.
	e.mustJSON(e.do("GET", "/v1/assessments/"+got.ID, got.CandidateToken, request{}), http.StatusOK, nil)
	e.problemOf(e.do("GET", "/v1/assessments/"+e.assess, got.CandidateToken, request{}))
}

func TestWrittenAnswerGradedInRequest(t *testing.T) {
	e := newEnv(t, nil)
	var seen grading.Input
	e.grader.set(func(ctx context.Context, in grading.Input) (grading.Result, error) {
		seen = in
		return gradeOK(ctx, in)
	})
	resp := e.do("POST", "/v1/assessments/"+e.assess+"/responses", e.tokens["candidate"], written("email", "de", "Sehr geehrte Damen und Herren"))
	var cand map[string]any
	e.mustJSON(resp, http.StatusCreated, &cand)
	if cand["status"] != "graded" {
		t.Fatalf("status %v, want graded", cand["status"])
	}
	for _, staffOnly := range []string{"result", "text", "attempts", "rubric_version"} {
		if _, ok := cand[staffOnly]; ok {
			t.Errorf("candidate sees %q: %v", staffOnly, cand)
		}
	}
	if seen.ItemID != "email" || seen.AssessmentID != "support" || seen.Language != "de" || seen.Text != "Sehr geehrte Damen und Herren" {
		t.Errorf("engine input %+v", seen)
	}
	var staff responseView
	e.mustJSON(e.do("GET", "/v1/responses/"+cand["id"].(string), e.tokens["grader"], request{}), http.StatusOK, &staff)
	if staff.Result == nil || staff.Result.Level != "B1" || staff.Attempts != 1 || staff.Text == "" || staff.GradedAt == nil {
		t.Errorf("staff view %+v", staff)
	}
}

func TestAnswerStaysPendingWhileEngineUnavailable(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.RetryBase = time.Hour })
	v := e.postAnswer(e.tokens["candidate"], written("email", "en", "Dear customer"))
	if v.Status != store.StatusPending {
		t.Fatalf("status %q, want pending", v.Status)
	}
	r, err := e.st.GetResponse(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The engine never looked at the answer: no attempt spent.
	if r.Attempts != 0 || !strings.Contains(r.LastError, "unavailable") || r.Result != nil {
		t.Errorf("attempts %d, last error %q, result %v", r.Attempts, r.LastError, r.Result)
	}
}

func TestWorkerRetriesUntilGraded(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, dialect, nil)
		v := e.postAnswer(e.tokens["candidate"], written("email", "en", "Dear customer"))
		if v.Status != store.StatusPending {
			t.Fatalf("status %q, want pending", v.Status)
		}
		var n int
		var mu sync.Mutex
		e.grader.set(func(ctx context.Context, in grading.Input) (grading.Result, error) {
			mu.Lock()
			defer mu.Unlock()
			n++
			if n < 3 {
				return grading.Result{}, fmt.Errorf("transient: %w", errBoom)
			}
			return gradeOK(ctx, in)
		})
		e.startWorker()
		r := e.waitStatus(v.ID, store.StatusGraded, 5*time.Second)
		// The in-request attempt met the unavailable engine (not counted),
		// then 2 failed worker attempts + 1 good one.
		if r.Attempts != 3 || r.Result == nil || r.Result.Level != "B1" {
			t.Errorf("attempts %d, result %+v", r.Attempts, r.Result)
		}
	})
}

func TestWorkerGivesUpWithReason(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxAttempts = 3 })
	e.grader.set(func(ctx context.Context, in grading.Input) (grading.Result, error) { return grading.Result{}, errBoom })
	v := e.postAnswer(e.tokens["candidate"], written("email", "en", "Dear customer"))
	e.startWorker()
	r := e.waitStatus(v.ID, store.StatusFailed, 5*time.Second)
	if r.Attempts != 3 || !strings.Contains(r.LastError, "gave up after 3 attempts") {
		t.Errorf("attempts %d, last error %q", r.Attempts, r.LastError)
	}
}

func TestInputErrorFailsAtOnce(t *testing.T) {
	e := newEnv(t, nil)
	e.grader.set(func(ctx context.Context, in grading.Input) (grading.Result, error) {
		return grading.Result{}, fmt.Errorf("grade: %w", &grading.InputError{Code: "item.unknown", Field: "/item", Detail: "no rubric"})
	})
	v := e.postAnswer(e.tokens["admin"], written("email", "en", "Dear customer"))
	if v.Status != store.StatusFailed || v.LastError != "item.unknown: no rubric" || v.Attempts != 1 {
		t.Errorf("got %+v", v)
	}
}

func TestGradeTimeoutLeavesPending(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.GradeTimeout = 50 * time.Millisecond; c.RetryBase = time.Hour })
	e.grader.set(func(ctx context.Context, in grading.Input) (grading.Result, error) {
		<-ctx.Done()
		return grading.Result{}, ctx.Err()
	})
	start := time.Now()
	v := e.postAnswer(e.tokens["candidate"], written("email", "en", "Dear customer"))
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("request took %v with a 50ms grade timeout", took)
	}
	if v.Status != store.StatusPending {
		t.Errorf("status %q, want pending", v.Status)
	}
}

func TestEnginePanicIsRetried(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.RetryBase = time.Hour })
	e.grader.set(func(ctx context.Context, in grading.Input) (grading.Result, error) { panic("engine bug") })
	v := e.postAnswer(e.tokens["candidate"], written("email", "en", "Dear customer"))
	r := e.waitStatus(v.ID, store.StatusPending, time.Second)
	if !strings.Contains(r.LastError, "panicked") {
		t.Errorf("last error %q", r.LastError)
	}
}

func TestSpokenAnswer(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, dialect, nil)
		var got grading.Input
		e.grader.set(func(ctx context.Context, in grading.Input) (grading.Result, error) {
			got = in
			return gradeOK(ctx, in)
		})
		wav := makeWAV(t, 0.5)
		v := e.postAnswer(e.tokens["candidate"], multipartBody(map[string]string{"item": "call", "language": "en", "transcript": "Hello, how can I help?"}, wav))
		if v.Status != store.StatusGraded || v.Kind != "spoken" {
			t.Fatalf("got %+v", v)
		}
		if len(got.Audio) != len(wav) || got.Transcript != "Hello, how can I help?" || got.ItemID != "call" {
			t.Errorf("engine got %d audio bytes (want %d), transcript %q", len(got.Audio), len(wav), got.Transcript)
		}
		audioBack, err := e.st.GetResponseAudio(context.Background(), v.ID)
		if err != nil || len(audioBack) != len(wav) {
			t.Errorf("stored audio %d bytes, err %v", len(audioBack), err)
		}
	})
}

func TestGetAssessmentViews(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, dialect, nil)
		e.grader.set(gradeOK)
		first := e.postAnswer(e.tokens["candidate"], written("email", "en", "Dear customer"))

		var cand map[string]any
		e.mustJSON(e.do("GET", "/v1/assessments/"+e.assess, e.tokens["candidate"], request{}), http.StatusOK, &cand)
		if cand["answered"] != 1.0 || cand["total"] != 5.0 {
			t.Errorf("progress %v/%v, want 1/5", cand["answered"], cand["total"])
		}
		for _, staffOnly := range []string{"responses", "candidate_ref", "pack_id"} {
			if _, ok := cand[staffOnly]; ok {
				t.Errorf("candidate sees %q", staffOnly)
			}
		}
		if b, _ := json.Marshal(cand); strings.Contains(string(b), "B1") || strings.Contains(string(b), "scores") {
			t.Errorf("candidate view leaks a score: %s", b)
		}
		var staff assessmentView
		e.mustJSON(e.do("GET", "/v1/assessments/"+e.assess, e.tokens["planner"], request{}), http.StatusOK, &staff)
		if staff.CandidateRef != "cand-1" || len(staff.Responses) != 1 || staff.Responses[0].ID != first.ID ||
			staff.Responses[0].Result == nil || staff.Responses[0].Result.Level != "B1" {
			t.Errorf("staff view %+v", staff)
		}
	})
}

func TestNotFound(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct{ method, path, code string }{
		{"GET", "/v1/assessments/nope", "assessment.not_found"},
		{"GET", "/v1/responses/nope", "response.not_found"},
		{"POST", "/v1/assessments/nope/responses", "assessment.not_found"},
		{"GET", "/v1/nothing", "route.not_found"},
	} {
		var r request
		if tc.method == "POST" {
			r = written("email", "en", "hi")
		}
		p := e.problemOf(e.do(tc.method, tc.path, e.tokens["admin"], r))
		if p.Status != http.StatusNotFound || p.Code != tc.code {
			t.Errorf("%s %s: %d %s, want 404 %s", tc.method, tc.path, p.Status, p.Code, tc.code)
		}
	}
	p := e.problemOf(e.do("DELETE", "/v1/assessments/"+e.assess, e.tokens["admin"], request{}))
	if p.Status != http.StatusMethodNotAllowed {
		t.Errorf("DELETE: %d, want 405", p.Status)
	}
}

func TestHealthReadyMetrics(t *testing.T) {
	e := newEnv(t, nil)
	e.mustJSON(e.do("GET", "/healthz", "", request{}), http.StatusOK, nil)
	var ready struct {
		Status string
		Checks map[string]string
	}
	e.mustJSON(e.do("GET", "/readyz", "", request{}), http.StatusOK, &ready)
	if ready.Status != "ready" || ready.Checks["database"] != "ok" || ready.Checks["migrations"] != "ok" || ready.Checks["language_models"] != "ok" {
		t.Errorf("readyz %+v", ready)
	}
	e.grader.ready.Store(false)
	p := e.problemOf(e.do("GET", "/readyz", "", request{}))
	if p.Status != http.StatusServiceUnavailable || !strings.Contains(p.Detail, "language models") {
		t.Errorf("readyz while loading: %+v", p)
	}
	e.grader.ready.Store(true)

	e.srv.cfg.LatestMigration++ // as if this binary carried a newer migration
	p = e.problemOf(e.do("GET", "/readyz", "", request{}))
	if p.Status != http.StatusServiceUnavailable || !strings.Contains(p.Detail, "migrations not current") {
		t.Errorf("readyz with old schema: %+v", p)
	}
	e.srv.cfg.LatestMigration--

	e.grader.set(gradeOK)
	e.postAnswer(e.tokens["candidate"], written("email", "en", "Dear customer"))
	resp := e.do("GET", "/metrics", "", request{})
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`langassess_http_requests_total{code="201",method="POST",route="/v1/assessments/:id/responses"} 1`,
		`langassess_http_requests_total{code="503",method="GET",route="/readyz"} 2`,
		`langassess_responses_graded_total{outcome="graded"} 1`,
		`langassess_grading_duration_seconds_count 1`,
		`langassess_http_request_duration_seconds_bucket`,
		`langassess_review_queue_depth 0`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestRecoveryHidesPanic(t *testing.T) {
	e := newEnv(t, nil)
	e.srv.engine.GET("/panic", func(c *gin.Context) { panic("secret internal detail") })
	resp := e.do("GET", "/panic", "", request{})
	p := e.problemOf(resp)
	if p.Status != http.StatusInternalServerError || p.Code != "internal" || strings.Contains(p.Detail, "secret") {
		t.Errorf("problem %+v", p)
	}
	if p.RequestID == "" || resp.Header.Get("X-Request-Id") != p.RequestID {
		t.Errorf("request id %q vs header %q", p.RequestID, resp.Header.Get("X-Request-Id"))
	}
	// The server still serves.
	e.mustJSON(e.do("GET", "/healthz", "", request{}), http.StatusOK, nil)
}

func TestRequestIDEchoed(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct{ sent, want string }{
		{"abc-123", "abc-123"},
		{"bad id with spaces", ""},
	} {
		resp := e.do("GET", "/healthz", "", request{header: map[string]string{"X-Request-Id": tc.sent}})
		resp.Body.Close()
		got := resp.Header.Get("X-Request-Id")
		if tc.want != "" && got != tc.want || tc.want == "" && (got == "" || got == tc.sent) {
			t.Errorf("sent %q, got %q", tc.sent, got)
		}
	}
}

// TestWorkerRaceStillGradesInRequest: with a worker polling hard, the worker
// sometimes leases a fresh answer before its request does; the request then
// waits for the worker's grade, so every client still sees "graded".
func TestWorkerRaceStillGradesInRequest(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.PollInterval = time.Millisecond; c.Workers = 4 })
	e.grader.set(func(ctx context.Context, in grading.Input) (grading.Result, error) {
		time.Sleep(5 * time.Millisecond)
		return gradeOK(ctx, in)
	})
	e.startWorker()
	for i := range 40 {
		v := e.postAnswer(e.tokens["candidate"], written("email", "en", fmt.Sprintf("Dear customer %d", i)))
		if v.Status != store.StatusGraded {
			t.Errorf("answer %d: status %q", i, v.Status)
		}
	}
}

// TestMetricsMethodLabelBounded: net/http accepts any token as a method, so
// the method label must come from a fixed set or a client grows the metrics
// without bound (one series per invented method). It did before.
func TestMetricsMethodLabelBounded(t *testing.T) {
	e := newEnv(t, nil)
	for _, m := range []string{"BREW1", "BREW2", "get"} {
		e.do(m, "/healthz", "", request{}).Body.Close()
	}
	resp := e.do("GET", "/metrics", "", request{})
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, bad := range []string{`method="BREW1"`, `method="BREW2"`, `method="get"`} {
		if strings.Contains(string(b), bad) {
			t.Errorf("metrics carry the client's %s", bad)
		}
	}
	if !strings.Contains(string(b), `method="other"`) {
		t.Errorf("metrics lack method=\"other\" for unknown methods")
	}
}
