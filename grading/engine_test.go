package grading

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/langassess/langassess/rubrics"
)

var update = flag.Bool("update", false, "rewrite golden files")

const goodReply = `Dear Ms Miller,

Thank you for your e-mail about order 48213-K. We are very sorry that the amount of €89.90 was charged twice. We have checked your payment and we will refund the second payment to your credit card. The money will arrive within five working days, so you will have it before 20 March and before your holiday. You do not need to send the shoes back, and you do not need to do anything else. If you have more questions, please contact us again. We wish you a wonderful holiday.

Kind regards,
Tom Baker
Customer Service`

func gradeOK(t *testing.T, e *Engine, in Input) Result {
	t.Helper()
	r, err := e.Grade(context.Background(), in)
	if err != nil {
		t.Fatalf("Grade(%s): %v", in.ID, err)
	}
	return r
}

func levelIdx(r Result) int { return rubrics.LevelIndex(r.Level) }

// TestGamingPadding: padding a good answer with repeated or off-topic
// sentences must not raise its level or its score.
func TestGamingPadding(t *testing.T) {
	e := testEngine(t, nil)
	base := gradeOK(t, e, Input{ID: "base", Language: "en", AssessmentID: "customer-support", ItemID: "write-reply", Text: goodReply})
	if base.Score == nil || base.Level == "" {
		t.Fatalf("base answer has no level: %+v", base)
	}
	// Padding goes before the closing, where it reads as part of the body.
	body, closing, _ := strings.Cut(goodReply, "\n\nKind regards")
	closing = "\n\nKind regards" + closing
	repeated := body + strings.Repeat(" We will refund the second payment to your credit card.", 6) + closing
	offTopic := body + "\n\nMy favourite football team won the championship last weekend in a dramatic final. The weather in the mountains was sunny and the snow was perfect for skiing holidays. Modern architecture often combines glass, steel and concrete in surprising ways. Elephants are the largest land animals and they live in large family groups." + closing
	// Without an item there is no topic to compare with: only repeated
	// padding is caught there (see docs: off-topic needs an item prompt).
	items := map[string][]string{"repeated": {"write-reply", ""}, "off-topic": {"write-reply"}}
	for name, text := range map[string]string{"repeated": repeated, "off-topic": offTopic} {
		t.Run(name, func(t *testing.T) {
			for _, item := range items[name] {
				in := Input{ID: name + item, Language: "en", Text: text}
				ref := Input{ID: "ref" + name + item, Language: "en", Text: goodReply}
				if item != "" {
					in.AssessmentID, in.ItemID = "customer-support", item
					ref.AssessmentID, ref.ItemID = "customer-support", item
				}
				b := gradeOK(t, testEngine(t, nil), ref)
				p := gradeOK(t, testEngine(t, nil), in)
				if levelIdx(p) > levelIdx(b) || *p.Score > *b.Score+0.05 {
					t.Errorf("item %q: padded answer %s (%.1f) beats the original %s (%.1f)", item, p.Level, *p.Score, b.Level, *b.Score)
				}
			}
		})
	}
}

func TestFlags(t *testing.T) {
	pack, err := testPack()
	if err != nil {
		t.Fatal(err)
	}
	a, _ := pack.Assessment("customer-support")
	reply, _ := a.Item("write-reply")
	tests := []struct {
		name     string
		in       Input
		want     []string
		dontWant []string
	}{
		{"good answer", Input{Language: "en", AssessmentID: "customer-support", ItemID: "write-reply", Text: goodReply},
			nil, []string{FlagWrongLanguage, FlagMixedLanguage, FlagTooShort, FlagOffTopic, FlagCopiedPrompt}},
		{"copied prompt", Input{Language: "en", AssessmentID: "customer-support", ItemID: "write-reply", Text: reply.Prompt("en") + " " + reply.Prompt("en")},
			[]string{FlagCopiedPrompt}, nil},
		{"another language", Input{Language: "en", Text: "Sehr geehrte Frau Miller, wir haben Ihre E-Mail gelesen und die zweite Zahlung wird auf Ihre Kreditkarte zurückerstattet. Das Geld ist in fünf Tagen auf dem Konto, und Sie müssen die Schuhe nicht zurückschicken. Mit freundlichen Grüßen"},
			[]string{FlagWrongLanguage}, nil},
		{"mixed languages", Input{Language: "en", Text: "Dear Ms Miller, we are sorry and we will refund the second payment to your card. The money will be in your account in five days and you can keep the shoes. Wir haben die Zahlung geprüft und die Erstattung ist auf dem Weg zu Ihnen, und das ist sicher. Sie müssen nichts mehr tun und wir wünschen Ihnen einen schönen Urlaub."},
			[]string{FlagMixedLanguage}, []string{FlagWrongLanguage}},
		{"short answer in no language", Input{Language: "en", AssessmentID: "customer-support", ItemID: "read-details", Text: "48213-K"},
			nil, []string{FlagWrongLanguage, FlagMixedLanguage, FlagLowLanguageConfidence}},
		{"ok", Input{Language: "de", Text: "OK"}, []string{FlagTooShort}, []string{FlagWrongLanguage}},
		{"off topic", Input{Language: "en", AssessmentID: "customer-support", ItemID: "write-reply", Text: "My favourite football team won the championship last weekend in a dramatic final. The weather in the mountains was sunny and the snow was perfect for skiing holidays. Modern architecture often combines glass, steel and concrete in surprising ways. Elephants are the largest land animals and they live in large family groups. Many people enjoy cooking pasta with tomatoes and fresh basil from their gardens."},
			[]string{FlagOffTopic}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.ID = tt.name
			r := gradeOK(t, testEngine(t, nil), tt.in)
			for _, c := range tt.want {
				if !r.HasFlag(c) {
					t.Errorf("missing flag %s; flags %+v", c, r.Flags)
				}
			}
			for _, c := range tt.dontWant {
				if r.HasFlag(c) {
					t.Errorf("unexpected flag %s; flags %+v", c, r.Flags)
				}
			}
		})
	}
}

