package cefr

import (
	"encoding/json"
	"testing"

	"github.com/langassess/langassess/internal/deptest"
)

func TestParseAndFormat(t *testing.T) {
	for _, tt := range []struct {
		in    string
		want  Level
		err   bool
		loose Level
	}{
		{"A1", A1, false, A1},
		{"C2", C2, false, C2},
		{"b1", Unknown, true, B1},
		{" B2.ii ", Unknown, true, B2},
		{"C2+", Unknown, true, C2},
		{"D1", Unknown, true, Unknown},
		{"", Unknown, true, Unknown},
	} {
		got, err := Parse(tt.in)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("Parse(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.err)
		}
		if got := ParseLoose(tt.in); got != tt.loose {
			t.Errorf("ParseLoose(%q) = %v, want %v", tt.in, got, tt.loose)
		}
	}
	for i, l := range All {
		if l.Index() != i || FromIndex(i) != l || Of(l.String()) != l || Names[i] != l.String() {
			t.Errorf("level %d: index %d, name %q", i, l.Index(), l.String())
		}
	}
	if Unknown.Index() != -1 || FromIndex(6) != Unknown || FromIndex(-1) != Unknown || Unknown.String() != "" {
		t.Error("Unknown is not out of range")
	}
}

func TestCompare(t *testing.T) {
	for _, tt := range []struct {
		have, want Level
		atLeast    bool
		gap, dist  int
	}{
		{B2, B1, true, 0, 1},
		{A2, B2, false, 2, 2},
		{C1, C1, true, 0, 0},
		{Unknown, A1, false, -1, -1},
		{A1, Unknown, false, -1, -1},
	} {
		if got := tt.have.AtLeast(tt.want); got != tt.atLeast {
			t.Errorf("%v.AtLeast(%v) = %v", tt.have, tt.want, got)
		}
		if got := tt.have.Gap(tt.want); got != tt.gap {
			t.Errorf("%v.Gap(%v) = %d, want %d", tt.have, tt.want, got, tt.gap)
		}
		if got := tt.have.Distance(tt.want); got != tt.dist {
			t.Errorf("%v.Distance(%v) = %d, want %d", tt.have, tt.want, got, tt.dist)
		}
	}
}

// TestJSON: a Level is its name in JSON, as the plain strings were.
func TestJSON(t *testing.T) {
	type doc struct {
		Level  Level            `json:"level"`
		Levels map[string]Level `json:"levels"`
	}
	b, err := json.Marshal(doc{Level: B1, Levels: map[string]Level{"grammar": C2, "none": Unknown}})
	if err != nil || string(b) != `{"level":"B1","levels":{"grammar":"C2","none":""}}` {
		t.Fatalf("marshal: %s %v", b, err)
	}
	var d doc
	if err := json.Unmarshal(b, &d); err != nil || d.Level != B1 || d.Levels["grammar"] != C2 || d.Levels["none"] != Unknown {
		t.Fatalf("unmarshal: %+v %v", d, err)
	}
	if err := json.Unmarshal([]byte(`{"level":"Z9"}`), &d); err == nil {
		t.Error("Z9 unmarshalled without an error")
	}
}

func TestDeps(t *testing.T) { deptest.StdlibOnly(t, deptest.Module+"cefr") }
