package audio

import "math"

// wadaSNR maps G through the lookup table (linear interpolation), clamped to
// the table's 0-60 dB range.
func wadaSNR(g float64) float64 {
	if math.IsNaN(g) {
		return 0
	}
	t := wadaTable[:]
	if g <= t[0] {
		return wadaMinSNR
	}
	for i := 1; i < len(t); i++ {
		if g <= t[i] {
			return float64(wadaMinSNR+i-1) + (g-t[i-1])/(t[i]-t[i-1])
		}
	}
	return wadaMaxSNR
}

// snr estimates the speech-to-noise power ratio. With pauses (at least
// minSilentShare of the recording outside speech) it reads the noise from
// the floor (the 10th percentile of 64 ms frame powers): SNR = (total -
// noise) / noise, within 3 dB of the truth between 10 and 30 dB on the
// synthetic corpus. WADA-SNR, which DESIGN.md names, over-reads there by
// 5 to 22 dB because pauses make the amplitude distribution peakier than
// its Gamma(0.4) model; without pauses the floor is speech and under-reads
// more than WADA does, so WADA is used then (docs/audio-accuracy.md).
func (a *analysis) snr() float64 {
	if a.n == 0 || len(a.db) == 0 {
		return 0
	}
	if a.silentShare() < minSilentShare {
		return wadaSNR(a.wadaG)
	}
	total := a.sumSq/float64(a.n) - a.mean*a.mean
	noise := math.Pow(10, a.floor/10)
	if total <= noise {
		return 0
	}
	return min(wadaMaxSNR, max(0, 10*math.Log10((total-noise)/noise)))
}

// minSilentShare is the share of a recording outside speech from which the
// noise floor is measured: the floor is the 10th percentile.
const minSilentShare = 0.1

// silentShare is the share of frames outside the sounding intervals.
func (a *analysis) silentShare() float64 {
	if len(a.db) == 0 {
		return 1
	}
	in := 0
	for _, s := range a.sounding {
		in += s.end - s.start
	}
	return 1 - float64(in)/float64(len(a.db))
}

// computeVoiced runs the voicing check every VoicingTimelineDt inside the
// sounding intervals (outside them nothing is speech, and skipping them
// keeps the check cheap).
func (a *analysis) computeVoiced() {
	if a.voicedDt != 0 {
		return
	}
	a.voicedDt = a.cfg.VoicingTimelineDt.Seconds()
	cur := -1
	for _, s := range a.sounding {
		t0, t1 := a.edgeTime(s.start), a.edgeTime(s.end)
		for k := int(math.Ceil(t0 / a.voicedDt)); float64(k)*a.voicedDt < t1; k++ {
			if a.voicedAtTime((float64(k) + 0.5) * a.voicedDt) {
				a.voicedN++
				if cur >= 0 && a.voiced[cur].end == k {
					a.voiced[cur].end = k + 1
				} else {
					a.voiced = append(a.voiced, span{k, k + 1})
					cur = len(a.voiced) - 1
				}
			}
		}
	}
}

