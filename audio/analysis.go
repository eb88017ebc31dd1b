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
	db        []float64 // full band
	blocks    []float64 // full-band mean power per step
	max99     float64
	floor     float64
	thr       float64

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
	a.filterPass()
	a.intensity()
	a.activity()
	a.countDropouts()
	return a
}

// samplePass: level, DC, clipping, dropouts, WADA sums, decimation.
func (a *analysis) samplePass() {
	x := a.clip.Samples
	if len(x) == 0 {
		a.wadaG = math.NaN()
		return
	}
	clipLevel := float32(a.cfg.ClipLevel)
	dropMin := int(a.cfg.DropoutMin.Seconds() * a.rate)
	dropMax := int(a.cfg.DropoutMax.Seconds() * a.rate)
	edge := int(0.002*a.rate) + 1
	var sum, sumSq, sumAbs, sumLn float64
	var peak float32
	nonzero := 0
	run, zrun := 0, 0
	// Decimate to about 2 kHz by block averaging: the voicing check only
	// needs the periodicity of the low formants, and 2 kHz makes it cheap.
	q := max(1, int(math.Round(a.rate/2000)))
	a.decQ = q
	a.decRate = a.rate / float64(q)
	a.dec = make([]float32, len(x)/q)
	var bsum float32
	for i, v := range x {
		av := v
		if av < 0 {
			av = -av
		}
		sum += float64(v)
		sumSq += float64(v * v)
		if av > peak {
			peak = av
		}
		if av >= clipLevel {
			a.clipped++
			run++
			if run > a.longest {
				a.longest = run
			}
		} else {
			run = 0
		}
		if v == 0 {
			zrun++
		} else {
			if zrun >= dropMin && zrun <= dropMax && i-zrun > 0 && len(a.zeroRuns) < 1024 && a.isDropout(i-zrun, i, edge) {
				a.zeroRuns = append(a.zeroRuns, span{i - zrun, i})
			}
			zrun = 0
			nonzero++
			sumAbs += float64(av)
			sumLn += float64(fastLn(av))
		}
		bsum += v
		if (i+1)%q == 0 {
			a.dec[i/q] = bsum
			bsum = 0
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
// math.Log; WADA-SNR takes the log of every sample.
func fastLn(x float32) float32 {
	b := math.Float32bits(x)
	e := float32(int32(b>>23&0xff) - 127)
	m := math.Float32frombits(b&0x7fffff | 0x3f800000) // [1, 2)
	t := (m - 1) / (m + 1)
	t2 := t * t
	return e*math.Ln2 + 2*t*(1+t2*(1.0/3+t2*(1.0/5+t2*(1.0/7+t2*(1.0/9)))))
}

// intensity computes the contour in dB with the global mean removed, on
// steps that are a whole number of decimated samples.
func (a *analysis) intensity() {
	stepD := max(1, int(math.Round(a.cfg.IntensityStep.Seconds()*a.decRate)))
	a.step = stepD * a.decQ
	perWin := max(1, int(math.Round(a.cfg.IntensityWindow.Seconds()/a.cfg.IntensityStep.Seconds())))
	a.win = perWin * a.step
	nb := a.n / a.step
	if nb == 0 {
		return
	}
	blocks := make([]float64, nb)
	m := float32(a.mean)
	x := a.clip.Samples
	for b := range blocks {
		var s float32
		for _, v := range x[b*a.step : (b+1)*a.step] {
			v -= m
			s += v * v
		}
		blocks[b] = float64(s) / float64(a.step)
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
}

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

// activity finds sounding intervals and silent pauses from the contour.
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
		if (v < a.thr || i == len(a.db)-1) && start >= 0 {
			end := i
			if v >= a.thr {
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
	x := a.dec[s : s+w+maxLag]
	var mean float32
	for _, v := range x {
		mean += v
	}
	mean /= float32(len(x))
	// energies of the sliding second window, updated incrementally
	var e0, el float64
	for _, v := range x[:w] {
		d := v - mean
		e0 += float64(d * d)
	}
	if e0 == 0 {
		return 0
	}
	el = e0
	for _, v := range x[:minLag] {
		d := v - mean
		el -= float64(d * d)
	}
	for _, v := range x[w : w+minLag] {
		d := v - mean
		el += float64(d * d)
	}
	best := 0.0
	var prev2, prev1 float64 // r at lag-2 and lag-1, for the parabolic peak
	for lag := minLag; lag <= maxLag && lag+w <= len(x); lag++ {
		var r float32
		y := x[lag : lag+w]
		for j, v := range x[:w] {
			r += (v - mean) * (y[j] - mean)
		}
		v := 0.0
		if el > 0 {
			v = float64(r) / math.Sqrt(e0*el)
		}
		// the true period falls between integer lags: take the top of the
		// parabola through a local maximum
		if lag > minLag+1 && prev1 >= prev2 && prev1 >= v {
			if d := prev2 - 2*prev1 + v; d < 0 {
				best = max(best, min(1, prev1-(prev2-v)*(prev2-v)/(8*d)))
			}
		}
		best = max(best, v)
		prev2, prev1 = prev1, v
		if lag+w < len(x) {
			d0, d1 := x[lag]-mean, x[lag+w]-mean
			el += float64(d1*d1) - float64(d0*d0)
		}
	}
	return best
}

// voicedAtTime reports whether the frame around t seconds is voiced.
func (a *analysis) voicedAtTime(t float64) bool {
	return a.voicing(int(t*a.decRate)) >= a.cfg.VoicingThreshold
}
