package cli

// Shared settings for every subcommand (serve, migrate, token, grade, ...).
//
// NOTE to the owners of other subcommands (migrate, calibrate, report, ...):
// read the database and engine settings through this file so that a command
// run with the server's environment talks to the server's database:
//
//	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
//	cfg := Register(fs, getenv, SettingsStore)   // or SettingsStore|SettingsEngine
//	if err := fs.Parse(args); err != nil { return err }
//	if err := cfg.validate(); err != nil { return err }
//	st, err := cfg.openStore(ctx)                      // store.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
//
// Each flag defaults from its environment variable, so --help shows both.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/rubrics"
	"github.com/langassess/langassess/store"
)

// settings groups select which flags a subcommand registers.
type Settings int

const (
	SettingsStore  Settings = 1 << iota // data dir, database url, no-migrate
	SettingsEngine                      // languages, hunspell, languagetool, pack
	SettingsHTTP                        // address, caps, timeouts, worker
	SettingsLog                         // log level
)

// config holds every setting. Zero values are never used: registerConfig
// fills the documented defaults.
type Config struct {
	Addr            string
	DataDir         string
	DatabaseURL     string
	Languages       []string
	MaxUploadBytes  int64
	MaxTextChars    int
	RequestTimeout  time.Duration
	ReadTimeout     time.Duration
	WriteTimeout    time.Duration
	ShutdownTimeout time.Duration
	GradeTimeout    time.Duration
	Workers         int
	MaxAttempts     int
	HunspellDir     string
	LanguageToolURL string
	PackDir         string
	NoMigrate       bool
	LogLevel        slog.Level
	// GenesysLanguageIDs maps language codes to Genesys Cloud routing
	// language ids (the genesys placement export).
	GenesysLanguageIDs map[string]string

	languages      string
	logLevel       string
	genesys        string
	envDatabaseURL string
	which          Settings
	envErrs        []error
}

// setting documents one flag: its name, env var, default and meaning. The
// same table feeds --help and the README (TestREADMEConfigTable keeps them
// in step).
type setting struct {
	flag, env, def, usage string
	group                 Settings
	field                 func(*Config) any // the config field the flag sets
}

