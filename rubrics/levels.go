package rubrics

import "slices"

// Levels are the CEFR levels, lowest first. Treat as read-only.
var Levels = []string{"A1", "A2", "B1", "B2", "C1", "C2"}

// LevelIndex returns the position of a CEFR level in Levels (A1 = 0,
// B1 = 2) or -1 when l is not a CEFR level.
func LevelIndex(l string) int { return slices.Index(Levels, l) }

// ValidLevel reports whether l is one of Levels.
func ValidLevel(l string) bool { return LevelIndex(l) >= 0 }

// AtLeast reports whether level have meets the minimum want. An unknown
// level never meets anything, and nothing meets an unknown minimum, so a
// typo cannot place a candidate.
func AtLeast(have, want string) bool {
	h, w := LevelIndex(have), LevelIndex(want)
	return h >= 0 && w >= 0 && h >= w
}

// LevelGap is how many CEFR steps have lies below want (0 when it meets
// it, -1 when either is not a level).
func LevelGap(have, want string) int {
	h, w := LevelIndex(have), LevelIndex(want)
	if h < 0 || w < 0 {
		return -1
	}
	return max(0, w-h)
}

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
