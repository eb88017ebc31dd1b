package cli

import (
	"flag"
	"io"
	"maps"
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
	all := SettingsStore | SettingsEngine | SettingsHTTP | SettingsLog
	cases := []struct {
		name    string
		env     map[string]string
		args    []string
		check   func(t *testing.T, c *Config)
		wantErr []string // every one must appear in the error
	}{
		{"defaults", nil, nil, func(t *testing.T, c *Config) {
			if c.Addr != ":8080" || c.DataDir != "./data" || c.DatabaseURL != "" || c.MaxTextChars != 20000 ||
				c.GradeTimeout != 10*time.Second || c.Workers < 1 || c.NoMigrate || len(c.Languages) != 9 {
				t.Errorf("defaults %+v", c)
			}
		}, nil},
		{"env", map[string]string{"LANGASSESS_ADDR": "127.0.0.1:9999", "LANGASSESS_LANGUAGES": " de, EN,de ",
			"LANGASSESS_NO_MIGRATE": "true", "LANGASSESS_WORKERS": "3", "DATABASE_URL": "postgres://u:secret@db/x"}, nil,
			func(t *testing.T, c *Config) {
				if c.Addr != "127.0.0.1:9999" || strings.Join(c.Languages, ",") != "de,en" || !c.NoMigrate || c.Workers != 3 ||
					c.DatabaseURL != "postgres://u:secret@db/x" {
					t.Errorf("from env %+v", c)
				}
			}, nil},
		{"flag beats env", map[string]string{"LANGASSESS_ADDR": ":1", "DATABASE_URL": "postgres://db/a"},
			[]string{"--addr", ":2", "--database-url", "postgres://db/b"}, func(t *testing.T, c *Config) {
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
		{"one language", map[string]string{"LANGASSESS_LANGUAGES": "de"}, nil, func(t *testing.T, c *Config) {
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
			c := Register(fs, envMap(tc.env), all)
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			err := c.Validate()
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

// TestEverySettingBindsItsField: each setting's environment variable and
// flag reach the config field its table row names, whatever its type.
func TestEverySettingBindsItsField(t *testing.T) {
	all := SettingsStore | SettingsEngine | SettingsHTTP | SettingsLog
	for _, s := range allSettings {
		c0 := &Config{}
		var envVal, flagVal string
		var want, wantFlag any
		switch s.field(c0).(type) {
		case *string:
			envVal, flagVal, want, wantFlag = "from-env", "from-flag", "from-env", "from-flag"
		case *bool:
			envVal, flagVal, want, wantFlag = "true", "false", true, false
		case *int:
			envVal, flagVal, want, wantFlag = "7", "9", 7, 9
		case *int64:
			envVal, flagVal, want, wantFlag = "7000", "9000", int64(7000), int64(9000)
		case *time.Duration:
			envVal, flagVal, want, wantFlag = "7s", "9s", 7*time.Second, 9*time.Second
		default:
			t.Fatalf("%s: field of unhandled type %T", s.flag, s.field(c0))
		}
		deref := func(p any) any {
			switch p := p.(type) {
			case *string:
				return *p
			case *bool:
				return *p
			case *int:
				return *p
			case *int64:
				return *p
			case *time.Duration:
				return *p
			}
			return nil
		}
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		c := Register(fs, envMap(map[string]string{s.env: envVal}), all)
		if err := fs.Parse(nil); err != nil {
			t.Fatal(err)
		}
		got := deref(s.field(c))
		if s.flag == "database-url" {
			// kept out of the flag default (--help would print it);
			// validate moves it in.
			got = c.envDatabaseURL
		}
		if got != want {
			t.Errorf("%s from env %s=%q: field is %v, want %v", s.flag, s.env, envVal, got, want)
		}
		fs = flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		c = Register(fs, envMap(map[string]string{s.env: envVal}), all)
		if err := fs.Parse([]string{"--" + s.flag + "=" + flagVal}); err != nil {
			t.Fatal(err)
		}
		if got := deref(s.field(c)); got != wantFlag {
			t.Errorf("--%s=%s: field is %v, want %v", s.flag, flagVal, got, wantFlag)
		}
	}
}

func TestParseLanguageIDs(t *testing.T) {
	for _, tt := range []struct {
		spec string
		want map[string]string
		err  bool
	}{
		{"", map[string]string{}, false},
		{" de = 3c2a , EN=9f1b,", map[string]string{"de": "3c2a", "en": "9f1b"}, false},
		{"de", nil, true},
		{"deu=x", nil, true},
		{"de=", nil, true},
		{"de=a,de=b", nil, true},
	} {
		got, err := parseLanguageIDs(tt.spec)
		if (err != nil) != tt.err || (!tt.err && !maps.Equal(got, tt.want)) {
			t.Errorf("parseLanguageIDs(%q) = %v, %v", tt.spec, got, err)
		}
	}
}
