package api

import (
	"context"
	"net/http"
	"testing"

	"github.com/langassess/langassess/store"
)

// TestRoleMatrix: each role (and no token) on each route, expected status.
// "other" is another candidate's assessment or response.
func TestRoleMatrix(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, dialect, nil)
		e.grader.set(gradeOK)
		own := e.postAnswer(e.tokens["candidate"], written("email", "en", "mine"))
		var other createAssessmentResponse
		e.mustJSON(e.do("POST", "/v1/assessments", e.tokens["admin"], jsonBody(map[string]any{
			"candidate_ref": "cand-2", "assessment_id": "support", "languages": []string{"en"},
		})), http.StatusCreated, &other)
		var otherResp responseView
		e.mustJSON(e.do("POST", "/v1/assessments/"+other.ID+"/responses", other.CandidateToken, written("email", "en", "theirs")),
			http.StatusCreated, &otherResp)

		newAssessment := func() request {
			return jsonBody(map[string]any{"candidate_ref": "x", "assessment_id": "support", "languages": []string{"en"}})
		}
		answer := func() request { return written("email", "en", "an answer") }
		none := func() request { return request{} }
		const (
			ok = http.StatusOK
			cr = http.StatusCreated
			un = http.StatusUnauthorized
			fb = http.StatusForbidden
			nf = http.StatusNotFound
		)
		roles := []string{"", store.RoleAdmin, store.RoleGrader, store.RolePlanner, store.RoleCandidate}
		cases := []struct {
			method, path string
			body         func() request
			want         [5]int // none, admin, grader, planner, candidate
		}{
			{"GET", "/healthz", none, [5]int{ok, ok, ok, ok, ok}},
			{"GET", "/readyz", none, [5]int{ok, ok, ok, ok, ok}},
			{"GET", "/metrics", none, [5]int{ok, ok, ok, ok, ok}},
			{"GET", "/openapi.json", none, [5]int{ok, ok, ok, ok, ok}},
			{"POST", "/v1/assessments", newAssessment, [5]int{un, cr, fb, fb, fb}},
			{"GET", "/v1/assessments/" + e.assess, none, [5]int{un, ok, ok, ok, ok}},
			{"GET", "/v1/assessments/" + other.ID, none, [5]int{un, ok, ok, ok, fb}},
			{"POST", "/v1/assessments/" + e.assess + "/responses", answer, [5]int{un, cr, fb, fb, cr}},
			{"POST", "/v1/assessments/" + other.ID + "/responses", answer, [5]int{un, cr, fb, fb, fb}},
			{"GET", "/v1/responses/" + own.ID, none, [5]int{un, ok, ok, ok, ok}},
			{"GET", "/v1/responses/" + otherResp.ID, none, [5]int{un, ok, ok, ok, nf}},
		}
		for _, tc := range cases {
			for i, role := range roles {
				name := role
				if name == "" {
					name = "none"
				}
				resp := e.do(tc.method, tc.path, e.tokens[role], tc.body())
				resp.Body.Close()
				if resp.StatusCode != tc.want[i] {
					t.Errorf("%s %s as %s: %d, want %d", tc.method, tc.path, name, resp.StatusCode, tc.want[i])
				}
			}
		}
		// The candidate's token never stored anything in the other assessment.
		rs, err := e.st.ListResponses(context.Background(), other.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 2 {
			t.Errorf("other assessment has %d responses, want 2 (its candidate's and the admin's)", len(rs))
		}
	})
}
