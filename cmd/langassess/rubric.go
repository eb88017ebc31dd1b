package main

import (
	"context"
	"errors"
	"io"
)

// STUB: replaced by the owner of the rubric subcommand.
func runRubric(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("rubric: not implemented yet")
}
