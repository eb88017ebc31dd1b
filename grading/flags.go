package grading

// Flag codes: stable, read by the API, the review queue and reports.
const (
	FlagWrongLanguage         = "wrong_language"
	FlagMixedLanguage         = "mixed_language"
	FlagLowLanguageConfidence = "low_language_confidence"
	FlagTooShort              = "too_short"
	FlagOffTopic              = "off_topic"
	FlagCopiedPrompt          = "copied_prompt"
	FlagDuplicateAnswer       = "duplicate_answer"
	FlagBorderline            = "borderline"
	FlagAudioUnscorable       = "audio_unscorable"
	FlagAudioDegraded         = "audio_degraded" // scorable, but the fluency measures rest on a poor recording
	FlagSpellingUnchecked     = "spelling_unchecked"
	FlagGrammarUnchecked      = "grammar_unchecked"
	FlagEngineUnavailable     = "grading_engine_unavailable"
)