var allSettings = []setting{
	{"addr", "LANGASSESS_ADDR", ":8080", "address the HTTP server listens on", SettingsHTTP, func(c *Config) any { return &c.Addr }},
	{"data-dir", "LANGASSESS_DATA_DIR", "./data", "directory for the SQLite database (used when DATABASE_URL is unset)", SettingsStore, func(c *Config) any { return &c.DataDir }},
	{"database-url", "DATABASE_URL", "", "PostgreSQL URL (postgres://...); empty means embedded SQLite in the data dir", SettingsStore, func(c *Config) any { return &c.DatabaseURL }},
	{"no-migrate", "LANGASSESS_NO_MIGRATE", "false", "do not apply database migrations at start", SettingsStore, func(c *Config) any { return &c.NoMigrate }},
	{"languages", "LANGASSESS_LANGUAGES", "en,de,fr,es,it,pt,nl,pl,cs", "languages accepted and loaded into the detector (ISO 639-1, comma separated; with only one, the detector adds English, or German for English, as a contrast it never accepts)", SettingsEngine, func(c *Config) any { return &c.languages }},
	{"hunspell-dir", "LANGASSESS_HUNSPELL_DIR", "/usr/share/hunspell", "directory of Hunspell .dic/.aff dictionaries", SettingsEngine, func(c *Config) any { return &c.HunspellDir }},
	{"languagetool-url", "LANGASSESS_LANGUAGETOOL_URL", "", "optional LanguageTool server (http://host:port); empty disables it", SettingsEngine, func(c *Config) any { return &c.LanguageToolURL }},
	{"pack-dir", "LANGASSESS_PACK_DIR", "", "rubric pack directory; empty means the embedded default pack", SettingsEngine, func(c *Config) any { return &c.PackDir }},
	{"max-upload-bytes", "LANGASSESS_MAX_UPLOAD_BYTES", "26214400", "largest request body for a spoken answer (multipart with WAV), bytes", SettingsHTTP, func(c *Config) any { return &c.MaxUploadBytes }},
	{"max-text-chars", "LANGASSESS_MAX_TEXT_CHARS", "20000", "longest written answer or transcript, characters", SettingsHTTP, func(c *Config) any { return &c.MaxTextChars }},
	{"request-timeout", "LANGASSESS_REQUEST_TIMEOUT", "30s", "time a handler may take, including in-request grading", SettingsHTTP, func(c *Config) any { return &c.RequestTimeout }},
	{"read-timeout", "LANGASSESS_READ_TIMEOUT", "60s", "time to read a whole request including the body", SettingsHTTP, func(c *Config) any { return &c.ReadTimeout }},
	{"write-timeout", "LANGASSESS_WRITE_TIMEOUT", "60s", "time to write a response", SettingsHTTP, func(c *Config) any { return &c.WriteTimeout }},
	{"shutdown-timeout", "LANGASSESS_SHUTDOWN_TIMEOUT", "20s", "time to drain requests and the grading worker on SIGTERM", SettingsHTTP, func(c *Config) any { return &c.ShutdownTimeout }},
	{"grade-timeout", "LANGASSESS_GRADE_TIMEOUT", "10s", "time one grading attempt may take before the response stays pending for the worker", SettingsHTTP, func(c *Config) any { return &c.GradeTimeout }},
	{"workers", "LANGASSESS_WORKERS", "0", "background grading workers; 0 means one per CPU", SettingsHTTP, func(c *Config) any { return &c.Workers }},
	{"grade-max-attempts", "LANGASSESS_GRADE_MAX_ATTEMPTS", "12", "grading attempts before a response is marked failed (exponential backoff, 2s doubling, capped at 10m); a round the engine was unavailable for (language models still loading) is retried after about 2s and not counted", SettingsHTTP, func(c *Config) any { return &c.MaxAttempts }},
	{"genesys-language-ids", "LANGASSESS_GENESYS_LANGUAGE_IDS", "", "Genesys Cloud routing language ids for the placement export, LANG=ID pairs comma separated (ids from GET /api/v2/routing/languages)", SettingsHTTP, func(c *Config) any { return &c.genesys }},
	{"log-level", "LANGASSESS_LOG_LEVEL", "info", "log level: debug, info, warn or error", SettingsLog, func(c *Config) any { return &c.logLevel }},
}

// registerConfig registers the flags of the chosen groups on fs, each
// defaulting from its environment variable. Call validate after fs.Parse.
func Register(fs *flag.FlagSet, getenv func(string) string, which Settings) *Config {
	c := &Config{which: which}
	for _, s := range allSettings {
		if s.group&which == 0 {
			continue
		}
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		usage := fmt.Sprintf("%s (env %s)", s.usage, s.env)
		if s.flag == "database-url" {
			// Never the flag default: --help would print the password.
			c.envDatabaseURL = getenv(s.env)
			def = ""
		}
		switch p := s.field(c).(type) {
		case *string:
			fs.StringVar(p, s.flag, def, usage)
		case *bool:
			fs.BoolVar(p, s.flag, c.parseBool(s, def), usage)
		case *int:
			fs.IntVar(p, s.flag, c.parseInt(s, def), usage)
		case *int64:
			fs.Int64Var(p, s.flag, int64(c.parseInt(s, def)), usage)
		case *time.Duration:
			fs.DurationVar(p, s.flag, c.parseDuration(s, def), usage)
		default:
			panic(fmt.Sprintf("config: setting %s has a field of unhandled type %T", s.flag, p))
		}
	}
	return c
}

