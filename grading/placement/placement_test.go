package placement

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/langassess/langassess/rubrics"
)

func defaultPack(t *testing.T) *rubrics.Pack {
	t.Helper()
	p, err := rubrics.Default()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func ans(lang, skill, machine string, mod ...func(*Answer)) Answer {
	a := Answer{Language: lang, ItemID: skill + "-" + machine, Skill: skill, Weight: 1, Graded: true, MachineLevel: machine}
	for _, m := range mod {
		m(&a)
	}
	return a
}

func TestLevelFromValue(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{{-1, "A1"}, {0, "A1"}, {0.5, "A1"}, {0.51, "A2"}, {2.5, "B1"}, {2.5001, "B2"}, {3.49, "B2"}, {5, "C2"}, {9, "C2"}} {
		if got := LevelFromValue(tt.v); got != tt.want {
			t.Errorf("LevelFromValue(%v) = %s, want %s", tt.v, got, tt.want)
		}
	}
}

func TestFinalLevels(t *testing.T) {
	decided := func(level string) func(*Answer) {
		return func(a *Answer) { a.Review, a.HumanLevel = "decided", level }
	}
	tests := []struct {
		name     string
		answers  []Answer
		want     map[string]SkillLevel // "lang/skill"
		complete map[string]bool
	}{
		{
			name: "weighted mean, halves down",
			answers: []Answer{
				ans("de", "writing", "B1"), ans("de", "writing", "B2"),
				ans("de", "reading", "B2", func(a *Answer) { a.Weight = 3 }), ans("de", "reading", "B1"),
			},
			want: map[string]SkillLevel{
				"de/writing": {Skill: "writing", Level: "B1", Value: 2.5, Answers: 2},
				"de/reading": {Skill: "reading", Level: "B2", Value: 2.75, Answers: 2},
			},
			complete: map[string]bool{"de": true},
		},
		{
			name: "decision overrides the machine; an open review keeps it incomplete",
			answers: []Answer{
				ans("en", "speaking", "A2", decided("B2")),
				ans("en", "writing", "C1", func(a *Answer) { a.Review = "open" }),
				ans("fr", "writing", "B1"), {Language: "fr", Skill: "writing", Graded: false},
				{Language: "fr", Skill: "reading", Graded: true, Failed: true, MachineLevel: "C2"},
			},
			want: map[string]SkillLevel{
				"en/speaking": {Skill: "speaking", Level: "B2", Value: 3, Answers: 1, Reviewed: 1},
				"en/writing":  {Skill: "writing", Level: "C1", Value: 4, Answers: 1},
				"fr/writing":  {Skill: "writing", Level: "B1", Value: 2, Answers: 1},
			},
			complete: map[string]bool{"en": false, "fr": false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string]SkillLevel{}
			for _, l := range FinalLevels(tt.answers) {
				for s, sl := range l.Skills {
					got[l.Language+"/"+s] = sl
				}
				if c := l.Complete(); c != tt.complete[l.Language] {
					t.Errorf("%s complete = %v, want %v", l.Language, c, tt.complete[l.Language])
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("levels\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestPlace(t *testing.T) {
	pack := defaultPack(t)
	goodAudio := &Audio{SNRdB: 30, ClippedRatio: 0, LoudnessLUFS: -20}
	withAudio := func(a *Audio) func(*Answer) { return func(x *Answer) { x.Audio = a } }
	scores := func(m map[string]float64) func(*Answer) { return func(x *Answer) { x.MachineScores = m } }
	tests := []struct {
		name     string
		answers  []Answer
		eligible []string // queue ids in rank order
		near     []string
		gaps     map[string][]Gap
		training map[string]int // queue -> steps
	}{
		{
			name: "strong German candidate: every German queue, ranked by margin",
			answers: []Answer{
				ans("de", "reading", "C1"), ans("de", "writing", "B2"), ans("de", "speaking", "C2", withAudio(goodAudio)),
			},
			// voice: min(speaking 5-3, reading 4-2) = 2; chat: min(writing 3-2, reading 4-3) = 1; email: min(3-3, 4-3) = 0
			eligible: []string{"de-voice", "de-chat", "de-email"},
			near:     []string{},
		},
		{
			name: "one band short in writing: email is a near miss with a training path",
			answers: []Answer{
				ans("en", "reading", "B2"),
				ans("en", "writing", "B1", scores(map[string]float64{"grammar": 40, "spelling": 80, "vocabulary": 55, "length": 10})),
			},
			eligible: []string{"en-chat"},
			near:     []string{"en-email"},
			gaps:     map[string][]Gap{"en-email": {{Skill: "writing", Have: "B1", Need: "B2", Bands: 1, Distance: 1}}},
			training: map[string]int{"en-email": 1},
		},
		{
			name: "noisy recordings: voice is a near miss on audio alone; one band short in two skills is near, two bands is not",
			answers: []Answer{
				ans("fr", "reading", "B1"), ans("fr", "writing", "A2"),
				ans("fr", "speaking", "C1", withAudio(&Audio{SNRdB: 9, ClippedRatio: 0.01, LoudnessLUFS: -30})),
			},
			eligible: []string{},
			near:     []string{"fr-voice", "fr-chat"},
			gaps: map[string][]Gap{"fr-voice": {}, "fr-chat": {
				{Skill: "reading", Have: "B1", Need: "B2", Bands: 1, Distance: 1},
				{Skill: "writing", Have: "A2", Need: "B1", Bands: 1, Distance: 1},
			}},
			training: map[string]int{"fr-voice": 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Place(FinalLevels(tt.answers), pack.Queues())
			var el, nm []string
			for _, m := range p.Eligible {
				el = append(el, m.Queue)
			}
			for _, n := range p.NearMisses {
				nm = append(nm, n.Queue)
				if want, ok := tt.gaps[n.Queue]; ok && !reflect.DeepEqual(n.Gaps, want) {
					t.Errorf("%s gaps %+v, want %+v", n.Queue, n.Gaps, want)
				}
				if want, ok := tt.training[n.Queue]; ok && len(n.Training) != want {
					t.Errorf("%s training %+v, want %d steps", n.Queue, n.Training, want)
				}
			}
			if strings.Join(el, ",") != strings.Join(tt.eligible, ",") {
				t.Errorf("eligible %v, want %v", el, tt.eligible)
			}
			if strings.Join(nm, ",") != strings.Join(tt.near, ",") {
				t.Errorf("near misses %v, want %v", nm, tt.near)
			}
		})
	}
}

func TestTrainingFocus(t *testing.T) {
	pack := defaultPack(t)
	l := FinalLevels([]Answer{
		ans("en", "reading", "B2"),
		{Language: "en", Skill: "writing", Weight: 1, Graded: true, MachineLevel: "B1", Review: "decided", HumanLevel: "B1",
			MachineScores: map[string]float64{"grammar": 90},
			HumanScores:   map[string]float64{"grammar": 40, "spelling": 80, "vocabulary": 55, "length": 1}},
	})
	p := Place(l, pack.Queues())
	if len(p.NearMisses) != 1 {
		t.Fatalf("near misses %+v", p.NearMisses)
	}
	st := p.NearMisses[0].Training[0]
	// The grader's scores stand; length is never a training focus.
	if !reflect.DeepEqual(st.Focus, []string{"grammar", "vocabulary"}) || !strings.Contains(st.Text, "grammar accuracy") {
		t.Errorf("step %+v", st)
	}
}

// The export bodies are checked against the request shapes the platforms
// document:
//   - Amazon Connect AssociateUserProficiencies,
//     https://docs.aws.amazon.com/connect/latest/APIReference/API_AssociateUserProficiencies.html:
//     {"UserProficiencies": [{"AttributeName": string, "AttributeValue": string, "Level": number}]},
//     and UserProficiency (API_UserProficiency.html): Level is a Float, 1.0-5.0; names 1-64/100 chars.
//   - Genesys Cloud PATCH /api/v2/users/{userId}/routinglanguages/bulk
//     (UsersApi patchUserRoutinglanguagesBulk, body: array of UserRoutingLanguagePost,
//     "Max 50 routing languages in request body"): {"id": string (the routing
//     language id), "proficiency": number 0.0-5.0}.
func TestExportShapes(t *testing.T) {
	pack := defaultPack(t)
	levels := FinalLevels([]Answer{
		ans("de", "reading", "C1"), ans("de", "writing", "B2"), // de: lowest B2
		ans("en", "writing", "C2"), // en: C2
		ans("fr", "writing", "A1"),
	})

	t.Run("amazon-connect", func(t *testing.T) {
		body, err := AmazonConnect(levels, pack, nil)
		if err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(body)
		// Strict decode into the documented shape: no other field may appear.
		var doc struct {
			UserProficiencies []struct {
				AttributeName  string  `json:"AttributeName"`
				AttributeValue string  `json:"AttributeValue"`
				Level          float64 `json:"Level"`
			} `json:"UserProficiencies"`
		}
		dec := json.NewDecoder(bytes.NewReader(js))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		want := `{"UserProficiencies":[{"AttributeName":"Language","AttributeValue":"German","Level":4},` +
			`{"AttributeName":"Language","AttributeValue":"English","Level":5},{"AttributeName":"Language","AttributeValue":"French","Level":1}]}`
		if string(js) != want {
			t.Errorf("body\n got %s\nwant %s", js, want)
		}
		for _, p := range doc.UserProficiencies {
			if p.Level < 1 || p.Level > 5 || p.AttributeName == "" || len(p.AttributeValue) > 64 {
				t.Errorf("outside the documented ranges: %+v", p)
			}
		}
		custom, err := AmazonConnect(levels[:1], pack, map[string]string{"de": "Deutsch"})
		if err != nil || custom.UserProficiencies[0].AttributeValue != "Deutsch" {
			t.Errorf("custom name: %+v %v", custom, err)
		}
	})

	t.Run("genesys", func(t *testing.T) {
		ids := map[string]string{"de": "2b5c1b4e-de00-4c39-9f3a-000000000001", "en": "2b5c1b4e-e000-4c39-9f3a-000000000002", "fr": "2b5c1b4e-f000-4c39-9f3a-000000000003"}
		body, err := Genesys(levels, pack, ids)
		if err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(body)
		var doc []struct {
			ID          string  `json:"id"`
			Proficiency float64 `json:"proficiency"`
		}
		dec := json.NewDecoder(bytes.NewReader(js))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		want := `[{"id":"` + ids["de"] + `","proficiency":3},{"id":"` + ids["en"] + `","proficiency":5},{"id":"` + ids["fr"] + `","proficiency":0}]`
		if string(js) != want {
			t.Errorf("body\n got %s\nwant %s", js, want)
		}
		if len(doc) > GenesysMaxLanguages {
			t.Errorf("%d languages", len(doc))
		}
		if _, err := Genesys(levels, pack, map[string]string{"de": "x"}); !errors.Is(err, ErrUnmapped) || !strings.Contains(err.Error(), "en fr") {
			t.Errorf("missing ids: %v", err)
		}
	})
}

func TestAgreement(t *testing.T) {
	pack := defaultPack(t)
	sc, _ := pack.WritingRubric("en")
	// Scores in the middle of each band of the generic English writing
	// scale, so the expected levels follow from the cuts.
	mid := map[string]float64{}
	for i, c := range sc.Cuts {
		hi := 100.0
		if i+1 < len(sc.Cuts) {
			hi = sc.Cuts[i+1].Min
		}
		mid[c.Level] = (c.Min + hi) / 2
	}
	rv := func(h, m string) Reviewed {
		return Reviewed{ItemID: "none", Language: "en", HumanLevel: h, MachineLevel: m,
			HumanScores: map[string]float64{"grammar": mid[h]}, MachineScores: map[string]float64{"grammar": mid[m], "spelling": 50}}
	}
	rows := Agreement(pack, []Reviewed{rv("B1", "B1"), rv("B2", "B1"), rv("C1", "B1"), rv("B2", "B2"),
		{Language: "de", HumanLevel: "A2", MachineLevel: "A2"}})
	if len(rows) != 3 {
		t.Fatalf("rows %+v", rows)
	}
	got := []string{rows[0].Language + "/" + rows[0].Dimension, rows[1].Language + "/" + rows[1].Dimension, rows[2].Language + "/" + rows[2].Dimension}
	if strings.Join(got, ",") != "de/level,en/level,en/grammar" {
		t.Errorf("row order %v", got)
	}
	for _, r := range rows[1:] {
		// 2 of 4 exact, 3 of 4 adjacent; the machine is lower on average: SMD < 0.
		if r.N != 4 || r.Exact != 0.5 || r.Adjacent != 0.75 || r.SMD >= 0 {
			t.Errorf("%s: %+v", r.Dimension, r.Agreement)
		}
	}
	if rows[0].N != 1 || rows[0].Exact != 1 {
		t.Errorf("de: %+v", rows[0])
	}
}

func TestReport(t *testing.T) {
	pack := defaultPack(t)
	hour := time.Hour
	strong := Summarize(Candidate{ID: "a", Answers: []Answer{
		ans("de", "reading", "C1"), ans("de", "writing", "B2"), ans("de", "speaking", "C1", func(a *Answer) { a.Audio = &Audio{SNRdB: 30, LoudnessLUFS: -20} }),
	}, TimeToDecision: map[string]time.Duration{"de": 2 * hour}})
	weak := Summarize(Candidate{ID: "b", Answers: []Answer{ans("de", "reading", "B2"), ans("de", "writing", "B1")},
		TimeToDecision: map[string]time.Duration{"de": 4 * hour}})
	open := Summarize(Candidate{ID: "c", Answers: []Answer{ans("de", "writing", "C2", func(a *Answer) { a.Review = "open" })}})
	rows := Report([]Summary{strong, weak, open}, pack.Queues(), "de", "")
	if len(rows) != 3 {
		t.Fatalf("rows %+v", rows)
	}
	want := map[string][4]int{ // assessed, complete, eligible, pending review
		"voice": {3, 2, 1, 1}, "chat": {3, 2, 2, 1}, "email": {3, 2, 1, 1},
	}
	for _, r := range rows {
		got := [4]int{r.Assessed, r.Complete, r.Eligible, r.PendingReview}
		if got != want[r.Channel] || r.MedianTimeToDecisionSec == nil || *r.MedianTimeToDecisionSec != 3*3600 {
			t.Errorf("%s: %v, median %v; want %v, 3h", r.Channel, got, r.MedianTimeToDecisionSec, want[r.Channel])
		}
		if r.Coverage == nil || *r.Coverage != math.Round(float64(r.Eligible)/float64(r.Demand)*1000)/1000 {
			t.Errorf("%s coverage %v for %d of %d", r.Channel, r.Coverage, r.Eligible, r.Demand)
		}
	}
	if rows[1].Levels["writing"]["B1"] != 1 || rows[1].Levels["writing"]["B2"] != 1 || rows[1].Levels["writing"]["C2"] != 0 {
		t.Errorf("chat writing levels %v (the incomplete candidate must not count)", rows[1].Levels)
	}
	if _, ok := rows[0].Levels["writing"]; ok {
		t.Errorf("voice shows writing levels: %v", rows[0].Levels)
	}
}

// TestPlatformLevel: a level the pack's map lacks, or maps outside the
// platform's range, is ErrUnmapped rather than an export with a value the
// platform rejects.
func TestPlatformLevel(t *testing.T) {
	pl := rubrics.Platform{ID: "test", Min: 1, Max: 5, Levels: map[string]int{"A1": 0, "B2": 3, "C1": 6}}
	tests := []struct {
		level    string
		want     float64
		unmapped bool
	}{
		{"B2", 3, false},
		{"A1", 0, true}, // below Min
		{"C1", 0, true}, // above Max
		{"C2", 0, true}, // not in the map
	}
	for _, tt := range tests {
		got, err := platformLevel(pl, tt.level)
		if errors.Is(err, ErrUnmapped) != tt.unmapped || got != tt.want {
			t.Errorf("platformLevel(%s) = %v, %v; want %v, unmapped %v", tt.level, got, err, tt.want, tt.unmapped)
		}
	}
}
