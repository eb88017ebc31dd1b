// Package cefr is the one definition of the CEFR levels (A1 to C2): their
// order, names, parsing (exact, and loose for rating data), comparison and
// text/JSON form. Every other package that orders or compares levels uses
// it. It imports the standard library only; Levels are plain values, safe
// for concurrent use.
package cefr
