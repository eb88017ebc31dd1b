package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestRequestError(t *testing.T) {
	err := requestError("get assessment", 0, fmt.Errorf("do: %w", context.Canceled), nil)
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "get assessment: ") {
		t.Errorf("transport error: %v", err)
	}
	err = requestError("create assessment", 422, nil, []byte(`{"code":"language.unsupported"}`+strings.Repeat("x", 1000)))
	if got := err.Error(); !strings.Contains(got, "status 422") || !strings.Contains(got, "language.unsupported") || len(got) > 350 {
		t.Errorf("status error %q (%d bytes)", got, len(got))
	}
}

func TestRedact(t *testing.T) {
	got := strings.Join(redact([]string{"--token", "s1", "--n", "5", "--token=s2", "-token", "s3"}), " ")
	if strings.Contains(got, "s1") || strings.Contains(got, "s2") || strings.Contains(got, "s3") {
		t.Errorf("token left in %q", got)
	}
}
