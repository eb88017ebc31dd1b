package rubrics

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Calibration is what `langassess calibrate` fitted for one language of a
// rubric: dimension weights and cut scores, and the figures that show how
// well they agree with human ratings. WriteCalibration stores it in a
// rubric file.
type Calibration struct {
	Rubric   string             // rubric id; "" = the file's only rubric, or its default writing rubric
	Language string             // ISO 639-1
	Weights  map[string]float64 // dimension -> weight; 0 drops the dimension
	Cuts     []Cut              // consecutive CEFR levels, increasing Min
	Metrics  map[string]float64 // e.g. qwk, exact, adjacent, f1_weighted, spearman, smd
	Data     string             // what it was fitted on, e.g. "merlin/merlin_dev.tsv (de)"
	N        int                // rated texts
	Folds    int                // cross-validation folds
	Date     string             // YYYY-MM-DD; "" = none
	Note     string
}

// WriteCalibration sets the weights, cuts and calibration figures of one
// language of a rubric in the YAML file at path.
//
// Rated texts cannot measure comprehension (it needs an item) or fluency
// (it needs a recording). When the rubric's default weights have those
// and the calibration does not, they keep their share of the default
// weights beside the fitted ones: an item answer still counts its key
// points, and for an answer without them Scale.Combine renormalises to
// exactly the fitted weights. The rest of the file,
// comments included, is kept: the edit is made on the yaml.v3 node tree,
// so a hand-maintained file stays readable (yaml.v3 re-indents it to two
// spaces). The file is replaced atomically.
func WriteCalibration(path string, c Calibration) error {
	if err := checkCalibration(path, c); err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("rubrics: write calibration: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("rubrics: write calibration: %s: %w", path, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return fmt.Errorf("rubrics: write calibration: %s is not a mapping", path)
	}
	r, err := findRubric(doc.Content[0], c.Rubric)
	if err != nil {
		return fmt.Errorf("rubrics: write calibration: %s: %w", path, err)
	}
	langs := mapValue(r, "languages", func() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} })
	lang := mapValue(langs, c.Language, func() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} })
	setValue(lang, "weights", weightsNode(carryOver(lookup(r, "weights"), c.Weights)))
	setValue(lang, "cuts", cutsNode(c.Cuts))
	setValue(lang, "calibration", fitNode(c))

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return fmt.Errorf("rubrics: write calibration: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("rubrics: write calibration: %w", err)
	}
	// The edited file must still decode strictly; a pack that no longer
	// loads would stop the service at its next start.
	if _, _, errs := decodeFile(path, buf.Bytes()); errs != nil {
		return fmt.Errorf("rubrics: write calibration produced an invalid file: %w", errs)
	}
	if err := checkInPack(path, buf.Bytes()); err != nil {
		return err
	}
	return writeAtomic(path, buf.Bytes())
}

func checkCalibration(path string, c Calibration) error {
	ck := &checker{}
	l := loc{src: &source{name: path}}
	if !reLang.MatchString(c.Language) {
		ck.add(l, "calibration language %q is not an ISO 639-1 code", c.Language)
	}
	w := map[string]float64{}
	for d, v := range c.Weights {
		if v != 0 {
			w[d] = v
		}
	}
	ck.weights(l, w)
	cuts := map[string]float64{}
	for _, cut := range c.Cuts {
		if _, dup := cuts[cut.Level]; dup {
			ck.add(l, "cut for %s given twice", cut.Level)
		}
		cuts[cut.Level] = cut.Min
	}
	ck.cuts(l, cuts)
	ck.fit(l, &fitDoc{N: c.N, Folds: c.Folds, Date: c.Date, Metrics: c.Metrics})
	if err := ck.errs.err(); err != nil {
		return fmt.Errorf("rubrics: write calibration: %w", err)
	}
	return nil
}

// findRubric picks the rubric mapping to edit.
func findRubric(top *yaml.Node, id string) (*yaml.Node, error) {
	list := lookup(top, "rubrics")
	if list == nil || list.Kind != yaml.SequenceNode || len(list.Content) == 0 {
		return nil, errors.New("no rubrics: list in the file")
	}
	var ids []string
	var def *yaml.Node
	for _, r := range list.Content {
		rid := lookup(r, "id")
		if rid == nil {
			continue
		}
		ids = append(ids, rid.Value)
		if rid.Value == id {
			return r, nil
		}
		if d, s := lookup(r, "default"), lookup(r, "skill"); d != nil && d.Value == "true" && s != nil && s.Value == SkillWriting {
			def = r
		}
	}
	switch {
	case id != "":
		return nil, fmt.Errorf("no rubric %q (the file has %s)", id, strings.Join(ids, ", "))
	case len(list.Content) == 1:
		return list.Content[0], nil
	case def != nil:
		return def, nil
	}
	return nil, fmt.Errorf("the file has several rubrics (%s): name one", strings.Join(ids, ", "))
}

