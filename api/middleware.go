package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/langassess/langassess/store"
)

// Keys in the gin context.
const (
	ctxRequestID = "request_id"
	ctxLogger    = "logger"
	ctxToken     = "token"
)

type loggerKey struct{}

// requestID takes a sane X-Request-Id from the client (so a trace spans a
// proxy) or makes one, echoes it, and puts a logger carrying it in the
// request context so every log line of the request has it.
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-Id")
	if !validRequestID(id) {
		id = randomHex(8)
	}
	c.Set(ctxRequestID, id)
	c.Header("X-Request-Id", id)
	l := s.log.With("request_id", id)
	c.Set(ctxLogger, l)
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), loggerKey{}, l))
	c.Next()
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// logger is the request's logger.
func logger(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(ctxLogger); ok {
		return l.(*slog.Logger)
	}
	return slog.Default()
}

// observe writes the access log line and the request metrics after the
// handler ran (including a recovered panic's 500).
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched" // bounded label: never the raw path
	}
	status := c.Writer.Status()
	elapsed := time.Since(start)
	s.metrics.observeRequest(route, c.Request.Method, status, elapsed)
	level := slog.LevelInfo
	switch {
	case status == http.StatusServiceUnavailable:
		level = slog.LevelWarn // not ready yet: expected at start
	case status >= 500:
		level = slog.LevelError
	}
	logger(c).LogAttrs(c.Request.Context(), level, "request",
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.String("path", c.Request.URL.Path),
		slog.Int("status", status),
		slog.Int("bytes", c.Writer.Size()),
		slog.Duration("duration", elapsed),
	)
}

// recover turns a panic into a problem+json 500 without internal detail; the
// panic and stack go to the log.
func (s *Server) recover(c *gin.Context) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v == http.ErrAbortHandler {
			panic(v) // the client is gone; net/http handles this one quietly
		}
		logger(c).Error("panic", "panic", v, "stack", string(debug.Stack()))
		if c.Writer.Written() {
			return // too late for a body; the access log still records it
		}
		writeProblem(c, errorf(http.StatusInternalServerError, "internal", ""))
	}()
	c.Next()
}

// deadline bounds every handler, including in-request grading.
func (s *Server) deadline(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.RequestTimeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

// auth checks the bearer token and the role. Only the SHA-256 of the token
// is looked up, so the database never holds a usable token.
func (s *Server) auth(roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.GetHeader("Authorization")
		scheme, tok, ok := strings.Cut(h, " ")
		if h == "" {
			s.fail(c, errorf(http.StatusUnauthorized, "auth.missing", "an Authorization: Bearer token is required"))
			return
		}
		tok = strings.TrimSpace(tok)
		if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
			s.fail(c, errorf(http.StatusUnauthorized, "auth.invalid", "the Authorization header must be 'Bearer TOKEN'"))
			return
		}
		t, err := s.st.TokenByHash(c.Request.Context(), store.HashToken(tok))
		if errors.Is(err, store.ErrNotFound) {
			s.fail(c, errorf(http.StatusUnauthorized, "auth.invalid", "unknown or revoked token"))
			return
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		if !slices.Contains(roles, t.Role) {
			s.fail(c, errorf(http.StatusForbidden, "auth.forbidden", "the "+t.Role+" role may not use this route"))
			return
		}
		c.Set(ctxToken, t)
		c.Next()
	}
}

func token(c *gin.Context) store.Token {
	t, _ := c.Get(ctxToken)
	tok, _ := t.(store.Token)
	return tok
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}
