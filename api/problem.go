package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/langassess/langassess/store"
)

// Problem is an RFC 9457 problem details body. Code is stable and meant for
// programs; Title and Detail are for people. Pointer is a JSON pointer
// (RFC 6901) to the request field a 422 is about.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Code      string `json:"code"`
	Detail    string `json:"detail,omitempty"`
	Pointer   string `json:"pointer,omitempty"`
	Instance  string `json:"instance,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// problemTypeBase prefixes the code to make the RFC 9457 "type" URI.
const problemTypeBase = "urn:langassess:problem:"

// apiError is an error a handler returns to produce a specific problem. Its
// Detail is safe to show to clients; internal errors are never apiErrors.
type apiError struct {
	status  int
	code    string
	detail  string
	pointer string
}

func (e *apiError) Error() string { return e.code + ": " + e.detail }

func errorf(status int, code, detail string) *apiError {
	return &apiError{status: status, code: code, detail: detail}
}

// fieldError is a 422 about one request field.
func fieldError(code, pointer, detail string) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, code: code, detail: detail, pointer: pointer}
}

// fail writes the problem for err and aborts the chain. It is the only place
// that writes error bodies: apiErrors keep their status and code,
// store.ErrNotFound becomes 404, store.ErrConflict 409, and anything else a
// 500 without detail (the cause is logged here, once, with the request id).
func (s *Server) fail(c *gin.Context, err error) {
	var ae *apiError
	switch {
	case errors.As(err, &ae):
	case errors.Is(err, store.ErrNotFound):
		ae = errorf(http.StatusNotFound, "not_found", "no such resource")
	case errors.Is(err, store.ErrConflict):
		ae = errorf(http.StatusConflict, "conflict", "the request conflicts with the current state; retry")
	default:
		logger(c).Error("internal error", "err", err)
		ae = errorf(http.StatusInternalServerError, "internal", "")
	}
	writeProblem(c, ae)
}

func writeProblem(c *gin.Context, ae *apiError) {
	p := Problem{
		Type:      problemTypeBase + ae.code,
		Title:     http.StatusText(ae.status),
		Status:    ae.status,
		Code:      ae.code,
		Detail:    ae.detail,
		Pointer:   ae.pointer,
		Instance:  c.Request.URL.Path,
		RequestID: c.GetString(ctxRequestID),
	}
	if ae.status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="langassess"`)
	}
	body, _ := json.Marshal(p) // a Problem always marshals
	c.Abort()
	c.Data(ae.status, "application/problem+json", body)
}

// respond writes every successful JSON body.
func respond(c *gin.Context, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Only a programming error gets here (e.g. a NaN score); say so once.
		logger(c).Error("encode response", "err", err)
		writeProblem(c, errorf(http.StatusInternalServerError, "internal", ""))
		return
	}
	c.Data(status, "application/json", body)
}
