package calibrate

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/langassess/langassess/agreement"
	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/rubrics"
)

// Rated is a human-rated sample with the dimension scores the engine gives
// it, the unit calibration and evaluation work on.
type Rated struct {
	Sample
	Scores map[string]float64 // dimension -> 0-100, as Grade computes them
	Words  int                // counted words (the length-only baseline's input)
}

// ScoreSamples computes every sample's dimension scores as Grade would for
// an answer that names no item (generic writing rubric, no comprehension),
// with length credited up to expectedWords (the generic rubric's maximum;
// 0 means 250), using workers goroutines.
func ScoreSamples(ctx context.Context, p grading.Proofreader, samples []Sample, expectedWords, workers int) ([]Rated, error) {
	out := make([]Rated, len(samples))
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	next := make(chan int)
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				s := samples[i]
				scores, words, err := grading.DimensionScores(ctx, p, s.Text, s.Lang, expectedWords)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("sample %s: %w", s.ID, err)
					}
					mu.Unlock()
					continue
				}
				out[i] = Rated{Sample: s, Scores: scores, Words: words}
			}
		}()
	}
	for i := range samples {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, firstErr
}

// CalibrationResult is the outcome of calibrating one language.
type CalibrationResult struct {
	Language string
	N        int
	Folds    int
	Dims     []string            // dimensions used (those every sample has)
	Model    LevelModel          // fitted on all samples: what goes into the rubric
	CV       agreement.Agreement // cross-validated agreement of Model's procedure
	// LengthCV is the text-length-only baseline, fitted and cross-validated
	// the same way on the counted word count alone.
	LengthCV agreement.Agreement
	// SubRatings are Spearman correlations of dimension scores with human
	// sub-ratings where the data has them: "grammar~Grammaticalaccuracy",
	// "spelling~Orthography", ...
	SubRatings map[string]float64
	Levels     map[string]int // human level counts
	// BorderlineShare is the share of out-of-fold texts the borderline
	// flag marks with Model.SEM (the cross-validated standard error of the
	// overall score around the cut) as the band; InSampleSEMShare is the share with the older
	// in-sample SEM of the overall score, InSampleSEM.
	BorderlineShare  float64
	InSampleSEM      float64
	InSampleSEMShare float64
	cv               cvResult
}

// FlaggedShare is the share of out-of-fold texts whose overall score lies
// within the borderline band (Model.SEM) of the cut of one of levels (nil:
// any cut): the share the engine flags when only those cuts decide a
// placement (PlacementLevels).
func (c CalibrationResult) FlaggedShare(levels map[string]bool) float64 {
	return c.cv.borderlineShareAt(c.Model.SEM, levels)
}

// subRatingPairs pair engine dimensions with MERLIN sub-ratings.
var subRatingPairs = [][2]string{
	{rubrics.DimGrammar, "Grammaticalaccuracy"},
	{rubrics.DimSpelling, "Orthography"},
	{rubrics.DimVocabulary, "Vocabularyrange"},
	{rubrics.DimCoherence, "CoherenceCohesion"},
}

// Calibrate fits weights and cut scores for one language's rated samples
// with k-fold cross-validation, and the length-only baseline the same way.
func Calibrate(lang string, rated []Rated, folds int) (CalibrationResult, error) {
	res := CalibrationResult{Language: lang, N: len(rated), Folds: folds, SubRatings: map[string]float64{}, Levels: map[string]int{}}
	if folds < 2 {
		// One fold would fit on nothing; zero divides by zero.
		return res, fmt.Errorf("calibrate %s: %d folds: cross-validation needs at least 2", lang, folds)
	}
	if len(rated) < 2*folds {
		return res, fmt.Errorf("calibrate %s: %d samples are too few for %d folds", lang, len(rated), folds)
	}
	// Use the dimensions every sample has, in rubric order.
	for _, d := range rubrics.Dimensions {
		all := true
		for _, r := range rated {
			if _, ok := r.Scores[d]; !ok {
				all = false
				break
			}
		}
		if all {
			res.Dims = append(res.Dims, d)
		}
	}
	if len(res.Dims) == 0 {
		return res, fmt.Errorf("calibrate %s: no dimension is scored for every sample", lang)
	}
	x, xl, y := matrices(res.Dims, rated)
	for _, r := range rated {
		res.Levels[LevelName(r.Level)]++
	}
	res.Model = Fit(res.Dims, x, y)
	cv := crossValidate(res.Dims, x, y, folds)
	res.CV = agreement.Agree(y, cv.pred)
	// The borderline band is the cross-validated standard error of the
	// overall score around the cut, not the in-sample SEM of the overall score (which flagged
	// 38-62% of MERLIN texts): see docs/grading-accuracy.md.
	res.InSampleSEM = res.Model.SEM
	res.InSampleSEMShare = cv.borderlineShare(res.InSampleSEM)
	res.Model.SEM = distanceSE(res.Dims, x, cv.models)
	res.BorderlineShare = cv.borderlineShare(res.Model.SEM)
	res.cv = cv
	lengthPred, err := CrossValidate([]string{"words"}, xl, y, folds)
	if err != nil {
		return res, fmt.Errorf("calibrate %s: length baseline: %w", lang, err)
	}
	res.LengthCV = agreement.Agree(y, lengthPred)
	for _, p := range subRatingPairs {
		var a, b []float64
		for _, r := range rated {
			v, ok1 := r.Scores[p[0]]
			h, ok2 := r.Sub[p[1]]
			if ok1 && ok2 {
				a = append(a, v)
				b = append(b, float64(h))
			}
		}
		if len(a) >= 10 {
			res.SubRatings[p[0]+"~"+p[1]] = math.Round(agreement.Spearman(a, b)*1000) / 1000
		}
	}
	return res, nil
}

