package api

import (
	"testing"

	"github.com/langassess/langassess/internal/deptest"
)

// TestDeps enforces this package's import rules (DESIGN.md).
func TestDeps(t *testing.T) {
	// api binds HTTP to the other packages; the offline tools stay out.
	deptest.Forbid(t, deptest.Module+"api", deptest.Module+"grading/calibrate", deptest.Module+"internal/seed", deptest.Module+"internal/cli")
}
