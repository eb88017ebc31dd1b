// Command langassess runs the langassess service and its tools.
package main

import (
	"context"
	"fmt"
	"io"

	"github.com/langassess/langassess/internal/cli"
)

func main() { cli.Main("langassess", run) }

// commands lists the subcommands in help order. The evaluations and seed
// are langassess-eval's.
var commands = []cli.Command{
	{Name: "serve", Summary: "run the HTTP service", Run: runServe},
	{Name: "migrate", Summary: "apply or inspect database migrations (up|down|version|force N)", Run: runMigrate},
	{Name: "token", Summary: "manage API tokens (token create --role ROLE)", Run: runToken},
	{Name: "grade", Summary: "grade answers without a server", Run: runGrade},
	{Name: "rubric", Summary: "rubric pack tools (rubric validate FILE|DIR)", Run: runRubric},
	{Name: "calibrate", Summary: "fit weights and cut scores to human ratings", Run: runCalibrate},
	{Name: "report", Summary: "print planner reports (report placement|agreement)", Run: runReport},
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return cli.Dispatch(ctx, args, getenv, stdout, stderr, commands, usage)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "langassess grades multilingual language assessments.\n\nUsage: langassess COMMAND [flags]\n\nCommands:")
	cli.List(w, commands)
	fmt.Fprintln(w, "\nRun 'langassess COMMAND --help' for a command's flags; every flag defaults from an environment variable.")
}