// quality runs every check.
func (a *analysis) quality() Quality {
	cfg := a.cfg
	c := a.clip
	dur := float64(a.n) / a.rate
	q := Quality{
		DurationSec: round(dur, 3),
		SampleRate:  c.SampleRate, Channels: c.Channels, BitDepth: c.BitDepth, Encoding: c.Encoding,
		PeakDBFS:     round(dB(a.peak*a.peak), 2),
		LoudnessLUFS: round(a.loudness, 2),
		SNRdB:        round(a.snr(), 1),
		WADASNRdB:    round(wadaSNR(a.wadaG), 1),
		HighBandDB:   round(a.highBand, 1),
		Dropouts:     a.dropouts,
	}
	rms := -120.0
	if a.n > 0 {
		rms = dB(a.sumSq / float64(a.n))
		q.DCOffset = round(a.mean, 4)
		q.ClippedRatio = round(float64(a.clipped)/float64(a.n), 5)
		q.LongestClipSec = round(float64(a.longest)/a.rate, 4)
	}
	q.RMSDBFS = round(rms, 2)
	if len(a.db) > 0 {
		q.NoiseFloorDBFS = round(a.floor, 1)
	} else {
		q.NoiseFloorDBFS = -120
	}
	a.computeVoiced()
	if dur > 0 {
		q.SpeechShare = round(float64(a.voicedN)*a.voicedDt/dur, 3)
	}
	if k := len(a.sounding); k > 0 {
		q.LeadingSilenceSec = round(a.edgeTime(a.sounding[0].start), 2)
		q.TrailingSilenceSec = round(max(0, dur-a.edgeTime(a.sounding[k-1].end)), 2)
	} else {
		q.LeadingSilenceSec, q.TrailingSilenceSec = round(dur, 2), 0
	}
	q.Narrowband = q.HighBandDB < cfg.NarrowbandDB

	add := func(code string, value, warnAt, failAt float64, low bool) {
		ch := Check{Code: code, Status: StatusPass, Value: value, Threshold: warnAt}
		bad := func(limit float64) bool {
			if math.IsNaN(limit) {
				return false
			}
			if low {
				return value < limit
			}
			return value >= limit
		}
		switch {
		case bad(failAt):
			ch.Status, ch.Threshold = StatusFail, failAt
		case bad(warnAt):
			ch.Status = StatusWarn
		}
		if math.IsNaN(ch.Threshold) {
			ch.Threshold = failAt
		}
		if ch.Status != StatusPass {
			ch.Message = Message(code)
		}
		q.Checks = append(q.Checks, ch)
	}
	none := math.NaN()
	silent := q.PeakDBFS < cfg.SilentPeakDBFS
	add(CodeTooShort, q.DurationSec, none, cfg.MinDuration.Seconds(), true)
	add(CodeSilent, q.PeakDBFS, none, cfg.SilentPeakDBFS, true)
	if silent { // every other measure of digital silence is noise
		q.Verdict = verdict(q.Checks)
		return q
	}
	add(CodeTooQuiet, q.RMSDBFS, cfg.LowRMSDBFS, cfg.QuietRMSDBFS, true)
	clip := Check{Code: CodeClipped, Status: StatusPass, Value: q.ClippedRatio, Threshold: cfg.ClipWarnRatio}
	switch {
	case q.ClippedRatio >= cfg.ClipFailRatio:
		clip.Status, clip.Threshold = StatusFail, cfg.ClipFailRatio
	case q.LongestClipSec >= cfg.ClipRunFail.Seconds():
		clip.Status, clip.Value, clip.Threshold = StatusFail, q.LongestClipSec, cfg.ClipRunFail.Seconds()
	case q.ClippedRatio >= cfg.ClipWarnRatio:
		clip.Status = StatusWarn
	}
	if clip.Status != StatusPass {
		clip.Message = Message(CodeClipped)
	}
	q.Checks = append(q.Checks, clip)
	add(CodeTooNoisy, q.SNRdB, cfg.NoisyWarnSNR, cfg.NoisyFailSNR, true)
	add(CodeDCOffset, math.Abs(q.DCOffset), cfg.DCOffsetWarn, none, false)
	add(CodeDropouts, float64(q.Dropouts), 1, none, false)
	add(CodeNoSpeech, q.SpeechShare, cfg.LowSpeechShare, cfg.MinSpeechShare, true)
	if q.Checks[len(q.Checks)-1].Status == StatusWarn {
		q.Checks[len(q.Checks)-1].Code = CodeLittleSpeech
		q.Checks[len(q.Checks)-1].Message = Message(CodeLittleSpeech)
	}
	add(CodeLongSilence, max(q.LeadingSilenceSec, q.TrailingSilenceSec), cfg.LongSilenceWarn.Seconds(), none, false)
	nb := Check{Code: CodeNarrowband, Status: StatusPass, Value: q.HighBandDB, Threshold: cfg.NarrowbandDB}
	if q.Narrowband {
		nb.Status, nb.Message = StatusWarn, Message(CodeNarrowband)
	}
	q.Checks = append(q.Checks, nb)
	q.Verdict = verdict(q.Checks)
	return q
}
