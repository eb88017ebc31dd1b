// Package placement turns graded answers into final levels per language and
// skill, places a candidate against the queue catalog of a rubric pack
// (eligible queues ranked by margin, near misses with the gap per skill and
// a training path) and writes the routing platforms' export bodies (Amazon
// Connect UserProficiencies, Genesys Cloud routing languages).
//
// It is pure: no I/O, no database, no clock. Every function is safe for
// concurrent use; the pack is only read.
package placement
