package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/langassess/langassess/grading"
)

// runEvalLevels reports cross-validated CEFR levels on MERLIN (de, it, cs)
// and W&I+LOCNESS (en) next to a text-length-only baseline fitted and
// cross-validated the same way, and the Spearman correlation of dimension
// scores with MERLIN's sub-ratings.
func runEvalLevels(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval levels", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := registerConfig(fs, getenv, settingsEngine)
	data := fs.String("data", spellDataDefault(getenv), "shared evaluation data folder (env LANGASSESS_DATA)")
	folds := fs.Int("folds", 10, "cross-validation folds (10, as Vajjala & Rama 2018)")
	fs.Usage = usageFunc(fs, stderr, "langassess eval levels [flags]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	merlin := filepath.Join(*data, "merlin", "merlin_dev.tsv")
	wi := filepath.Join(*data, "wi_locness")
	var samples []grading.Sample
	var used []string
	if _, err := os.Stat(merlin); err == nil {
		s, _, err := readRated(merlin, "")
		if err != nil {
			return fmt.Errorf("eval levels: %w", err)
		}
		samples = append(samples, s...)
		used = append(used, "merlin/merlin_dev.tsv")
	} else {
		fmt.Fprintf(stdout, "eval levels: %s not found: MERLIN skipped\n", merlin)
	}
	for _, f := range []string{"A.train.json", "B.train.json", "C.train.json"} {
		p := filepath.Join(wi, f)
		if _, err := os.Stat(p); err != nil {
			fmt.Fprintf(stdout, "eval levels: %s not found: skipped\n", p)
			continue
		}
		s, _, err := readRated(p, "en")
		if err != nil {
			return fmt.Errorf("eval levels: %w", err)
		}
		samples = append(samples, s...)
		used = append(used, "wi_locness/"+f)
	}
	if len(samples) == 0 {
		fmt.Fprintf(stdout, "eval levels: skipped: no rated data under %s (--data)\n", *data)
		return nil
	}
	proof, err := grading.NewProofreader(ctx, cfg.engineConfig(nil))
	if err != nil {
		return fmt.Errorf("eval levels: %w", err)
	}
	expected, err := genericLength(cfg)
	if err != nil {
		return fmt.Errorf("eval levels: %w", err)
	}
	results, err := calibrateAll(ctx, proof, groupByLang(samples, nil), expected, *folds)
	if err != nil {
		return fmt.Errorf("eval levels: %w", err)
	}
	fmt.Fprintf(stdout, "CEFR levels, %d-fold cross-validated (stratified by level), engine %s, data: %s\n",
		*folds, grading.Version, strings.Join(used, ", "))
	printCalibration(stdout, results, true)
	fmt.Fprintln(stdout, "\nSpearman of dimension scores with human sub-ratings (MERLIN):")
	fmt.Fprintln(stdout, "\n| language | grammar ~ Grammaticalaccuracy | spelling ~ Orthography | vocabulary ~ Vocabularyrange | coherence ~ CoherenceCohesion |")
	fmt.Fprintln(stdout, "|---|---|---|---|---|")
	for _, r := range results {
		if len(r.SubRatings) == 0 {
			continue
		}
		get := func(k string) string {
			if v, ok := r.SubRatings[k]; ok {
				return fmt.Sprintf("%.3f", v)
			}
			return "n/a"
		}
		fmt.Fprintf(stdout, "| %s | %s | %s | %s | %s |\n", r.Language, get("grammar~Grammaticalaccuracy"),
			get("spelling~Orthography"), get("vocabulary~Vocabularyrange"), get("coherence~CoherenceCohesion"))
	}
	return nil
}
