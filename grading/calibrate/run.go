package calibrate

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/rubrics"
)

// ReadFile reads one rated data file.
func ReadFile(path, defLang string) ([]Sample, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	s, skipped, err := ReadSamples(f, defLang)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	return s, skipped, nil
}

// GroupByLang groups samples by language, keeping only want (nil: all)
// and dropping samples without one.
func GroupByLang(samples []Sample, want []string) map[string][]Sample {
	out := map[string][]Sample{}
	for _, s := range samples {
		if s.Lang == "" || (len(want) > 0 && !slices.Contains(want, s.Lang)) {
			continue
		}
		out[s.Lang] = append(out[s.Lang], s)
	}
	return out
}

// All scores and calibrates each language, in a stable order,
// and returns each language's scored samples too; progress, when not nil,
// is called as each language starts.
func All(ctx context.Context, proof grading.Proofreader, byLang map[string][]Sample, expectedWords, folds int, progress func(lang string, texts int)) ([]CalibrationResult, map[string][]Rated, error) {
	var out []CalibrationResult
	rated := map[string][]Rated{}
	for _, l := range slices.Sorted(maps.Keys(byLang)) {
		if progress != nil {
			progress(l, len(byLang[l]))
		}
		rs, err := ScoreSamples(ctx, proof, byLang[l], expectedWords, 2)
		if err != nil {
			return nil, nil, err
		}
		r, err := Calibrate(l, rs, folds)
		if err != nil {
			return nil, nil, err
		}
		out, rated[l] = append(out, r), rs
	}
	return out, rated, nil
}

// WriteTable writes the cross-validated figures as a Markdown table,
// then the fitted models (WriteFitted). The pack's queues decide which cuts the borderline flag watches
// (grading.PlacementLevels); pack may be nil (every cut).
func WriteTable(w io.Writer, results []CalibrationResult, pack *rubrics.Pack) {
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| language | texts | levels | QWK | exact | adjacent | weighted F1 | Spearman | SMD | length-only QWK | length-only F1 | QWK gain |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range results {
		fmt.Fprintf(w, "| %s | %d | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %+.3f | %.3f | %.3f | %+.3f |\n",
			r.Language, r.N, LevelCounts(r.Levels), r.CV.QWK, r.CV.Exact, r.CV.Adjacent, r.CV.WeightedF1,
			r.CV.Spearman, r.CV.SMD, r.LengthCV.QWK, r.LengthCV.WeightedF1, r.CV.QWK-r.LengthCV.QWK)
	}
	WriteFitted(w, results, pack)
}

// WriteFitted writes the fitted weights, cuts and borderline bands.
func WriteFitted(w io.Writer, results []CalibrationResult, pack *rubrics.Pack) {
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

// LevelCounts is "A2 3, B1 5" over the levels present.
func LevelCounts(m map[string]int) string {
	var parts []string
	for _, l := range rubrics.Levels {
		if n := m[l]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", l, n))
		}
	}
	return strings.Join(parts, ", ")
}
