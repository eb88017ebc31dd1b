package audio

import (
	"math"
	"slices"
)

// analysis holds what the quality gate and the fluency measures share, all
// computed in a few passes over the samples.
type analysis struct {
	cfg  Config
	clip *Clip
	rate float64
	n    int

	// sample statistics
	mean, peak, sumSq float64
	clipped, longest  int
	zeroRuns          []span // runs of exact zeros with loud edges (samples)
	dropouts          int
	wadaG             float64 // ln mean|x| - mean ln|x|, NaN when undefined
	loudness          float64
	highBand          float64

	// intensity contour: dBFS per frame, DC removed
	step, win int       // samples
	stepD     int       // decimated samples per step
	stepSum   []float64 // raw sums per step, then reused
	stepSq    []float64
	db        []float64 // full band
	blocks    []float64 // full-band mean power per step
	max99     float64
	floor     float64
	thr       float64 // a sounding run starts above this
	thrHold   float64 // ... and lasts while above this (at most thr)

	// decimated signal for the voicing check
	dec     []float32
	decRate float64
	decQ    int

	// speech activity (frames)
	sounding []span // merged sounding intervals
	pauses   []span
	voiced   []span // from the voicing timeline, in frames of VoicingTimelineDt
	voicedDt float64
	voicedN  int // voiced timeline frames
	nuclei   []int

	fluencyDone bool
}

type span struct{ start, end int } // [start, end) in frames

func analyze(c *Clip, cfg Config) *analysis {
	a := &analysis{cfg: cfg, clip: c}
	if c == nil || c.SampleRate <= 0 {
		a.clip = &Clip{SampleRate: 16000}
	}
	a.rate = float64(a.clip.SampleRate)
	a.n = len(a.clip.Samples)
	a.samplePass()
	if math.IsNaN(a.sumSq) || math.IsInf(a.sumSq, 0) {
		// Decode never returns such samples; a caller's clip gets them
		// zeroed in a copy, so no NaN reaches the report's JSON
		x := make([]float32, a.n)
		for i, v := range a.clip.Samples {
			x[i] = clampSample(v)
		}
		a.clip = &Clip{SampleRate: a.clip.SampleRate, Channels: a.clip.Channels, BitDepth: a.clip.BitDepth, Encoding: a.clip.Encoding, Samples: x}
		a.zeroRuns, a.clipped, a.longest = nil, 0, 0
		a.samplePass()
	}
	a.filterPass()
	a.intensity()
	a.activity()
	a.countDropouts()
	return a
}

