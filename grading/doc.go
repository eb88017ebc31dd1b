// Package grading is the scoring engine: it turns a written or spoken answer
// into dimension scores (comprehension, grammar, vocabulary, fluency), CEFR
// levels and flags with evidence. An Engine is built once at start (language
// detector, dictionaries, rubric pack) and is safe for concurrent use.
package grading
