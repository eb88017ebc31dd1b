// Package reports builds the planner reports (placement per language and
// channel, human-machine agreement, trend over time) from the store and the
// rubric pack's queue catalog, and writes them as JSON or CSV. ParseQuery
// is the one validation of a report's parameters, used by the HTTP routes
// and the `langassess report` command alike, so both accept the same
// queries and print the same numbers.
//
// The builders only read; they are safe for concurrent use with a store
// that is.
package reports
