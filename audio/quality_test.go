package audio

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

const testRate = 16000

// syllables makes n voiced "syllables": 180 ms bursts of a 120 Hz
// harmonic tone with a raised-cosine envelope, 100 ms apart, with a gap
// after every group of perGroup; a deterministic signal whose nuclei and
// pauses are known.
func syllables(n, perGroup int, gap float64, peak float64) []float32 {
	var x []float32
	burst := int(0.18 * testRate)
	space := int(0.10 * testRate)
	for i := range n {
		for j := range burst {
			t := float64(j) / testRate
			env := 0.5 - 0.5*math.Cos(2*math.Pi*float64(j)/float64(burst))
			var v float64
			for h := 1; h <= 50; h++ { // up to 6 kHz, so the band is wide
				v += math.Sin(2*math.Pi*120*float64(h)*t) / float64(h)
			}
			x = append(x, float32(peak*0.55*env*v))
		}
		pause := space
		if (i+1)%perGroup == 0 && i+1 < n {
			pause = int(gap * testRate)
		}
		x = append(x, make([]float32, pause)...)
	}
	return x
}

func withNoise(x []float32, rms float64, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 1))
	y := make([]float32, len(x))
	for i, v := range x {
		y[i] = v + float32(rms*r.NormFloat64())
	}
	return y
}

func scaled(x []float32, k float64) []float32 {
	y := make([]float32, len(x))
	for i, v := range x {
		y[i] = float32(max(-1, min(1, float64(v)*k)))
	}
	return y
}

func clip(x []float32) *Clip {
	return &Clip{SampleRate: testRate, Channels: 1, BitDepth: 16, Encoding: "pcm", Samples: x}
}

func checkStatus(q Quality, code string) Status {
	for _, c := range q.Checks {
		if c.Code == code {
			return c.Status
		}
	}
	return ""
}

// TestQualityChecks: each check fires on the defect it guards against and
// stays quiet on a clean recording.
func TestQualityChecks(t *testing.T) {
	speech := withNoise(syllables(20, 5, 0.6, 0.5), 0.0005, 1) // about 50 dB SNR
	n := len(speech)
	dropout := append([]float32(nil), speech...)
	for i := int(0.3 * testRate); i < int(0.32*testRate); i++ { // inside the 2nd syllable's loud part
		dropout[i] = 0
	}
	dropoutOdd := append([]float32(nil), speech...) // not on a 0.5 ms block boundary
	for i := int(0.3*testRate) + 3; i < int(0.32*testRate)+5; i++ {
		dropoutOdd[i] = 0
	}
	dc := make([]float32, n)
	for i, v := range speech {
		dc[i] = v + 0.1
	}
	hardClip := scaled(speech, 20)
	lightClip := scaled(speech, 1)
	// scale so that about 0.3% of samples exceed full scale
	{
		abs := make([]float64, n)
		for i, v := range speech {
			abs[i] = math.Abs(float64(v))
		}
		top := quantile(abs, 0.997)
		lightClip = scaled(speech, 1/top)
	}
	lead := append(make([]float32, 6*testRate), speech...)
	for i := range lead[:6*testRate] {
		lead[i] = float32(0.0005 * math.Sin(float64(i)))
	}
	tests := []struct {
		name    string
		x       []float32
		verdict Verdict
		code    string // the check expected to fire
		status  Status
	}{
		{"clean speech", speech, VerdictOK, "", ""},
		{"too short", speech[:testRate/2], VerdictUnscorable, CodeTooShort, StatusFail},
		{"digital silence", make([]float32, n), VerdictUnscorable, CodeSilent, StatusFail},
		{"very quiet (-50 dBFS RMS)", scaled(speech, rmsScale(speech, -50)), VerdictUnscorable, CodeTooQuiet, StatusFail},
		{"quiet (-40 dBFS RMS)", scaled(speech, rmsScale(speech, -40)), VerdictDegraded, CodeTooQuiet, StatusWarn},
		{"clipped 0.3%", lightClip, VerdictDegraded, CodeClipped, StatusWarn},
		{"clipped hard", hardClip, VerdictUnscorable, CodeClipped, StatusFail},
		{"noise only", withNoise(make([]float32, n), 0.05, 2), VerdictUnscorable, CodeTooNoisy, StatusFail},
		{"noisy (10 dB)", withNoise(speech, math.Sqrt(power(speech)/10), 3), VerdictDegraded, CodeTooNoisy, StatusWarn},
		{"dc offset", dc, VerdictDegraded, CodeDCOffset, StatusWarn},
		{"dropout", dropout, VerdictDegraded, CodeDropouts, StatusWarn},
		{"dropout off block boundaries", dropoutOdd, VerdictDegraded, CodeDropouts, StatusWarn},
		{"long leading silence", lead, VerdictDegraded, CodeLongSilence, StatusWarn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := Analyze(clip(tt.x), Config{}).Quality
			if q.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s; failed checks %v", q.Verdict, tt.verdict, q.Failed())
			}
			if tt.code != "" {
				if got := checkStatus(q, tt.code); got != tt.status {
					t.Errorf("%s = %q, want %q (checks %v)", tt.code, got, tt.status, q.Checks)
				}
			}
			for _, c := range q.Failed() {
				if c.Message == "" || c.Message != Message(c.Code) {
					t.Errorf("check %s has message %q", c.Code, c.Message)
				}
			}
		})
	}
}

