package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// RunFunc runs a command with its arguments (the command's name removed),
// the environment and the output streams.
type RunFunc func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error

// Command is one subcommand; each lives in its own file.
type Command struct {
	Name    string
	Summary string
	Run     RunFunc
}

// Main is a tool's main: it runs run with the process's arguments,
// environment and streams under a context cancelled by SIGINT or SIGTERM,
// and exits 1 with "name: error" when it fails.
func Main(name string, run RunFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}

// Dispatch runs the command of cmds that args[0] names. With no argument
// or a help request it writes usage to stdout; an unknown name writes it
// to stderr and is an error.
func Dispatch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, cmds []Command, usage func(io.Writer)) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return nil
	}
	for _, c := range cmds {
		if c.Name == args[0] {
			return c.Run(ctx, args[1:], getenv, stdout, stderr)
		}
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

// List writes one line a command: its name and summary.
func List(w io.Writer, cmds []Command) {
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-10s %s\n", c.Name, c.Summary)
	}
}
