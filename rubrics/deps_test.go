package rubrics

import (
	"testing"

	"github.com/langassess/langassess/internal/deptest"
)

// TestDeps enforces this package's import rules (DESIGN.md).
func TestDeps(t *testing.T) {
	deptest.Forbid(t, deptest.Module+"rubrics", "github.com/gin-gonic/gin", "database/sql",
		deptest.Module+"api", deptest.Module+"store", deptest.Module+"grading", deptest.Module+"audio")
}