func rmsScale(x []float32, dbfs float64) float64 {
	return math.Pow(10, dbfs/20) / math.Sqrt(power(x))
}

func power(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return s / float64(len(x))
}

func quantile(x []float64, q float64) float64 {
	y := append([]float64(nil), x...)
	// insertion-free: sort via the standard library
	sortFloat64s(y)
	return y[int(q*float64(len(y)-1))]
}

// TestNarrowband: a telephone band (300-3400 Hz) recording at 16 kHz is
// flagged; the same speech with its full band is not.
func TestNarrowband(t *testing.T) {
	c := loadClip(t, "testdata/speech-en-16k.wav")
	// what an 8 kHz telephone recording played back at 16 kHz keeps: a
	// windowed-sinc low-pass at 3.7 kHz (255 taps, Blackman window)
	const taps, fc = 255, 3700.0 / testRate
	h := make([]float64, taps)
	for i := range h {
		m := float64(i - taps/2)
		sinc := 2 * fc
		if m != 0 {
			sinc = math.Sin(2*math.Pi*fc*m) / (math.Pi * m)
		}
		w := 0.42 - 0.5*math.Cos(2*math.Pi*float64(i)/(taps-1)) + 0.08*math.Cos(4*math.Pi*float64(i)/(taps-1))
		h[i] = sinc * w
	}
	tel := make([]float32, len(c.Samples))
	for i := range tel {
		var y float64
		for k, hk := range h {
			if j := i - k; j >= 0 {
				y += hk * float64(c.Samples[j])
			}
		}
		tel[i] = float32(y)
	}
	for _, tt := range []struct {
		name string
		x    []float32
		want bool
	}{{"wideband", c.Samples, false}, {"telephone band", tel, true}} {
		q := Analyze(clip(tt.x), Config{}).Quality
		t.Logf("%s: high band %.1f dB", tt.name, q.HighBandDB)
		if q.Narrowband != tt.want || (checkStatus(q, CodeNarrowband) == StatusWarn) != tt.want {
			t.Errorf("%s: narrowband %v (high band %.1f dB), want %v", tt.name, q.Narrowband, q.HighBandDB, tt.want)
		}
	}
}

// TestFluencySynthetic: syllables and pauses of a signal built to have
// them, at three rates of pause insertion.
func TestFluencySynthetic(t *testing.T) {
	tests := []struct {
		n, perGroup int
		gap         float64
		pauses      int
		long        int
	}{
		{12, 4, 0.5, 2, 0},
		{15, 5, 1.2, 2, 2},
		{10, 10, 0.5, 0, 0},
		{18, 3, 0.3, 5, 0},
	}
	for _, tt := range tests {
		x := withNoise(syllables(tt.n, tt.perGroup, tt.gap, 0.5), 0.001, 7)
		r := Analyze(clip(x), Config{})
		f := r.Fluency
		if f == nil {
			t.Fatalf("%+v: no fluency, quality %v", tt, r.Quality.Failed())
		}
		if f.Syllables != tt.n || f.Pauses != tt.pauses || f.LongPauses != tt.long {
			t.Errorf("%+v: got %d syllables, %d pauses, %d long", tt, f.Syllables, f.Pauses, f.LongPauses)
		}
		if len(r.Timeline.Nuclei) != f.Syllables || len(r.Timeline.Pauses) != f.Pauses {
			t.Errorf("%+v: timeline %d nuclei, %d pauses", tt, len(r.Timeline.Nuclei), len(r.Timeline.Pauses))
		}
		// derived measures agree with their definitions
		dur := float64(len(x)) / testRate
		if math.Abs(f.SpeechRate-float64(f.Syllables)/dur) > 0.01 ||
			math.Abs(f.MeanLengthOfRun-float64(f.Syllables)/float64(f.Pauses+1)) > 0.01 {
			t.Errorf("%+v: inconsistent %+v", tt, f)
		}
	}
}

