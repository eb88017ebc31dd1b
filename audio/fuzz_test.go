package audio

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzDecode: no panic on any bytes, typed errors only, and memory bounded
// by the input: at most one float32 sample per input byte.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/formats/*.wav")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 8000 {
			f.Add(b)
		}
	}
	lim := Limits{MaxBytes: 1 << 20, MaxDuration: 10 * time.Second}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Decode(data, lim)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) || fe.Code == "" || fe.Reason == "" {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if len(c.Samples) > len(data) {
			t.Fatalf("%d samples from %d bytes", len(c.Samples), len(data))
		}
		if c.Duration() > lim.MaxDuration {
			t.Fatalf("duration %v over the cap", c.Duration())
		}
		for i, v := range c.Samples {
			if !(v >= -1 && v <= 1) {
				t.Fatalf("sample %d = %v outside [-1, 1]", i, v)
			}
		}
		// the analysis must survive whatever decodes
		r := Analyze(c, Config{})
		if r.Quality.Verdict == "" {
			t.Fatal("no verdict")
		}
	})
}
