package result

import (
	"testing"

	"github.com/langassess/langassess/internal/deptest"
)

// TestDeps enforces this package's import rules (DESIGN.md).
func TestDeps(t *testing.T) {
	deptest.Forbid(t, deptest.Module+"grading/result", append(deptest.Engine, "github.com/gin-gonic/gin", "database/sql", deptest.Module+"store")...)
}
