package grading

import "context"

// DimensionScores are the dimension scores (by rubric dimension name) Grade
// gives a written answer in lang that names no item (generic writing
// rubric, no comprehension), with length credited up to expectedWords (0
// means the generic rubric's 250), and the counted words. Calibration
// scores human-rated texts with it; p nil checks nothing.
func DimensionScores(ctx context.Context, p Proofreader, text, lang string, expectedWords int) (map[string]float64, int, error) {
	if expectedWords <= 0 {
		expectedWords = genericExpectedWords
	}
	if p == nil {
		p = noProofreader{}
	}
	t := analyse(text, lang)
	proof, err := p.Check(ctx, lang, text)
	if err != nil {
		return nil, 0, err
	}
	f := measure(t, proof)
	return dimensionScores(f, expectedWords, nil).ByDimension(), f.Stats.Words, nil
}
