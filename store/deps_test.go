package store

import (
	"testing"

	"github.com/langassess/langassess/internal/deptest"
)

// TestDeps enforces this package's import rules (DESIGN.md).
func TestDeps(t *testing.T) {
	deptest.Forbid(t, deptest.Module+"store", append(deptest.Engine,
		"github.com/gin-gonic/gin", deptest.Module+"api", deptest.Module+"worker", deptest.Module+"reports")...)
}