// samplePass: level, DC, clipping, dropouts, decimation and the raw sums
// per intensity step, in one pass over the samples.
func (a *analysis) samplePass() {
	x := a.clip.Samples
	// Decimate to about 2 kHz by block sums: the voicing check only needs
	// the periodicity of the low formants, and 2 kHz makes it cheap.
	// Intensity steps are a whole number of decimated samples.
	q := max(1, int(math.Round(a.rate/2000)))
	a.decQ = q
	a.decRate = a.rate / float64(q)
	a.stepD = max(1, int(math.Round(a.cfg.IntensityStep.Seconds()*a.decRate)))
	a.step = a.stepD * q
	if len(x) == 0 {
		a.wadaG = math.NaN()
		return
	}
	clipLevel := float32(a.cfg.ClipLevel)
	dropMin := int(a.cfg.DropoutMin.Seconds() * a.rate)
	dropMax := int(a.cfg.DropoutMax.Seconds() * a.rate)
	edge := int(0.002*a.rate) + 1
	var sum, sumSq float64
	var peak float32
	run := 0
	zb, zStart := 0, 0 // all-zero blocks in the current run, and where it starts
	a.dec = make([]float32, len(x)/q)
	nb := len(x) / a.step
	a.stepSum = make([]float64, nb)
	a.stepSq = make([]float64, nb)
	for b := 0; b*q < len(x); b++ {
		i0 := b * q
		blk := x[i0:min(i0+q, len(x))]
		// two accumulators each so the adds do not wait on each other
		var bs0, bs1, bq0, bq1 float32
		// the largest |v| of the block, on the bit patterns: for
		// non-negative floats they order like the values, and the integer
		// max compiles to a conditional move where a float compare would
		// branch and mispredict
		var hb uint32
		j := 0
		for ; j+2 <= len(blk); j += 2 {
			v0, v1 := blk[j], blk[j+1]
			bs0 += v0
			bs1 += v1
			bq0 += v0 * v0
			bq1 += v1 * v1
			hb = max(hb, math.Float32bits(v0)&^(1<<31), math.Float32bits(v1)&^(1<<31))
		}
		if j < len(blk) {
			v := blk[j]
			bs0 += v
			bq0 += v * v
			hb = max(hb, math.Float32bits(v)&^(1<<31))
		}
		hi := math.Float32frombits(hb)
		if hi > peak { // a compare, not max: a NaN sample must not become the peak
			peak = hi
		}
		// clipped samples are rare: only blocks that hold one, or end a
		// run, are counted sample by sample
		if hi >= clipLevel || run > 0 {
			a.countClipped(blk, clipLevel, &run)
		}
		// runs of exact zeros are followed block by block: a dropout
		// (DropoutMin, 5 ms) spans whole 0.5 ms blocks, and its ends are
		// found by looking into the neighbouring blocks
		switch {
		case hi == 0 && zb == 0:
			zb, zStart = 1, i0
			for zStart > 0 && x[zStart-1] == 0 {
				zStart--
			}
		case hi == 0:
			zb++
		case zb > 0:
			end := i0
			for end < len(x) && x[end] == 0 {
				end++
			}
			if n := end - zStart; n >= dropMin && n <= dropMax && zStart > 0 && len(a.zeroRuns) < 1024 && a.isDropout(zStart, end, edge) {
				a.zeroRuns = append(a.zeroRuns, span{zStart, end})
			}
			zb = 0
		}
		bs, bss := bs0+bs1, bq0+bq1
		if b < len(a.dec) {
			a.dec[b] = bs
		}
		if k := b / a.stepD; k < nb {
			a.stepSum[k] += float64(bs)
			a.stepSq[k] += float64(bss)
		}
		sum += float64(bs)
		sumSq += float64(bss)
	}
	// WADA-SNR's statistics from every 16th sample: a sixteenth of the cost
	// of the per-sample logarithm for the same estimate.
	var sumAbs, sumLn float64
	nonzero := 0
	for i := 0; i < len(x); i += 16 {
		av := x[i]
		if av < 0 {
			av = -av
		}
		if av != 0 {
			nonzero++
			sumAbs += float64(av)
			sumLn += float64(fastLn(av))
		}
	}
	// [1 2 1]/4 smoothing takes the band near the decimated Nyquist
	// (-10 dB at 800 Hz): there a fraction-of-a-sample lag error already
	// decorrelates, and the voicing check only needs the low formants.
	if len(a.dec) > 2 {
		prev := a.dec[0]
		for i := 1; i < len(a.dec)-1; i++ {
			cur := a.dec[i]
			a.dec[i] = 0.25*prev + 0.5*cur + 0.25*a.dec[i+1]
			prev = cur
		}
	}
	n := float64(len(x))
	a.mean = sum / n
	a.sumSq = sumSq
	a.peak = float64(peak)
	if nonzero > 0 {
		a.wadaG = math.Log(sumAbs/float64(nonzero)) - sumLn/float64(nonzero)
	} else {
		a.wadaG = math.NaN()
	}
}

func abs32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }

// countClipped counts clipped samples and the longest run of them.
func (a *analysis) countClipped(vs []float32, clipLevel float32, run *int) {
	for _, v := range vs {
		if abs32(v) >= clipLevel {
			a.clipped++
			*run++
			a.longest = max(a.longest, *run)
		} else {
			*run = 0
		}
	}
}

// isDropout tells a dropout (sound stops dead and resumes) from the digital
// silence a synthesizer or a noise gate writes between words, which fades
// in and out: both edges of a dropout are loud.
func (a *analysis) isDropout(start, end, edge int) bool {
	x := a.clip.Samples
	loud := func(from, to int) bool {
		for _, v := range x[max(0, from):min(len(x), to)] {
			if v > 0.01 || v < -0.01 {
				return true
			}
		}
		return false
	}
	return loud(start-edge, start) && loud(end, end+edge)
}

// countDropouts keeps the zero runs whose neighbouring 10 ms steps are both
// sounding: the signal was cut in the middle of speech, not at its end.
func (a *analysis) countDropouts() {
	for _, r := range a.zeroRuns {
		before, after := r.start/max(a.step, 1)-1, r.end/max(a.step, 1)+1
		if before >= 0 && after < len(a.blocks) && dB(a.blocks[before]) >= a.thr && dB(a.blocks[after]) >= a.thr {
			a.dropouts++
		}
	}
}