func lookup(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// mapValue returns m[key], adding it (made by mk) when missing.
func mapValue(m *yaml.Node, key string, mk func() *yaml.Node) *yaml.Node {
	if v := lookup(m, key); v != nil && v.Kind == yaml.MappingNode {
		return v
	}
	v := mk()
	setValue(m, key, v)
	return v
}

// setValue replaces m[key] in place, keeping the key and the comments
// around the old value, or appends the entry.
func setValue(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			old := m.Content[i+1]
			v.HeadComment, v.LineComment, v.FootComment = old.HeadComment, old.LineComment, old.FootComment
			m.Content[i+1] = v
			return
		}
	}
	// A block mapping that was written as {} needs block style to take
	// nested entries readably.
	m.Style &^= yaml.FlowStyle
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

// num renders a rounded number; integral values get the int tag so the
// encoder writes 40, not !!float 40.
func num(v float64, decimals int) *yaml.Node {
	p := math.Pow(10, float64(decimals))
	v = math.Round(v*p) / p
	s := strconv.FormatFloat(v, 'f', -1, 64)
	tag := "!!float"
	if !strings.ContainsAny(s, ".eE") {
		tag = "!!int"
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s}
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func weightsNode(w map[string]float64) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, d := range Dimensions {
		if v, ok := w[d]; ok && v != 0 {
			n.Content = append(n.Content, str(d), num(v, 4))
		}
	}
	return n
}

func cutsNode(cuts []Cut) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	sorted := slices.Clone(cuts)
	slices.SortFunc(sorted, func(a, b Cut) int { return LevelIndex(a.Level) - LevelIndex(b.Level) })
	for _, c := range sorted {
		n.Content = append(n.Content, str(c.Level), num(c.Min, 1))
	}
	return n
}

func fitNode(c Calibration) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	if c.Data != "" {
		n.Content = append(n.Content, str("data"), str(c.Data))
	}
	n.Content = append(n.Content, str("n"), num(float64(c.N), 0))
	if c.Folds > 0 {
		n.Content = append(n.Content, str("folds"), num(float64(c.Folds), 0))
	}
	if c.Date != "" {
		n.Content = append(n.Content, str("date"), str(c.Date))
	}
	if len(c.Metrics) > 0 {
		m := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
		for _, k := range sortedKeys(c.Metrics) {
			m.Content = append(m.Content, str(k), num(c.Metrics[k], 3))
		}
		n.Content = append(n.Content, str("metrics"), m)
	}
	if c.Note != "" {
		n.Content = append(n.Content, str("note"), str(c.Note))
	}
	return n
}

func writeAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".calibration-*.yaml")
	if err != nil {
		return fmt.Errorf("rubrics: write calibration: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("rubrics: write calibration: %w", err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("rubrics: write calibration: %w", err)
	}
	// on disk before the rename, or a crash right after it can leave an
	// empty rubric file in place of the old one
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("rubrics: write calibration: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("rubrics: write calibration: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("rubrics: write calibration: %w", err)
	}
	return nil
}

// checkInPack loads the pack the file belongs to (a pack.yaml beside it,
// or above its rubrics/ folder) with the new contents in place: a
// calibration for a language the pack does not configure would otherwise
// leave a pack the service refuses at its next start.
func checkInPack(path string, data []byte) error {
	dir := filepath.Dir(path)
	if slices.Contains(packSubdirs, filepath.Base(dir)) {
		dir = filepath.Dir(dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "pack.yaml")); err != nil {
		return nil // a loose rubric file: nothing more to check against
	}
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return fmt.Errorf("rubrics: write calibration: %w", err)
	}
	over := overlayFS{FS: os.DirFS(dir), name: filepath.ToSlash(rel), data: data}
	if _, err := loadFS(over, ".", dir); err != nil {
		return fmt.Errorf("rubrics: write calibration would break pack %s: %w", dir, err)
	}
	return nil
}

// overlayFS shows data in place of one file of an fs.FS.
type overlayFS struct {
	fs.FS
	name string
	data []byte
}

func (o overlayFS) ReadFile(name string) ([]byte, error) {
	if path.Clean(name) == o.name {
		return o.data, nil
	}
	return fs.ReadFile(o.FS, name)
}

// unfittable are the dimensions rated texts without items or recordings
// cannot measure.
var unfittable = []string{DimComprehension, DimFluency}

// carryOver adds to the fitted weights the unfittable dimensions of the
// rubric's default weights (node def), at their default share.
func carryOver(def *yaml.Node, fitted map[string]float64) map[string]float64 {
	out := map[string]float64{}
	var sumFitted float64
	for d, v := range fitted {
		if v != 0 {
			out[d] = v
			sumFitted += v
		}
	}
	defaults := map[string]float64{}
	if def != nil {
		_ = def.Decode(&defaults) // an invalid default is reported by validation, not here
	}
	var sumDef, shareKept float64
	for _, v := range defaults {
		sumDef += v
	}
	kept := map[string]float64{}
	for _, d := range unfittable {
		if v, ok := defaults[d]; ok && v > 0 && sumDef > 0 {
			if _, fit := fitted[d]; !fit {
				kept[d] = v / sumDef
				shareKept += v / sumDef
			}
		}
	}
	if shareKept <= 0 || shareKept >= 1 || sumFitted <= 0 {
		return out
	}
	for d, share := range kept {
		out[d] = share / (1 - shareKept) * sumFitted
	}
	return out
}
