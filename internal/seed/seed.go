package seed

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/langassess/langassess/audio"
	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/grading/calibrate"
	"github.com/langassess/langassess/internal/cli"
	"github.com/langassess/langassess/rubrics"
	"github.com/langassess/langassess/store"
)

// seed fills a database with synthetic graded assessments for the report
// benchmarks: candidates over the last --days, every item of the default
// assessment in one language each, a share of flagged answers whose reviews
// are decided by graders (some needing a second grader) or left open.
// Spoken results carry a full-size audio timeline (one intensity value per
// 10 ms), so the rows weigh what real ones do.

// seedLanguages weights the candidates' languages like a European support
// centre's applicant pool.
var seedLanguages = []struct {
	lang   string
	weight float64
}{{"en", 30}, {"de", 20}, {"fr", 12}, {"es", 12}, {"it", 8}, {"pt", 5}, {"nl", 5}, {"pl", 5}, {"cs", 3}}

// Run is `langassess-eval seed`: it writes synthetic graded assessments,
// reviews and decisions into the configured database for report benchmarks
// and tests.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := cli.Register(fs, getenv, cli.SettingsStore|cli.SettingsEngine)
	n := fs.Int("responses", 100000, "graded responses to create (whole assessments, so a few more)")
	days := fs.Int("days", 90, "spread the assessments over this many days before now")
	flagged := fs.Float64("flagged", 0.12, "share of answers the machine flags for review")
	open := fs.Float64("open", 0.2, "share of reviews left undecided")
	workers := fs.Int("workers", 8, "concurrent writers")
	seed := fs.Uint64("seed", 1, "random seed (the same seed writes the same data, times aside)")
	fs.Usage = cli.Usage(fs, stdout, "langassess-eval seed [--responses N] [flags]\n\nWrites synthetic graded assessments, reviews and decisions for report benchmarks.\nNever run it against a production database: the rows look real.")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("seed: unexpected arguments %q", fs.Args())
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if *n <= 0 || *days <= 0 || *workers <= 0 || *flagged < 0 || *flagged > 1 || *open < 0 || *open > 1 {
		return errors.New("seed: --responses, --days and --workers must be positive, --flagged and --open within 0-1")
	}
	pack, err := cfg.Pack()
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	pa := pack.Assessments[0]
	// Migrate once through the configured store; the writers then open
	// their own stores (each with its own clock) without migrating.
	st, err := cfg.OpenStore(ctx)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	st.Close()
	dbURL := cfg.DatabaseURL
	if dbURL != "" {
		// Seed rows are disposable: do not wait for a disk flush per commit.
		u, err := url.Parse(dbURL)
		if err != nil {
			return fmt.Errorf("seed: database url: %w", err)
		}
		q := u.Query()
		q.Set("synchronous_commit", "off")
		u.RawQuery = q.Encode()
		dbURL = u.String()
	}

	type job struct {
		i    int
		lang string
	}
	jobs := make(chan job)
	var made, reviews, decided atomic.Int64
	run := fmt.Sprintf("%x", time.Now().UnixNano())
	now := time.Now().UTC()
	var wg sync.WaitGroup
	errs := make(chan error, *workers)
	for w := range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := store.Open(ctx, dbURL, cfg.DataDir)
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			var clock time.Time
			s.SetClock(func() time.Time { return clock })
			for j := range jobs {
				rng := rand.New(rand.NewPCG(*seed, uint64(j.i)))
				g := seeder{s: s, rng: rng, clock: &clock, pack: pack, pa: pa, flagged: *flagged, open: *open}
				start := now.Add(-time.Duration(rng.Float64() * float64(*days) * 24 * float64(time.Hour)))
				r, v, d, err := g.assessment(ctx, fmt.Sprintf("seed-%s-%d", run, j.i), j.lang, start)
				if err != nil {
					errs <- fmt.Errorf("writer %d: %w", w, err)
					return
				}
				made.Add(int64(r))
				reviews.Add(int64(v))
				decided.Add(int64(d))
			}
		}()
	}
	pick := rand.New(rand.NewPCG(*seed, math.MaxUint32))
	total := 0.0
	for _, l := range seedLanguages {
		total += l.weight
	}
	began := time.Now()
	var runErr error
feed:
	for i := 0; made.Load() < int64(*n); i++ {
		x := pick.Float64() * total
		lang := seedLanguages[0].lang
		for _, l := range seedLanguages {
			if x < l.weight {
				lang = l.lang
				break
			}
			x -= l.weight
		}
		if len(itemsIn(pa, lang)) == 0 {
			continue
		}
		select {
		case jobs <- job{i: i, lang: lang}:
		case runErr = <-errs:
			break feed
		case <-ctx.Done():
			runErr = ctx.Err()
			break feed
		}
		if i%1000 == 999 {
			fmt.Fprintf(stderr, "seed: %d responses, %d reviews (%d decided), %s\n", made.Load(), reviews.Load(), decided.Load(), time.Since(began).Round(time.Second))
		}
	}
	close(jobs)
	wg.Wait()
	if runErr == nil {
		select {
		case runErr = <-errs:
		default:
		}
	}
	if runErr != nil {
		return fmt.Errorf("seed: %w", runErr)
	}
	fmt.Fprintf(stdout, "seeded %d graded responses, %d reviews (%d decided) in %s\n", made.Load(), reviews.Load(), decided.Load(), time.Since(began).Round(time.Second))
	return nil
}

