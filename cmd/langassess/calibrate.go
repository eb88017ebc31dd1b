package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/grading/calibrate"
	"github.com/langassess/langassess/rubrics"
)

// runCalibrate fits a rubric's dimension weights and cut scores per language
// to human-rated texts, reports cross-validated agreement and, with
// --rubric, writes the fitted values and figures into a rubric file.
func runCalibrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if wantsFromReviews(args) { // grader decisions from the database: calibrate_reviews.go
		return runCalibrateFromReviews(ctx, args, getenv, stdout, stderr)
	}
	fs := flag.NewFlagSet("calibrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := registerConfig(fs, getenv, settingsEngine)
	lang := fs.String("lang", "", "only calibrate these languages (comma separated); also the language of rows that name none")
	folds := fs.Int("folds", 10, "cross-validation folds (10, as Vajjala & Rama 2018)")
	rubricFile := fs.String("rubric", "", "rubric YAML file to write the fitted weights, cuts and figures into (omit to only report)")
	rubricID := fs.String("rubric-id", "", "rubric in that file (default: its only or default writing rubric)")
	date := fs.String("date", time.Now().UTC().Format("2006-01-02"), "date recorded with the calibration")
	fs.Usage = usageFunc(fs, stderr, "langassess calibrate [flags] FILE.tsv|FILE.jsonl ...\n\n"+
		"Fits dimension weights and cut scores per language to human-rated texts:\n"+
		"TSV with a header naming text and cefr_overall (or level), optionally id, lang\n"+
		"and sub-ratings (MERLIN), or JSON lines with text and cefr (W&I+LOCNESS).")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("calibrate: name at least one rated data file")
	}
	if *folds < 2 {
		return fmt.Errorf("calibrate: --folds must be at least 2, got %d", *folds)
	}
	var want []string
	defLang := ""
	if *lang != "" {
		want = strings.Split(*lang, ",")
		defLang = want[0]
	}
	var samples []calibrate.Sample
	var sources []string
	for _, path := range fs.Args() {
		// The rated data sets live outside the repository and may be
		// absent on a given machine: skip them, as the evaluations do.
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(stdout, "calibrate: %s not found: skipped\n", path)
			continue
		}
		got, skipped, err := readRated(path, defLang)
		if err != nil {
			return fmt.Errorf("calibrate: %w", err)
		}
		fmt.Fprintf(stdout, "%s: %d rated texts (%d rows skipped)\n", path, len(got), skipped)
		samples = append(samples, got...)
		sources = append(sources, filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path))
	}
	if len(sources) == 0 {
		fmt.Fprintln(stdout, "calibrate: skipped: none of the rated data files exists")
		return nil
	}
	byLang := groupByLang(samples, want)
	if len(byLang) == 0 {
		return errors.New("calibrate: no rated texts in the requested languages (rows without a lang column need --lang)")
	}
	proof, err := grading.NewProofreader(ctx, cfg.engineConfig(nil))
	if err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	expected, err := genericLength(cfg)
	if err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	results, _, err := calibrateAll(ctx, proof, byLang, expected, *folds, nil)
	if err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	pack, err := cfg.pack()
	if err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	printCalibration(stdout, results, pack)
	if *rubricFile == "" {
		fmt.Fprintln(stdout, "\n(no --rubric given: nothing written)")
		return nil
	}
	for _, r := range results {
		c := r.Calibration(*rubricID, strings.Join(sources, ", ")+" ("+r.Language+")", *date)
		// rubrics.WriteCalibration keeps comprehension and fluency (which
		// rated texts cannot measure) at their default share.
		if err := rubrics.WriteCalibration(*rubricFile, c); err != nil {
			return fmt.Errorf("calibrate: %w", err)
		}
		fmt.Fprintf(stdout, "wrote %s weights and cuts into %s\n", r.Language, *rubricFile)
	}
	return nil
}

// genericLength is the configured pack's generic writing rubric's expected
// length, so rated texts get the length credit Grade would give them.
func genericLength(cfg *config) (int, error) {
	pack, err := cfg.pack()
	if err != nil {
		return 0, err
	}
	if r, ok := pack.DefaultRubric(rubrics.SkillWriting); ok {
		return r.Length.MaxWords, nil
	}
	return 0, nil
}

// readRated reads one rated data file.
func readRated(path, defLang string) ([]calibrate.Sample, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	s, skipped, err := calibrate.ReadSamples(f, defLang)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	return s, skipped, nil
}

