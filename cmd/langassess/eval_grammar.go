package main

import (
	"context"
	"errors"
	"io"
)

// STUB: replaced by the owner of the grammar evaluation.
func runEvalGrammar(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("eval grammar: not implemented yet")
}
