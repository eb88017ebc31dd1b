package api

import (
	"bytes"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/langassess/langassess/rubrics"
)

// FuzzDecisionBody decodes and validates arbitrary decision bodies as
// POST /v1/reviews/{id}/decision does: nothing panics, and a body that
// passes carries a CEFR level, scores within 0-100 and a bounded comment
// (what the store and the reports rely on).
func FuzzDecisionBody(f *testing.F) {
	for _, s := range []string{
		`{"level":"B2","scores":{"grammar":68,"fluency":72},"comment":"clear"}`,
		`{"level":"b1"}`,
		`{"level":"B7"}`,
		`{"level":"C1","scores":{"grammar":140}}`,
		`{"level":"A2","scores":{"grammar":null,"length":0}}`,
		`{"level":"A2","extra":1}`,
		`{"level":"A2"} {"level":"B1"}`,
		`[]`,
	} {
		f.Add([]byte(s))
	}
	gin.SetMode(gin.ReleaseMode)
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(rec)
		c.Request = httptest.NewRequest(http.MethodPost, "/v1/reviews/1/decision", bytes.NewReader(body))
		c.Request.Header.Set("Content-Type", "application/json")
		var d decisionView
		if err := decodeJSON(c, 64<<10, &d); err != nil {
			return
		}
		if err := validateDecision(&d); err != nil {
			return
		}
		if !rubrics.ValidLevel(d.Level) || len(d.Comment) > 10000 {
			t.Fatalf("accepted %q as %+v", body, d)
		}
		for dim, v := range d.Scores.ByDimension() {
			if math.IsNaN(v) || v < 0 || v > 100 {
				t.Fatalf("accepted %s = %v from %q", dim, v, body)
			}
		}
	})
}
