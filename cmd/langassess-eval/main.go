// Command langassess-eval runs the accuracy evaluations behind
// docs/*-accuracy.md on the shared human-rated data, and writes synthetic
// data for the report benchmarks. It is kept out of the production binary
// (langassess); it reads the same settings.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/langassess/langassess/internal/seed"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "langassess-eval:", err)
		os.Exit(1)
	}
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error
}

// evaluations are the accuracy commands behind docs/*-accuracy.md; each reads
// ../shared/data (or --data) and says so and exits 0 when it is absent.
// seed is last: it is not an evaluation but shares the tool's home.
var evaluations = []command{
	{"audio", "quality-gate and fluency accuracy on synthetic speech and speechocean762", runEvalAudio},
	{"spelling", "agreement of the spell checker with the hunspell command", runEvalSpelling},
	{"grammar", "token-level grammar error detection on MultiGED (P, R, F0.5)", runEvalGrammar},
	{"levels", "cross-validated CEFR levels on MERLIN and W&I+LOCNESS (QWK, F1)", runEvalLevels},
	{"seed", "write synthetic graded assessments for report benchmarks", seed.Run},
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(stdout, "Usage: langassess-eval WHAT [flags]\n\nWhat:")
		for _, c := range evaluations {
			fmt.Fprintf(stdout, "  %-10s %s\n", c.name, c.summary)
		}
		return nil
	}
	for _, c := range evaluations {
		if c.name == args[0] {
			return c.run(ctx, args[1:], getenv, stdout, stderr)
		}
	}
	return fmt.Errorf("unknown evaluation %q", args[0])
}
