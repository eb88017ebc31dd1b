package report

import "fmt"

// Status is the outcome of one quality check.
type Status string

// Check statuses.
const (
	StatusPass Status = "pass"
	StatusWarn Status = "warn" // the recording is degraded but scorable
	StatusFail Status = "fail" // the recording is unscorable
)

// Verdict is the quality gate's decision on a whole recording.
type Verdict string

// Verdicts.
const (
	VerdictOK         Verdict = "ok"
	VerdictDegraded   Verdict = "degraded"
	VerdictUnscorable Verdict = "unscorable"
)

// Check reason codes. They are stable: graders' flags and the API use them.
const (
	CodeTooShort     = "too_short"
	CodeSilent       = "silent"
	CodeTooQuiet     = "too_quiet"
	CodeClipped      = "clipped"
	CodeTooNoisy     = "too_noisy"
	CodeDCOffset     = "dc_offset"
	CodeDropouts     = "dropouts"
	CodeNoSpeech     = "no_speech"
	CodeLittleSpeech = "little_speech"
	CodeLongSilence  = "long_silence"
	CodeNarrowband   = "narrowband"
)

// messages are what a candidate reads when a check does not pass.
var messages = map[string]string{
	CodeTooShort:     "Your recording is too short: please answer the question fully and record again.",
	CodeSilent:       "We could not hear anything in your recording: check that your microphone is connected and not muted, then record again.",
	CodeTooQuiet:     "Your recording is too quiet: move closer to the microphone and record again.",
	CodeClipped:      "Your recording is distorted because it is too loud: move a little away from the microphone or lower its input volume, then record again.",
	CodeTooNoisy:     "There is too much background noise in your recording: find a quieter place and record again.",
	CodeDCOffset:     "Your microphone adds a constant offset to the sound: try another microphone or headset if you can.",
	CodeDropouts:     "Parts of your recording dropped out: close other programs, check your connection or headset, and record again.",
	CodeNoSpeech:     "We could not hear any speech in your recording: speak clearly into the microphone and record again.",
	CodeLittleSpeech: "We heard very little speech in your recording: please answer the question fully.",
	CodeLongSilence:  "Your recording has a long silence at the start or end: start speaking soon after you press record.",
	CodeNarrowband:   "Your recording sounds like a telephone line: if you can, use a computer or headset microphone.",
}

// Message returns the candidate-facing message for a reason code.
func Message(code string) string { return messages[code] }

// Check is one quality check. Code names what the check guards against and
// is the same whether or not it passed; Message is empty when it passed.
type Check struct {
	Code      string  `json:"code"`      // e.g. "too_quiet", "clipped"
	Status    Status  `json:"status"`    // "pass", "warn" (degraded), "fail" (unscorable)
	Value     float64 `json:"value"`     // the measured value
	Threshold float64 `json:"threshold"` // the limit Value was compared with (the fail one when failed)
	Message   string  `json:"message"`   // for the candidate
}

// Quality is the quality-gate report. Levels are in dB relative to full
// scale; a level of -120 means digital silence.
type Quality struct {
	Verdict            Verdict `json:"verdict"` // ok | degraded | unscorable
	DurationSec        float64 `json:"duration_s"`
	SampleRate         int     `json:"sample_rate"`
	Channels           int     `json:"channels"`
	BitDepth           int     `json:"bit_depth"`
	Encoding           string  `json:"encoding"`
	PeakDBFS           float64 `json:"peak_dbfs"`
	RMSDBFS            float64 `json:"rms_dbfs"`
	DCOffset           float64 `json:"dc_offset"`   // mean sample value, full scale 1
	SNRdB              float64 `json:"snr_db"`      // speech-to-noise power over the noise floor, 0 to 60
	WADASNRdB          float64 `json:"snr_wada_db"` // WADA-SNR (Kim & Stern 2008), 0 to 60, for reference
	NoiseFloorDBFS     float64 `json:"noise_floor_dbfs"`
	ClippedRatio       float64 `json:"clipped_ratio"`
	LongestClipSec     float64 `json:"longest_clipped_run_s"`
	Dropouts           int     `json:"dropouts"`
	LoudnessLUFS       float64 `json:"loudness_lufs"` // ITU-R BS.1770-4 integrated; -70 when below the gate
	SpeechShare        float64 `json:"speech_share"`  // share of the duration with voiced speech activity
	LeadingSilenceSec  float64 `json:"leading_silence_s"`
	TrailingSilenceSec float64 `json:"trailing_silence_s"`
	HighBandDB         float64 `json:"high_band_db"` // energy above 5 kHz relative to the total
	Narrowband         bool    `json:"narrowband"`
	Checks             []Check `json:"checks"`
}

