package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/langassess/langassess/store"
)

func TestTokenCreate(t *testing.T) {
	dir := t.TempDir()
	env := envMap(map[string]string{"LANGASSESS_DATA_DIR": dir})
	for _, tc := range []struct {
		args    []string
		wantErr string
	}{
		{[]string{"token", "create", "--role", "admin", "--name", "ops"}, ""},
		{[]string{"token", "create", "--role", "planner"}, ""},
		{[]string{"token", "create", "--role", "candidate"}, "--role must be"},
		{[]string{"token", "create"}, "--role must be"},
		{[]string{"token", "revoke"}, "unknown subcommand"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), tc.args, env, &out, &errb)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%v: error %v, want %q", tc.args, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		tok := strings.TrimSpace(out.String())
		// The token works against the database the server would use, and
		// only its hash is stored.
		st, err := store.Open(context.Background(), "", dir)
		if err != nil {
			t.Fatal(err)
		}
		got, err := st.TokenByHash(context.Background(), store.HashToken(tok))
		st.Close()
		if err != nil || got.Role != tc.args[3] {
			t.Errorf("%v: stored token %+v, %v", tc.args, got, err)
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, f := range files {
			if b, _ := os.ReadFile(f); bytes.Contains(b, []byte(tok)) {
				t.Errorf("%s holds the token in clear", f)
			}
		}
	}
}
