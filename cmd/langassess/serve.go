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
	"sync/atomic"
	"time"

	"github.com/langassess/langassess/api"
	"github.com/langassess/langassess/audio"
	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/internal/cli"
)

// testGradeDelayEnv slows every grading attempt down by a duration, for the
// crash test only: it widens the window in which a kill -9 finds answers
// stored but not yet graded. The grades still come from the real engine. It
// is deliberately not a flag, so --help does not offer it.
const testGradeDelayEnv = "LANGASSESS_TEST_GRADE_DELAY"

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := cli.Register(fs, getenv, cli.SettingsStore|cli.SettingsEngine|cli.SettingsHTTP|cli.SettingsLog)
	fs.Usage = cli.Usage(fs, stdout, "langassess serve [flags]\n\nRuns the HTTP API and the background grading worker.")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve: unexpected arguments %q", fs.Args())
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	log := cfg.Logger(stderr)

	st, err := cfg.OpenStore(ctx)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer st.Close()
	pack, err := cfg.Pack()
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	var delay time.Duration
	if spec := getenv(testGradeDelayEnv); spec != "" {
		if delay, err = time.ParseDuration(spec); err != nil {
			return fmt.Errorf("serve: %s=%q: want a delay such as 200ms", testGradeDelayEnv, spec)
		}
		log.Warn("TEST ONLY: every grading attempt is delayed", "delay", delay)
	}
	// The engine loads its language models in the background: the server
	// answers /healthz at once and /readyz says 503 until they are in;
	// answers that arrive meanwhile are stored and stay pending.
	grader := &lazyGrader{}
	engineErr := make(chan error, 1)
	go func() {
		start := time.Now()
		eng, err := grading.New(ctx, cfg.EngineConfig(pack))
		if err != nil {
			engineErr <- fmt.Errorf("serve: grading engine: %w", err)
			return
		}
		var g api.Grader = eng
		if delay > 0 {
			g = slowGrader{Grader: eng, delay: delay}
		}
		grader.set(g)
		log.Info("grading engine ready", "languages", cfg.Languages, "took", time.Since(start).Round(time.Millisecond))
	}()

	srv := api.New(api.Config{
		Languages:      cfg.Languages,
		MaxUploadBytes: cfg.MaxUploadBytes,
		MaxTextChars:   cfg.MaxTextChars,
		RequestTimeout: cfg.RequestTimeout,
		GradeTimeout:   cfg.GradeTimeout,
		MaxAttempts:    cfg.MaxAttempts,
		Workers:        cfg.Workers,
		AudioLimits:    audio.Limits{MaxBytes: cfg.MaxUploadBytes},

		GenesysLanguageIDs: cfg.GenesysLanguageIDs,
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
	case err = <-engineErr:
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

// slowGrader delays the real engine (LANGASSESS_TEST_GRADE_DELAY, tests only).
type slowGrader struct {
	api.Grader
	delay time.Duration
}

func (g slowGrader) Grade(ctx context.Context, in grading.Input) (grading.Result, error) {
	select {
	case <-time.After(g.delay):
	case <-ctx.Done():
		return grading.Result{}, fmt.Errorf("slowed grader: %w", ctx.Err())
	}
	return g.Grader.Grade(ctx, in)
}

// lazyGrader is unavailable until the engine has loaded.
type lazyGrader struct{ g atomic.Pointer[api.Grader] }

func (l *lazyGrader) set(g api.Grader) { l.g.Store(&g) }

func (l *lazyGrader) Grade(ctx context.Context, in grading.Input) (grading.Result, error) {
	g := l.g.Load()
	if g == nil {
		return grading.Result{}, fmt.Errorf("language models still loading: %w", grading.ErrUnavailable)
	}
	return (*g).Grade(ctx, in)
}

func (l *lazyGrader) Ready() bool {
	g := l.g.Load()
	return g != nil && (*g).Ready()
}
