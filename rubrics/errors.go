package rubrics

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Error is one problem in a pack file, at a line (0 when the problem is
// not tied to one).
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// ErrorList is every problem found in a pack, sorted by file and line.
// Load, Parse and Default return it (use errors.As) so a tool can print
// one line per problem.
type ErrorList []*Error

func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// sort orders the list by file and line and drops repeats (an alias
// expanded in several places reports the same problem each time).
func (l *ErrorList) sort() {
	slices.SortStableFunc(*l, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	*l = slices.CompactFunc(*l, func(a, b *Error) bool { return *a == *b })
}

// err returns the list as an error, or nil when it is empty (a nil
// ErrorList in an error interface would not compare equal to nil).
func (l ErrorList) err() error {
	if len(l) == 0 {
		return nil
	}
	l.sort()
	return l
}
