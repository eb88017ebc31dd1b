package audio

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ITU-R BS.1770-4 tables 1 and 2: the K-weighting filters at 48 kHz.
var (
	bs1770Shelf = [5]float64{1.53512485958697, -2.69169618940638, 1.19839281085285, -1.69065929318241, 0.73248077421585}
	bs1770HP    = [5]float64{1.0, -2.0, 1.0, -1.99004745483398, 0.99007225036621}
)

// refLoudness48k is an independent, literal reading of BS.1770-4 for one
// channel at 48 kHz: the tabulated coefficients, 400 ms blocks every
// 100 ms, absolute gate -70 LKFS, relative gate -10 LU.
func refLoudness48k(x []float64) float64 {
	filter := func(c [5]float64, in []float64) []float64 {
		out := make([]float64, len(in))
		var x1, x2, y1, y2 float64
		for i, v := range in {
			y := c[0]*v + c[1]*x1 + c[2]*x2 - c[3]*y1 - c[4]*y2
			x2, x1, y2, y1 = x1, v, y1, y
			out[i] = y
		}
		return out
	}
	y := filter(bs1770HP, filter(bs1770Shelf, x))
	var z []float64
	for start := 0; start+19200 <= len(y); start += 4800 {
		var s float64
		for _, v := range y[start : start+19200] {
			s += v * v
		}
		z = append(z, s/19200)
	}
	l := func(p float64) float64 { return -0.691 + 10*math.Log10(p) }
	mean := func(gate float64) float64 {
		var s float64
		n := 0
		for _, p := range z {
			if l(p) > gate {
				s += p
				n++
			}
		}
		return s / float64(n)
	}
	return l(mean(l(mean(-70)) - 10))
}

func TestKWeightingMatchesTable(t *testing.T) {
	shelf, hp := kWeighting(48000)
	got := [][5]float64{{shelf.b0, shelf.b1, shelf.b2, shelf.a1, shelf.a2}, {hp.b0, hp.b1, hp.b2, hp.a1, hp.a2}}
	for s, want := range [][5]float64{bs1770Shelf, bs1770HP} {
		for i := range want {
			if math.Abs(got[s][i]-want[i]) > 1e-9 {
				t.Errorf("stage %d coefficient %d = %.14f, BS.1770-4 gives %.14f", s+1, i, got[s][i], want[i])
			}
		}
	}
}

// TestLoudnessReference compares the integrated loudness with the
// reference implementation above on 48 kHz signals, and with analytic
// values at other rates.
func TestLoudnessReference(t *testing.T) {
	speech := loadClip(t, "testdata/speech-en-16k.wav").Samples
	up := make([]float32, 3*len(speech)) // 48 kHz by sample repetition
	for i := range up {
		up[i] = speech[i/3]
	}
	r := rand.New(rand.NewPCG(5, 6))
	bursts := make([]float32, 48000*8) // loud noise, then a part the relative gate drops
	for i := range bursts {
		level := 0.3
		if i > 48000*5 {
			level = 0.003
		}
		bursts[i] = float32(level * r.NormFloat64())
	}
	for _, tt := range []struct {
		name string
		x    []float32
	}{{"speech", up}, {"gated noise", bursts}} {
		x64 := make([]float64, len(tt.x))
		for i, v := range tt.x {
			x64[i] = float64(v)
		}
		want := refLoudness48k(x64)
		got := Analyze(&Clip{SampleRate: 48000, Channels: 1, Samples: tt.x}, Config{}).Quality.LoudnessLUFS
		t.Logf("%s: %.3f LUFS, reference %.3f", tt.name, got, want)
		if math.Abs(got-want) > 0.05 {
			t.Errorf("%s: %.3f LUFS, reference %.3f", tt.name, got, want)
		}
	}
	for _, rate := range []int{8000, 16000, 44100} {
		x := make([]float32, 5*rate)
		for i := range x {
			x[i] = float32(0.1 * math.Sin(2*math.Pi*997*float64(i)/float64(rate)))
		}
		// a 997 Hz sine of peak A reads 20 log10(A) - 3.01 LKFS
		got := Analyze(&Clip{SampleRate: rate, Channels: 1, Samples: x}, Config{}).Quality.LoudnessLUFS
		if want := -20 - 3.0103; math.Abs(got-want) > 0.1 {
			t.Errorf("997 Hz at %d Hz: %.3f LUFS, want %.3f", rate, got, want)
		}
	}
}
