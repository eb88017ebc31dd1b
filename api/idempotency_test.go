package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/langassess/langassess/grading"
)

func withKey(r request, key string) request {
	r.header = map[string]string{"Idempotency-Key": key}
	return r
}

func TestIdempotentRetry(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, dialect, nil)
		e.grader.set(gradeOK)
		path := "/v1/assessments/" + e.assess + "/responses"
		first := e.do("POST", path, e.tokens["candidate"], withKey(written("email", "en", "Dear customer"), "k-1"))
		var a responseView
		e.mustJSON(first, http.StatusCreated, &a)

		replay := e.do("POST", path, e.tokens["candidate"], withKey(written("email", "en", "Dear customer"), "k-1"))
		if replay.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("replay without Idempotent-Replayed header")
		}
		var b responseView
		e.mustJSON(replay, http.StatusOK, &b)
		if a.ID != b.ID || b.Status != "graded" {
			t.Errorf("replay %+v, first %+v", b, a)
		}
		// Same key, different answer: refused, nothing stored.
		p := e.problemOf(e.do("POST", path, e.tokens["candidate"], withKey(written("email", "en", "Something else"), "k-1")))
		if p.Status != http.StatusUnprocessableEntity || p.Code != "idempotency_key.reused" {
			t.Errorf("reuse: %+v", p)
		}
		// A spoken answer retried: a new multipart boundary, same content.
		wav := makeWAV(t, 0.2)
		fields := map[string]string{"item": "call", "language": "en"}
		var s1, s2 responseView
		e.mustJSON(e.do("POST", path, e.tokens["candidate"], withKey(multipartBody(fields, wav), "k-2")), http.StatusCreated, &s1)
		e.mustJSON(e.do("POST", path, e.tokens["candidate"], withKey(multipartBody(fields, wav), "k-2")), http.StatusOK, &s2)
		if s1.ID != s2.ID {
			t.Errorf("spoken replay made a new response %s != %s", s2.ID, s1.ID)
		}
		if n := e.count("responses"); n != 2 {
			t.Errorf("%d rows, want 2", n)
		}
		if n := e.grader.calls.Load(); n != 2 {
			t.Errorf("engine ran %d times, want 2", n)
		}
	})
}

// TestConcurrentRetries fires the same keyed request from many clients at
// once: one row, one grading, every client gets the same response id.
func TestConcurrentRetries(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, dialect, nil)
		e.grader.set(func(ctx context.Context, in grading.Input) (grading.Result, error) {
			time.Sleep(50 * time.Millisecond) // widen the race window
			return gradeOK(ctx, in)
		})
		const n = 16
		ids := make([]string, n)
		codes := make([]int, n)
		statuses := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				req, _ := http.NewRequest("POST", e.http.URL+"/v1/assessments/"+e.assess+"/responses", written("email", "de", "Guten Tag").body)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.tokens["candidate"])
				req.Header.Set("Idempotency-Key", "same")
				resp, err := e.http.Client().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				var v responseView
				json.Unmarshal(b, &v)
				ids[i], codes[i], statuses[i] = v.ID, resp.StatusCode, v.Status
			})
		}
		wg.Wait()
		created := 0
		for i := range n {
			if codes[i] == http.StatusCreated {
				created++
			} else if codes[i] != http.StatusOK {
				t.Errorf("client %d: status %d", i, codes[i])
			}
			if statuses[i] != "graded" {
				t.Errorf("client %d: status %q; a retry should return the first result", i, statuses[i])
			}
			if ids[i] == "" || ids[i] != ids[0] {
				t.Errorf("client %d: id %q, client 0: %q", i, ids[i], ids[0])
			}
		}
		if created != 1 {
			t.Errorf("%d clients got 201, want exactly 1", created)
		}
		if rows := e.count("responses"); rows != 1 {
			t.Errorf("%d rows stored, want 1", rows)
		}
		if calls := e.grader.calls.Load(); calls != 1 {
			t.Errorf("engine ran %d times, want 1", calls)
		}
	})
}
