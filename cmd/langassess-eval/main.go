// Command langassess-eval runs the accuracy evaluations behind
// docs/*-accuracy.md on the shared human-rated data, and writes synthetic
// data for the report benchmarks. It is kept out of the production binary
// (langassess); it reads the same settings.
package main

import (
	"context"
	"fmt"
	"io"

	"github.com/langassess/langassess/internal/cli"
	"github.com/langassess/langassess/internal/seed"
)

func main() { cli.Main("langassess-eval", run) }

// evaluations are the accuracy commands behind docs/*-accuracy.md; each reads
// ../shared/data (or --data) and says so and exits 0 when it is absent.
// seed is last: it is not an evaluation but shares the tool's home.
var evaluations = []cli.Command{
	{Name: "audio", Summary: "quality-gate and fluency accuracy on synthetic speech and speechocean762", Run: runEvalAudio},
	{Name: "spelling", Summary: "agreement of the spell checker with the hunspell command", Run: runEvalSpelling},
	{Name: "grammar", Summary: "token-level grammar error detection on MultiGED (P, R, F0.5)", Run: runEvalGrammar},
	{Name: "levels", Summary: "cross-validated CEFR levels on MERLIN and W&I+LOCNESS (QWK, F1)", Run: runEvalLevels},
	{Name: "seed", Summary: "write synthetic graded assessments for report benchmarks", Run: seed.Run},
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return cli.Dispatch(ctx, args, getenv, stdout, stderr, evaluations, func(w io.Writer) {
		fmt.Fprintln(w, "Usage: langassess-eval WHAT [flags]\n\nWhat:")
		cli.List(w, evaluations)
	})
}
