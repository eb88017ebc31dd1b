package main

import (
	"context"
	"fmt"
	"io"
	"os"
)

// evaluations are the accuracy commands behind docs/*-accuracy.md; each reads
// ../shared/data (or --data) and says so and exits 0 when it is absent.
var evaluations = []command{
	{"audio", "quality-gate and fluency accuracy on synthetic speech and speechocean762", runEvalAudio},
	{"spelling", "agreement of the spell checker with the hunspell command", runEvalSpelling},
	{"grammar", "token-level grammar error detection on MultiGED (P, R, F0.5)", runEvalGrammar},
	{"levels", "cross-validated CEFR levels on MERLIN and W&I+LOCNESS (QWK, F1)", runEvalLevels},
}

func runEval(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stdout, "Usage: langassess eval WHAT [flags]\n\nWhat:")
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
	return fmt.Errorf("eval: unknown evaluation %q", args[0])
}

// evalDataDefault is the --data default of every evaluation: LANGASSESS_DATA,
// else ../shared/data when it exists (a checkout next to the shared folder),
// else /work/shared/data.
func evalDataDefault(getenv func(string) string) string {
	if v := getenv("LANGASSESS_DATA"); v != "" {
		return v
	}
	if _, err := os.Stat("../shared/data"); err == nil {
		return "../shared/data"
	}
	return "/work/shared/data"
}

// evalEnvOr is getenv(key), or def when it is unset or empty.
func evalEnvOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