// fastLn is ln(x) for x > 0 to about 1e-5, several times faster than
// math.Log; WADA-SNR takes the log of many samples.
func fastLn(x float32) float32 {
	b := math.Float32bits(x)
	e := float32(int32(b>>23&0xff) - 127)
	m := math.Float32frombits(b&0x7fffff | 0x3f800000) // [1, 2)
	t := (m - 1) / (m + 1)
	t2 := t * t
	return e*math.Ln2 + 2*t*(1+t2*(1.0/3+t2*(1.0/5+t2*(1.0/7+t2*(1.0/9)))))
}

// intensity computes the contour in dB with the global mean removed.
func (a *analysis) intensity() {
	perWin := max(1, int(math.Round(a.cfg.IntensityWindow.Seconds()/a.cfg.IntensityStep.Seconds())))
	a.win = perWin * a.step
	nb := len(a.stepSq)
	if nb == 0 {
		return
	}
	// mean power per step with the global mean removed:
	// sum (v-m)^2 = sum v^2 - 2 m sum v + n m^2
	blocks := a.stepSq // reused: the raw sums are not needed again
	m, n := a.mean, float64(a.step)
	for b := range blocks {
		blocks[b] = max(0, (a.stepSq[b]-2*m*a.stepSum[b]+n*m*m)/n)
	}
	a.db = contour(blocks, perWin)
	a.blocks = blocks
	sorted := slices.Clone(a.db)
	slices.Sort(sorted)
	a.max99 = sorted[int(0.99*float64(len(sorted)-1))]
	a.floor = sorted[int(0.10*float64(len(sorted)-1))]
	// de Jong & Wempe: 25 dB below the 99th percentile; in steady noise that
	// lies under the noise floor, so the threshold also sits above it.
	a.thr = max(a.max99+a.cfg.SilenceDB, a.floor+a.cfg.NoiseMarginDB)
	// Hysteresis: a run that has started lasts while the contour stays
	// above a lower threshold, set from how far the noise itself
	// fluctuates: the spread of the quietest frames (10th minus 1st
	// percentile, noise alone in a recording with pauses) times HoldSpread,
	// and at least holdMinDB. In white noise the spread is about 0.3 dB and
	// noise frames stay within 2.3 spreads of the floor, so weak speech
	// 0.6 dB over the floor no longer splits a sentence in two (pauses exact
	// at 10 dB SNR: 88% -> 95%, docs/audio-accuracy.md); where the noise
	// fluctuates more (brown) the lower threshold rises to thr, and in clean
	// speech max99+SilenceDB sets both.
	a.thrHold = a.thr
	if k := a.cfg.HoldSpread; k > 0 {
		spread := a.floor - sorted[int(0.01*float64(len(sorted)-1))]
		a.thrHold = min(a.thr, max(a.max99+a.cfg.SilenceDB, a.floor+max(holdMinDB, k*spread)))
	}
}

// holdMinDB is the least margin of the hold threshold over the noise floor.
const holdMinDB = 0.5

// contour turns per-step mean powers into a dB contour, each step the
// Gaussian-weighted mean power around it (sigma = perWin/4 steps, cut at
// 2 sigma): smoother than a rectangular window, so fewer ripple peaks.
func contour(blocks []float64, perWin int) []float64 {
	nb := len(blocks)
	out := make([]float64, nb)
	sigma := float64(perWin) / 4
	h := int(math.Ceil(2 * sigma))
	w := make([]float64, 2*h+1)
	for j := range w {
		d := float64(j-h) / sigma
		w[j] = math.Exp(-0.5 * d * d)
	}
	for i := range nb {
		var acc, ws float64
		for j := max(0, i-h); j <= min(nb-1, i+h); j++ {
			acc += w[j-i+h] * blocks[j]
			ws += w[j-i+h]
		}
		out[i] = dB(acc / ws)
	}
	return out
}

