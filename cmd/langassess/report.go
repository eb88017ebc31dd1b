package main

import (
	"context"
	"errors"
	"io"
)

// STUB: replaced by the owner of the report subcommand.
func runReport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("report: not implemented yet")
}
