package audio

import (
	"math"

	"github.com/langassess/langassess/audio/report"
)

// The report types live in audio/report so that packages which only store
// or show a report (store, reports, the API's schema) do not compile the
// analysis; these aliases keep audio.Report and friends working.
type (
	Report   = report.Report
	Quality  = report.Quality
	Check    = report.Check
	Fluency  = report.Fluency
	Timeline = report.Timeline
	Verdict  = report.Verdict
	Status   = report.Status
)

// Check statuses and verdicts.
const (
	StatusPass        = report.StatusPass
	StatusWarn        = report.StatusWarn
	StatusFail        = report.StatusFail
	VerdictOK         = report.VerdictOK
	VerdictDegraded   = report.VerdictDegraded
	VerdictUnscorable = report.VerdictUnscorable
)

// Check reason codes (see report).
const (
	CodeTooShort     = report.CodeTooShort
	CodeSilent       = report.CodeSilent
	CodeTooQuiet     = report.CodeTooQuiet
	CodeClipped      = report.CodeClipped
	CodeTooNoisy     = report.CodeTooNoisy
	CodeDCOffset     = report.CodeDCOffset
	CodeDropouts     = report.CodeDropouts
	CodeNoSpeech     = report.CodeNoSpeech
	CodeLittleSpeech = report.CodeLittleSpeech
	CodeLongSilence  = report.CodeLongSilence
	CodeNarrowband   = report.CodeNarrowband
)

// Message returns the candidate-facing message for a reason code.
func Message(code string) string { return report.Message(code) }

// Analyze runs the quality gate and, unless unscorable, the fluency analysis.
func Analyze(c *Clip, cfg Config) Report {
	cfg = cfg.withDefaults()
	a := analyze(c, cfg)
	r := Report{Quality: a.quality(), Timeline: a.timeline()}
	if r.Quality.Verdict != VerdictUnscorable {
		f := a.fluency()
		r.Fluency = &f
	}
	return r
}

// MeasureFluency returns the fluency measures and timeline whatever the
// quality verdict; the evaluation uses it to measure degraded input.
func MeasureFluency(c *Clip, cfg Config) (Fluency, *Timeline) {
	a := analyze(c, cfg.withDefaults())
	return a.fluency(), a.timeline()
}

func verdict(checks []Check) Verdict {
	v := VerdictOK
	for _, c := range checks {
		switch c.Status {
		case StatusFail:
			return VerdictUnscorable
		case StatusWarn:
			v = VerdictDegraded
		}
	}
	return v
}

// dB converts a power ratio to dB, floored at -120 so JSON never sees -Inf.
func dB(power float64) float64 {
	if power <= 1e-12 {
		return -120
	}
	return 10 * math.Log10(power)
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}
