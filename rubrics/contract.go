package rubrics

// CONTRACT STUB written by the lead so other packages compile. The rubrics
// helper owns this package and replaces this file; the exported names below
// must stay (api, store and grading use them), more may be added.

import "errors"

// Item kinds.
const (
	KindWritten = "written"
	KindSpoken  = "spoken"
	KindReading = "reading"
)

// Pack is a loaded, validated rubric pack. Immutable after load.
type Pack struct {
	ID          string // e.g. "customer-support-v1"
	Version     string // recorded with every score
	Languages   []string
	Assessments []*Assessment
}

// Assessment is a set of items a candidate answers in each of its languages.
type Assessment struct {
	ID    string
	Title string
	Items []*Item
}

// Item is one question.
type Item struct {
	ID      string
	Kind    string            // KindWritten, KindSpoken, KindReading
	Skill   string            // reading | writing | speaking
	Prompts map[string]string // language -> prompt shown to the candidate
}

// Prompt returns the prompt in lang ("" when the item has none in lang).
func (it *Item) Prompt(lang string) string { return it.Prompts[lang] }

// Languages the item is available in.
func (it *Item) Languages() []string {
	out := make([]string, 0, len(it.Prompts))
	for l := range it.Prompts {
		out = append(out, l)
	}
	return out
}

// Default returns the embedded customer-support-v1 pack.
func Default() (*Pack, error) { return nil, errors.New("rubrics: not implemented") }

// Load reads a custom pack from a directory.
func Load(dir string) (*Pack, error) { return nil, errors.New("rubrics: not implemented") }

// Assessment finds an assessment by id.
func (p *Pack) Assessment(id string) (*Assessment, bool) {
	for _, a := range p.Assessments {
		if a.ID == id {
			return a, true
		}
	}
	return nil, false
}

// Item finds an item by id.
func (a *Assessment) Item(id string) (*Item, bool) {
	for _, it := range a.Items {
		if it.ID == id {
			return it, true
		}
	}
	return nil, false
}
