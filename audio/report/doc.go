// Package report holds what the audio analysis says about one recording:
// the quality gate (typed Verdict, per-check Status, stable reason codes
// and the messages a candidate reads), the fluency measures and the
// timeline a review page draws.
//
// It is separate from package audio so that packages which store or show a
// report do not compile the decoder and the analysis. Its values are plain
// data, safe to share once built.
package report
