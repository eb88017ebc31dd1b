// Package rubrics parses, validates and serves rubric packs: assessments
// and their items, rubrics with cut scores, and the queue catalog. The
// grammar rule packs (rules.go, rules/) have their own format.
//
// A pack is YAML. Every file has the same top-level shape, and a pack is
// the union of its files:
//
//	pack:         id, version, title, languages, platforms (CEFR -> routing level maps)
//	assessments:  id, title, languages, passages, items
//	rubrics:      id, title, skill, default, weights, cuts, languages.<lang>.{weights, cuts, calibration}
//	queues:       id, title, language, channel, min_levels, audio, demand
//	shared:       free space for YAML anchors reused elsewhere in the file
//
// Items carry per-language prompts, a kind (written, spoken, reading), an
// expected length, key points and forbidden statements with alternative
// phrasings per language. A rubric weights dimension scores and maps the
// result to CEFR levels with cut scores, per language; `langassess
// calibrate` rewrites one language's values with WriteCalibration. See
// packs/customer-support-v1 for a complete, commented example.
//
// Decoding is strict (unknown fields are errors) and validation reports
// every problem with its file and line, as an ErrorList.
//
// A loaded Pack is immutable: its exported slices and maps are shared and
// must not be modified. That makes it safe for concurrent use without
// locks; Default parses the embedded pack once and returns the same Pack
// to every caller.
package rubrics