// Failed returns the checks that did not pass (warn or fail): the flags a
// grader sees.
func (q Quality) Failed() []Check {
	var out []Check
	for _, c := range q.Checks {
		if c.Status != StatusPass {
			out = append(out, c)
		}
	}
	return out
}

// degrading are the checks whose warning band makes the fluency measures
// rest on a poor recording (docs/audio-accuracy.md, "Degraded
// recordings"): below 20 dB SNR of brown noise the measured pause and
// syllable accuracy fall (white noise holds to 10 dB); clipping, a low level, dropouts, little speech
// and long edge silences change what the measures are computed from.
// dc_offset and narrowband are left out: the contour and the voicing check
// remove the mean, and the telephone band left the syllable count as it
// was on the synthetic corpus; their warnings still reach the candidate.
var degrading = map[string]bool{
	CodeTooQuiet: true, CodeClipped: true, CodeTooNoisy: true, CodeDropouts: true,
	CodeLittleSpeech: true, CodeLongSilence: true,
}

// Degraded returns the checks in their warning band that make the fluency
// measures less trustworthy, in check order; nil when there are none or
// the recording is unscorable (then nothing is measured). A grader's
// audio_degraded flag lists them.
func (q Quality) Degraded() []Check {
	if q.Verdict == VerdictUnscorable {
		return nil
	}
	var out []Check
	for _, c := range q.Checks {
		if c.Status == StatusWarn && degrading[c.Code] {
			out = append(out, c)
		}
	}
	return out
}

// Fluency holds the fluency measures (de Jong & Wempe 2009).
type Fluency struct {
	Syllables          int     `json:"syllables"`
	SpeechRate         float64 `json:"speech_rate"`       // syllables / s of total duration
	ArticulationRate   float64 `json:"articulation_rate"` // syllables / s of phonation
	Pauses             int     `json:"pauses"`            // silent pauses >= min pause
	PhonationSec       float64 `json:"phonation_s"`
	PhonationTimeRatio float64 `json:"phonation_time_ratio"`    // phonation / total duration
	AvgSyllableSec     float64 `json:"avg_syllable_duration_s"` // phonation / syllables
	PausesPerMinute    float64 `json:"pauses_per_minute"`
	MeanPauseSec       float64 `json:"mean_pause_s"`
	LongPauses         int     `json:"long_pauses"`        // pauses > 1 s (Config.LongPause)
	MeanLengthOfRun    float64 `json:"mean_length_of_run"` // syllables per run between pauses
}

// Timeline is what a review page draws. Times are seconds from the start.
type Timeline struct {
	StepSec  float64      `json:"step_s"`      // step of Envelope
	Envelope []int        `json:"envelope_db"` // intensity, dBFS rounded, one value per step
	Voiced   [][2]float64 `json:"voiced"`      // voiced intervals
	Pauses   [][2]float64 `json:"pauses"`      // silent pauses
	Nuclei   []float64    `json:"nuclei"`      // syllable nucleus times
}

// Report is the whole analysis of one clip.
type Report struct {
	Quality  Quality   `json:"quality"`
	Fluency  *Fluency  `json:"fluency,omitempty"` // nil when unscorable
	Timeline *Timeline `json:"timeline,omitempty"`
}

func (c Check) String() string { return fmt.Sprintf("%s=%s(%.3g)", c.Code, c.Status, c.Value) }
