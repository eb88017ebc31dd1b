// Package result holds the grade of one answer as the engine produces it
// and everyone else stores, shows and reports it: Result, its dimension
// Scores, the language check, Flags with their stable codes, and the
// engine Version recorded with every score.
//
// It is separate from package grading so that the store, the reports and
// the API's contract can use the types without compiling the engine
// (language models, dictionaries, audio analysis). Its values are plain
// data, safe to share once built.
package result
