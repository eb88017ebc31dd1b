package grammar

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/langassess/langassess/rubrics"
)

// testPacks are the rule packs in testdata/rules, so these tests do not
// change when the default packs are tuned.
func testPacks(t testing.TB) map[string]*rubrics.RulePack {
	t.Helper()
	p, err := rubrics.LoadRulePacks(os.DirFS("testdata"), "rules")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func newTestChecker(t testing.TB, cfg Config) *Checker {
	t.Helper()
	if cfg.HunspellDir == "" {
		cfg.HunspellDir = "testdata"
	}
	if cfg.RulePacks == nil {
		cfg.RulePacks = testPacks(t)
	}
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// found is an error reduced to what the tests compare.
type found struct {
	Rule string
	Text string // the flagged text
	Cat  string
}

func summarise(text string, r Report) []found {
	rs := []rune(text)
	var out []found
	for _, e := range r.Errors {
		out = append(out, found{e.Rule, string(rs[e.Offset : e.Offset+e.Length]), e.Category})
	}
	return out
}

func TestCheckEnglish(t *testing.T) {
	c := newTestChecker(t, Config{Languages: []string{"en"}})
	tests := []struct {
		text string
		want []found
	}{
		{"I have a apple.", []found{{"EN_A_BEFORE_VOWEL", "a", Article}}},
		{"I have an idea.", nil},
		{"He have a cat.", []found{{"EN_THIRD_PERSON_HAVE", "He have", Agreement}}},
		{"they was home yesterday.", []found{{"SENTENCE_START", "they", Capitalisation}, {"EN_WAS_WERE_PLURAL", "they was", Agreement}}},
		{"My friend is better then me.", []found{{"EN_THEN_THAN", "then", "confusion"}, {"HUNSPELL", "me", Spelling}}},
		{"I went to london.", []found{{"CAPITAL_REQUIRED", "london", Capitalisation}}},
		{"I went home. the house is big.", []found{{"SENTENCE_START", "the", Capitalisation}, {"HUNSPELL", "big", Spelling}}},
		{"Helo, I read the the book.", []found{{"HUNSPELL", "Helo", Spelling}, {"REPEATED_WORD", "the", Repetition}}},
		{"and i went home.", []found{{"SENTENCE_START", "and", Capitalisation}, {"CAPITAL_REQUIRED", "i", Capitalisation}}}, // one error for "i", not two
		{"Hello 😀 I have a apple.", []found{{"EN_A_BEFORE_VOWEL", "a", Article}}},                                           // offsets count runes
	}
	for _, tt := range tests {
		r, err := c.Check(context.Background(), "en", tt.text)
		if err != nil {
			t.Fatal(err)
		}
		got := summarise(tt.text, r)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Check(%q) = %+v, want %+v", tt.text, got, tt.want)
		}
		if !r.SpellingChecked || !r.GrammarChecked || len(r.Unchecked) != 0 {
			t.Errorf("Check(%q): checked %v/%v, unchecked %q", tt.text, r.SpellingChecked, r.GrammarChecked, r.Unchecked)
		}
	}
}

func TestCheckCountsAndSuggestions(t *testing.T) {
	c := newTestChecker(t, Config{Languages: []string{"en"}, SpellingSuggestions: 1})
	if d := newTestChecker(t, Config{Languages: []string{"en"}}); d.maxSugg != 0 {
		t.Errorf("default SpellingSuggestions gives %d suggestions per Check, want none", d.maxSugg)
	}
	text := "I have a apple and a bok and a bokk."
	r, err := c.Check(context.Background(), "en", text)
	if err != nil {
		t.Fatal(err)
	}
	if r.Words != 10 {
		t.Errorf("Words = %d, want 10", r.Words)
	}
	// 1 article error and 2 spelling errors in 10 words
	if got := r.PerHundredWords[Article]; got != 10 {
		t.Errorf("article per 100 words = %v, want 10", got)
	}
	if got := r.PerHundredWords[Spelling]; got != 20 {
		t.Errorf("spelling per 100 words = %v, want 20", got)
	}
	if got, ok := r.PerHundredWords[Agreement]; !ok || got != 0 {
		t.Errorf("agreement per 100 words = %v (present %v), want an explicit 0", got, ok)
	}
	var sugg [][]string
	for _, e := range r.Errors {
		if e.Category == Spelling {
			sugg = append(sugg, e.Suggestions)
		}
	}
	// SpellingSuggestions: 1 limits suggestions to the first misspelling.
	if len(sugg) != 2 || !slices.Contains(sugg[0], "book") || sugg[1] != nil {
		t.Errorf("spelling suggestions = %q, want [[book ...] []]", sugg)
	}
	if got := c.Suggest("en", "bokk"); !slices.Contains(got, "book") {
		t.Errorf("Suggest(bokk) = %q", got)
	}
}

func TestCheckUnchecked(t *testing.T) {
	c := newTestChecker(t, Config{RulePacks: map[string]*rubrics.RulePack{}})
	r, err := c.Check(context.Background(), "xx", "Some text here.")
	if err != nil {
		t.Fatal(err)
	}
	if r.SpellingChecked || r.GrammarChecked {
		t.Errorf("checked %v/%v, want false/false for a language without dictionary or rules", r.SpellingChecked, r.GrammarChecked)
	}
	if len(r.Unchecked) != 2 || !strings.Contains(r.Unchecked[0], "spelling") || !strings.Contains(r.Unchecked[1], "grammar") {
		t.Errorf("Unchecked = %q", r.Unchecked)
	}
	if r.Words != 3 || len(r.Errors) != 0 || len(r.PerHundredWords) != 0 {
		t.Errorf("Words=%d Errors=%v PerHundredWords=%v", r.Words, r.Errors, r.PerHundredWords)
	}
}

func TestTokenize(t *testing.T) {
	text := "Er kam z.B. am 3.5. an. don't E-Mail!\nneu"
	var got []string
	for _, tk := range tokenize(text) {
		s := tk.text
		if tk.sentStart {
			s = "^" + s
		}
		if tk.lineStart {
			s = "|" + s
		}
		got = append(got, s)
	}
	want := []string{"|^Er", "kam", "z.B.", "am", "3.5", ".", "^an", ".", "^don't", "E-Mail", "!", "|^neu"}
	if !slices.Equal(got, want) {
		t.Errorf("tokenize = %q, want %q", got, want)
	}
}

// ltFake answers /v2/check like LanguageTool 6 (fields we read, plus
// others we ignore).
const ltFake = `{"software":{"name":"LanguageTool","version":"6.4"},"language":{"name":"English (US)","code":"en-US"},
"matches":[
 {"message":"Possible agreement error.","shortMessage":"","replacements":[{"value":"has"}],"offset":%d,"length":4,"context":{"text":"","offset":0,"length":0},
  "rule":{"id":"HE_VERB_AGR","description":"","issueType":"grammar","category":{"id":"GRAMMAR","name":"Grammar"}}},
 {"message":"Use \"an\".","replacements":[{"value":"an"}],"offset":%d,"length":1,
  "rule":{"id":"EN_A_VS_AN","issueType":"misspelling","category":{"id":"MISC","name":"Miscellaneous"}}}
]}`

func TestLanguageTool(t *testing.T) {
	// "😀" is two UTF-16 units and one rune: offsets must be converted.
	text := "😀 He have a apple."
	var gotForm url.Values
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v2/check" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		mu.Lock()
		gotForm = r.PostForm
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		// "He" starts at UTF-16 offset 3, "have" at 6, "a" at 11.
		body := strings.Replace(strings.Replace(ltFake, "%d", "6", 1), "%d", "11", 1)
		w.Write([]byte(body))
	}))
	defer srv.Close()
	c := newTestChecker(t, Config{Languages: []string{"en"}, LanguageToolURL: srv.URL, HTTPClient: srv.Client(),
		RulePacks: map[string]*rubrics.RulePack{}})
	r, err := c.Check(context.Background(), "en", text)
	if err != nil {
		t.Fatal(err)
	}
	if gotForm.Get("language") != "en-US" || gotForm.Get("text") != text {
		t.Errorf("form sent = %v", gotForm)
	}
	got := summarise(text, r)
	want := []found{{"LT:HE_VERB_AGR", "have", Agreement}, {"LT:EN_A_VS_AN", "a", Spelling}}
	if !slices.Equal(got, want) {
		t.Errorf("errors = %+v, want %+v", got, want)
	}
	if !r.GrammarChecked || !slices.Contains(r.Sources, "languagetool") {
		t.Errorf("GrammarChecked=%v Sources=%q", r.GrammarChecked, r.Sources)
	}

	// A failing server is a warning: spelling still counts, grammar is
	// reported unchecked (no rule pack here).
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "overloaded", http.StatusServiceUnavailable)
	}))
	defer bad.Close()
	c = newTestChecker(t, Config{Languages: []string{"en"}, LanguageToolURL: bad.URL, RulePacks: map[string]*rubrics.RulePack{}})
	r, err = c.Check(context.Background(), "en", text)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "503") || r.GrammarChecked || !r.SpellingChecked {
		t.Errorf("with a failing server: warnings %q, grammar %v, spelling %v", r.Warnings, r.GrammarChecked, r.SpellingChecked)
	}
}