func (c *Config) parseInt(s setting, v string) int {
	n, err := strconv.Atoi(v)
	if err != nil {
		c.envErrs = append(c.envErrs, fmt.Errorf("%s=%q: not an integer", s.env, v))
	}
	return n
}

func (c *Config) parseBool(s setting, v string) bool {
	b, err := strconv.ParseBool(v)
	if err != nil {
		c.envErrs = append(c.envErrs, fmt.Errorf("%s=%q: not a boolean", s.env, v))
	}
	return b
}

func (c *Config) parseDuration(s setting, v string) time.Duration {
	d, err := time.ParseDuration(v)
	if err != nil {
		c.envErrs = append(c.envErrs, fmt.Errorf("%s=%q: not a duration (e.g. 30s)", s.env, v))
	}
	return d
}

// validate checks the parsed settings and fills derived fields. It reports
// every problem at once so a bad environment is fixed in one go.
func (c *Config) Validate() error {
	errs := append([]error(nil), c.envErrs...)
	if c.which&SettingsHTTP != 0 {
		if _, _, err := net.SplitHostPort(c.Addr); err != nil {
			errs = append(errs, fmt.Errorf("--addr %q: %w", c.Addr, err))
		}
		if c.MaxUploadBytes < 1024 {
			errs = append(errs, fmt.Errorf("--max-upload-bytes %d: must be at least 1024", c.MaxUploadBytes))
		}
		if c.MaxTextChars < 1 {
			errs = append(errs, fmt.Errorf("--max-text-chars %d: must be positive", c.MaxTextChars))
		}
		for name, d := range map[string]time.Duration{
			"request-timeout": c.RequestTimeout, "read-timeout": c.ReadTimeout,
			"write-timeout": c.WriteTimeout, "shutdown-timeout": c.ShutdownTimeout,
			"grade-timeout": c.GradeTimeout,
		} {
			if d <= 0 {
				errs = append(errs, fmt.Errorf("--%s %s: must be positive", name, d))
			}
		}
		if c.Workers < 0 {
			errs = append(errs, fmt.Errorf("--workers %d: must not be negative", c.Workers))
		}
		if c.Workers == 0 {
			c.Workers = runtime.NumCPU()
		}
		if c.MaxAttempts < 1 {
			errs = append(errs, fmt.Errorf("--grade-max-attempts %d: must be at least 1", c.MaxAttempts))
		}
		ids, err := parseLanguageIDs(c.genesys)
		if err != nil {
			errs = append(errs, fmt.Errorf("--genesys-language-ids: %w", err))
		}
		c.GenesysLanguageIDs = ids
	}
	if c.which&SettingsStore != 0 {
		if c.DatabaseURL == "" {
			c.DatabaseURL = c.envDatabaseURL
		}
		if c.DatabaseURL == "" && c.DataDir == "" {
			errs = append(errs, errors.New("--data-dir must not be empty when DATABASE_URL is unset"))
		}
		if c.DatabaseURL != "" {
			u, err := url.Parse(c.DatabaseURL)
			if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
				// Do not echo the URL: it usually carries a password.
				errs = append(errs, errors.New("DATABASE_URL: must be a postgres:// or postgresql:// URL"))
			}
		}
	}
	if c.which&SettingsEngine != 0 {
		c.Languages = nil
		seen := map[string]bool{}
		for _, l := range strings.Split(c.languages, ",") {
			l = strings.ToLower(strings.TrimSpace(l))
			if l == "" || seen[l] {
				continue
			}
			if len(l) != 2 || l[0] < 'a' || l[0] > 'z' || l[1] < 'a' || l[1] > 'z' {
				errs = append(errs, fmt.Errorf("--languages: %q is not an ISO 639-1 code", l))
				continue
			}
			// Checked here, not when serve loads the models seconds later.
			if !grading.SupportedLanguage(l) {
				errs = append(errs, fmt.Errorf("--languages: %q is not a language the detector knows", l))
				continue
			}
			seen[l] = true
			c.Languages = append(c.Languages, l)
		}
		if len(c.Languages) == 0 {
			errs = append(errs, errors.New("--languages: at least one language is needed"))
		}
		if c.LanguageToolURL != "" {
			if u, err := url.Parse(c.LanguageToolURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				errs = append(errs, fmt.Errorf("--languagetool-url %q: must be an http(s) URL", c.LanguageToolURL))
			}
		}
	}
	if c.which&SettingsLog != 0 {
		if err := c.LogLevel.UnmarshalText([]byte(c.logLevel)); err != nil {
			errs = append(errs, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.logLevel))
		}
	}
	return errors.Join(errs...)
}

