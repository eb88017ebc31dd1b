package rubrics

import "github.com/langassess/langassess/cefr"

// Levels are the CEFR level names, lowest first (cefr.Names). Treat as
// read-only.
var Levels = cefr.Names

// LevelIndex returns the position of a CEFR level in Levels (A1 = 0,
// B1 = 2) or -1 when l is not a CEFR level.
func LevelIndex(l string) int { return cefr.Of(l).Index() }

// ValidLevel reports whether l is one of Levels.
func ValidLevel(l string) bool { return cefr.Of(l).Valid() }

// AtLeast reports whether level have meets the minimum want. An unknown
// level never meets anything, and nothing meets an unknown minimum, so a
// typo cannot place a candidate.
func AtLeast(have, want string) bool { return cefr.Of(have).AtLeast(cefr.Of(want)) }

// LevelGap is how many CEFR steps have lies below want (0 when it meets
// it, -1 when either is not a level).
func LevelGap(have, want string) int { return cefr.Of(have).Gap(cefr.Of(want)) }

// Skills a level is reported for.
const (
	SkillReading  = "reading"
	SkillWriting  = "writing"
	SkillSpeaking = "speaking"
)

// Skills lists the skills in report order.
var Skills = []string{SkillReading, SkillWriting, SkillSpeaking}

// Item kinds: what the candidate submits.
const (
	KindWritten = "written" // free text answer
	KindSpoken  = "spoken"  // WAV recording (optionally with a transcript)
	KindReading = "reading" // short written answer about a passage
)

// Kinds lists the item kinds.
var Kinds = []string{KindWritten, KindSpoken, KindReading}

// skillOfKind is the skill an item of each kind measures unless it says otherwise.
var skillOfKind = map[string]string{
	KindWritten: SkillWriting,
	KindSpoken:  SkillSpeaking,
	KindReading: SkillReading,
}

// Dimensions scored 0-100 by the grading engine and weighted by a rubric.
const (
	DimComprehension = "comprehension"
	DimGrammar       = "grammar"
	DimSpelling      = "spelling"
	DimVocabulary    = "vocabulary"
	DimCoherence     = "coherence"
	DimFluency       = "fluency"
	// DimLength credits the answer's length up to the item's expected
	// length (the generic rubric's when the answer names no item), so it
	// can be weighted openly and padding beyond it earns nothing. Added by
	// the grading engine's owner.
	DimLength = "length"
)

// Dimensions lists the dimensions a rubric may weight, in report order.
var Dimensions = []string{DimComprehension, DimGrammar, DimSpelling, DimVocabulary, DimCoherence, DimFluency, DimLength}

// Support channels of a queue.
const (
	ChannelVoice = "voice"
	ChannelChat  = "chat"
	ChannelEmail = "email"
)

// Channels lists the channels.
var Channels = []string{ChannelVoice, ChannelChat, ChannelEmail}
