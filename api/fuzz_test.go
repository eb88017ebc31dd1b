package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzResponseBody throws arbitrary bodies at the intake route, as JSON, as
// multipart or under any content type: the server never answers 500, every
// error is a well-formed problem, and every success is a stored response.
func FuzzResponseBody(f *testing.F) {
	e := newEnv(f, func(c *Config) { c.MaxUploadBytes = 64 << 10 })
	f.Add("application/json", []byte(`{"item":"email","language":"en","text":"Dear customer"}`))
	f.Add("application/json", []byte(`{"item":"email","language":"en","text":"a","x":1}`))
	f.Add("application/json", []byte(`{"item":"email","language":"en","text":"\ud800"}`))
	f.Add("application/json", []byte(`{"item":"email","language":"en","text":"a\u0000b"}`))
	f.Add("multipart/form-data; boundary=XX", []byte("--XX\r\nContent-Disposition: form-data; name=\"item\"\r\n\r\ncall\r\n--XX--\r\n"))
	f.Add("text/plain", []byte("hello"))
	tok := e.tokens["candidate"]
	path := "/v1/assessments/" + e.assess + "/responses"
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		req := httptest.NewRequest("POST", path, bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(rec, req)
		switch {
		case rec.Code >= 500:
			t.Fatalf("status %d for %q %q: %s", rec.Code, contentType, body, rec.Body)
		case rec.Code >= 400:
			var p Problem
			if rec.Header().Get("Content-Type") != "application/problem+json" || json.Unmarshal(rec.Body.Bytes(), &p) != nil ||
				p.Code == "" || p.Status != rec.Code {
				t.Fatalf("bad problem for status %d: %s", rec.Code, rec.Body)
			}
		case rec.Code == http.StatusCreated:
			var v responseView
			if json.Unmarshal(rec.Body.Bytes(), &v) != nil || v.ID == "" {
				t.Fatalf("201 without a response: %s", rec.Body)
			}
		default:
			t.Fatalf("unexpected status %d", rec.Code)
		}
	})
}
