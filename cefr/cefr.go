package cefr

import (
	"fmt"
	"strconv"
	"strings"
)

// Level is a CEFR level. The zero value is no level (Unknown); the levels
// order as their values do, A1 lowest. In JSON and text a Level is its
// name ("B1"), and no level is "".
type Level uint8

// The levels, lowest first.
const (
	Unknown Level = iota
	A1
	A2
	B1
	B2
	C1
	C2
)

// All are the levels, lowest first. Treat as read-only.
var All = []Level{A1, A2, B1, B2, C1, C2}

var names = [...]string{"", "A1", "A2", "B1", "B2", "C1", "C2"}

// Names are the levels' names, lowest first. Treat as read-only.
var Names = func() []string {
	out := make([]string, len(All))
	for i, l := range All {
		out[i] = l.String()
	}
	return out
}()

// Parse reads a level's exact name ("B1"); anything else is an error.
func Parse(s string) (Level, error) {
	for i, n := range names[1:] {
		if n == s {
			return Level(i + 1), nil
		}
	}
	return Unknown, fmt.Errorf("cefr: %s is not a CEFR level (A1, A2, B1, B2, C1, C2)", strconv.Quote(s))
}

// ParseLoose reads a level as rating data writes it: case and surrounding
// space ignored, the Write & Improve sub-bands ("B1.ii") and "C2+" taken
// as their main level. It returns Unknown for anything else.
func ParseLoose(s string) Level {
	s = strings.ToUpper(strings.TrimSpace(s))
	if i := strings.IndexAny(s, ".+"); i >= 0 {
		s = s[:i]
	}
	l, _ := Parse(s)
	return l
}

// Of is the level named s, Unknown when s names none.
func Of(s string) Level {
	l, _ := Parse(s)
	return l
}

// FromIndex is the level at index i of All (A1 = 0), Unknown out of range.
func FromIndex(i int) Level {
	if i < 0 || i >= len(All) {
		return Unknown
	}
	return All[i]
}

// Valid reports whether l is one of All.
func (l Level) Valid() bool { return l >= A1 && l <= C2 }

// Index is l's position in All (A1 = 0, B1 = 2), -1 for no level.
func (l Level) Index() int {
	if !l.Valid() {
		return -1
	}
	return int(l) - 1
}

// String is the level's name, "" for no level.
func (l Level) String() string {
	if int(l) >= len(names) {
		return ""
	}
	return names[l]
}

// AtLeast reports whether l meets the minimum want. No level never meets
// anything, and nothing meets no minimum, so a typo cannot place anyone.
func (l Level) AtLeast(want Level) bool { return l.Valid() && want.Valid() && l >= want }

// Gap is how many steps l lies below want (0 when it meets it, -1 when
// either is no level).
func (l Level) Gap(want Level) int {
	if !l.Valid() || !want.Valid() {
		return -1
	}
	return max(0, int(want)-int(l))
}

// Distance is the number of steps between l and m, -1 when either is no
// level.
func (l Level) Distance(m Level) int {
	if !l.Valid() || !m.Valid() {
		return -1
	}
	return max(int(l)-int(m), int(m)-int(l))
}

// MarshalText writes the level's name ("" for no level).
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads a level's name; "" is no level.
func (l *Level) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*l = Unknown
		return nil
	}
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}
