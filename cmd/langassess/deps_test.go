package main

import (
	"testing"

	"github.com/langassess/langassess/internal/deptest"
)

// TestDeps: the production binary holds no evaluation or seeding code, and
// only serve reaches api (the other subcommands use the packages api uses).
func TestDeps(t *testing.T) {
	deptest.Forbid(t, deptest.Module+"cmd/langassess", deptest.Module+"internal/seed", deptest.Module+"cmd/langassess-eval")
}
