package worker

import (
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	s := &Worker{cfg: Config{RetryBase: 2 * time.Second}}
	for _, tc := range []struct {
		attempt int
		want    time.Duration // before jitter
	}{
		{1, 2 * time.Second}, {2, 4 * time.Second}, {3, 8 * time.Second},
		{9, 512 * time.Second}, {10, 10 * time.Minute}, {40, 10 * time.Minute},
	} {
		for range 50 {
			got := s.backoff(tc.attempt)
			lo, hi := time.Duration(float64(tc.want)*0.8), time.Duration(float64(tc.want)*1.2)
			if got < lo || got > hi {
				t.Fatalf("attempt %d: %v, want %v +-20%%", tc.attempt, got, tc.want)
			}
		}
	}
}
