// Package calibrate fits a rubric's level model offline: it reads
// human-rated datasets (MERLIN TSV, Write & Improve JSONL), scores the texts
// with the engine's dimension scores, fits non-negative weights and
// QWK-maximising cut scores, and cross-validates the procedure (k-fold,
// repeated, held-out split) against a length-only baseline.
//
// It is used by `langassess calibrate` and the evaluation command, never by
// the live engine. Functions are pure apart from ScoreSamples, which runs
// its own worker goroutines; results are plain values.
package calibrate
