package grading

import (
	"fmt"
	"math"
	"strings"

	"github.com/langassess/langassess/audio"
)

// Fluency score anchors. Each measure maps linearly onto 0-100 between a
// halting beginner (0) and fluent conversational speech (100), after the
// ranges reported for L2 speakers against native speakers by de Jong et al.
// (2012, 2015) and Kormos & Dénes (2004), who found speech rate and mean
// length of run the best predictors of rated fluency; the four sub-scores
// are averaged.
//
//	speech rate         1.0 -> 4.0 syllables/s (pauses included)
//	articulation rate   2.5 -> 5.5 syllables/s of phonation
//	silent pauses       30 -> 6 per minute (fewer is better)
//	mean length of run  2 -> 12 syllables between pauses
const (
	speechRateLo, speechRateHi     = 1.0, 4.0
	articRateLo, articRateHi       = 2.5, 5.5
	pausesPerMinLo, pausesPerMinHi = 30.0, 6.0
	runLo, runHi                   = 2.0, 12.0
)

// fluencyScore maps the audio fluency measures to a 0-100 score and the
// evidence showing each part.
func fluencyScore(f audio.Fluency, durationSec float64) (float64, map[string]any) {
	ppm := f.PausesPerMinute
	if ppm == 0 && f.Pauses > 0 && durationSec > 0 {
		ppm = float64(f.Pauses) / (durationSec / 60)
	}
	mlr := f.MeanLengthOfRun
	if mlr == 0 && f.Syllables > 0 {
		mlr = float64(f.Syllables) / float64(f.Pauses+1)
	}
	parts := map[string]float64{
		"speech_rate":        ramp(f.SpeechRate, speechRateLo, speechRateHi),
		"articulation_rate":  ramp(f.ArticulationRate, articRateLo, articRateHi),
		"pauses_per_minute":  ramp(ppm, pausesPerMinLo, pausesPerMinHi),
		"mean_length_of_run": ramp(mlr, runLo, runHi),
	}
	var s float64
	for k, v := range parts {
		s += v
		parts[k] = round1(v)
	}
	s = round1(s / 4)
	return s, map[string]any{
		"score_parts":        parts,
		"speech_rate":        f.SpeechRate,
		"articulation_rate":  f.ArticulationRate,
		"pauses_per_minute":  round2(ppm),
		"mean_length_of_run": round2(mlr),
	}
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// degradedFlag is the audio_degraded flag of a scorable recording with
// checks in their warning band (audio.Quality.Degraded: noise below 20 dB
// SNR, clipping, a low level, dropouts, little speech, long edge silence),
// so a grader sees that the fluency score rests on a poor recording. The
// evidence names each check with its value and the threshold it crossed.
func degradedFlag(q audio.Quality) (Flag, bool) {
	checks := q.Degraded()
	if len(checks) == 0 {
		return Flag{}, false
	}
	reasons := make([]string, len(checks))
	detail := make([]map[string]any, len(checks))
	parts := make([]string, len(checks))
	for i, c := range checks {
		reasons[i] = c.Code
		detail[i] = map[string]any{"code": c.Code, "value": c.Value, "threshold": c.Threshold}
		parts[i] = describeCheck(c)
	}
	return Flag{Code: FlagAudioDegraded,
		Message:  "The recording is degraded (" + strings.Join(parts, "; ") + "): listen to it before relying on the fluency score.",
		Evidence: map[string]any{"reasons": reasons, "checks": detail, "verdict": q.Verdict}}, true
}

// describeCheck says what a warning check measured, for a grader.
func describeCheck(c audio.Check) string {
	switch c.Code {
	case audio.CodeTooNoisy:
		return fmt.Sprintf("background noise: SNR %.1f dB, below %g dB", c.Value, c.Threshold)
	case audio.CodeClipped:
		return fmt.Sprintf("clipping: %.2f%% of samples, %.1f%% or more is flagged", 100*c.Value, 100*c.Threshold)
	case audio.CodeTooQuiet:
		return fmt.Sprintf("low level: %.1f dBFS RMS, below %g dBFS", c.Value, c.Threshold)
	case audio.CodeDropouts:
		return fmt.Sprintf("%.0f dropout(s) inside speech", c.Value)
	case audio.CodeLittleSpeech:
		return fmt.Sprintf("little speech: %.0f%% of the time voiced, below %.0f%%", 100*c.Value, 100*c.Threshold)
	case audio.CodeLongSilence:
		return fmt.Sprintf("a silence of %.1f s at the start or end, over %g s", c.Value, c.Threshold)
	}
	return fmt.Sprintf("%s: %g (threshold %g)", c.Code, c.Value, c.Threshold)
}