func TestDuplicateAnswer(t *testing.T) {
	e := testEngine(t, nil)
	in := Input{ID: "cand-1", Language: "en", AssessmentID: "customer-support", ItemID: "write-reply", Text: goodReply}
	if r := gradeOK(t, e, in); r.HasFlag(FlagDuplicateAnswer) {
		t.Fatalf("first answer flagged as duplicate")
	}
	if r := gradeOK(t, e, in); r.HasFlag(FlagDuplicateAnswer) {
		t.Errorf("regrading the same answer id must not flag it")
	}
	in.ID = "cand-2"
	in.Text = strings.Replace(goodReply, "Tom Baker", "Ann Lee", 1)
	r := gradeOK(t, e, in)
	if !r.HasFlag(FlagDuplicateAnswer) {
		t.Fatalf("copied answer not flagged: %+v", r.Flags)
	}
	for _, f := range r.Flags {
		if f.Code == FlagDuplicateAnswer && f.Evidence["other_id"] != "cand-1" {
			t.Errorf("evidence %v, want other_id cand-1", f.Evidence)
		}
	}
	// Another item's index is separate.
	in.ID, in.ItemID = "cand-3", ""
	in.AssessmentID = ""
	if r := gradeOK(t, e, in); r.HasFlag(FlagDuplicateAnswer) {
		t.Errorf("generic answer matched an item answer")
	}
}

func TestInputErrors(t *testing.T) {
	e := testEngine(t, nil)
	tests := []struct {
		in          Input
		code, field string
	}{
		{Input{Language: "xx", Text: "hello"}, "language.unsupported", "/language"},
		{Input{Language: "en"}, "answer.empty", "/text"},
		{Input{Language: "en", AssessmentID: "nope", ItemID: "x", Text: "hi"}, "item.unknown", "/assessment_id"},
		{Input{Language: "en", AssessmentID: "customer-support", ItemID: "nope", Text: "hi"}, "item.unknown", "/item_id"},
		{Input{Language: "en", Audio: []byte("definitely not a wav file")}, "audio.invalid", "/audio"},
	}
	for _, tt := range tests {
		_, err := e.Grade(context.Background(), tt.in)
		var ie *InputError
		if !errors.As(err, &ie) || ie.Code != tt.code || ie.Field != tt.field {
			t.Errorf("%+v: err %v, want %s at %s", tt.in, err, tt.code, tt.field)
		}
	}
}

func TestUncheckedIsNotZeroErrors(t *testing.T) {
	e := testEngine(t, listProofreader{noDict: map[string]bool{"en": true}})
	r := gradeOK(t, e, Input{Language: "en", Text: goodReply})
	if !r.HasFlag(FlagSpellingUnchecked) || r.Scores.Spelling != nil {
		t.Errorf("no dictionary: want spelling_unchecked and no spelling score, got %v %v", r.Flags, r.Scores.Spelling)
	}
	e = testEngine(t, listProofreader{fail: errors.New("languagetool down")})
	r = gradeOK(t, e, Input{Language: "en", Text: goodReply})
	if !r.HasFlag(FlagEngineUnavailable) || r.Scores.Grammar != nil {
		t.Errorf("checker failure: want %s and no grammar score, got %v", FlagEngineUnavailable, r.Flags)
	}
}

func TestSpellingAndGrammarLowerScores(t *testing.T) {
	e := testEngine(t, nil)
	clean := gradeOK(t, e, Input{ID: "a", Language: "en", Text: goodReply})
	bad := strings.NewReplacer("refund", "refnd", "an ", "a ", "arrive", "arive").Replace(goodReply)
	e2 := testEngine(t, listProofreader{misspelled: map[string]bool{"refnd": true, "arive": true}})
	dirty := gradeOK(t, e2, Input{ID: "b", Language: "en", Text: bad})
	if !(*dirty.Scores.Spelling < *clean.Scores.Spelling) {
		t.Errorf("spelling %v should be below %v", *dirty.Scores.Spelling, *clean.Scores.Spelling)
	}
	if dirty.Evidence["errors_by_category"].(map[string]int)["spelling"] != 2 {
		t.Errorf("errors by category %v", dirty.Evidence["errors_by_category"])
	}
}

