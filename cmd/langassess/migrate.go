package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/langassess/langassess/internal/cli"
	"github.com/langassess/langassess/store"
)

const migrateSynopsis = `langassess migrate [flags] up|down|version|force N

Applies or inspects the database migrations embedded in this binary, on the
database serve uses (DATABASE_URL, or SQLite in the data directory).

  up        apply every pending migration (nothing pending is success)
  down      roll back the latest applied migration (one step)
  version   print the applied version, whether it is dirty, and the latest
  force N   set the version to N and clear the dirty flag without running
            SQL, after repairing a failed migration by hand (0 = none)

--no-migrate has no effect here.`

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := cli.Register(fs, getenv, cli.SettingsStore)
	fs.Usage = cli.Usage(fs, stdout, migrateSynopsis)
	// Flags may come before or after the action ("migrate up --data-dir x"):
	// the flag package stops at the first argument, so parse again after it.
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) == 0 {
		fs.SetOutput(stderr)
		fs.Usage = cli.Usage(fs, stderr, migrateSynopsis)
		fs.Usage()
		return errors.New("migrate: missing action (up, down, version or force N)")
	}
	action, rest := pos[0], pos[1:]
	var version int
	switch action {
	case "up", "down", "version":
		if len(rest) > 0 {
			return fmt.Errorf("migrate %s: unexpected arguments %q", action, rest)
		}
	case "force":
		if len(rest) != 1 {
			return errors.New("migrate force: want exactly one version number")
		}
		v, err := strconv.Atoi(rest[0])
		if err != nil || v < 0 {
			return fmt.Errorf("migrate force: %q is not a version number", rest[0])
		}
		version = v
	default:
		return fmt.Errorf("migrate: unknown action %q (want up, down, version or force N)", action)
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer st.Close()

	switch action {
	case "up":
		err = st.MigrateUp(ctx)
	case "down":
		err = st.MigrateDown(ctx)
	case "force":
		err = st.MigrateForce(ctx, version)
	}
	if err != nil {
		return fmt.Errorf("migrate %s: %w", action, err)
	}
	v, dirty, err := st.MigrationVersion(ctx)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", action, err)
	}
	fmt.Fprintf(stdout, "%s: version %d of %d%s\n", st.Dialect(), v, store.LatestMigration(), map[bool]string{true: " (dirty)"}[dirty])
	return nil
}
