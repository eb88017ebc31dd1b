package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/grading/calibrate"
	"github.com/langassess/langassess/internal/cli"
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
	cfg := cli.Register(fs, getenv, cli.SettingsEngine)
	lang := fs.String("lang", "", "only calibrate these languages (comma separated); also the language of rows that name none")
	folds := fs.Int("folds", 10, "cross-validation folds (10, as Vajjala & Rama 2018)")
	rubricFile := fs.String("rubric", "", "rubric YAML file to write the fitted weights, cuts and figures into (omit to only report)")
	rubricID := fs.String("rubric-id", "", "rubric in that file (default: its only or default writing rubric)")
	date := fs.String("date", time.Now().UTC().Format("2006-01-02"), "date recorded with the calibration")
	fs.Usage = cli.Usage(fs, stderr, "langassess calibrate [flags] FILE.tsv|FILE.jsonl ...\n\n"+
		"Fits dimension weights and cut scores per language to human-rated texts:\n"+
		"TSV with a header naming text and cefr_overall (or level), optionally id, lang\n"+
		"and sub-ratings (MERLIN), or JSON lines with text and cefr (W&I+LOCNESS).")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
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
		got, skipped, err := calibrate.ReadFile(path, defLang)
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
	byLang := calibrate.GroupByLang(samples, want)
	if len(byLang) == 0 {
		return errors.New("calibrate: no rated texts in the requested languages (rows without a lang column need --lang)")
	}
	proof, err := grading.NewProofreader(ctx, cfg.EngineConfig(nil))
	if err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	expected, err := cfg.GenericLength()
	if err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	results, _, err := calibrate.All(ctx, proof, byLang, expected, *folds, nil)
	if err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	pack, err := cfg.Pack()
	if err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	calibrate.WriteTable(stdout, results, pack)
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
