package main

import (
	"context"
	"errors"
	"io"
)

// STUB: replaced by the owner of the calibrate subcommand.
func runCalibrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("calibrate: not implemented yet")
}
