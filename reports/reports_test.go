package reports

import (
	"testing"
	"time"
)

func TestParseReportTime(t *testing.T) {
	for _, tt := range []struct {
		in    string
		upper bool
		want  string
		err   bool
	}{
		{"", false, "0001-01-01T00:00:00Z", false},
		{"2026-03-01", false, "2026-03-01T00:00:00Z", false},
		{"2026-03-01", true, "2026-03-02T00:00:00Z", false},
		{"2026-03-01T10:00:00+02:00", true, "2026-03-01T08:00:00Z", false},
		{"March", false, "", true},
	} {
		got, err := ParseTime(tt.in, tt.upper)
		if (err != nil) != tt.err || (!tt.err && got.Format(time.RFC3339) != tt.want) {
			t.Errorf("ParseReportTime(%q, %v) = %v, %v; want %s", tt.in, tt.upper, got, err, tt.want)
		}
	}
}
