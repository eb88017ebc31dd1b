package rubrics

import (
	"slices"
	"strings"
	"testing"
)

func mustDefault(t *testing.T) *Pack {
	t.Helper()
	p, err := Default()
	if err != nil {
		t.Fatalf("embedded pack does not load: %v", err)
	}
	return p
}

func TestDefaultPackShape(t *testing.T) {
	p := mustDefault(t)
	if p.ID != DefaultID {
		t.Errorf("id = %q", p.ID)
	}
	if got := strings.Join(p.Languages, ","); got != "en,de,fr,es,it,pt,nl,pl,cs" {
		t.Errorf("languages = %s", got)
	}
	a, ok := p.Assessment("customer-support")
	if !ok {
		t.Fatal("no customer-support assessment")
	}
	kinds := map[string]int{}
	for _, it := range a.Items {
		kinds[it.Kind]++
	}
	if kinds[KindReading] < 3 || kinds[KindWritten] < 1 || kinds[KindSpoken] < 2 {
		t.Errorf("items by kind = %v, want reading questions, a reply and spoken prompts", kinds)
	}
	for _, lang := range p.Languages {
		if _, ok := p.WritingRubric(lang); !ok {
			t.Errorf("no generic writing rubric for %s", lang)
		}
		for _, skill := range Skills {
			// Calibrated cuts stop at the highest level in the data
			// (Italian MERLIN has no C1), but B2, the queues' highest
			// minimum, must be reachable.
			if cuts, ok := p.Cuts(lang, skill); !ok || len(cuts) < 3 || LevelIndex(cuts[len(cuts)-1].Level) < LevelIndex("B2") {
				t.Errorf("cuts(%s, %s) = %v", lang, skill, cuts)
			}
		}
	}
	if w, _ := p.DefaultRubric(SkillWriting); w.Length.MaxWords != 250 {
		t.Errorf("generic writing length = %+v", w.Length)
	}
	reply, _ := a.Item("write-reply")
	if reply == nil || reply.Length.MinWords != 80 || reply.Length.MaxWords != 150 {
		t.Errorf("write-reply length = %+v, want 80-150 words", reply)
	}
	for _, it := range a.Items {
		if it.Kind == KindSpoken && it.Length.MinSeconds <= 0 {
			t.Errorf("spoken item %s has no expected seconds", it.ID)
		}
		if r, _ := p.DefaultRubric(it.Skill); it.Rubric() != r {
			t.Errorf("item %s rubric %s, want the %s default", it.ID, it.Rubric().ID, it.Skill)
		}
	}
}

// TestDefaultPackContent checks the texts against each other in every
// language: what a reading question expects is in the e-mail (so a
// candidate who understood it can say it), forbidden statements are not
// (quoting the e-mail must not cost points), and every point has several
// phrasings.
func TestDefaultPackContent(t *testing.T) {
	p := mustDefault(t)
	a, _ := p.Assessment("customer-support")
	for _, it := range a.Items {
		for _, lang := range p.Languages {
			if strings.TrimSpace(it.Prompt(lang)) == "" {
				t.Errorf("%s/%s: no prompt", it.ID, lang)
			}
			passage := strings.ToLower(it.Passage(lang))
			for _, kp := range it.KeyPoints(lang) {
				if len(kp.Phrases) < 3 {
					t.Errorf("%s/%s: key point %s has %d alternatives, want at least 3", it.ID, lang, kp.ID, len(kp.Phrases))
				}
				if it.Kind == KindReading && !slices.ContainsFunc(kp.Phrases, func(ph string) bool {
					return strings.Contains(passage, strings.ToLower(ph))
				}) {
					t.Errorf("%s/%s: no alternative of key point %s occurs in the e-mail", it.ID, lang, kp.ID)
				}
			}
			for _, f := range it.Forbidden(lang) {
				if len(f.Phrases) < 3 {
					t.Errorf("%s/%s: forbidden %s has %d alternatives, want at least 3", it.ID, lang, f.ID, len(f.Phrases))
				}
				for _, ph := range f.Phrases {
					if passage != "" && strings.Contains(passage, strings.ToLower(ph)) {
						t.Errorf("%s/%s: forbidden phrase %q occurs in the e-mail", it.ID, lang, ph)
					}
					for _, kp := range it.KeyPoints(lang) {
						if slices.ContainsFunc(kp.Phrases, func(k string) bool { return strings.EqualFold(k, ph) }) {
							t.Errorf("%s/%s: %q is both key point %s and forbidden %s", it.ID, lang, ph, kp.ID, f.ID)
						}
					}
				}
			}
		}
	}
	// The facts the questions ask about are the same in every version.
	read, _ := a.Item("read-details")
	for _, lang := range p.Languages {
		text := read.Passage(lang)
		for _, fact := range []string{"48213-K", "89", "20"} {
			if !strings.Contains(text, fact) {
				t.Errorf("%s e-mail lacks %q", lang, fact)
			}
		}
	}
}

