package audio

import "math"

// biquad is a direct-form-I second-order section in float64 (K-weighting
// needs the precision at 38 Hz).
type biquad struct {
	b0, b1, b2, a1, a2 float64
	x1, x2, y1, y2     float64
}

func (f *biquad) step(x float64) float64 {
	y := f.b0*x + f.b1*f.x1 + f.b2*f.x2 - f.a1*f.y1 - f.a2*f.y2
	f.x2, f.x1 = f.x1, x
	f.y2, f.y1 = f.y1, y
	return y
}

// kWeighting returns the two ITU-R BS.1770-4 pre-filter stages for any
// rate, designed from the analog prototype by the bilinear transform (the
// standard tabulates 48 kHz only; these reproduce its coefficients there).
func kWeighting(fs float64) (shelf, hp biquad) {
	// stage 1: high shelf, +4 dB above about 1.5 kHz
	f0, g, q := 1681.974450955533, 3.999843853973347, 0.7071752369554196
	k := math.Tan(math.Pi * f0 / fs)
	vh := math.Pow(10, g/20)
	vb := math.Pow(vh, 0.4996667741545416)
	a0 := 1 + k/q + k*k
	shelf = biquad{
		b0: (vh + vb*k/q + k*k) / a0,
		b1: 2 * (k*k - vh) / a0,
		b2: (vh - vb*k/q + k*k) / a0,
		a1: 2 * (k*k - 1) / a0,
		a2: (1 - k/q + k*k) / a0,
	}
	// stage 2: RLB high-pass at 38 Hz
	f0, q = 38.13547087602444, 0.5003270373238773
	k = math.Tan(math.Pi * f0 / fs)
	a0 = 1 + k/q + k*k
	hp = biquad{b0: 1, b1: -2, b2: 1, a1: 2 * (k*k - 1) / a0, a2: (1 - k/q + k*k) / a0}
	return shelf, hp
}

// butterHP returns a second-order Butterworth high-pass section.
func butterHP(fc, fs, q float64) biquad {
	w := 2 * math.Pi * fc / fs
	alpha := math.Sin(w) / (2 * q)
	cw := math.Cos(w)
	a0 := 1 + alpha
	return biquad{
		b0: (1 + cw) / 2 / a0, b1: -(1 + cw) / a0, b2: (1 + cw) / 2 / a0,
		a1: -2 * cw / a0, a2: (1 - alpha) / a0,
	}
}

// highBandHz is where narrowband (telephone, 8 kHz) audio has no energy
// left, with room for the roll-off of an 8th-order filter: at 3.4 kHz,
// the top of the telephone band, it already takes 27 dB.
const highBandHz = 5000

// filterPass computes integrated loudness (BS.1770-4: 400 ms blocks with
// 75% overlap, absolute gate -70 LKFS, relative gate -10 LU) and the share
// of energy above 5 kHz (on a sample of blocks).
func (a *analysis) filterPass() {
	a.loudness = -70
	a.highBand = -120
	x := a.clip.Samples
	if len(x) == 0 {
		return
	}
	shelf, hp := kWeighting(a.rate)
	sub := max(1, int(math.Round(0.1*a.rate))) // 100 ms sub-blocks, four make a block
	subs := kSums(x, sub, shelf, hp)
	a.loudness = integratedLoudness(subs, sub)
	a.highBand = a.highBandShare(sub)
}

// highBandShare is the energy above 5 kHz relative to the total, in dB,
// measured on about 32 100-ms blocks spread over the recording (each with
// 5 ms of filter warm-up): a share needs no more, and the 8th-order filter
// costs more per sample than anything else in the analysis.
func (a *analysis) highBandShare(sub int) float64 {
	if a.rate <= 2*highBandHz*1.1 {
		return -120 // nothing above 5 kHz can be recorded
	}
	x := a.clip.Samples
	warm := int(0.005 * a.rate)
	m := float64(a.mean)
	// eighth-order Butterworth: four sections
	secs := [4]biquad{butterHP(highBandHz, a.rate, 0.5097956), butterHP(highBandHz, a.rate, 0.6013449),
		butterHP(highBandHz, a.rate, 0.8999762), butterHP(highBandHz, a.rate, 2.5629154)}
	var hiE, allE float64
	stride := max(1, len(x)/sub/32)
	for start := 0; start+sub <= len(x); start += stride * sub {
		f := secs // fresh state for each block
		for i, v := range x[start : start+sub] {
			z := float64(v)
			for k := range f {
				z = f[k].step(z)
			}
			if i >= warm {
				hiE += z * z
				d := float64(v) - m
				allE += d * d
			}
		}
	}
	return dB(hiE / max(allE, 1e-30))
}

// kSums returns the K-weighted energy of each whole 100 ms sub-block of x.
// (Filtering the second half as a second interleaved stream, to overlap
// two latency-bound recursions, measured no faster: the extra state
// spills out of the registers.)
func kSums(x []float32, sub int, shelf, hp biquad) []float64 {
	subs := make([]float64, len(x)/sub)
	// the two sections' state in locals, which the compiler keeps in
	// registers
	sb0, sb1, sb2, sa1, sa2 := shelf.b0, shelf.b1, shelf.b2, shelf.a1, shelf.a2
	ha1, ha2 := hp.a1, hp.a2
	var sx1, sx2, sy1, sy2, hy1, hy2 float64
	for k := range subs {
		var acc float64
		for _, v := range x[k*sub : (k+1)*sub] {
			s := float64(v)
			// the terms that do not depend on the previous output first, so
			// the recursion's critical path is one fused multiply-add
			y := math.FMA(-sa1, sy1, sb0*s+sb1*sx1+sb2*sx2-sa2*sy2)
			// high-pass with b = 1, -2, 1 on the shelf output
			h := math.FMA(-ha1, hy1, y-2*sy1+sy2-ha2*hy2)
			sx2, sx1, sy2, sy1 = sx1, s, sy1, y
			hy2, hy1 = hy1, h
			acc += h * h
		}
		subs[k] = acc
	}
	return subs
}

// integratedLoudness gates 400 ms blocks built from four 100 ms sums.
func integratedLoudness(subs []float64, sub int) float64 {
	if len(subs) < 4 {
		return -70
	}
	z := make([]float64, 0, len(subs)-3)
	for i := 0; i+4 <= len(subs); i++ {
		z = append(z, (subs[i]+subs[i+1]+subs[i+2]+subs[i+3])/float64(4*sub))
	}
	lk := func(p float64) float64 { return -0.691 + 10*math.Log10(p) }
	gated := func(gate float64) (float64, int) {
		var s float64
		n := 0
		for _, p := range z {
			if p > 0 && lk(p) > gate {
				s += p
				n++
			}
		}
		return s, n
	}
	s, n := gated(-70)
	if n == 0 {
		return -70
	}
	rel := lk(s/float64(n)) - 10
	s, n = gated(rel)
	if n == 0 {
		return -70
	}
	return lk(s / float64(n))
}
