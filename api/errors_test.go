package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/langassess/langassess/store"
)

// badRequest is a request the API must refuse with this status, stable code
// and JSON pointer.
type badRequest struct {
	name    string
	req     request
	status  int
	code    string
	pointer string
}

func (tc badRequest) check(t *testing.T, p Problem) {
	t.Helper()
	if p.Status != tc.status || p.Code != tc.code || p.Pointer != tc.pointer {
		t.Errorf("got %d %s %q (%s), want %d %s %q", p.Status, p.Code, p.Pointer, p.Detail, tc.status, tc.code, tc.pointer)
	}
}

// TestBadResponses sends every bad answer the issue lists and checks the
// status, the stable code, the JSON pointer, and that no row was stored.
func TestBadResponses(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, dialect, nil) // MaxTextChars 200, MaxUploadBytes 256 KiB
		wav := makeWAV(t, 0.2)
		notWAV := []byte("ID3\x03\x00 this is an mp3, not a wav file")
		truncated := wav[:30]
		big := bytes.Repeat([]byte{0}, 300<<10)
		long := strings.Repeat("ä", 201)
		cases := []badRequest{
			{"wrong content type", rawBody("text/plain", "hello"), 415, "content_type.unsupported", ""},
			{"no content type", rawBody("", `{"item":"email"}`), 415, "content_type.unsupported", ""},
			{"malformed json", rawBody("application/json", `{"item":`), 400, "body.malformed", ""},
			{"not an object", rawBody("application/json", `"text"`), 400, "body.malformed", ""},
			{"two objects", rawBody("application/json", `{"item":"email","language":"en","text":"a"} {}`), 400, "body.malformed", ""},
			{"empty body", rawBody("application/json", ``), 400, "body.malformed", ""},
			{"wrong type", rawBody("application/json", `{"item":"email","language":"en","text":5}`), 400, "body.malformed", "/text"},
			{"unknown field", rawBody("application/json", `{"item":"email","language":"en","text":"a","score":100}`), 400, "body.unknown_field", "/score"},
			// RFC 6901: "~" and "/" in a name are escaped in the pointer.
			{"unknown field with a slash", rawBody("application/json", `{"item":"email","language":"en","text":"a","a/b~c":1}`), 400, "body.unknown_field", "/a~1b~0c"},
			{"json over cap", rawBody("application/json", `{"item":"email","language":"en","text":"`+strings.Repeat("a", 200*12+20<<10)+`"}`), 413, "body.too_large", ""},
			{"missing item", written("", "en", "hello"), 422, "item.missing", "/item"},
			{"unknown item", written("nope", "en", "hello"), 422, "item.unknown", "/item"},
			{"missing language", written("email", "", "hello"), 422, "language.missing", "/language"},
			{"language not in assessment", written("email", "fr", "bonjour"), 422, "language.unsupported", "/language"},
			{"language not configured", written("email", "xx", "hello"), 422, "language.unsupported", "/language"},
			{"item not in language", written("en-only", "de", "hallo"), 422, "language.unsupported", "/language"},
			{"empty text", written("email", "en", "  \n "), 422, "text.empty", "/text"},
			{"text too long", written("email", "en", long), 422, "text.too_long", "/text"},
			{"text for spoken item", written("call", "en", "hello"), 422, "item.kind_mismatch", "/item"},
			{"audio for written item", multipartBody(map[string]string{"item": "email", "language": "en"}, wav), 422, "item.kind_mismatch", "/item"},
			{"no audio part", multipartBody(map[string]string{"item": "call", "language": "en"}, nil), 422, "audio.missing", "/audio"},
			{"not a wav", multipartBody(map[string]string{"item": "call", "language": "en"}, notWAV), 422, "audio.invalid", "/audio"},
			{"truncated wav", multipartBody(map[string]string{"item": "call", "language": "en"}, truncated), 422, "audio.invalid", "/audio"},
			{"upload over cap", multipartBody(map[string]string{"item": "call", "language": "en"}, big), 413, "body.too_large", ""},
			{"transcript too long", multipartBody(map[string]string{"item": "call", "language": "en", "transcript": long}, wav), 422, "transcript.too_long", "/transcript"},
			{"unknown part", multipartBody(map[string]string{"item": "call", "language": "en", "level": "C2"}, wav), 400, "body.unknown_field", "/level"},
			{"unknown part with a slash", multipartBody(map[string]string{"item": "call", "language": "en", "a/b": "C2"}, wav), 400, "body.unknown_field", "/a~1b"},
			{"multipart without boundary", rawBody("multipart/form-data", "x"), 400, "body.malformed", ""},
			{"bad idempotency key", request{body: written("email", "en", "a").body, contentType: "application/json",
				header: map[string]string{"Idempotency-Key": strings.Repeat("k", 256)}}, 400, "idempotency_key.invalid", ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				e.t = t
				before := e.count("responses")
				p := e.problemOf(e.do("POST", "/v1/assessments/"+e.assess+"/responses", e.tokens["candidate"], tc.req))
				tc.check(t, p)
				if p.Status == 422 && p.Pointer == "" {
					t.Errorf("a 422 needs a pointer: %+v", p)
				}
				if after := e.count("responses"); after != before {
					t.Errorf("responses %d -> %d: a rejected request stored a row", before, after)
				}
				if e.grader.calls.Load() != 0 {
					t.Errorf("the engine ran on a rejected request")
				}
			})
		}
	})
}

