package rubrics

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestDefaultRulePacks(t *testing.T) {
	packs, err := DefaultRulePacks()
	if err != nil {
		t.Fatalf("embedded rule packs do not load: %v", err)
	}
	for _, lang := range []string{"en", "de", "it"} {
		p := packs[lang]
		if p == nil {
			t.Fatalf("no rule pack for %s", lang)
		}
		cats := map[string]bool{}
		for _, r := range p.Rules {
			cats[r.Category] = true
		}
		if len(p.Rules) < 5 || !cats["agreement"] || !cats["article"] && lang != "de" {
			t.Errorf("%s: %d rules, categories %v: want agreement and article rules", lang, len(p.Rules), cats)
		}
	}
}

func TestParseRulePackErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // each a line:message fragment
	}{
		{"unknown field", "language: en\nrules:\n  - id: X\n    category: article\n    message: m\n    patern: []\n", []string{"x.yaml:6: unknown field \"patern\"", "x.yaml:3: rule X: pattern: is required"}},
		{"bad category", "language: en\nrules:\n  - id: X\n    category: style\n    message: m\n    pattern: [{words: [a]}]\n", []string{"x.yaml:3: rule X: category \"style\""}},
		{"bad regex", "language: en\nrules:\n  - id: X\n    category: article\n    message: m\n    pattern:\n      - regex: \"([a\"\n", []string{"x.yaml:7: bad regex"}},
		{"suggest out of range", "language: en\nrules:\n  - id: X\n    category: article\n    message: m\n    suggest: \"{3}\"\n    pattern: [{words: [a]}]\n", []string{"x.yaml:3: rule X: suggest refers to token {3}"}},
		{"duplicate id", "language: en\nrules:\n  - {id: X, category: article, message: m, pattern: [{words: [a]}]}\n  - {id: X, category: article, message: m, pattern: [{words: [a]}]}\n", []string{"x.yaml:4: rule id \"X\" already used at line 3"}},
		{"no language", "rules: []\n", []string{"x.yaml:1: language: is required"}},
		{"bad language", "language: English\n", []string{"x.yaml:1: language \"English\" is not an ISO 639-1 code"}},
		{"bad bool", "language: en\nchecks:\n  repetition: maybe\n", []string{"x.yaml:3: expected true or false"}},
		{"yaml syntax", "language: [en\n", []string{"x.yaml:"}},
		{"not a mapping", "- a\n", []string{"x.yaml:1: a rule pack is a mapping"}},
	}
	for _, tt := range tests {
		_, err := ParseRulePack("x.yaml", []byte(tt.src))
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q, want it to contain %q", tt.name, err, w)
			}
		}
		var l ErrorList
		if tt.name != "yaml syntax" && !errors.As(err, &l) {
			t.Errorf("%s: error is %T, want an ErrorList", tt.name, err)
		}
	}
}

func TestRuleMatch(t *testing.T) {
	p, err := ParseRulePack("x.yaml", []byte(`language: en
rules:
  - id: X
    category: article
    message: m
    pattern:
      - {words: [A], mark: true}
      - {regex: "^[aeio]", not_words: [one]}
      - {punct: true}
      - {exact: [I]}
      - {capitalised: true, stem_with: NP, stem_without: ST}
`))
	if err != nil {
		t.Fatal(err)
	}
	m := p.Rules[0].Pattern
	tests := []struct {
		m            *TokenMatcher
		text         string
		punct, match bool
	}{
		{m[0], "A", false, true}, // words are case-insensitive
		{m[0], "an", false, false},
		{m[1], "apple", false, true},
		{m[1], "one", false, false}, // not_words
		{m[1], "pear", false, false},
		{m[2], ",", true, true},
		{m[2], "word", false, false},
		{m[3], "I", false, true},
		{m[3], "i", false, false}, // exact is case-sensitive
		{m[4], "Haus", false, true},
		{m[4], "haus", false, false}, // capitalised
	}
	for _, tt := range tests {
		if got := tt.m.Match(tt.text, strings.ToLower(tt.text), tt.punct); got != tt.match {
			t.Errorf("Match(%q) = %v, want %v", tt.text, got, tt.match)
		}
	}
	if m[4].StemWith != "NP" || m[4].StemWithout != "ST" {
		t.Errorf("stem flags = %q, %q", m[4].StemWith, m[4].StemWithout)
	}
	if from, to := p.Rules[0].Marked(); from != 0 || to != 1 {
		t.Errorf("Marked() = %d, %d, want 0, 1", from, to)
	}
}

func TestLoadRulePacksDuplicateLanguage(t *testing.T) {
	src := []byte("language: en\nrules: []\n")
	fsys := fstest.MapFS{"r/a.yaml": {Data: src}, "r/b.yaml": {Data: src}, "r/readme.txt": {Data: []byte("x")}}
	_, err := LoadRulePacks(fsys, "r")
	if err == nil || !strings.Contains(err.Error(), `r/b.yaml:1: language "en" already defined in r/a.yaml`) {
		t.Errorf("error = %v", err)
	}
}

func FuzzParseRulePack(f *testing.F) {
	for _, n := range []string{"en", "de", "it"} {
		b, err := os.ReadFile(filepath.Join("rules", n+".yaml"))
		if err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("language: en\nrules:\n  - {id: X, category: article, message: m, suggest: '{1}', pattern: [{words: [a], mark: true}]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseRulePack("f.yaml", data)
		if err != nil {
			return
		}
		// A pack that parses is usable: every rule has a pattern and
		// matching does not panic.
		for _, r := range p.Rules {
			if len(r.Pattern) == 0 {
				t.Fatalf("rule %s parsed without a pattern", r.ID)
			}
			for _, m := range r.Pattern {
				m.Match("Word", "word", false)
			}
			r.Marked()
		}
	})
}