// matrices are the dimension scores (columns dims), the length-only
// baseline's input and the human levels of rated samples.
func matrices(dims []string, rated []Rated) (x, xl [][]float64, y []int) {
	x = make([][]float64, len(rated))
	xl = make([][]float64, len(rated))
	y = make([]int, len(rated))
	for i, r := range rated {
		row := make([]float64, len(dims))
		for j, d := range dims {
			row[j] = r.Scores[d]
		}
		x[i] = row
		// Uncapped length on the same 0-100 footing (2,000 words = 100).
		xl[i] = []float64{math.Max(0, math.Min(100, 100*float64(r.Words)/2000))}
		y[i] = r.Level
	}
	return x, xl, y
}

// HeldOutResult is the agreement on a test split of a model fitted on the
// development split, and of the length-only baseline fitted the same way.
type HeldOutResult struct {
	Language string
	N        int
	Model    agreement.Agreement
	Length   agreement.Agreement
}

// EvaluateHeldOut fits the rubric model (on the dimensions dims) and the
// length-only baseline on train and scores both on test, which played no
// part in fitting.
func EvaluateHeldOut(lang string, dims []string, train, test []Rated) HeldOutResult {
	res := HeldOutResult{Language: lang, N: len(test)}
	if len(train) == 0 || len(test) == 0 || len(dims) == 0 {
		return res
	}
	x, xl, y := matrices(dims, train)
	tx, txl, ty := matrices(dims, test)
	m := Fit(dims, x, y)
	ml := Fit([]string{"words"}, xl, y)
	pred := make([]int, len(test))
	predL := make([]int, len(test))
	for i := range test {
		sc := map[string]float64{}
		for j, d := range dims {
			sc[d] = tx[i][j]
		}
		pred[i] = m.Predict(sc)
		predL[i] = ml.Predict(map[string]float64{"words": txl[i][0]})
	}
	res.Model = agreement.Agree(ty, pred)
	res.Length = agreement.Agree(ty, predL)
	return res
}

// Calibration converts the result into what rubrics.WriteCalibration stores.
func (c CalibrationResult) Calibration(rubricID, data, date string) rubrics.Calibration {
	m := map[string]float64{
		"qwk": c.CV.QWK, "exact": c.CV.Exact, "adjacent": c.CV.Adjacent,
		"f1_weighted": c.CV.WeightedF1, "spearman": c.CV.Spearman, "smd": c.CV.SMD,
		"length_only_qwk": c.LengthCV.QWK, "sem": c.Model.SEM,
		"borderline_share": c.BorderlineShare,
	}
	note := fmt.Sprintf("weights and cuts fitted on all %d texts; metrics are %d-fold cross-validated", c.N, c.Folds)
	if len(c.Model.Extrapolated) > 0 {
		note += fmt.Sprintf("; cuts for %v extrapolated beyond the data", c.Model.Extrapolated)
	}
	w := map[string]float64{}
	for d, v := range c.Model.Weights {
		if v > 0 {
			w[d] = math.Round(v*10000) / 10000
		}
	}
	return rubrics.Calibration{Rubric: rubricID, Language: c.Language, Weights: w, Cuts: c.Model.Cuts,
		Metrics: m, Data: data, N: c.N, Folds: c.Folds, Date: date, Note: note}
}
