package calibrate

import (
	"testing"

	"github.com/langassess/langassess/internal/deptest"
)

// TestDeps enforces this package's import rules (DESIGN.md).
func TestDeps(t *testing.T) {
	deptest.Forbid(t, deptest.Module+"grading/calibrate", "github.com/gin-gonic/gin", "database/sql",
		deptest.Module+"api", deptest.Module+"store", deptest.Module+"worker", deptest.Module+"reports")
}
