package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestGramDetokenize(t *testing.T) {
	tests := []struct {
		tokens []string
		want   string
	}{
		{[]string{"I", "do", "n't", "know", ",", "he", "said", "."}, "I don't know, he said."},
		{[]string{"Il", "prezzo", "dell'", "albergo", "(", "caro", ")", "!"}, "Il prezzo dell'albergo (caro)!"},
		{[]string{"Er", "sagte", `"`, "nein", `"`, "."}, `Er sagte "nein".`},
	}
	for _, tt := range tests {
		text, spans := gramDetokenize(tt.tokens)
		if text != tt.want {
			t.Errorf("text = %q, want %q", text, tt.want)
		}
		rs := []rune(text)
		for i, sp := range spans {
			if got := string(rs[sp[0]:sp[1]]); got != tt.tokens[i] {
				t.Errorf("span %d = %q, want %q", i, got, tt.tokens[i])
			}
		}
	}
}

func TestGramRead(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.tsv")
	os.WriteFile(p, []byte("He\tc\nhave\ti\n\\\"\tc\n\nOk\tc\tR:OTHER\n"), 0o644)
	s, err := gramRead(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 2 || !slices.Equal(s[0].tokens, []string{"He", "have", `"`}) || !slices.Equal(s[0].wrong, []bool{false, true, false}) {
		t.Errorf("gramRead = %+v", s)
	}
	os.WriteFile(p, []byte("no label\n"), 0o644)
	if _, err := gramRead(p); err == nil || !strings.Contains(err.Error(), ":1:") {
		t.Errorf("malformed line: error %v, want file:line", err)
	}
}

func TestGramCounts(t *testing.T) {
	c := gramCounts{tp: 3, fp: 1, fn: 6}
	p, r, f := c.prf()
	// P = 0.75, R = 1/3, F0.5 = 1.25*P*R / (0.25*P + R)
	if p != 0.75 || r != 1.0/3 || f < 0.5999 || f > 0.6001 {
		t.Errorf("prf = %v %v %v, want 0.75 0.333 0.6", p, r, f)
	}
}

// TestEvalSkipsWithoutData: both evaluations exit cleanly with a message
// when the shared data folder is missing.
func TestEvalSkipsWithoutData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "absent")
	for _, run := range []func(context.Context, []string, func(string) string, *bytes.Buffer, *bytes.Buffer) error{
		func(ctx context.Context, a []string, g func(string) string, o, e *bytes.Buffer) error {
			return runEvalGrammar(ctx, a, g, o, e)
		},
		func(ctx context.Context, a []string, g func(string) string, o, e *bytes.Buffer) error {
			return runEvalSpelling(ctx, a, g, o, e)
		},
	} {
		var out, errb bytes.Buffer
		if err := run(context.Background(), []string{"--data", dir}, func(string) string { return "" }, &out, &errb); err != nil {
			t.Fatalf("error %v, want a clean skip", err)
		}
		if !strings.Contains(out.String(), "skipped") {
			t.Errorf("output %q, want a skip message", out.String())
		}
	}
}