func itemsIn(pa *rubrics.Assessment, lang string) []*rubrics.Item {
	var out []*rubrics.Item
	for _, it := range pa.Items {
		if it.Prompt(lang) != "" {
			out = append(out, it)
		}
	}
	return out
}

// seeder writes one assessment through the store's public methods, moving
// its clock as a real candidate and graders would.
type seeder struct {
	s       *store.Store
	rng     *rand.Rand
	clock   *time.Time
	pack    *rubrics.Pack
	pa      *rubrics.Assessment
	flagged float64
	open    float64
}

func (g seeder) at(t time.Time) { *g.clock = t }

func (g seeder) assessment(ctx context.Context, ref, lang string, start time.Time) (responses, reviews, decided int, err error) {
	g.at(start)
	a, err := g.s.CreateAssessment(ctx, store.Assessment{CandidateRef: ref, PackID: g.pack.ID, PackVersion: g.pack.Version,
		AssessmentKey: g.pa.ID, Languages: []string{lang}}, nil)
	if err != nil {
		return 0, 0, 0, err
	}
	ability := 2.6 + g.rng.NormFloat64() // A1 = 0: most candidates B1-B2
	t := start
	type open struct {
		id    string
		level string
		at    time.Time
	}
	var toReview []open
	for _, it := range itemsIn(g.pa, lang) {
		t = t.Add(time.Duration(60+g.rng.IntN(240)) * time.Second)
		g.at(t)
		// Answers as long as real ones (the row width is what a report
		// scan pays for); recordings stay small: large values are stored
		// out of line (TOAST) and never read by the reports.
		r := store.Response{AssessmentID: a.ID, ItemID: it.ID, Language: lang, Kind: store.KindWritten, Text: g.words(40, 180)}
		if it.Kind == rubrics.KindSpoken {
			r.Kind, r.Text, r.Audio, r.Transcript = store.KindSpoken, "", []byte("RIFF seeded"), g.words(60, 160)
		}
		r, _, err := g.s.CreateResponse(ctx, r)
		if err != nil {
			return responses, reviews, decided, err
		}
		g.at(t.Add(time.Duration(2+g.rng.IntN(30)) * time.Second))
		if ok, err := g.s.LeaseResponse(ctx, r.ID, "seed", time.Minute); err != nil || !ok {
			return responses, reviews, decided, fmt.Errorf("lease %s: %v %w", r.ID, ok, err)
		}
		res := g.result(it, lang, ability)
		if err := g.s.CompleteGrade(ctx, r.ID, "seed", res); err != nil {
			return responses, reviews, decided, err
		}
		responses++
		if len(res.Flags) > 0 {
			reviews++
			toReview = append(toReview, open{r.ID, res.Level, *g.clock})
		}
	}
	for _, o := range toReview {
		if g.rng.Float64() < g.open {
			continue
		}
		v, err := g.s.ResponseReview(ctx, o.id)
		if err != nil {
			return responses, reviews, decided, err
		}
		id := v.ID
		when := o.at.Add(time.Duration(1+g.rng.IntN(36)) * time.Hour)
		human := g.humanLevel(o.level)
		for stage, grader := range []string{"grader-" + fmt.Sprint(g.rng.IntN(12)), "senior-" + fmt.Sprint(g.rng.IntN(4))} {
			g.at(when)
			if _, err := g.s.ClaimReview(ctx, id, grader, 15*time.Minute); err != nil {
				return responses, reviews, decided, err
			}
			when = when.Add(time.Duration(3+g.rng.IntN(10)) * time.Minute)
			g.at(when)
			v, err := g.s.DecideReview(ctx, id, grader, store.Decision{Level: human, Scores: g.scores(true, rubrics.LevelIndex(human)), Comment: "seeded"})
			if err != nil {
				return responses, reviews, decided, err
			}
			if v.State == store.ReviewDecided {
				break
			}
			// Stage 2: a second grader settles it between the two.
			if stage == 0 {
				human = calibrate.LevelName((rubrics.LevelIndex(human) + rubrics.LevelIndex(o.level)) / 2)
				when = when.Add(time.Duration(1+g.rng.IntN(24)) * time.Hour)
			}
		}
		decided++
	}
	return responses, reviews, decided, nil
}

