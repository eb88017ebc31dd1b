package audio

// CONTRACT STUB written by the lead so other packages compile. The audio
// helper owns this package and replaces this file; exported names and JSON
// tags below must stay (other packages and evaluation tools use them), new
// fields may be added.

import (
	"errors"
	"time"
)

// Limits caps what Decode accepts.
type Limits struct {
	MaxBytes    int64         // size of the WAV file; 0 means DefaultLimits
	MaxDuration time.Duration // decoded duration; 0 means DefaultLimits
}

// DefaultLimits: 50 MB and 5 minutes.
func DefaultLimits() Limits { return Limits{MaxBytes: 50 << 20, MaxDuration: 5 * time.Minute} }

// Clip is a decoded recording mixed down to mono float32 in [-1, 1].
type Clip struct {
	SampleRate int       // Hz
	Channels   int       // channels in the file (before mix-down)
	BitDepth   int       // bits per sample in the file
	Encoding   string    // "pcm" or "float"
	Samples    []float32 // mono
}

// Duration of the clip.
func (c *Clip) Duration() time.Duration {
	if c == nil || c.SampleRate == 0 {
		return 0
	}
	return time.Duration(float64(len(c.Samples)) / float64(c.SampleRate) * float64(time.Second))
}

// FormatError is returned for input that is not a usable WAV file. Code is a
// stable machine-readable reason (e.g. "not_wav", "unsupported_encoding",
// "truncated", "too_large", "too_long", "bad_channels", "bad_rate").
type FormatError struct {
	Code   string
	Reason string
}

func (e *FormatError) Error() string { return "audio: " + e.Reason }

// Decode reads a WAV file.
func Decode(data []byte, lim Limits) (*Clip, error) {
	return nil, errors.New("audio: not implemented")
}

// Config holds quality-gate and fluency parameters.
type Config struct{}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config { return Config{} }

// Check is one quality check.
type Check struct {
	Code    string  `json:"code"`    // e.g. "too_quiet", "clipped"
	Status  string  `json:"status"`  // "pass", "warn" (degraded), "fail" (unscorable)
	Value   float64 `json:"value"`   // the measured value
	Message string  `json:"message"` // for the candidate
}

// Quality is the quality-gate report.
type Quality struct {
	Verdict      string  `json:"verdict"` // ok | degraded | unscorable
	DurationSec  float64 `json:"duration_s"`
	SNRdB        float64 `json:"snr_db"`
	ClippedRatio float64 `json:"clipped_ratio"`
	LoudnessLUFS float64 `json:"loudness_lufs"`
	Checks       []Check `json:"checks"`
}

// Fluency holds the fluency measures.
type Fluency struct {
	Syllables        int     `json:"syllables"`
	SpeechRate       float64 `json:"speech_rate"`       // syllables / s of total duration
	ArticulationRate float64 `json:"articulation_rate"` // syllables / s of phonation
	Pauses           int     `json:"pauses"`            // silent pauses >= min pause
}

// Report is the whole analysis of one clip.
type Report struct {
	Quality Quality  `json:"quality"`
	Fluency *Fluency `json:"fluency,omitempty"` // nil when unscorable
}

// Analyze runs the quality gate and, unless unscorable, the fluency analysis.
func Analyze(c *Clip, cfg Config) Report { return Report{Quality: Quality{Verdict: "unscorable"}} }