// TestUnvoicedNotCounted: noise bursts (fricative-like) of the same
// envelope as the syllables are not counted: the voicing check.
func TestUnvoicedNotCounted(t *testing.T) {
	x := syllables(10, 10, 0.5, 0.5)
	r := rand.New(rand.NewPCG(3, 4))
	for i, v := range x {
		if v != 0 {
			x[i] = float32(math.Abs(float64(v)) * r.NormFloat64())
		}
	}
	f, _ := MeasureFluency(clip(x), Config{})
	if f.Syllables > 1 {
		t.Errorf("%d syllables counted in unvoiced noise bursts", f.Syllables)
	}
}

func sortFloat64s(x []float64) { slices.Sort(x) }

// TestAnalyzeOddClips: clips Decode never returns (empty, nil, absurd
// rates) still get a verdict instead of a hang or a panic.
func TestAnalyzeOddClips(t *testing.T) {
	nan := make([]float32, 32000)
	for i := range nan {
		nan[i] = float32(math.NaN())
	}
	for _, c := range []*Clip{nil, {}, {SampleRate: 1, Samples: make([]float32, 10)}, {SampleRate: 3, Samples: make([]float32, 100)},
		{SampleRate: 192000, Samples: make([]float32, 5)}, {SampleRate: 16000, Samples: []float32{1, -1, 1}},
		{SampleRate: 16000, Samples: nan}} {
		r := Analyze(c, Config{})
		if r.Quality.Verdict != VerdictUnscorable {
			t.Errorf("%d samples: verdict %s", len(c.Samples), r.Quality.Verdict)
		}
		if _, err := json.Marshal(r); err != nil {
			t.Errorf("%d samples: report does not marshal: %v", len(c.Samples), err)
		}
	}
}

// TestPauseHysteresis: in white noise at about 10 dB SNR, a weak voiced
// stretch (a quarter of the noise power) right after a syllable keeps the
// run sounding (the hold threshold sits 0.5-0.6 dB over the floor), so the
// one real pause is the only one; without hysteresis (HoldSpread < 0) the
// stretch, under the start threshold 2 dB over the floor, reads as a
// second pause.
func TestPauseHysteresis(t *testing.T) {
	const noiseRMS = 0.03
	group := func() []float32 {
		x := syllables(3, 3, 0, 0.5)
		return x[:len(x)-int(0.10*testRate)] // no space after the last syllable
	}
	weak := make([]float32, int(0.35*testRate))
	a := math.Sqrt(0.25*noiseRMS*noiseRMS) / 0.9 // the harmonic sum's RMS is about 0.9
	for i := range weak {
		t := float64(i) / testRate
		var v float64
		for h := 1; h <= 50; h++ {
			v += math.Sin(2*math.Pi*120*float64(h)*t) / float64(h)
		}
		weak[i] = float32(a * v)
	}
	var x []float32
	x = append(x, make([]float32, int(0.3*testRate))...)
	x = append(x, group()...)
	x = append(x, weak...)
	x = append(x, group()...)
	x = append(x, make([]float32, int(0.8*testRate))...)
	x = append(x, group()...)
	x = append(x, make([]float32, int(0.3*testRate))...)
	x = withNoise(x, noiseRMS, 11)
	for _, tt := range []struct {
		hold   float64
		pauses int
	}{{0, 1}, {-1, 2}} {
		f, tl := MeasureFluency(clip(x), Config{HoldSpread: tt.hold})
		if f.Pauses != tt.pauses {
			t.Errorf("HoldSpread %v: %d pauses %v, want %d", tt.hold, f.Pauses, tl.Pauses, tt.pauses)
		}
	}
	if q := Analyze(clip(x), Config{}).Quality; q.SNRdB < 7 || q.SNRdB > 13 {
		t.Errorf("SNR estimate %.1f dB, want about 10", q.SNRdB)
	}
}
