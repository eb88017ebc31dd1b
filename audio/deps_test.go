package audio

import (
	"testing"

	"github.com/langassess/langassess/internal/deptest"
)

// TestDeps enforces this package's import rules (DESIGN.md).
func TestDeps(t *testing.T) {
	deptest.Forbid(t, deptest.Module+"audio", "github.com/gin-gonic/gin", "database/sql",
		deptest.Module+"api", deptest.Module+"store", deptest.Module+"grading", deptest.Module+"rubrics")
}
