package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/langassess/langassess/internal/cli"
)

// TestServeHelp: --help lists every setting with its env var and never
// prints a database password.
func TestServeHelp(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"serve", "--help"}, envMap(map[string]string{"DATABASE_URL": "postgres://u:secret@db/x"}), &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range cli.FlagEnvs() {
		flag, env := s[0], s[1]
		if !strings.Contains(out.String(), "  -"+flag+" ") && !strings.Contains(out.String(), "  -"+flag+"\n") ||
			!strings.Contains(out.String(), "(env "+env+")") {
			t.Errorf("serve --help lacks --%s / %s", flag, env)
		}
	}
	if strings.Contains(out.String(), "secret") {
		t.Errorf("--help prints the database password")
	}
}
