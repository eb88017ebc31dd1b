// Package audio decodes WAV recordings and measures them: a quality gate
// (level, clipping, loudness, noise, silence) and fluency after de Jong &
// Wempe's syllable-nuclei method. Everything here is a pure function over
// bytes or samples, with no HTTP, database or global state, so every
// function is safe for concurrent use.
package audio