func groupByLang(samples []calibrate.Sample, want []string) map[string][]calibrate.Sample {
	out := map[string][]calibrate.Sample{}
	for _, s := range samples {
		if s.Lang == "" || (len(want) > 0 && !slices.Contains(want, s.Lang)) {
			continue
		}
		out[s.Lang] = append(out[s.Lang], s)
	}
	return out
}

// calibrateAll scores and calibrates each language, in a stable order,
// and returns each language's scored samples too; progress, when not nil,
// is called as each language starts.
func calibrateAll(ctx context.Context, proof grading.Proofreader, byLang map[string][]calibrate.Sample, expectedWords, folds int, progress func(lang string, texts int)) ([]calibrate.CalibrationResult, map[string][]calibrate.Rated, error) {
	var out []calibrate.CalibrationResult
	rated := map[string][]calibrate.Rated{}
	for _, l := range slices.Sorted(maps.Keys(byLang)) {
		if progress != nil {
			progress(l, len(byLang[l]))
		}
		rs, err := calibrate.ScoreSamples(ctx, proof, byLang[l], expectedWords, 2)
		if err != nil {
			return nil, nil, err
		}
		r, err := calibrate.Calibrate(l, rs, folds)
		if err != nil {
			return nil, nil, err
		}
		out, rated[l] = append(out, r), rs
	}
	return out, rated, nil
}

// printCalibration writes the cross-validated figures as a Markdown table,
// then the fitted models (printFitted). The pack's queues decide which cuts the borderline flag watches
// (grading.PlacementLevels); pack may be nil (every cut).
func printCalibration(w io.Writer, results []calibrate.CalibrationResult, pack *rubrics.Pack) {
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| language | texts | levels | QWK | exact | adjacent | weighted F1 | Spearman | SMD | length-only QWK | length-only F1 | QWK gain |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range results {
		fmt.Fprintf(w, "| %s | %d | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %+.3f | %.3f | %.3f | %+.3f |\n",
			r.Language, r.N, levelCounts(r.Levels), r.CV.QWK, r.CV.Exact, r.CV.Adjacent, r.CV.WeightedF1,
			r.CV.Spearman, r.CV.SMD, r.LengthCV.QWK, r.LengthCV.WeightedF1, r.CV.QWK-r.LengthCV.QWK)
	}
	printFitted(w, results, pack)
}

// printFitted writes the fitted weights, cuts and borderline bands.
func printFitted(w io.Writer, results []calibrate.CalibrationResult, pack *rubrics.Pack) {
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| language | fitted weights | cut scores | borderline band (SE around the cut, CV) | share flagged, any cut (CV) | share flagged, placement cuts (CV) | in-sample SEM | share flagged with it, any cut |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	for _, r := range results {
		var ws []string
		for _, d := range rubrics.Dimensions {
			if v := r.Model.Weights[d]; v > 0 {
				ws = append(ws, fmt.Sprintf("%s %.3f", d, v))
			}
		}
		var cs []string
		for _, c := range r.Model.Cuts {
			mark := ""
			if slices.Contains(r.Model.Extrapolated, c.Level) {
				mark = "*"
			}
			cs = append(cs, fmt.Sprintf("%s %.1f%s", c.Level, c.Min, mark))
		}
		pl := grading.PlacementLevels(pack, r.Language, rubrics.SkillWriting)
		var pls []string
		for _, l := range rubrics.Levels {
			if pl[l] {
				pls = append(pls, l)
			}
		}
		fmt.Fprintf(w, "| %s | %s | %s | %.2f | %.1f%% | %.1f%% (%s) | %.2f | %.1f%% |\n", r.Language, strings.Join(ws, ", "), strings.Join(cs, ", "),
			r.Model.SEM, 100*r.BorderlineShare, 100*r.FlaggedShare(pl), strings.Join(pls, ", "), r.InSampleSEM, 100*r.InSampleSEMShare)
	}
	fmt.Fprintln(w, "\n(* cut extrapolated above the highest level in the data)")
}

// vajjalaRama are the monolingual weighted F1 scores Vajjala & Rama (2018)
// report on MERLIN, the figures our levels must beat.
var vajjalaRama = map[string]float64{"de": 0.686, "it": 0.837, "cs": 0.734}

func levelCounts(m map[string]int) string {
	var parts []string
	for _, l := range rubrics.Levels {
		if n := m[l]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", l, n))
		}
	}
	return strings.Join(parts, ", ")
}
