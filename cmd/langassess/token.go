package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"

	"github.com/langassess/langassess/internal/cli"
	"github.com/langassess/langassess/store"
)

func runToken(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stdout, "Usage: langassess token create --role admin|grader|planner [--name NAME] [flags]\n\nRun 'langassess token create --help' for the flags.")
		return nil
	}
	if args[0] != "create" {
		return fmt.Errorf("token: unknown subcommand %q (want create)", args[0])
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := cli.Register(fs, getenv, cli.SettingsStore)
	role := fs.String("role", "", "role of the new token: admin, grader or planner (candidate tokens come from POST /v1/assessments)")
	name := fs.String("name", "", "a label for the token, e.g. who holds it")
	fs.Usage = cli.Usage(fs, stdout, "langassess token create --role ROLE [--name NAME] [flags]\n\nCreates an API token and prints it once; only its SHA-256 hash is stored.")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("token create: unexpected arguments %q", fs.Args())
	}
	if !slices.Contains([]string{store.RoleAdmin, store.RoleGrader, store.RolePlanner}, *role) {
		return fmt.Errorf("token create: --role must be admin, grader or planner (got %q)", *role)
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	st, err := cfg.OpenStore(ctx)
	if err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	defer st.Close()
	tok, hash, err := store.NewToken()
	if err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	if _, err := st.CreateToken(ctx, hash, store.Token{Role: *role, Name: *name}); err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	fmt.Fprintln(stdout, tok)
	fmt.Fprintf(stderr, "Created a token with role %s. It is shown only this once: keep it secret.\n", *role)
	return nil
}
