package audio

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	goaudio "github.com/go-audio/audio"
	"github.com/go-audio/wav"
	"golang.org/x/sys/unix"
)

// minuteWAV is 60 s of 16 kHz mono 16-bit speech (the committed fixture
// repeated) over a -60 dBFS noise floor, as a microphone gives (the
// synthesizer's exact zeros would not be typical), written with go-audio's
// encoder.
func minuteWAV(tb testing.TB) []byte {
	tb.Helper()
	c := loadClip(tb, "testdata/speech-en-16k.wav")
	n := 60 * 16000
	data := make([]int, n)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = int(math.Round(float64(c.Samples[i%len(c.Samples)])*32767 + r.NormFloat64()*32.767))
	}
	path := filepath.Join(tb.TempDir(), "minute.wav")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	enc := wav.NewEncoder(f, 16000, 16, 1, 1)
	if err := enc.Write(&goaudio.IntBuffer{Data: data, Format: &goaudio.Format{NumChannels: 1, SampleRate: 16000}, SourceBitDepth: 16}); err != nil {
		tb.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// BenchmarkDecode compares our block decode with go-audio's FullPCMBuffer
// on the same bytes (the baseline of docs/benchmarks.md).
func BenchmarkDecode(b *testing.B) {
	data := minuteWAV(b)
	b.Run("audio.Decode", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Decode(data, Limits{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	// as the grading engine uses it: the buffer goes back after analysis
	b.Run("audio.Decode+Release", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			c, err := Decode(data, Limits{})
			if err != nil {
				b.Fatal(err)
			}
			c.Release()
		}
	})
	b.Run("goaudio.FullPCMBuffer", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			d := wav.NewDecoder(bytes.NewReader(data))
			if _, err := d.FullPCMBuffer(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPipeline is decode + quality gate + fluency of one minute,
// with the sample buffer released after analysis as the engine does, and
// without.
func BenchmarkPipeline(b *testing.B) {
	data := minuteWAV(b)
	for _, release := range []bool{true, false} {
		name := "release"
		if !release {
			name = "fresh"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				c, err := Decode(data, Limits{})
				if err != nil {
					b.Fatal(err)
				}
				if r := Analyze(c, Config{}); r.Fluency == nil {
					b.Fatal("no fluency")
				}
				if release {
					c.Release()
				}
			}
		})
	}
}

// TestPipelineAllocBudget: decode + analysis of a minute allocates at most
// 4x the decoded samples' size (float32 mono).
func TestPipelineAllocBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("measures a minute of audio")
	}
	data := minuteWAV(t)
	c, err := Decode(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	sampleBytes := float64(4 * len(c.Samples))
	allocs := testing.AllocsPerRun(3, func() {
		c, _ := Decode(data, Limits{})
		Analyze(c, Config{})
	})
	var before, after runtimeMem
	before.read()
	c, _ = Decode(data, Limits{})
	Analyze(c, Config{})
	after.read()
	ratio := float64(after.total-before.total) / sampleBytes
	t.Logf("allocated %.2fx the decoded samples (%d allocations)", ratio, int(allocs))
	if ratio > 4 {
		t.Errorf("allocated %.2fx the decoded samples, budget 4x", ratio)
	}
}

// measuring skips a CPU-time measurement unless asked for, pins the test to
// its OS thread (thread CPU time must stay on one thread) and returns the
// minute of audio it measures.
func measuring(t *testing.T) []byte {
	t.Helper()
	if os.Getenv("LANGASSESS_MEASURE") == "" {
		t.Skip("a measurement, not a check: set LANGASSESS_MEASURE=1 (docs/benchmarks.md)")
	}
	data := minuteWAV(t)
	runtime.LockOSThread()
	t.Cleanup(runtime.UnlockOSThread)
	return data
}

// TestPipelineCPUTime reports the thread CPU time of decode + analysis of
// a minute, which, unlike wall time, a loaded machine barely inflates.
// Run with -v; it asserts nothing, timing on shared machines being noisy.
func TestPipelineCPUTime(t *testing.T) {
	data := measuring(t)
	const runs = 20
	measure := func(f func()) (mean, median time.Duration) {
		var total time.Duration
		ds := make([]time.Duration, runs)
		for i := range runs {
			t0 := threadCPU()
			f()
			ds[i] = threadCPU() - t0
			total += ds[i]
		}
		slices.Sort(ds)
		return total / runs, ds[runs/2]
	}
	pm, pb := measure(func() {
		c, err := Decode(data, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		Analyze(c, Config{})
		c.Release()
	})
	dm, db := measure(func() {
		c, err := Decode(data, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		c.Release()
	})
	fm, fb := measure(func() {
		if _, err := Decode(data, Limits{}); err != nil {
			t.Fatal(err)
		}
	})
	gm, gb := measure(func() {
		if _, err := wav.NewDecoder(bytes.NewReader(data)).FullPCMBuffer(); err != nil {
			t.Fatal(err)
		}
	})
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	t.Logf("thread CPU per run (mean, median) over %d runs of 60 s at 16 kHz:", runs)
	t.Logf("  decode + quality + fluency, released  %.2f ms, %.2f ms", ms(pm), ms(pb))
	t.Logf("  audio.Decode, released                %.2f ms, %.2f ms", ms(dm), ms(db))
	t.Logf("  audio.Decode, fresh buffer            %.2f ms, %.2f ms", ms(fm), ms(fb))
	t.Logf("  go-audio FullPCMBuffer                %.2f ms, %.2f ms (%.0fx, %.0fx released; %.0fx, %.0fx fresh)", ms(gm), ms(gb),
		float64(gm)/float64(dm), float64(gb)/float64(db), float64(gm)/float64(fm), float64(gb)/float64(fb))
}

// threadCPU reads CLOCK_THREAD_CPUTIME_ID (getrusage's thread times are
// tick-sampled, too coarse for a millisecond).
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// TestStageCPUTime reports the thread CPU of each analysis stage on a
// minute (run with -v; asserts nothing): where to look before optimizing.
func TestStageCPUTime(t *testing.T) {
	data := measuring(t)
	names := []string{"decode", "sample pass", "K-weighting + high band", "intensity contour", "activity + dropouts", "quality (voicing timeline)", "fluency (nuclei)", "timeline"}
	total := make([]time.Duration, len(names))
	const runs = 20
	for range runs {
		var ts [9]time.Duration
		ts[0] = threadCPU()
		c, err := Decode(data, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		ts[1] = threadCPU()
		a := &analysis{cfg: DefaultConfig(), clip: c, rate: float64(c.SampleRate), n: len(c.Samples)}
		a.samplePass()
		ts[2] = threadCPU()
		a.filterPass()
		ts[3] = threadCPU()
		a.intensity()
		ts[4] = threadCPU()
		a.activity()
		a.countDropouts()
		ts[5] = threadCPU()
		a.quality()
		ts[6] = threadCPU()
		a.fluency()
		ts[7] = threadCPU()
		a.timeline()
		ts[8] = threadCPU()
		for i := range names {
			total[i] += ts[i+1] - ts[i]
		}
		c.Release()
	}
	for i, n := range names {
		t.Logf("%-28s %.2f ms", n, float64(total[i])/runs/1e6)
	}
}

type runtimeMem struct{ total uint64 }

func (m *runtimeMem) read() {
	var s runtime.MemStats
	runtime.ReadMemStats(&s)
	m.total = s.TotalAlloc
}
