// Package deptest checks a package's import rules (DESIGN.md: dependencies
// point inward) from that package's own tests, in the style of tailscale's
// tstest/deptest: each package says what it must never compile in, and
// `go list -deps` is the judge.
package deptest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Module is this module's import path prefix.
const Module = "github.com/langassess/langassess/"

// Deps lists every package pkg compiles in (go list -deps), test files
// excluded.
func Deps(t testing.TB, pkg string) []string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the go command is not on PATH: %v", err)
		}
		t.Skipf("the go command is not on PATH; skipping the import rules of %s", pkg)
	}
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

// Forbid fails t when pkg compiles in any of bad. Another module's path
// forbids its subpackages too; one of this module's packages and a
// standard library path only itself (grading/result is not the engine;
// database/sql/driver holds just interfaces and arrives through lingua-go's
// decimal library).
func Forbid(t *testing.T, pkg string, bad ...string) {
	t.Helper()
	for _, d := range Deps(t, pkg) {
		for _, b := range bad {
			sub := strings.Contains(b, ".") && !strings.HasPrefix(b, Module) && strings.HasPrefix(d, b+"/")
			if d == b || sub {
				t.Errorf("%s compiles in %s (forbidden by DESIGN.md)", pkg, d)
			}
		}
	}
}

// StdlibOnly fails t when pkg compiles in anything outside the standard
// library and pkg itself.
func StdlibOnly(t *testing.T, pkg string) {
	t.Helper()
	for _, d := range Deps(t, pkg) {
		first, _, _ := strings.Cut(d, "/")
		if d != pkg && strings.Contains(first, ".") {
			t.Errorf("%s compiles in %s; it may import the standard library only", pkg, d)
		}
	}
}

// Engine lists what compiling the grading engine brings in: the language
// detector, the dictionaries and the audio analysis. Packages that only
// store, show or report results must not.
var Engine = []string{
	"github.com/pemistahl/lingua-go",
	Module + "grading/hunspell",
	Module + "grading/grammar",
	Module + "audio",
	Module + "grading",
}
