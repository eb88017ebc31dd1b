package reports

import (
	"testing"

	"github.com/langassess/langassess/internal/deptest"
)

// TestDeps enforces this package's import rules (DESIGN.md).
func TestDeps(t *testing.T) {
	deptest.Forbid(t, deptest.Module+"reports", append(deptest.Engine,
		"github.com/gin-gonic/gin", deptest.Module+"api", deptest.Module+"worker")...)
}
