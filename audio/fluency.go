package audio

import "math"

// findNuclei picks syllable nuclei after de Jong & Wempe (2009):
// intensity peaks above the threshold inside sounding intervals that stand
// at least MinDipDB above the dips separating them from higher peaks, and
// are voiced. Two changes, chosen on the development half of the
// synthetic corpus (docs/audio-accuracy.md): prominence on both sides
// instead of the dip after the peak only, and a second pass whose
// smoothing window is AdaptiveWindow times the mean syllable duration
// found by the first, since a fixed window splits slow syllables and
// merges fast ones.
func (a *analysis) findNuclei() {
	if a.fluencyDone {
		return
	}
	a.fluencyDone = true
	a.nuclei = a.peaks(a.db)
	if k := a.cfg.AdaptiveWindow; k > 0 && len(a.nuclei) > 0 {
		var phon int
		for _, s := range a.sounding {
			phon += s.end - s.start
		}
		perWin := max(2, int(math.Round(k*float64(phon)/float64(len(a.nuclei)))))
		a.nuclei = a.peaks(contour(a.blocks, perWin))
	}
}

func (a *analysis) peaks(db []float64) []int {
	var nuclei []int
	for _, s := range a.sounding {
		for i := max(s.start, 1); i < min(s.end, len(db)-1); i++ {
			if db[i] < a.thr || db[i] <= db[i-1] || db[i] < db[i+1] {
				continue
			}
			if prominence(db, i, s, a.thr) < a.cfg.MinDipDB {
				continue
			}
			if !a.voicedAtTime(a.frameTime(i)) {
				continue
			}
			nuclei = append(nuclei, i)
		}
	}
	return nuclei
}

// prominence is the height of peak p over the higher of the two lowest
// points separating it from a higher peak (or the interval's edge, where
// the contour is taken to fall to the threshold) on each side.
func prominence(db []float64, p int, s span, thr float64) float64 {
	base := func(dir int) float64 {
		low := db[p]
		for i := p + dir; i >= s.start && i < min(s.end, len(db)); i += dir {
			if db[i] > db[p] {
				return low
			}
			low = min(low, db[i])
		}
		return min(low, thr)
	}
	return db[p] - max(base(-1), base(1))
}

// fluency derives the measures from nuclei and pauses.
func (a *analysis) fluency() Fluency {
	a.findNuclei()
	dur := float64(a.n) / a.rate
	f := Fluency{Syllables: len(a.nuclei), Pauses: len(a.pauses)}
	var phon, pauseSum float64
	for _, s := range a.sounding {
		phon += a.edgeTime(s.end) - a.edgeTime(s.start)
	}
	for _, p := range a.pauses {
		d := a.edgeTime(p.end) - a.edgeTime(p.start)
		pauseSum += d
		if d > a.cfg.LongPause.Seconds() {
			f.LongPauses++
		}
	}
	f.PhonationSec = round(phon, 3)
	if dur > 0 {
		f.SpeechRate = round(float64(f.Syllables)/dur, 3)
		f.PhonationTimeRatio = round(phon/dur, 3)
		f.PausesPerMinute = round(float64(f.Pauses)/dur*60, 2)
	}
	if phon > 0 {
		f.ArticulationRate = round(float64(f.Syllables)/phon, 3)
	}
	if f.Syllables > 0 {
		f.AvgSyllableSec = round(phon/float64(f.Syllables), 3)
	}
	if f.Pauses > 0 {
		f.MeanPauseSec = round(pauseSum/float64(f.Pauses), 3)
	}
	if len(a.sounding) > 0 {
		f.MeanLengthOfRun = round(float64(f.Syllables)/float64(len(a.sounding)), 2)
	}
	return f
}

// timeline builds the compact series a review page draws.
func (a *analysis) timeline() *Timeline {
	a.computeVoiced()
	a.findNuclei()
	t := &Timeline{StepSec: a.cfg.EnvelopeStep.Seconds(), Envelope: []int{}, Voiced: [][2]float64{}, Pauses: [][2]float64{}, Nuclei: []float64{}}
	per := max(1, int(math.Round(a.cfg.EnvelopeStep.Seconds()*a.rate/float64(max(a.step, 1)))))
	for i := 0; i < len(a.blocks); i += per {
		// mean power over the envelope step, from the per-step powers
		var p float64
		end := min(i+per, len(a.blocks))
		for _, v := range a.blocks[i:end] {
			p += v
		}
		t.Envelope = append(t.Envelope, int(math.Round(dB(p/float64(end-i)))))
	}
	for _, v := range a.voiced {
		t.Voiced = append(t.Voiced, [2]float64{round(float64(v.start)*a.voicedDt, 2), round(float64(v.end)*a.voicedDt, 2)})
	}
	for _, p := range a.pauses {
		t.Pauses = append(t.Pauses, [2]float64{round(a.edgeTime(p.start), 2), round(a.edgeTime(p.end), 2)})
	}
	for _, n := range a.nuclei {
		t.Nuclei = append(t.Nuclei, round(a.frameTime(n), 3))
	}
	return t
}
