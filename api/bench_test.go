package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkIntake measures the API and store cost of one written answer
// (strict decode, validation, SQLite insert, lease, grade stored, reload)
// with an engine that answers at once, so grading time is not in it. The
// baseline is GET /healthz through the same middleware.
//
//	go test ./api -run '^$' -bench Intake -benchtime=2000x -count=5
func BenchmarkIntake(b *testing.B) {
	e := newEnv(b, nil)
	e.grader.set(gradeOK)
	h := e.srv.Handler()
	path := "/v1/assessments/" + e.assess + "/responses"
	b.Run("healthz", func(b *testing.B) {
		for b.Loop() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
			if rec.Code != http.StatusOK {
				b.Fatal(rec.Code)
			}
		}
	})
	b.Run("written", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			body, _ := json.Marshal(map[string]string{"item": "email", "language": "en",
				"text": fmt.Sprintf("Dear customer, thank you for message %d. We will refund you today.", i)})
			req := httptest.NewRequest("POST", path, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+e.tokens["candidate"])
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusCreated {
				b.Fatalf("%d %s", rec.Code, rec.Body)
			}
		}
	})
}
