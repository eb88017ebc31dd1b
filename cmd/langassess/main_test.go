package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMain removes the server binary the subprocess tests built (about
// 150 MB) when the package's tests end.
func TestMain(m *testing.M) {
	code := m.Run()
	if buildPath != "" {
		os.RemoveAll(filepath.Dir(buildPath))
	}
	os.Exit(code)
}
