// Package rubrics parses, validates and serves rubric packs: assessments and
// their items, rubrics with cut scores, grammar rule packs and the queue
// catalog. A loaded Pack is immutable and safe for concurrent use.
package rubrics
