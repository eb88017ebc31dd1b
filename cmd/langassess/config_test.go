package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestConfigFromEnvAndFlags(t *testing.T) {
	all := settingsStore | settingsEngine | settingsHTTP | settingsLog
	cases := []struct {
		name    string
		env     map[string]string
		args    []string
		check   func(t *testing.T, c *config)
		wantErr []string // every one must appear in the error
	}{
		{"defaults", nil, nil, func(t *testing.T, c *config) {
			if c.Addr != ":8080" || c.DataDir != "./data" || c.DatabaseURL != "" || c.MaxTextChars != 20000 ||
				c.GradeTimeout != 10*time.Second || c.Workers < 1 || c.NoMigrate || len(c.Languages) != 9 {
				t.Errorf("defaults %+v", c)
			}
		}, nil},
		{"env", map[string]string{"LANGASSESS_ADDR": "127.0.0.1:9999", "LANGASSESS_LANGUAGES": " de, EN,de ",
			"LANGASSESS_NO_MIGRATE": "true", "LANGASSESS_WORKERS": "3", "DATABASE_URL": "postgres://u:secret@db/x"}, nil,
			func(t *testing.T, c *config) {
				if c.Addr != "127.0.0.1:9999" || strings.Join(c.Languages, ",") != "de,en" || !c.NoMigrate || c.Workers != 3 ||
					c.DatabaseURL != "postgres://u:secret@db/x" {
					t.Errorf("from env %+v", c)
				}
			}, nil},
		{"flag beats env", map[string]string{"LANGASSESS_ADDR": ":1", "DATABASE_URL": "postgres://db/a"},
			[]string{"--addr", ":2", "--database-url", "postgres://db/b"}, func(t *testing.T, c *config) {
				if c.Addr != ":2" || c.DatabaseURL != "postgres://db/b" {
					t.Errorf("addr %q url %q", c.Addr, c.DatabaseURL)
				}
			}, nil},
		{"every bad value at once", map[string]string{"LANGASSESS_WORKERS": "many", "LANGASSESS_GRADE_TIMEOUT": "5",
			"LANGASSESS_LANGUAGES": "english", "DATABASE_URL": "mysql://u:secret@db/x", "LANGASSESS_LOG_LEVEL": "loud"}, nil, nil,
			[]string{"LANGASSESS_WORKERS", "LANGASSESS_GRADE_TIMEOUT", `"english"`, "DATABASE_URL", "--log-level"}},
		// One language is enough (the detector adds a contrast language);
		// a well-formed code lingua does not know fails here, not when the
		// engine loads.
		{"one language", map[string]string{"LANGASSESS_LANGUAGES": "de"}, nil, func(t *testing.T, c *config) {
			if strings.Join(c.Languages, ",") != "de" {
				t.Errorf("languages %q", c.Languages)
			}
		}, nil},
		{"unknown language", map[string]string{"LANGASSESS_LANGUAGES": "de,xx"}, nil, nil, []string{`"xx"`}},
		{"bad flags", nil, []string{"--addr", "nocolon", "--max-text-chars", "0", "--request-timeout", "-1s"}, nil,
			[]string{"--addr", "--max-text-chars", "--request-timeout"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			c := registerConfig(fs, envMap(tc.env), all)
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			err := c.validate()
			if len(tc.wantErr) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				tc.check(t, c)
				return
			}
			if err == nil {
				t.Fatalf("no error")
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %s", err, w)
				}
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error leaks the database password: %v", err)
			}
		})
	}
}

// TestServeHelp: --help lists every setting with its env var and never
// prints a database password.
func TestServeHelp(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"serve", "--help"}, envMap(map[string]string{"DATABASE_URL": "postgres://u:secret@db/x"}), &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range allSettings {
		if !strings.Contains(out.String(), "  -"+s.flag+" ") && !strings.Contains(out.String(), "  -"+s.flag+"\n") ||
			!strings.Contains(out.String(), "(env "+s.env+")") {
			t.Errorf("serve --help lacks --%s / %s", s.flag, s.env)
		}
	}
	if strings.Contains(out.String(), "secret") {
		t.Errorf("--help prints the database password")
	}
}

// TestREADMEConfigTable keeps the README's configuration table equal to the
// settings table behind --help.
func TestREADMEConfigTable(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "| variable | flag | default | meaning |"):
			in = true
		case in && strings.HasPrefix(line, "|---"):
		case in && strings.HasPrefix(line, "| "):
			rows = append(rows, line)
		case in:
			in = false
		}
	}
	var want []string
	for _, s := range allSettings {
		def := ""
		if s.def != "" {
			def = "`" + s.def + "`"
		}
		row := "| `" + s.env + "` | `--" + s.flag + "` | " + def + " | " + s.usage + " |"
		want = append(want, strings.ReplaceAll(row, "|  |", "| |"))
	}
	for _, w := range want {
		if !slices.Contains(rows, w) {
			t.Errorf("README lacks the row\n%s", w)
		}
	}
	if len(rows) != len(want) {
		t.Errorf("README table has %d rows, settings %d", len(rows), len(want))
	}
}
