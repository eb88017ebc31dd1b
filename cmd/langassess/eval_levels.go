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
// scores with MERLIN's sub-ratings. Cross-validation runs on the 80%
// development split; the fixed held-out 20% (grading.HeldOut) is scored
// only with --held-out, by models fitted on the whole development split.
func runEvalLevels(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval levels", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := registerConfig(fs, getenv, settingsEngine)
	data := fs.String("data", evalDataDefault(getenv), "shared evaluation data folder (env LANGASSESS_DATA)")
	folds := fs.Int("folds", 10, "cross-validation folds (10, as Vajjala & Rama 2018)")
	heldOut := fs.Bool("held-out", false, "also fit on the development split and score the held-out 20% (once, at the end of development)")
	fs.Usage = usageFunc(fs, stderr, "langassess eval levels [flags]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	if *folds < 2 {
		return fmt.Errorf("eval levels: --folds must be at least 2, got %d", *folds)
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
	// Development uses the 80% development split only; the held-out 20%
	// (by a hash of the text, grading.HeldOut) is scored with --held-out.
	dev, test := grading.SplitHeldOut(samples)
	devBy, testBy := groupByLang(dev, nil), groupByLang(test, nil)
	results, err := calibrateAll(ctx, proof, devBy, expected, *folds)
	if err != nil {
		return fmt.Errorf("eval levels: %w", err)
	}
	fmt.Fprintf(stdout, "CEFR levels, %d-fold cross-validated (stratified by level) on the development split (%d of %d texts; the held-out 20%% is excluded), engine %s, data: %s\n",
		*folds, len(dev), len(samples), grading.Version, strings.Join(used, ", "))
	pack, err := cfg.pack()
	if err != nil {
		return fmt.Errorf("eval levels: %w", err)
	}
	printCalibration(stdout, results, true, pack)
	if *heldOut {
		fmt.Fprintln(stdout, "\nHeld-out split (fitted on the whole development split, scored once on the held-out texts):")
		fmt.Fprintln(stdout, "\n| language | texts | QWK | exact | adjacent | weighted F1 | Spearman | length-only QWK | length-only F1 | QWK gain |")
		fmt.Fprintln(stdout, "|---|---|---|---|---|---|---|---|---|---|")
		for _, r := range results {
			train, err := grading.ScoreSamples(ctx, proof, devBy[r.Language], expected, 2)
			if err != nil {
				return fmt.Errorf("eval levels: %w", err)
			}
			tst, err := grading.ScoreSamples(ctx, proof, testBy[r.Language], expected, 2)
			if err != nil {
				return fmt.Errorf("eval levels: %w", err)
			}
			h := grading.EvaluateHeldOut(r.Language, r.Dims, train, tst)
			fmt.Fprintf(stdout, "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %+.3f |\n", h.Language, h.N,
				h.Model.QWK, h.Model.Exact, h.Model.Adjacent, h.Model.WeightedF1, h.Model.Spearman,
				h.Length.QWK, h.Length.WeightedF1, h.Model.QWK-h.Length.QWK)
		}
	}
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
