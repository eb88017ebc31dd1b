package calibrate

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestReadSamples(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		defLang string
		want    []Sample
		skipped int
	}{
		{"merlin tsv", "id\tlang\tcefr_overall\tGrammaticalaccuracy\tOrthography\ttext\n" +
			"1\tde\tB1\tA2\tB2\tHallo\\nWelt\n" +
			"2\tit\tX9\tA2\tB2\tCiao\n" +
			"3\tcs\t\"A2\"\tB1\tB1\t\"Ahoj \"\"svete\"\"\"\n", "",
			[]Sample{{ID: "1", Lang: "de", Text: "Hallo\nWelt", Level: 2}, {ID: "3", Lang: "cs", Text: `Ahoj "svete"`, Level: 1}}, 1},
		{"wi jsonl", `{"id": "x1", "cefr": "B2.ii", "text": "An essay."}` + "\n\n" +
			`{"id": 7, "cefr": "C2+", "text": "Another."}` + "\n" +
			`{"cefr": "A1.i", "text": "  "}` + "\n", "en",
			[]Sample{{ID: "x1", Lang: "en", Text: "An essay.", Level: 3}, {ID: "7", Lang: "en", Text: "Another.", Level: 5}}, 1},
		{"level column", "text\tlevel\nsome text\ta2\n", "pl", []Sample{{Lang: "pl", Text: "some text", Level: 1}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, skipped, err := ReadSamples(strings.NewReader(tt.in), tt.defLang)
			if err != nil {
				t.Fatal(err)
			}
			if skipped != tt.skipped || len(got) != len(tt.want) {
				t.Fatalf("got %d samples (%d skipped), want %d (%d): %+v", len(got), skipped, len(tt.want), tt.skipped, got)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.ID != w.ID || g.Lang != w.Lang || g.Text != w.Text || g.Level != w.Level {
					t.Errorf("sample %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
	if _, _, err := ReadSamples(strings.NewReader("id\tlevel\n1\tB1\n"), ""); err == nil {
		t.Error("TSV without a text column accepted")
	}
	if _, _, err := ReadSamples(strings.NewReader("{not json\n"), ""); err == nil {
		t.Error("broken JSON line accepted")
	}
	if got, _, _ := ReadSamples(strings.NewReader("text\tlevel\nx\tB1\n"), ""); got[0].Sub["Orthography"] != 0 || len(got[0].Sub) != 0 {
		t.Errorf("unexpected sub-ratings %v", got[0].Sub)
	}
}

func TestParseLevel(t *testing.T) {
	for in, want := range map[string]int{"A1": 0, "b2": 3, "C1.ii": 4, "C2+": 5, "D1": -1, "": -1, " B1 ": 2} {
		if got := ParseLevel(in); got != want {
			t.Errorf("ParseLevel(%q) = %d, want %d", in, got, want)
		}
	}
}

// FuzzReadSamples: rated data files come from users; whatever they hold,
// the reader must not panic and every sample it returns must be usable.
func FuzzReadSamples(f *testing.F) {
	f.Add([]byte("id\tlang\tcefr_overall\ttext\n1\tde\tB1\tHallo\\nWelt\n"))
	f.Add([]byte(`{"id": "x", "cefr": "A2.i", "text": "An essay."}` + "\n"))
	f.Add([]byte("text\tlevel\n\"unterminated\tB1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, _, _ := ReadSamples(strings.NewReader(string(data)), "en")
		for _, s := range got {
			if s.Level < 0 || s.Level > 5 || strings.TrimSpace(s.Text) == "" {
				t.Fatalf("unusable sample %+v", s)
			}
		}
	})
}

func TestSplitHeldOut(t *testing.T) {
	var samples []Sample
	for i := range 2000 {
		samples = append(samples, Sample{ID: strconv.Itoa(i), Text: "text number " + strconv.Itoa(i)})
	}
	dev, test := SplitHeldOut(samples)
	if len(dev)+len(test) != len(samples) {
		t.Fatalf("split lost samples: %d + %d != %d", len(dev), len(test), len(samples))
	}
	share := float64(len(test)) / float64(len(samples))
	if share < 0.17 || share > 0.23 {
		t.Errorf("held-out share = %.3f, want about 0.20", share)
	}
	// The split depends on the text only: reversing the order or dropping
	// other samples does not move a text between splits.
	rev := slices.Clone(samples)
	slices.Reverse(rev)
	_, test2 := SplitHeldOut(rev[:500])
	for _, s := range test2 {
		if !HeldOut(s.Text) {
			t.Errorf("%q in the test split but HeldOut is false", s.Text)
		}
	}
	inTest := map[string]bool{}
	for _, s := range test {
		inTest[s.ID] = true
	}
	for _, s := range rev[:500] {
		if HeldOut(s.Text) != inTest[s.ID] {
			t.Errorf("%q moved between splits", s.Text)
		}
	}
}
