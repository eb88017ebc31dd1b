package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestGradeGolden")

// TestGradeGolden runs `langassess grade` on the committed inputs listed in
// testdata/golden/cases.txt and compares the output byte for byte with the
// golden files. The goldens were written by the binary built before the
// issue-9 refactor, so a difference means a change of behaviour: regenerate
// with -update only when the change is meant.
func TestGradeGolden(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "golden", "cases.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		name, args := fields[0], fields[1:]
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if err := run(context.Background(), args, noEnv, &out, &errb); err != nil {
				t.Fatalf("%v; stderr %s", err, errb.String())
			}
			golden := filepath.Join("testdata", "golden", name+".golden")
			if *update {
				if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("langassess %s: output differs from %s\ngot:\n%s", strings.Join(args, " "), golden, out.String())
			}
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}
