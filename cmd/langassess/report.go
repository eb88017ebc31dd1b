package main

import (
	"context"
	"errors"
	"io"
)

// runReport will print planner reports (placement, agreement); it is issue
// 5's work and says so rather than printing an empty report.
func runReport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("report: not implemented yet (issue 5)")
}
