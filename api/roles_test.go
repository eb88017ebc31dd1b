package api

import (
	"context"
	"net/http"
	"regexp"
	"strings"
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
		emptyJSON := func() request { return rawBody("application/json", "{}") }
		const (
			ok = http.StatusOK
			cr = http.StatusCreated
			un = http.StatusUnauthorized
			fb = http.StatusForbidden
			nf = http.StatusNotFound
			nc = http.StatusNoContent
			al = 0
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
			// Review, placement and report routes: "al" means allowed (neither
			// 401 nor 403; the status then depends on the data).
			{"GET", "/v1/responses/" + own.ID + "/audio", none, [5]int{un, al, al, al, fb}},
			{"GET", "/v1/reviews", none, [5]int{un, ok, ok, fb, fb}},
			{"GET", "/v1/reviews/1", none, [5]int{un, al, al, fb, fb}},
			{"POST", "/v1/reviews/1/claim", emptyJSON, [5]int{un, al, al, fb, fb}},
			{"POST", "/v1/reviews/claim-next", none, [5]int{un, nc, nc, fb, fb}}, // nothing flagged here
			{"POST", "/v1/reviews/1/decision", emptyJSON, [5]int{un, al, al, fb, fb}},
			{"POST", "/v1/reviews/1/release", emptyJSON, [5]int{un, al, al, fb, fb}},
			{"GET", "/v1/assessments/" + e.assess + "/placement", none, [5]int{un, al, al, al, fb}},
			{"GET", "/v1/assessments/" + e.assess + "/placement/export", none, [5]int{un, al, al, al, fb}},
			{"GET", "/v1/reports/placement", none, [5]int{un, al, fb, al, fb}},
			{"GET", "/v1/reports/agreement", none, [5]int{un, al, fb, al, fb}},
			{"GET", "/v1/reports/trend", none, [5]int{un, al, fb, al, fb}},
		}
		// Every registered route is in the matrix.
		param := regexp.MustCompile(`/:id(/|$)`)
		covered := map[string]bool{}
		for _, tc := range cases {
			p := tc.path
			for _, id := range []string{e.assess, other.ID, own.ID, otherResp.ID, "1"} {
				p = strings.Replace(p, "/"+id, "/:id", 1)
			}
			covered[tc.method+" "+p] = true
		}
		for _, r := range e.srv.engine.Routes() {
			if !covered[r.Method+" "+param.ReplaceAllString(r.Path, "/:id$1")] {
				t.Errorf("%s %s is not in the role matrix", r.Method, r.Path)
			}
		}
		for _, tc := range cases {
			for i, role := range roles {
				name := role
				if name == "" {
					name = "none"
				}
				resp := e.do(tc.method, tc.path, e.tokens[role], tc.body())
				resp.Body.Close()
				allowed := tc.want[i] == al && resp.StatusCode != un && resp.StatusCode != fb && resp.StatusCode < 500
				if !allowed && resp.StatusCode != tc.want[i] {
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