// activity finds sounding intervals and silent pauses from the contour: a
// run starts above thr and lasts while above thrHold.
func (a *analysis) activity() {
	if len(a.db) == 0 || a.max99 <= -119 {
		return
	}
	minSound := a.frames(a.cfg.MinSounding.Seconds())
	minPause := a.frames(a.cfg.MinPause.Seconds())
	var runs []span
	start := -1
	for i, v := range a.db {
		if v >= a.thr && start < 0 {
			start = i
		}
		if (v < a.thrHold || i == len(a.db)-1) && start >= 0 {
			end := i
			if v >= a.thrHold {
				end = i + 1
			}
			if end-start >= minSound {
				runs = append(runs, span{start, end})
			}
			start = -1
		}
	}
	for _, r := range runs {
		if k := len(a.sounding); k > 0 && r.start-a.sounding[k-1].end < minPause {
			a.sounding[k-1].end = r.end
			continue
		}
		a.sounding = append(a.sounding, r)
	}
	for i := 1; i < len(a.sounding); i++ {
		a.pauses = append(a.pauses, span{a.sounding[i-1].end, a.sounding[i].start})
	}
}

func (a *analysis) frames(sec float64) int {
	return int(math.Round(sec * a.rate / float64(a.step)))
}

// frameTime is the centre of intensity frame i in seconds.
func (a *analysis) frameTime(i int) float64 { return (float64(i) + 0.5) * float64(a.step) / a.rate }

// edgeTime is the start of frame i in seconds.
func (a *analysis) edgeTime(i int) float64 { return float64(i) * float64(a.step) / a.rate }

// voicing returns the peak normalized autocorrelation around decimated
// sample c over the pitch range: a light pitch-defined check after Boersma
// (1993) without his window correction, which the threshold absorbs.
func (a *analysis) voicing(c int) float64 {
	w := int(0.04 * a.decRate)
	minLag := max(2, int(a.decRate/a.cfg.MaxPitchHz))
	maxLag := int(math.Ceil(a.decRate / a.cfg.MinPitchHz))
	s := c - (w+maxLag)/2
	if s < 0 || s+w+maxLag > len(a.dec) {
		return 0
	}
	src := a.dec[s : s+w+maxLag]
	var buf [512]float32
	if len(src) > len(buf) {
		return 0
	}
	var mean float32
	for _, v := range src {
		mean += v
	}
	mean /= float32(len(src))
	x := buf[:len(src)]
	for i, v := range src {
		x[i] = v - mean
	}
	// energies of the sliding second window, updated incrementally
	var e0, el float64
	for _, v := range x[:w] {
		e0 += float64(v * v)
	}
	if e0 == 0 {
		return 0
	}
	el = e0
	for _, v := range x[:minLag] {
		el -= float64(v * v)
	}
	for _, v := range x[w : w+minLag] {
		el += float64(v * v)
	}
	// energy of the lagged window at every lag, updated incrementally
	var els [256]float64
	if maxLag >= len(els) {
		return 0
	}
	for lag := minLag; lag <= maxLag && lag+w <= len(x); lag++ {
		els[lag] = el
		if lag+w < len(x) {
			d0, d1 := x[lag], x[lag+w]
			el += float64(d1*d1) - float64(d0*d0)
		}
	}
	r := func(lag int) float64 {
		if lag < minLag || lag > maxLag || lag+w > len(x) || els[lag] <= 0 {
			return 0
		}
		return float64(dot(x[:w], x[lag:lag+w])) / math.Sqrt(e0*els[lag])
	}
	// every lag: a coarse-to-fine search over even lags missed narrow
	// correlation peaks and cost 2 points of syllable-count error
	best := 0.0
	var prev2, prev1 float64 // r at lag-2 and lag-1, for the parabolic peak
	for lag := minLag; lag <= maxLag && lag+w <= len(x); lag++ {
		v := r(lag)
		// the true period falls between integer lags: take the top of the
		// parabola through a local maximum
		if lag > minLag+1 && prev1 >= prev2 && prev1 >= v {
			if d := prev2 - 2*prev1 + v; d < 0 {
				best = max(best, min(1, prev1-(prev2-v)*(prev2-v)/(8*d)))
			}
		}
		best = max(best, v)
		prev2, prev1 = prev1, v
	}
	return best
}

// dot is an unrolled dot product (four independent sums keep the
// floating-point adds from waiting on each other).
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return s0 + s1 + s2 + s3
}

// voicedAtTime reports whether the frame around t seconds is voiced.
func (a *analysis) voicedAtTime(t float64) bool {
	return a.voicing(int(t*a.decRate)) >= a.cfg.VoicingThreshold
}
