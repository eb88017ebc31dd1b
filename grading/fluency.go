package grading

import (
	"math"

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
