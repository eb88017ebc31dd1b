package audio

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func loadClip(t testing.TB, path string) *Clip {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Decode(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestAnalyzeGolden pins the whole report of the committed speech fixture
// (two espeak-ng sentences, 10 syllables + 6 syllables, 1 s apart).
func TestAnalyzeGolden(t *testing.T) {
	r := Analyze(loadClip(t, "testdata/speech-en-16k.wav"), Config{})
	got, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	const golden = "testdata/speech-en-16k.golden.json"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("report differs from %s (rerun with -update after checking):\n%s", golden, got)
	}
	if r.Fluency == nil || r.Fluency.Pauses != 1 {
		t.Errorf("fluency %+v: want exactly the one inserted pause", r.Fluency)
	}
}