func TestBadAssessments(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		e := newEnvOn(t, dialect, nil)
		ok := func(mod func(m map[string]any)) request {
			m := map[string]any{"candidate_ref": "c", "assessment_id": "support", "languages": []string{"en"}}
			mod(m)
			return jsonBody(m)
		}
		cases := []badRequest{
			{"form body", rawBody("application/x-www-form-urlencoded", "candidate_ref=c"), 415, "content_type.unsupported", ""},
			{"malformed", rawBody("application/json", `{`), 400, "body.malformed", ""},
			{"unknown field", ok(func(m map[string]any) { m["role"] = "admin" }), 400, "body.unknown_field", "/role"},
			{"over cap", rawBody("application/json", `{"candidate_ref":"`+strings.Repeat("a", 70<<10)+`"}`), 413, "body.too_large", ""},
			{"missing ref", ok(func(m map[string]any) { delete(m, "candidate_ref") }), 422, "candidate_ref.missing", "/candidate_ref"},
			{"ref too long", ok(func(m map[string]any) { m["candidate_ref"] = strings.Repeat("r", 201) }), 422, "candidate_ref.invalid", "/candidate_ref"},
			{"ref control char", ok(func(m map[string]any) { m["candidate_ref"] = "a\x00b" }), 422, "candidate_ref.invalid", "/candidate_ref"},
			{"missing assessment", ok(func(m map[string]any) { m["assessment_id"] = "" }), 422, "assessment.missing", "/assessment_id"},
			{"unknown assessment", ok(func(m map[string]any) { m["assessment_id"] = "sales" }), 422, "assessment.unknown", "/assessment_id"},
			{"no languages", ok(func(m map[string]any) { m["languages"] = []string{} }), 422, "languages.missing", "/languages"},
			{"unsupported language", ok(func(m map[string]any) { m["languages"] = []string{"en", "xx"} }), 422, "language.unsupported", "/languages/1"},
			{"language without items", ok(func(m map[string]any) { m["languages"] = []string{"fr"} }), 422, "language.unsupported", "/languages/0"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				e.t = t
				before := [3]int{e.count("assessments"), e.count("candidates"), e.count("tokens")}
				p := e.problemOf(e.do("POST", "/v1/assessments", e.tokens["admin"], tc.req))
				tc.check(t, p)
				if after := [3]int{e.count("assessments"), e.count("candidates"), e.count("tokens")}; after != before {
					t.Errorf("rows %v -> %v: a rejected request stored something", before, after)
				}
			})
		}
	})
}

func TestAuthErrors(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct {
		name, header string
		status       int
		code         string
	}{
		{"no header", "", 401, "auth.missing"},
		{"basic auth", "Basic dXNlcjpwdw==", 401, "auth.invalid"},
		{"empty bearer", "Bearer ", 401, "auth.invalid"},
		{"unknown token", "Bearer la_notarealtoken", 401, "auth.invalid"},
		{"wrong role", "Bearer " + e.tokens["grader"], 403, "auth.forbidden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := written("email", "en", "hello")
			if tc.header != "" {
				r.header = map[string]string{"Authorization": tc.header}
			}
			resp := e.do("POST", "/v1/assessments/"+e.assess+"/responses", "", r)
			if tc.status == 401 && resp.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("401 without WWW-Authenticate")
			}
			p := e.problemOf(resp)
			if p.Status != tc.status || p.Code != tc.code {
				t.Errorf("got %d %s, want %d %s", p.Status, p.Code, tc.status, tc.code)
			}
		})
	}
	if n := e.count("responses"); n != 0 {
		t.Errorf("%d responses stored by unauthorised requests", n)
	}
}

// TestProblemBodyIsStable pins the shape of one problem body.
func TestProblemBodyIsStable(t *testing.T) {
	e := newEnv(t, nil)
	resp := e.do("POST", "/v1/assessments/"+e.assess+"/responses", e.tokens["candidate"], written("email", "en", ""))
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	delete(m, "request_id")
	got, _ := json.Marshal(m)
	want := `{"code":"text.empty","detail":"text is empty","instance":"/v1/assessments/` + e.assess +
		`/responses","pointer":"/text","status":422,"title":"Unprocessable Entity","type":"urn:langassess:problem:text.empty"}`
	if string(got) != want {
		t.Errorf("problem\n got %s\nwant %s", got, want)
	}
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("status %d", resp.StatusCode)
	}
}

// TestFailMapsErrors: the one error writer maps store sentinels and hides
// internal errors.
func TestFailMapsErrors(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct {
		err    error
		status int
		code   string
	}{
		{fmt.Errorf("load: %w", store.ErrNotFound), 404, "not_found"},
		{fmt.Errorf("save: %w", store.ErrConflict), 409, "conflict"},
		{errors.New("pq: password authentication failed for user secret"), 500, "internal"},
		{fieldError("text.empty", "/text", "text is empty"), 422, "text.empty"},
	} {
		rec := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(rec)
		c.Request = httptest.NewRequest("GET", "/x", nil)
		e.srv.fail(c, tc.err)
		var p Problem
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		if rec.Code != tc.status || p.Code != tc.code || strings.Contains(rec.Body.String(), "secret") {
			t.Errorf("%v: %d %s %s", tc.err, rec.Code, p.Code, rec.Body)
		}
	}
}
