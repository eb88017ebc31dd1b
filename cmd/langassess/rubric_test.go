package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRubricValidate(t *testing.T) {
	const td = "../../rubrics/testdata/"
	tests := []struct {
		name    string
		args    []string
		wantErr bool
		stdout  string // substring
		stderr  string // substring ("" = empty)
	}{
		{"embedded pack", []string{"validate"}, false, "ok: customer-support-v1", ""},
		{"pack directory", []string{"validate", "../../rubrics/packs/customer-support-v1"}, false, "9 items, 3 rubrics, 22 queues", ""},
		{"file of a pack directory", []string{"validate", "../../rubrics/packs/customer-support-v1/queues.yaml"}, false, "ok: customer-support-v1", ""},
		{"single-file pack", []string{"validate", td + "valid/minimal.yaml"}, false, "ok: minimal 0.1", ""},
		{"invalid file", []string{"validate", td + "invalid/cuts-not-increasing.yaml"}, true, "",
			td + "invalid/cuts-not-increasing.yaml:16: cut scores must increase: B2 (35) is not above B1 (40)\n"},
		{"several paths", []string{"validate", td + "valid/minimal.yaml", td + "invalid/unknown-field.yaml"}, true, "ok: minimal",
			"unknown-field.yaml:59: unknown field \"colour\" in item"},
		{"invalid pack directory", []string{"validate", td + "packs/syntax"}, true, "", "packs/syntax/assessments/b.yaml:3: unknown field \"titel\""},
		{"missing path", []string{"validate", td + "nope.yaml"}, true, "", "no such file"},
		{"help", []string{"validate", "--help"}, false, "Usage: langassess rubric validate", ""},
		{"embedded rules", []string{"validate"}, false, "embedded grammar rules: ok", ""},
		{"rule pack file", []string{"validate", "../../rubrics/rules/de.yaml"}, false, "ok: de grammar rules", ""},
		{"no subcommand", nil, true, "Usage:", ""},
		{"unknown subcommand", []string{"lint"}, true, "Usage:", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), append([]string{"rubric"}, tt.args...), func(string) string { return "" }, &stdout, &stderr)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v\nstderr: %s", err, tt.wantErr, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.stdout) {
				t.Errorf("stdout %q lacks %q", stdout.String(), tt.stdout)
			}
			if tt.stderr == "" && stderr.Len() > 0 {
				t.Errorf("unexpected stderr %q", stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.stderr)
			}
		})
	}
}

func TestRubricInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pack")
	var out bytes.Buffer
	env := func(string) string { return "" }
	if err := run(context.Background(), []string{"rubric", "init", dir}, env, &out, &out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "assessments", "customer-support.yaml")); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"rubric", "validate", dir}, env, &out, &out); err != nil {
		t.Fatalf("the written pack does not validate: %v\n%s", err, out.String())
	}
	if err := run(context.Background(), []string{"rubric", "init", dir}, env, &out, &out); err == nil {
		t.Error("init overwrote an existing pack")
	}
}