func TestCheckCancelled(t *testing.T) {
	c := newTestChecker(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Check(ctx, "en", "text"); err == nil {
		t.Error("Check with a cancelled context returned no error")
	}
}

func TestCheckConcurrent(t *testing.T) {
	c := newTestChecker(t, Config{})
	want, _ := c.Check(context.Background(), "en", "He have a apple and a bok.")
	wantJSON, _ := json.Marshal(want)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				got, err := c.Check(context.Background(), "en", "He have a apple and a bok.")
				if err != nil {
					t.Error(err)
					return
				}
				if b, _ := json.Marshal(got); string(b) != string(wantJSON) {
					t.Errorf("concurrent Check differs: %s", b)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestLanguageToolBadOffsets: matches outside the text, including offsets
// whose sum with the length overflows an int, are dropped, not indexed.
func TestLanguageToolBadOffsets(t *testing.T) {
	text := "He have a apple."
	tests := []struct{ offset, length string }{
		{"9223372036854775807", "1"},
		{"1", "9223372036854775807"},
		{"-1", "2"},
		{"3", "-1"},
		{"14", "3"},
	}
	for _, tt := range tests {
		t.Run(tt.offset+"+"+tt.length, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"matches":[{"message":"m","offset":%s,"length":%s,"rule":{"id":"X","category":{"id":"GRAMMAR"}}},
					{"message":"m","offset":3,"length":4,"rule":{"id":"OK","category":{"id":"GRAMMAR"}}}]}`, tt.offset, tt.length)
			}))
			defer srv.Close()
			c := newTestChecker(t, Config{Languages: []string{"en"}, LanguageToolURL: srv.URL, HTTPClient: srv.Client(),
				RulePacks: map[string]*rubrics.RulePack{}})
			r, err := c.Check(context.Background(), "en", text)
			if err != nil {
				t.Fatal(err)
			}
			var rules []string
			for _, e := range r.Errors {
				if strings.HasPrefix(e.Rule, "LT:") {
					rules = append(rules, e.Rule)
				}
			}
			if !slices.Equal(rules, []string{"LT:OK"}) {
				t.Errorf("LanguageTool errors %q, want only the one inside the text", rules)
			}
		})
	}
}
