package main

import (
	"context"
	"errors"
	"io"
)

// STUB: replaced by the owner of the migrate subcommand.
func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("migrate: not implemented yet")
}
