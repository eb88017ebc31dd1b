package main

import (
	"context"
	"errors"
	"io"
)

// STUB: replaced by the owner of the serve subcommand.
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("serve: not implemented yet")
}
