package worker

import (
	"testing"

	"github.com/langassess/langassess/internal/deptest"
)

// TestDeps enforces this package's import rules (DESIGN.md).
func TestDeps(t *testing.T) {
	// The worker drives the engine and the store; it knows nothing of HTTP.
	deptest.Forbid(t, deptest.Module+"worker", "github.com/gin-gonic/gin", deptest.Module+"api", deptest.Module+"reports")
}
