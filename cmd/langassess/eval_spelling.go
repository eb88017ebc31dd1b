package main

import (
	"context"
	"errors"
	"io"
)

// STUB: replaced by the owner of the spelling evaluation.
func runEvalSpelling(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("eval spelling: not implemented yet")
}
