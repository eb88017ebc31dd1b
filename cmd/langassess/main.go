// Command langassess runs the langassess service and its tools.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "langassess:", err)
		os.Exit(1)
	}
}

// command is one subcommand; each lives in its own file.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error
}

// commands lists the subcommands in help order.
var commands = []command{
	{"serve", "run the HTTP service", runServe},
	{"migrate", "apply or inspect database migrations (up|down|version|force N)", runMigrate},
	{"token", "manage API tokens (token create --role ROLE)", runToken},
	{"grade", "grade answers without a server", runGrade},
	{"rubric", "rubric pack tools (rubric validate FILE|DIR)", runRubric},
	{"calibrate", "fit weights and cut scores to human ratings", runCalibrate},
	{"report", "print planner reports (report placement|agreement)", runReport},
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], getenv, stdout, stderr)
		}
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "langassess grades multilingual language assessments.\n\nUsage: langassess COMMAND [flags]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'langassess COMMAND --help' for a command's flags; every flag defaults from an environment variable.")
}
