// Package seed writes synthetic graded assessments, reviews and decisions
// into a database, for the report benchmarks and the report tests. It is
// run as `langassess-eval seed` and is never part of the production
// binary. Run is safe to call from several goroutines on different
// databases.
package seed
