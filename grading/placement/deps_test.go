package placement

import (
	"testing"

	"github.com/langassess/langassess/internal/deptest"
)

// TestDeps enforces this package's import rules (DESIGN.md).
func TestDeps(t *testing.T) {
	// Placement is pure: rubrics and the agreement statistics, never the
	// engine, the database or the web layer.
	deptest.Forbid(t, deptest.Module+"grading/placement", append(deptest.Engine,
		"github.com/gin-gonic/gin", "database/sql", deptest.Module+"store", deptest.Module+"api", deptest.Module+"reports")...)
}
