package rubrics

import "testing"

func TestDefaultLoads(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != DefaultID {
		t.Errorf("id = %q", p.ID)
	}
	for _, lang := range p.Languages {
		if _, ok := p.WritingRubric(lang); !ok {
			t.Errorf("no writing rubric for %s", lang)
		}
	}
}
