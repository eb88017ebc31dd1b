package api

import (
	"errors"
	"testing"
)

// TestNULBytes: PostgreSQL text holds no NUL byte, so one in an answer, a
// comment, a path or a query parameter must be refused as bad input (or not
// found), never reach the database as a 500; SQLite answers the same.
func TestNULBytes(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, dialect, nil)
		staff := e.tokens["admin"]
		cases := []struct {
			name, method, path, tok string
			req                     request
			status                  int
			code                    string
		}{
			{"answer text", "POST", "/v1/assessments/" + e.assess + "/responses", e.tokens["candidate"], written("email", "en", "Dear customer,\x00 we will refund you."), 422, "text.invalid"},
			{"assessment id", "GET", "/v1/assessments/a%00b", staff, request{}, 404, "assessment.not_found"},
			{"response id", "GET", "/v1/responses/a%00b", staff, request{}, 404, "response.not_found"},
			{"response audio id", "GET", "/v1/responses/a%00b/audio", staff, request{}, 404, "audio.not_found"},
			{"answer to a NUL id", "POST", "/v1/assessments/a%00b/responses", staff, written("email", "en", "Dear customer"), 404, "assessment.not_found"},
			{"not UTF-8 id", "GET", "/v1/assessments/a%ffb", staff, request{}, 404, "assessment.not_found"},
			{"placement id", "GET", "/v1/assessments/a%00b/placement", staff, request{}, 404, "assessment.not_found"},
			{"review filter", "GET", "/v1/reviews?reason=a%00b", staff, request{}, 400, "query.invalid"},
			{"review language", "GET", "/v1/reviews?language=%ff", staff, request{}, 400, "query.invalid"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				e.t = t
				p := e.problemOf(e.do(tc.method, tc.path, tc.tok, tc.req))
				if p.Status != tc.status || p.Code != tc.code {
					t.Errorf("got %d %s (%s), want %d %s", p.Status, p.Code, p.Detail, tc.status, tc.code)
				}
			})
		}
	})
}

// TestDecisionCommentNUL: the review comment is stored as text too.
func TestDecisionCommentNUL(t *testing.T) {
	for _, tc := range []struct {
		comment string
		code    string
	}{
		{"fine, B2", ""},
		{"a\x00b", "comment.invalid"},
	} {
		d := decisionView{Level: "b2", Comment: tc.comment}
		err := validateDecision(&d)
		var ae *apiError
		got := ""
		if errors.As(err, &ae) {
			got = ae.code
		}
		if got != tc.code || (tc.code == "") != (err == nil) {
			t.Errorf("comment %q: error %v (code %q), want code %q", tc.comment, err, got, tc.code)
		}
	}
}
