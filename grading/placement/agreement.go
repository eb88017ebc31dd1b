package placement

import (
	"math"
	"slices"
	"sort"

	"github.com/langassess/langassess/agreement"
	"github.com/langassess/langassess/rubrics"
)

// Reviewed is a response a grader decided, with the machine's view of it.
type Reviewed struct {
	AssessmentKey string
	ItemID        string
	Language      string
	MachineLevel  string
	MachineScores map[string]float64
	HumanLevel    string
	HumanScores   map[string]float64
}

// DimensionLevel is the agreement row name of the overall CEFR level; the
// other rows are rubric dimensions.
const DimensionLevel = "level"

// AgreementRow is human-machine agreement for one language and dimension.
type AgreementRow struct {
	Language  string `json:"language"`
	Dimension string `json:"dimension"`
	agreement.Agreement
}

// scaleFor is the rubric scale the item was graded on in lang: its own, or
// the generic writing rubric's.
func scaleFor(pack *rubrics.Pack, key, item, lang string) (*rubrics.Scale, bool) {
	if pa, ok := pack.Assessment(key); ok {
		if it, ok := pa.Item(item); ok {
			if sc, ok := it.Scale(lang); ok {
				return sc, true
			}
		}
	}
	return pack.WritingRubric(lang)
}

// Agreement compares grader decisions with the machine per language and
// dimension: the overall level ("level") and every dimension both scored,
// each dimension score put on the CEFR scale by the cut scores of the
// rubric the item was graded with, so a difference counts in bands as the
// level does. Rows are sorted by language, then level first and the
// dimensions in rubric order; metrics are rounded to 3 decimals.
func Agreement(pack *rubrics.Pack, reviewed []Reviewed) []AgreementRow {
	type key struct{ lang, dim string }
	pairs := map[key][2][]int{}
	add := func(k key, h, m int) {
		p := pairs[k]
		pairs[k] = [2][]int{append(p[0], h), append(p[1], m)}
	}
	for _, r := range reviewed {
		if h, m := rubrics.LevelIndex(r.HumanLevel), rubrics.LevelIndex(r.MachineLevel); h >= 0 && m >= 0 {
			add(key{r.Language, DimensionLevel}, h, m)
		}
		sc, ok := scaleFor(pack, r.AssessmentKey, r.ItemID, r.Language)
		if !ok {
			continue
		}
		for d, hv := range r.HumanScores {
			mv, ok := r.MachineScores[d]
			if !ok || math.IsNaN(hv) || math.IsNaN(mv) {
				continue
			}
			add(key{r.Language, d}, rubrics.LevelIndex(sc.Level(hv)), rubrics.LevelIndex(sc.Level(mv)))
		}
	}
	out := make([]AgreementRow, 0, len(pairs))
	for k, p := range pairs {
		a := agreement.Agree(p[0], p[1])
		for _, f := range []*float64{&a.QWK, &a.Exact, &a.Adjacent, &a.WeightedF1, &a.Spearman, &a.Pearson, &a.SMD} {
			if math.IsNaN(*f) {
				*f = 0
			}
			*f = math.Round(*f*1000) / 1000
		}
		out = append(out, AgreementRow{Language: k.lang, Dimension: k.dim, Agreement: a})
	}
	order := func(d string) int {
		if d == DimensionLevel {
			return -1
		}
		if i := slices.Index(rubrics.Dimensions, d); i >= 0 {
			return i
		}
		return len(rubrics.Dimensions)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Language != out[j].Language {
			return out[i].Language < out[j].Language
		}
		if oi, oj := order(out[i].Dimension), order(out[j].Dimension); oi != oj {
			return oi < oj
		}
		return out[i].Dimension < out[j].Dimension
	})
	return out
}
