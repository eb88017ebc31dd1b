package api

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/langassess/langassess/store"
)

//go:embed openapi.json
var openapiDoc []byte

func (s *Server) openapi(c *gin.Context) {
	c.Data(http.StatusOK, "application/json", openapiDoc)
}

// healthz is liveness: the process serves HTTP.
func (s *Server) healthz(c *gin.Context) {
	respond(c, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz is readiness: the database answers, the schema is the one this
// binary expects, and the grading engine has its language models loaded.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	checks := map[string]string{}
	var bad []string
	if err := s.st.Ping(ctx); err != nil {
		logger(c).Warn("readyz: database", "err", err)
		checks["database"] = "unreachable"
		bad = append(bad, "database unreachable")
	} else {
		checks["database"] = "ok"
	}
	v, dirty, err := s.st.MigrationVersion(ctx)
	switch {
	case err != nil:
		logger(c).Warn("readyz: migrations", "err", err)
		checks["migrations"] = "unknown"
		bad = append(bad, "migration version unknown")
	case dirty || v != s.cfg.LatestMigration:
		checks["migrations"] = fmt.Sprintf("version %d (dirty %t), want %d", v, dirty, s.cfg.LatestMigration)
		bad = append(bad, "migrations not current: "+checks["migrations"])
	default:
		checks["migrations"] = "ok"
	}
	if s.grader.Ready() {
		checks["language_models"] = "ok"
	} else {
		checks["language_models"] = "loading"
		bad = append(bad, "language models not loaded")
	}
	if len(bad) > 0 {
		s.fail(c, errorf(http.StatusServiceUnavailable, "not_ready", strings.Join(bad, "; ")))
		return
	}
	respond(c, http.StatusOK, map[string]any{"status": "ready", "checks": checks})
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

func itoa(i int) string { return strconv.Itoa(i) }

func quote(s string) string { return strconv.Quote(s) }
