// Package grading is the scoring engine: it turns a written or spoken answer
// into dimension scores (comprehension, grammar, spelling, vocabulary,
// coherence, length, fluency), CEFR levels and flags with evidence.
//
// A written answer (or a recording's transcript) goes through: Unicode
// segmentation (text.go), the language check with lingua-go (language.go),
// key-point coverage with folding, Snowball stemming and spelling-tolerant
// matching, copied-prompt and off-topic sentences (comprehension.go),
// spelling and grammar errors from grading/grammar (checker.go), the
// dimension maps (dimensions.go), and the rubric's weights and cut scores
// (engine.go), with a borderline flag within the calibrated measurement
// error of a cut. A recording is decoded and analysed by package audio and
// scored for fluency (fluency.go). Repeated, copied and off-topic sentences
// earn nothing, and length earns credit only up to the expected length, so
// padding an answer does not raise its level. Off-topic sentences can only
// be told from an item's prompt, passage and key points: an answer that
// names no item is protected from padding by the repeat check and the
// length cap alone.
//
// Offline fitting of the weights and cut scores lives in grading/calibrate
// (it scores texts through DimensionScores); the agreement statistics live
// in package agreement.
//
// Concurrency: an Engine is built once with New (it loads the language
// models and dictionaries, about 1.5 s and 400 MB RSS for nine languages)
// and is then safe for concurrent use: its state is read-only apart from
// the duplicate index and the compiled-item cache, which synchronise
// themselves.
package grading
