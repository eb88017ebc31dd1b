package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/langassess/langassess/api"
	"github.com/langassess/langassess/audio"
	"github.com/langassess/langassess/grading"
)

// testGraderEnv selects a fake engine for the crash test only: it never
// scores (every score is null) and marks its results with engine version
// "test-fake". It is deliberately not a flag, so --help does not offer it.
const testGraderEnv = "LANGASSESS_TEST_FAKE_GRADER"

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := registerConfig(fs, getenv, settingsStore|settingsEngine|settingsHTTP|settingsLog)
	fs.Usage = usageFunc(fs, stdout, "langassess serve [flags]\n\nRuns the HTTP API and the background grading worker.")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected arguments %q", fs.Args())
	}
	if err := cfg.validate(); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	log := cfg.logger(stderr)

	st, err := cfg.openStore(ctx)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer st.Close()
	pack, err := cfg.pack()
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	var grader api.Grader
	if spec := getenv(testGraderEnv); spec != "" {
		d, err := time.ParseDuration(spec)
		if err != nil {
			return fmt.Errorf("serve: %s=%q: want a delay such as 200ms", testGraderEnv, spec)
		}
		log.Warn("TEST ONLY: fake grading engine, no scores", "delay", d)
		grader = fakeGrader{delay: d}
	} else {
		start := time.Now()
		eng, err := grading.New(ctx, cfg.engineConfig(pack))
		if err != nil {
			return fmt.Errorf("serve: grading engine: %w", err)
		}
		log.Info("grading engine ready", "languages", cfg.Languages, "took", time.Since(start).Round(time.Millisecond))
		grader = eng
	}

	srv := api.New(api.Config{
		Languages:      cfg.Languages,
		MaxUploadBytes: cfg.MaxUploadBytes,
		MaxTextChars:   cfg.MaxTextChars,
		RequestTimeout: cfg.RequestTimeout,
		GradeTimeout:   cfg.GradeTimeout,
		MaxAttempts:    cfg.MaxAttempts,
		Workers:        cfg.Workers,
		AudioLimits:    audio.Limits{MaxBytes: cfg.MaxUploadBytes},
	}, st, grader, pack, log)

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	workerCtx, stopWorker := context.WithCancel(context.WithoutCancel(ctx))
	workerDone := make(chan struct{})
	go func() {
		defer close(workerDone)
		srv.RunWorker(workerCtx)
	}()
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "database", st.Dialect(), "pack", pack.ID+"@"+pack.Version)

	select {
	case err = <-serveErr:
		err = fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Shut down in dependency order: stop taking requests and drain them,
	// then stop the worker (it finishes the attempts in flight), then the
	// deferred store close.
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if serr := hs.Shutdown(sctx); serr != nil {
		log.Error("drain requests", "err", serr)
	}
	stopWorker()
	select {
	case <-workerDone:
	case <-sctx.Done():
		log.Error("grading worker did not stop in time; leases expire and another process retries")
	}
	log.Info("stopped")
	return err
}

// fakeGrader is the test-only engine behind LANGASSESS_TEST_FAKE_GRADER.
type fakeGrader struct{ delay time.Duration }

func (f fakeGrader) Grade(ctx context.Context, in grading.Input) (grading.Result, error) {
	select {
	case <-time.After(f.delay):
	case <-ctx.Done():
		return grading.Result{}, fmt.Errorf("fake grader: %w", ctx.Err())
	}
	return grading.Result{ID: in.ID, Flags: []grading.Flag{}, EngineVersion: "test-fake"}, nil
}

func (fakeGrader) Ready() bool { return true }
