package audio

import "time"

// Config holds quality-gate and fluency parameters. A zero field means its
// default (DefaultConfig), so callers may set only what they change.
type Config struct {
	// Quality gate. "fail" makes the recording unscorable, "warn" degraded.
	MinDuration       time.Duration // fail below; default 1 s
	SilentPeakDBFS    float64       // fail (silent) when the peak is below; default -60
	QuietRMSDBFS      float64       // fail (too_quiet) when RMS is below; default -45
	LowRMSDBFS        float64       // warn (too_quiet) when RMS is below; default -38
	ClipLevel         float64       // |x| at or above counts as clipped; default 0.99
	ClipWarnRatio     float64       // warn when this share of samples clips; default 0.001
	ClipFailRatio     float64       // fail when this share clips; default 0.05
	ClipRunFail       time.Duration // fail when one clipped run lasts this long; default 20 ms
	DCOffsetWarn      float64       // warn when |mean| exceeds (full scale = 1); default 0.05
	NoisyWarnSNR      float64       // warn (too_noisy) below this SNR (Quality.SNRdB) in dB; default 20 (brown noise degrades the measures below it)
	NoisyFailSNR      float64       // fail (too_noisy) below; default 5
	DropoutMin        time.Duration // shortest run of exact zeros inside sound; default 5 ms
	DropoutMax        time.Duration // longer runs are silences someone inserted, not dropouts; default 500 ms
	MinSpeechShare    float64       // fail (no_speech) when voiced speech covers less; default 0.05
	LowSpeechShare    float64       // warn (little_speech) below; default 0.2
	LongSilenceWarn   time.Duration // warn when leading or trailing silence exceeds; default 5 s
	NarrowbandDB      float64       // warn when energy above 5 kHz is this far below the total; default -45
	EnvelopeStep      time.Duration // step of the intensity timeline; default 50 ms
	VoicingTimelineDt time.Duration // step of the voiced-frames timeline; default 30 ms

	// Fluency (de Jong & Wempe 2009).
	SilenceDB        float64       // sounding threshold below the 99th-percentile intensity; default -25
	NoiseMarginDB    float64       // threshold also at least this far above the noise floor; default 2
	HoldSpread       float64       // a sounding run lasts while above floor + this many noise spreads (hysteresis); default 2, <0 disables
	MinDipDB         float64       // prominence of a syllable peak over its dips; default 1.5
	AdaptiveWindow   float64       // second-pass window as a share of the mean syllable duration; default 0.3, <0 disables
	MinPause         time.Duration // shortest silent pause; default 250 ms
	MinSounding      time.Duration // shorter sounding bits are ignored; default 100 ms
	LongPause        time.Duration // long pause threshold; default 1 s
	IntensityWindow  time.Duration // first-pass intensity window (4 Gaussian sigmas); default 64 ms
	IntensityStep    time.Duration // intensity frame step; default 10 ms
	VoicingThreshold float64       // normalized autocorrelation for a voiced frame; default 0.45
	MinPitchHz       float64       // default 60
	MaxPitchHz       float64       // default 450
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		MinDuration:       time.Second,
		SilentPeakDBFS:    -60,
		QuietRMSDBFS:      -45,
		LowRMSDBFS:        -38,
		ClipLevel:         0.99,
		ClipWarnRatio:     0.001,
		ClipFailRatio:     0.05,
		ClipRunFail:       20 * time.Millisecond,
		DCOffsetWarn:      0.05,
		NoisyWarnSNR:      20,
		NoisyFailSNR:      5,
		DropoutMin:        5 * time.Millisecond,
		DropoutMax:        500 * time.Millisecond,
		MinSpeechShare:    0.05,
		LowSpeechShare:    0.2,
		LongSilenceWarn:   5 * time.Second,
		NarrowbandDB:      -45,
		EnvelopeStep:      50 * time.Millisecond,
		VoicingTimelineDt: 30 * time.Millisecond,

		SilenceDB:        -25,
		NoiseMarginDB:    2,
		HoldSpread:       2,
		MinDipDB:         1.5,
		AdaptiveWindow:   0.3,
		MinPause:         250 * time.Millisecond,
		MinSounding:      100 * time.Millisecond,
		LongPause:        time.Second,
		IntensityWindow:  64 * time.Millisecond,
		IntensityStep:    10 * time.Millisecond,
		VoicingThreshold: 0.45,
		MinPitchHz:       60,
		MaxPitchHz:       450,
	}
}

// withDefaults fills zero fields from DefaultConfig.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	setD := func(p *time.Duration, v time.Duration) {
		if *p == 0 {
			*p = v
		}
	}
	setF := func(p *float64, v float64) {
		if *p == 0 {
			*p = v
		}
	}
	setD(&c.MinDuration, d.MinDuration)
	setF(&c.SilentPeakDBFS, d.SilentPeakDBFS)
	setF(&c.QuietRMSDBFS, d.QuietRMSDBFS)
	setF(&c.LowRMSDBFS, d.LowRMSDBFS)
	setF(&c.ClipLevel, d.ClipLevel)
	setF(&c.ClipWarnRatio, d.ClipWarnRatio)
	setF(&c.ClipFailRatio, d.ClipFailRatio)
	setD(&c.ClipRunFail, d.ClipRunFail)
	setF(&c.DCOffsetWarn, d.DCOffsetWarn)
	setF(&c.NoisyWarnSNR, d.NoisyWarnSNR)
	setF(&c.NoisyFailSNR, d.NoisyFailSNR)
	setD(&c.DropoutMin, d.DropoutMin)
	setD(&c.DropoutMax, d.DropoutMax)
	setF(&c.MinSpeechShare, d.MinSpeechShare)
	setF(&c.LowSpeechShare, d.LowSpeechShare)
	setD(&c.LongSilenceWarn, d.LongSilenceWarn)
	setF(&c.NarrowbandDB, d.NarrowbandDB)
	setD(&c.EnvelopeStep, d.EnvelopeStep)
	setD(&c.VoicingTimelineDt, d.VoicingTimelineDt)
	setF(&c.SilenceDB, d.SilenceDB)
	setF(&c.NoiseMarginDB, d.NoiseMarginDB)
	setF(&c.HoldSpread, d.HoldSpread)
	setF(&c.MinDipDB, d.MinDipDB)
	setF(&c.AdaptiveWindow, d.AdaptiveWindow)
	setD(&c.MinPause, d.MinPause)
	setD(&c.MinSounding, d.MinSounding)
	setD(&c.LongPause, d.LongPause)
	setD(&c.IntensityWindow, d.IntensityWindow)
	setD(&c.IntensityStep, d.IntensityStep)
	setF(&c.VoicingThreshold, d.VoicingThreshold)
	setF(&c.MinPitchHz, d.MinPitchHz)
	setF(&c.MaxPitchHz, d.MaxPitchHz)
	return c
}
