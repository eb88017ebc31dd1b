// Package audio decodes WAV recordings and measures them: a quality gate
// (duration, level, DC offset, clipping, dropouts, BS.1770 loudness, noise,
// speech share, silences, telephone bandwidth) whose failed checks carry a
// stable reason code and a message for the candidate, and fluency after de
// Jong & Wempe's syllable-nuclei method (speech and articulation rate,
// pauses, runs) with timelines a review page can draw.
//
// Use: Decode the bytes (typed *FormatError for unusable input), Analyze
// the clip, then Release it so the next Decode reuses its buffer.
//
// Everything here is a pure function over bytes or samples, with no HTTP,
// database or global state apart from the pool of released buffers, so
// every function is safe for concurrent use; a Clip is not shared by
// Analyze and may be read by several goroutines until it is released.
package audio
