package grading

import (
	"context"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// answer150 is a 150-word reply to the write-reply item.
const answer150 = `Dear Ms Miller,

Thank you for your e-mail about order 48213-K. We are very sorry that the amount of 89.90 euros was charged twice to your credit card. I have checked your payment with our finance team and I can confirm that the second payment was a mistake in our system. We will refund the second payment to your credit card today. The money will arrive within five working days, so you will have it before 20 March and before your holiday starts. You do not need to send the shoes back, and you do not need to send us anything else, because your screenshot was very helpful. We are glad that you like your new running shoes. If the refund is not on your statement by 18 March, please reply to this e-mail and I will check it again personally. We wish you a wonderful holiday.

Kind regards,
Tom Baker`

// realEngine builds the production engine (lingua with the default
// languages, Hunspell dictionaries) once per benchmark binary.
var realEngine = sync.OnceValues(func() (*Engine, error) {
	return New(context.Background(), Config{})
})

func needData(b testing.TB) {
	if _, err := os.Stat("/usr/share/hunspell/en_US.dic"); err != nil {
		b.Skip("Hunspell dictionaries not installed")
	}
}

// BenchmarkGrade grades a 150-word written answer with the production
// engine and reports the median wall and CPU time per answer next to the
// mean;
// BenchmarkDetectBaseline is one lingua confidence pass over the same text,
// the baseline the ratio in docs/benchmarks.md is taken against.
func BenchmarkGrade(b *testing.B) {
	needData(b)
	e, err := realEngine()
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, assessment, item string }{
		{"item", "customer-support", "write-reply"},
		{"generic", "", ""},
	} {
		b.Run(bc.name, func(b *testing.B) {
			in := Input{ID: "bench", Language: "en", AssessmentID: bc.assessment, ItemID: bc.item, Text: answer150}
			b.SetBytes(int64(len(answer150)))
			var wall, cpu []time.Duration
			for b.Loop() {
				t0, c0 := time.Now(), cpuTime()
				if _, err := e.Grade(context.Background(), in); err != nil {
					b.Fatal(err)
				}
				wall = append(wall, time.Since(t0))
				cpu = append(cpu, cpuTime()-c0)
			}
			reportMedians(b, wall, cpu)
		})
	}
}

func BenchmarkDetectBaseline(b *testing.B) {
	needData(b)
	e, err := realEngine()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(answer150)))
	var wall, cpu []time.Duration
	for b.Loop() {
		t0, c0 := time.Now(), cpuTime()
		e.det.Confidences(answer150)
		wall = append(wall, time.Since(t0))
		cpu = append(cpu, cpuTime()-c0)
	}
	reportMedians(b, wall, cpu)
}

// reportMedians adds the median wall time and the median process CPU time
// per operation. With -cpu 1 the CPU time is the work one core does per
// answer (garbage collection included), which stays meaningful when other
// processes load the machine and stretch the wall time.
func reportMedians(b *testing.B, wall, cpu []time.Duration) {
	slices.Sort(wall)
	slices.Sort(cpu)
	b.ReportMetric(float64(wall[len(wall)/2].Microseconds()), "median-µs/op")
	b.ReportMetric(float64(cpu[len(cpu)/2].Microseconds()), "median-cpu-µs/op")
}

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestDetectorFootprint measures the lingua detector's start time and the
// process's resident memory after building it with the default languages
// (docs/benchmarks.md). It loads about half a gigabyte, so it runs only
// with LANGASSESS_MEASURE=1, alone: go test -run TestDetectorFootprint.
func TestDetectorFootprint(t *testing.T) {
	if os.Getenv("LANGASSESS_MEASURE") == "" {
		t.Skip("set LANGASSESS_MEASURE=1 to measure the detector")
	}
	runtime.GC()
	before := procStatus(t, "VmRSS")
	t0, c0 := time.Now(), cpuTime()
	d, err := NewLingua(DefaultLanguages)
	if err != nil {
		t.Fatal(err)
	}
	start, startCPU := time.Since(t0), cpuTime()-c0
	runtime.GC()
	after, peak := procStatus(t, "VmRSS"), procStatus(t, "VmHWM")
	if got := d.Confidences("Das ist ein deutscher Satz über die Erstattung."); got["de"] < 0.5 {
		t.Errorf("detector is broken: %v", got)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("languages %s: start %v (CPU %v); RSS before %d MB, after %d MB, peak %d MB; Go heap in use %d MB",
		strings.Join(DefaultLanguages, ","), start.Round(time.Millisecond), startCPU.Round(time.Millisecond), before>>10, after>>10, peak>>10, ms.HeapInuse>>20)
	// The start budget is checked on CPU time: it bounds the wall time on
	// an idle core, while the wall time here stretches with other load.
	if startCPU > 2*time.Second || peak>>10 > 700 {
		t.Errorf("over budget: start CPU %v (max 2s), peak RSS %d MB (max 700)", startCPU, peak>>10)
	}
	// The whole engine on top: default pack, Hunspell dictionaries and
	// rule packs for the nine languages, sharing the detector.
	t0 = time.Now()
	if _, err := New(context.Background(), Config{Detector: d}); err != nil {
		t.Fatal(err)
	}
	engineStart := time.Since(t0)
	runtime.GC()
	t.Logf("engine (pack, dictionaries, rules) on the same detector: start %v; RSS %d MB, peak %d MB",
		engineStart.Round(time.Millisecond), procStatus(t, "VmRSS")>>10, procStatus(t, "VmHWM")>>10)
}

// procStatus reads a kB field of /proc/self/status.
func procStatus(t *testing.T, field string) int {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status")
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}

// TestConcurrentGradeReal grades in parallel with the production engine
// (lingua, dictionaries); run it with -race.
func TestConcurrentGradeReal(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the lingua models")
	}
	needData(t)
	e, err := realEngine()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			in := Input{ID: strconv.Itoa(i), Language: "en", AssessmentID: "customer-support", ItemID: "write-reply", Text: answer150}
			if i%2 == 1 {
				in.AssessmentID, in.ItemID = "", ""
			}
			r, err := e.Grade(context.Background(), in)
			if err != nil || r.Level == "" {
				t.Errorf("grade %d: %v %+v", i, err, r)
			}
		})
	}
	wg.Wait()
}