// logger builds the process logger: text lines on stderr.
func (c *Config) Logger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: c.LogLevel}))
}

// openStore opens the configured database and, unless --no-migrate, brings
// the schema up to date.
func (c *Config) OpenStore(ctx context.Context) (*store.Store, error) {
	st, err := store.Open(ctx, c.DatabaseURL, c.DataDir)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if !c.NoMigrate {
		if err := st.MigrateUp(ctx); err != nil {
			st.Close()
			return nil, fmt.Errorf("migrate: %w", err)
		}
	}
	return st, nil
}

// pack loads the configured rubric pack.
func (c *Config) Pack() (*rubrics.Pack, error) {
	if c.PackDir == "" {
		p, err := rubrics.Default()
		if err != nil {
			return nil, fmt.Errorf("default rubric pack: %w", err)
		}
		return p, nil
	}
	p, err := rubrics.Load(c.PackDir)
	if err != nil {
		return nil, fmt.Errorf("rubric pack %s: %w", c.PackDir, err)
	}
	return p, nil
}

// engineConfig is the grading configuration from these settings.
func (c *Config) EngineConfig(pack *rubrics.Pack) grading.Config {
	return grading.Config{
		Languages:       c.Languages,
		Pack:            pack,
		HunspellDir:     c.HunspellDir,
		LanguageToolURL: c.LanguageToolURL,
	}
}

// usageFunc prints a subcommand's synopsis and then every flag with its
// environment variable (the flag usage strings carry the env names).
func Usage(fs *flag.FlagSet, w io.Writer, synopsis string) func() {
	return func() {
		fmt.Fprintf(w, "Usage: %s\n\nFlags (each defaults from the environment variable named with it):\n", synopsis)
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

// parseLanguageIDs reads "de=ID,en=ID" (the Genesys Cloud routing language
// ids of the organisation) into a map; "" is an empty map.
func parseLanguageIDs(spec string) (map[string]string, error) {
	out := map[string]string{}
	for _, pair := range strings.Split(spec, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		lang, id, ok := strings.Cut(pair, "=")
		lang, id = strings.ToLower(strings.TrimSpace(lang)), strings.TrimSpace(id)
		if !ok || len(lang) != 2 || id == "" {
			return nil, fmt.Errorf("%q: want LANG=ID pairs such as de=3c2a...,en=9f1b...", pair)
		}
		if _, dup := out[lang]; dup {
			return nil, fmt.Errorf("language %s appears twice", lang)
		}
		out[lang] = id
	}
	return out, nil
}

// FlagEnvs lists every setting's flag name and environment variable, in
// the order --help prints them.
func FlagEnvs() [][2]string {
	out := make([][2]string, len(allSettings))
	for i, s := range allSettings {
		out[i] = [2]string{s.flag, s.env}
	}
	return out
}

// GenericLength is the configured pack's generic writing rubric's expected
// length, so rated texts get the length credit Grade would give them.
func (cfg *Config) GenericLength() (int, error) {
	pack, err := cfg.Pack()
	if err != nil {
		return 0, err
	}
	if r, ok := pack.DefaultRubric(rubrics.SkillWriting); ok {
		return r.Length.MaxWords, nil
	}
	return 0, nil
}