func TestConcurrentGrade(t *testing.T) {
	e := testEngine(t, nil)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			in := Input{ID: string(rune('a' + i)), Language: "en", AssessmentID: "customer-support", ItemID: "write-reply", Text: goodReply}
			if _, err := e.Grade(context.Background(), in); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

// TestGradeGolden grades each testdata/grade/*.txt (first line: "lang
// assessment item", or "lang" for the generic rubric) and compares the
// JSON result with the .golden file; -update rewrites them.
func TestGradeGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/grade/*.txt")
	if len(files) == 0 {
		t.Fatal("no golden inputs")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			head, body, _ := strings.Cut(string(raw), "\n")
			fields := strings.Fields(head)
			in := Input{ID: filepath.Base(f), Language: fields[0], Text: body}
			if len(fields) == 3 {
				in.AssessmentID, in.ItemID = fields[1], fields[2]
			}
			r := gradeOK(t, testEngine(t, nil), in)
			// The pack digest changes with every pack edit; the version is
			// what the golden file pins.
			r.RubricVersion, _, _ = strings.Cut(r.RubricVersion, "+")
			got, _ := json.MarshalIndent(r, "", "  ")
			golden := strings.TrimSuffix(f, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if strings.TrimSpace(string(want)) != strings.TrimSpace(string(got)) {
				t.Errorf("result differs from %s:\n%s", golden, got)
			}
		})
	}
}

// TestEngineOneLanguage: the production engine loads with one configured
// language (New failed before: lingua needs two), grades an answer in it,
// flags one written in the contrast language and still refuses that
// language as an expected one.
func TestEngineOneLanguage(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the lingua models and Hunspell")
	}
	needData(t)
	e, err := New(t.Context(), Config{Languages: []string{"de"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, text string
		detected   string
		wrong      bool
		errCode    string
	}{
		{"de", "Vielen Dank für Ihre Nachricht. Wir erstatten Ihnen die zweite Zahlung innerhalb von fünf Werktagen auf Ihre Kreditkarte.", "de", false, ""},
		{"de", "Thank you for your message. We will refund the second payment to your credit card within five working days.", "en", true, ""},
		{"en", "Thank you for your message. We will refund the second payment to your credit card within five working days.", "", false, "language.unsupported"},
	}
	for _, tt := range tests {
		res, err := e.Grade(t.Context(), Input{ID: "one", Language: tt.lang, Text: tt.text})
		if tt.errCode != "" {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Code != tt.errCode {
				t.Errorf("%s: error %v, want code %s", tt.lang, err, tt.errCode)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.lang, err)
		}
		if res.Language.Detected != tt.detected {
			t.Errorf("detected %q, want %q", res.Language.Detected, tt.detected)
		}
		wrong := false
		for _, f := range res.Flags {
			wrong = wrong || f.Code == FlagWrongLanguage
		}
		if wrong != tt.wrong {
			t.Errorf("%q: wrong-language flag %v, want %v (%+v)", tt.text[:20], wrong, tt.wrong, res.Flags)
		}
	}
}

// TestNoDefaultRubricIsNotUnavailable: a generic answer for a skill the pack
// has no default rubric for is refused for good (an InputError naming the
// way out), not ErrUnavailable, which the service retries forever without
// counting attempts.
func TestNoDefaultRubricIsNotUnavailable(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/pack")); err != nil {
		t.Fatal(err)
	}
	sp := filepath.Join(dir, "rubrics", "speaking.yaml")
	b, err := os.ReadFile(sp)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sp, bytes.Replace(b, []byte("default: true"), []byte("default: false"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	// The spoken items name the rubric, so only answers without an item
	// lack one.
	as := filepath.Join(dir, "assessments", "customer-support.yaml")
	if b, err = os.ReadFile(as); err != nil {
		t.Fatal(err)
	}
	b = bytes.ReplaceAll(b, []byte("        kind: spoken\n"), []byte("        kind: spoken\n        rubric: speaking\n"))
	if err := os.WriteFile(as, b, 0o644); err != nil {
		t.Fatal(err)
	}
	pack, err := rubrics.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := pack.DefaultRubric(rubrics.SkillSpeaking); ok {
		t.Fatal("the edited pack still has a default speaking rubric")
	}
	e, err := New(context.Background(), Config{Languages: []string{"en", "de"}, Pack: pack, Detector: markerDetector{}, Proofreader: listProofreader{}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.target(Input{Audio: []byte("RIFF")}, "en")
	var ie *InputError
	if errors.Is(err, ErrUnavailable) || !errors.As(err, &ie) || ie.Code != "rubric.missing" || !strings.Contains(ie.Detail, "item") {
		t.Fatalf("generic spoken answer without a default rubric: %v, want InputError rubric.missing naming an item", err)
	}
}
