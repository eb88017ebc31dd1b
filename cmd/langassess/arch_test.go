package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayering enforces DESIGN.md: the engine packages never reach the web
// framework, the database layer or the outer packages.
func TestLayering(t *testing.T) {
	const mod = "github.com/langassess/langassess/"
	forbidden := map[string][]string{
		"grading": {"github.com/gin-gonic/gin", "database/sql", mod + "api", mod + "store"},
		"audio":   {"github.com/gin-gonic/gin", "database/sql", mod + "api", mod + "store", mod + "grading", mod + "rubrics"},
		"rubrics": {"github.com/gin-gonic/gin", "database/sql", mod + "api", mod + "store", mod + "grading", mod + "audio"},
		"store":   {"github.com/gin-gonic/gin", mod + "api"},
	}
	for pkg, bad := range forbidden {
		out, err := exec.Command("go", "list", "-deps", mod+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		deps := strings.Fields(string(out))
		for _, d := range deps {
			for _, b := range bad {
				// A module's subpackages are forbidden with it; a standard
				// library path only itself: database/sql/driver holds just
				// interfaces and arrives through lingua-go's decimal library.
				sub := strings.Contains(b, ".") && strings.HasPrefix(d, b+"/")
				if d == b || sub {
					t.Errorf("%s imports %s (forbidden by DESIGN.md)", pkg, d)
				}
			}
		}
	}
}
