package main

import (
	"context"
	"errors"
	"io"
)

// STUB: replaced by the owner of the audio evaluation.
func runEvalAudio(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("eval audio: not implemented yet")
}