func TestDefaultQueues(t *testing.T) {
	p := mustDefault(t)
	qs := p.Queues()
	if len(qs) < 15 {
		t.Fatalf("%d queues", len(qs))
	}
	channels := map[string]bool{}
	for _, q := range qs {
		channels[q.Language+"-"+q.Channel] = true
		if q.Demand <= 0 {
			t.Errorf("%s: demand %d", q.ID, q.Demand)
		}
		if q.Channel == ChannelVoice && (q.Audio == nil || !AtLeast(q.MinLevels[SkillSpeaking], "B2")) {
			t.Errorf("%s: voice queue wants speaking B2 and audio requirements, has %v %+v", q.ID, q.MinLevels, q.Audio)
		}
		if q.Channel == ChannelEmail && q.MinLevels[SkillWriting] != "B2" {
			t.Errorf("%s: e-mail queue wants writing B2, has %v", q.ID, q.MinLevels)
		}
	}
	for _, want := range []string{"de-voice", "de-chat", "de-email", "en-voice", "en-chat", "en-email", "fr-chat", "fr-email"} {
		if !channels[want] {
			t.Errorf("no %s queue", want)
		}
	}
	tests := []struct {
		queue  string
		levels map[string]string
		want   bool
	}{
		{"de-voice", map[string]string{"speaking": "B2", "reading": "B1"}, true},
		{"de-voice", map[string]string{"speaking": "C1", "reading": "C2", "writing": "A1"}, true},
		{"de-voice", map[string]string{"speaking": "B1", "reading": "C1"}, false},
		{"de-voice", map[string]string{"reading": "C1"}, false},
		{"de-email", map[string]string{"writing": "B2", "reading": "B1"}, false},
		{"de-email", map[string]string{"writing": "b2", "reading": "B2"}, false},
	}
	for _, tt := range tests {
		q, ok := p.Queue(tt.queue)
		if !ok {
			t.Fatalf("no queue %s", tt.queue)
		}
		if got := q.Eligible(tt.levels); got != tt.want {
			t.Errorf("%s.Eligible(%v) = %v, want %v", tt.queue, tt.levels, got, tt.want)
		}
		short := 0
		for _, g := range q.Gaps(tt.levels) {
			short += g
		}
		if (short == 0) != tt.want {
			t.Errorf("%s.Gaps(%v) = %v, disagrees with Eligible", tt.queue, tt.levels, q.Gaps(tt.levels))
		}
	}
}

func TestQueueGaps(t *testing.T) {
	q := Queue{MinLevels: map[string]string{SkillSpeaking: "B2", SkillReading: "B1"}}
	got := q.Gaps(map[string]string{SkillSpeaking: "A2", SkillReading: "C1"})
	if got[SkillSpeaking] != 2 || got[SkillReading] != 0 || len(got) != 2 {
		t.Errorf("Gaps = %v, want speaking 2, reading 0", got)
	}
	if got := q.Gaps(nil); got[SkillSpeaking] != 4 || got[SkillReading] != 3 {
		t.Errorf("Gaps(no levels) = %v, want the full distance (4, 3)", got)
	}
}

func TestPlatformLevels(t *testing.T) {
	p := mustDefault(t)
	tests := []struct {
		platform, level string
		want            int
		ok              bool
	}{
		{"amazon-connect", "A1", 1, true},
		{"amazon-connect", "B2", 4, true},
		{"amazon-connect", "C2", 5, true},
		{"genesys-cloud", "A1", 0, true},
		{"genesys-cloud", "C2", 5, true},
		{"genesys-cloud", "B3", 0, false},
		{"teams", "B2", 0, false},
	}
	for _, tt := range tests {
		got, ok := p.PlatformLevel(tt.platform, tt.level)
		if got != tt.want || ok != tt.ok {
			t.Errorf("PlatformLevel(%s, %s) = %d, %v; want %d, %v", tt.platform, tt.level, got, ok, tt.want, tt.ok)
		}
	}
}
