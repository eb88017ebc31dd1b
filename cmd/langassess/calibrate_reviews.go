package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/langassess/langassess/agreement"
	"github.com/langassess/langassess/grading/calibrate"
	"github.com/langassess/langassess/grading/placement"
	"github.com/langassess/langassess/internal/cli"
	"github.com/langassess/langassess/reports"
	"github.com/langassess/langassess/rubrics"
	"github.com/langassess/langassess/store"
)

// wantsFromReviews reports whether calibrate was asked to learn from the
// stored grader decisions (the hook calibrate.go calls first).
func wantsFromReviews(args []string) bool {
	return slices.ContainsFunc(args, func(a string) bool {
		return a == "--from-reviews" || a == "-from-reviews" || strings.HasPrefix(a, "--from-reviews=") || strings.HasPrefix(a, "-from-reviews=")
	})
}

// reviewFit is the refit of one language.
type reviewFit struct {
	lang   string
	n      int
	dims   []string
	before agreement.Agreement // the stored machine levels (the rubric in force) vs the graders
	after  agreement.Agreement // the refitted model, cross-validated, vs the graders
	model  calibrate.LevelModel
	err    error
}

// runCalibrateFromReviews refits a skill's default rubric per language on
// the grader decisions stored so far: the machine's dimension scores (as
// stored with each score) against the final human level. It prints the
// agreement of the levels the machine gave (before) and of the refitted
// weights and cuts, cross-validated (after), and writes the fitted values
// into a rubric file only with --write. Writing changes the pack's digest,
// so every score graded afterwards records the new rubric version.
func runCalibrateFromReviews(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("calibrate --from-reviews", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := cli.Register(fs, getenv, cli.SettingsStore|cli.SettingsEngine)
	fs.Bool("from-reviews", true, "fit to the grader decisions in the database")
	skill := fs.String("skill", rubrics.SkillWriting, "skill whose default rubric is refitted: reading, writing or speaking (decisions on that skill's items)")
	lang := fs.String("lang", "", "only these languages (comma separated)")
	folds := fs.Int("folds", 5, "cross-validation folds")
	minN := fs.Int("min", 30, "fewest decisions a language needs to be refitted")
	from := fs.String("from", "", "decisions from this date or RFC 3339 time")
	to := fs.String("to", "", "decisions up to this date (inclusive) or time (exclusive)")
	write := fs.String("write", "", "rubric YAML file to write the refitted weights and cuts into (omit to only report)")
	date := fs.String("date", time.Now().UTC().Format(time.DateOnly), "date recorded with the calibration")
	fs.Usage = cli.Usage(fs, stdout, "langassess calibrate --from-reviews [--skill SKILL] [--write FILE] [flags]\n\n"+
		"Refits a rubric's weights and cut scores per language to the final grader decisions\n"+
		"stored so far and shows agreement with the graders before and after.")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("calibrate --from-reviews: unexpected arguments %q (data comes from the database)", fs.Args())
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("calibrate --from-reviews: %w", err)
	}
	if !slices.Contains(rubrics.Skills, *skill) {
		return fmt.Errorf("calibrate --from-reviews: --skill must be reading, writing or speaking")
	}
	if *folds < 2 || *minN < 2*(*folds) {
		return fmt.Errorf("calibrate --from-reviews: need --folds >= 2 and --min >= 2 x folds")
	}
	pack, err := cfg.Pack()
	if err != nil {
		return fmt.Errorf("calibrate --from-reviews: %w", err)
	}
	// The decisions read are those of the agreement report: one validation
	// of the period for both.
	q, err := reports.ParseQuery(reports.KindAgreement, reports.Params{From: *from, To: *to, Prefix: "--"}, pack, time.Now())
	if err != nil {
		return fmt.Errorf("calibrate --from-reviews: %w", err)
	}
	f := store.ReportFilter{From: q.From, To: q.To}
	rubric, ok := pack.DefaultRubric(*skill)
	if !ok {
		return fmt.Errorf("calibrate --from-reviews: pack %s has no default %s rubric", pack.ID, *skill)
	}
	st, err := cfg.OpenStore(ctx)
	if err != nil {
		return fmt.Errorf("calibrate --from-reviews: %w", err)
	}
	defer st.Close()
	reviewed, err := st.ReviewedAnswers(ctx, f, false)
	if err != nil {
		return fmt.Errorf("calibrate --from-reviews: %w", err)
	}
	var want []string
	if *lang != "" {
		want = strings.Split(*lang, ",")
	}
	fits := fitReviews(pack, *skill, reviewed, want, *folds, *minN)
	if len(fits) == 0 {
		fmt.Fprintf(stdout, "no grader decisions on %s items yet: nothing to calibrate\n", *skill)
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "rubric %s (%s), %d-fold cross-validated\n", rubric.ID, *skill, *folds)
	fmt.Fprintln(tw, "LANGUAGE\tN\tQWK BEFORE\tQWK AFTER\tEXACT BEFORE\tEXACT AFTER\tADJ BEFORE\tADJ AFTER\tSMD BEFORE\tSMD AFTER\tWEIGHTS\tCUTS")
	for _, r := range fits {
		if r.err != nil {
			fmt.Fprintf(tw, "%s\t%d\t%s\n", r.lang, r.n, r.err)
			continue
		}
		var ws, cs []string
		for _, d := range r.dims {
			ws = append(ws, fmt.Sprintf("%s %.2f", d, r.model.Weights[d]))
		}
		for _, c := range r.model.Cuts {
			cs = append(cs, fmt.Sprintf("%s %.1f", c.Level, c.Min))
		}
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%+.3f\t%+.3f\t%s\t%s\n", r.lang, r.n,
			r.before.QWK, r.after.QWK, r.before.Exact, r.after.Exact, r.before.Adjacent, r.after.Adjacent,
			r.before.SMD, r.after.SMD, strings.Join(ws, ", "), strings.Join(cs, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if *write == "" {
		fmt.Fprintln(stdout, "\n(no --write FILE given: nothing written)")
		return nil
	}
	for _, r := range fits {
		if r.err != nil {
			continue
		}
		c := rubrics.Calibration{Rubric: rubric.ID, Language: r.lang, Weights: r.model.Weights, Cuts: r.model.Cuts,
			Metrics: map[string]float64{"qwk": r.after.QWK, "exact": r.after.Exact, "adjacent": r.after.Adjacent,
				"smd": r.after.SMD, "qwk_before": r.before.QWK, "sem": r.model.SEM},
			Data: fmt.Sprintf("grader decisions on %s items (%s)", *skill, r.lang), N: r.n, Folds: *folds, Date: *date,
			Note: "refitted with langassess calibrate --from-reviews; metrics are cross-validated against the final grader levels"}
		if err := rubrics.WriteCalibration(*write, c); err != nil {
			return fmt.Errorf("calibrate --from-reviews: %w", err)
		}
		fmt.Fprintf(stdout, "wrote %s weights and cuts into %s\n", r.lang, *write)
	}
	return nil
}

// fitReviews groups the decisions on the skill's items by language and
// refits each language with enough of them.
func fitReviews(pack *rubrics.Pack, skill string, reviewed []store.ReviewedAnswer, want []string, folds, minN int) []reviewFit {
	byLang := map[string][]store.ReviewedAnswer{}
	for _, x := range reviewed {
		if len(want) > 0 && !slices.Contains(want, x.Language) {
			continue
		}
		a := []placement.Answer{{ItemID: x.ItemID, Kind: x.Kind}}
		placement.Resolve(pack, x.AssessmentKey, a)
		if a[0].Skill != skill || rubrics.LevelIndex(x.Human.Level) < 0 || len(x.MachineScores) == 0 {
			continue
		}
		byLang[x.Language] = append(byLang[x.Language], x)
	}
	langs := make([]string, 0, len(byLang))
	for l := range byLang {
		langs = append(langs, l)
	}
	slices.Sort(langs)
	var out []reviewFit
	for _, l := range langs {
		xs := byLang[l]
		r := reviewFit{lang: l, n: len(xs)}
		if len(xs) < minN {
			r.err = fmt.Errorf("only %d decisions, need %d", len(xs), minN)
			out = append(out, r)
			continue
		}
		// The dimensions every decided answer has a machine score for.
		for _, d := range rubrics.Dimensions {
			if !slices.ContainsFunc(xs, func(x store.ReviewedAnswer) bool { _, ok := x.MachineScores[d]; return !ok }) {
				r.dims = append(r.dims, d)
			}
		}
		if len(r.dims) == 0 {
			r.err = errors.New("no dimension is scored on every answer")
			out = append(out, r)
			continue
		}
		x := make([][]float64, len(xs))
		y := make([]int, len(xs))
		var machine []int
		var human []int
		for i, a := range xs {
			row := make([]float64, len(r.dims))
			for j, d := range r.dims {
				row[j] = a.MachineScores[d]
			}
			x[i], y[i] = row, rubrics.LevelIndex(a.Human.Level)
			if m := rubrics.LevelIndex(a.MachineLevel); m >= 0 {
				machine, human = append(machine, m), append(human, y[i])
			}
		}
		r.before = agreement.Agree(human, machine)
		r.model = calibrate.Fit(r.dims, x, y)
		pred, err := calibrate.CrossValidate(r.dims, x, y, folds)
		if err != nil {
			r.err = err
			out = append(out, r)
			continue
		}
		r.after = agreement.Agree(y, pred)
		out = append(out, r)
	}
	return out
}