// humanLevel: graders agree with the machine 60% of the time, differ by one
// band 35%, by two 5% (which needs a second grader).
func (g seeder) humanLevel(machine string) string {
	m := rubrics.LevelIndex(machine)
	x := g.rng.Float64()
	d := 0
	switch {
	case x < 0.6:
	case x < 0.95:
		d = 1
	default:
		d = 2
	}
	if g.rng.IntN(2) == 0 {
		d = -d
	}
	return rubrics.Levels[min(max(m+d, 0), len(rubrics.Levels)-1)]
}

func (g seeder) scores(written bool, level int) grading.Scores {
	v := func() *float64 {
		x := math.Round((12+15*float64(level)+g.rng.NormFloat64()*6)*10) / 10
		x = min(max(x, 0), 100)
		return &x
	}
	s := grading.Scores{Comprehension: v(), Grammar: v(), Vocabulary: v()}
	if written {
		s.Spelling, s.Coherence, s.Length = v(), v(), v()
	} else {
		s.Fluency = v()
	}
	return s
}

var seedFlags = []string{store.FlagBorderline, store.FlagBorderline, "too_short", "off_topic", "wrong_language", "low_language_confidence"}

func (g seeder) result(it *rubrics.Item, lang string, ability float64) grading.Result {
	lvl := min(max(int(math.Round(ability+g.rng.NormFloat64()*0.5)), 0), 5)
	spoken := it.Kind == rubrics.KindSpoken
	res := grading.Result{Level: rubrics.Levels[lvl], Skill: it.Skill, Scores: g.scores(!spoken, lvl), Flags: []grading.Flag{},
		Language:      &grading.LanguageResult{Expected: lang, Detected: lang, Confidence: 0.9 + 0.1*g.rng.Float64()},
		Evidence:      map[string]any{"errors": []any{}, "key_points": map[string]any{"matched": 2, "total": 3}},
		RubricVersion: g.pack.Ref(), EngineVersion: grading.Version}
	res.Levels = map[string]string{"grammar": rubrics.Levels[lvl], "vocabulary": rubrics.Levels[lvl]}
	if g.rng.Float64() < g.flagged {
		code := seedFlags[g.rng.IntN(len(seedFlags))]
		res.Flags = append(res.Flags, grading.Flag{Code: code, Message: "seeded " + code})
	}
	if spoken {
		res.Audio = g.audio()
	}
	return res
}

// audio is a plausible report of a 45-90 s recording, with the full
// timeline a real one has.
func (g seeder) audio() *audio.Report {
	dur := 45 + 45*g.rng.Float64()
	steps := int(dur / 0.01)
	env := make([]int, steps)
	for i := range env {
		env[i] = -60 + g.rng.IntN(45)
	}
	var voiced, pauses [][2]float64
	var nuclei []float64
	for t := 0.5; t < dur-1; t += 2 + g.rng.Float64()*2 {
		voiced = append(voiced, [2]float64{t, t + 1.5})
		pauses = append(pauses, [2]float64{t + 1.5, t + 1.9})
		for k := range 6 {
			nuclei = append(nuclei, math.Round((t+0.2*float64(k))*1000)/1000)
		}
	}
	snr := min(max(24+g.rng.NormFloat64()*7, 0), 60)
	clip := 0.0
	if g.rng.Float64() < 0.05 {
		clip = 0.002 * g.rng.Float64()
	}
	return &audio.Report{
		Quality: audio.Quality{Verdict: audio.VerdictOK, DurationSec: dur, SampleRate: 16000, Channels: 1, BitDepth: 16, Encoding: "pcm",
			PeakDBFS: -3, RMSDBFS: -22, SNRdB: math.Round(snr*10) / 10, WADASNRdB: math.Round(snr*10) / 10, NoiseFloorDBFS: -55,
			ClippedRatio: clip, LoudnessLUFS: math.Round((-24+g.rng.NormFloat64()*4)*10) / 10, SpeechShare: 0.6, Checks: []audio.Check{}},
		Fluency:  &audio.Fluency{Syllables: len(nuclei), SpeechRate: 3.1, ArticulationRate: 4.2, Pauses: len(pauses), PhonationSec: dur * 0.6, PhonationTimeRatio: 0.6},
		Timeline: &audio.Timeline{StepSec: 0.01, Envelope: env, Voiced: voiced, Pauses: pauses, Nuclei: nuclei},
	}
}

var seedWords = strings.Fields(`dear customer thank you for your message we are sorry that the parcel
arrived late and that you were charged twice for the same order we have refunded the second payment
to your card it will reach your account within five working days please keep the order number for
reference if you have any further questions do not hesitate to contact us again kind regards`)

// words is n (within lo-hi) words of plausible support prose.
func (g seeder) words(lo, hi int) string {
	n := lo + g.rng.IntN(hi-lo+1)
	w := make([]string, n)
	for i := range w {
		w[i] = seedWords[g.rng.IntN(len(seedWords))]
	}
	return strings.Join(w, " ")
}
