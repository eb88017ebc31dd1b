package main

import (
	"context"
	"errors"
	"io"
)

// STUB: replaced by the owner of the token subcommand.
func runToken(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("token: not implemented yet")
}
