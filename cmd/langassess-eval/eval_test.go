package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestEvalDataDefault: the env var wins, then a shared/data folder next to
// the working directory's parent, then the team's fixed path.
func TestEvalDataDefault(t *testing.T) {
	root := t.TempDir()
	withShared := filepath.Join(root, "a", "main")
	if err := os.MkdirAll(withShared, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "a", "shared", "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	without := filepath.Join(root, "b", "main")
	if err := os.MkdirAll(without, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, dir, env, want string
	}{
		{"env set", withShared, "/data/here", "/data/here"},
		{"sibling shared folder", withShared, "", "../shared/data"},
		{"neither", without, "", "/work/shared/data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(tt.dir)
			getenv := func(k string) string {
				if k == "LANGASSESS_DATA" {
					return tt.env
				}
				return ""
			}
			if got := evalDataDefault(getenv); got != tt.want {
				t.Errorf("evalDataDefault = %q, want %q", got, tt.want)
			}
		})
	}
}
