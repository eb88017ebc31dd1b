package rubrics

// Grammar rule packs: one YAML file per language with pattern rules for
// frequent learner errors and switches for the dictionary-based checks.
// package grading/grammar runs them; this file only parses and validates,
// with file:line errors. The format:
//
//	language: de                   # ISO 639-1, one pack per language
//	checks:
//	  sentence_start: true         # lower-case first word of a sentence
//	  repetition: false            # a word written twice in a row
//	  repetition_allow: [die]      # ... except these
//	  capital_mid_sentence: false  # "the Company": known only in lower case
//	  capital_allow: [Sie]         # ... except these
//	rules:
//	  - id: DE_WIR_VERB            # unique in the pack, shown to graders
//	    category: agreement        # one of RuleCategories
//	    message: With "wir" ...    # shown to the candidate and the grader
//	    suggest: "{1} sind"        # replaces the marked tokens; {N} = token N
//	    start: false               # pattern must begin a sentence
//	    mid_sentence: false        # pattern must not begin a sentence or line
//	    pattern:                   # consecutive tokens (words and punctuation)
//	      - words: [wir]           # lower-cased word list
//	      - words: [ist, hat]
//	        mark: true             # marked tokens are the reported span
//	    before_not: {words: [ob]}  # the token before (before, after, after_not too)
//
// A token matcher also takes exact (case-sensitive words), not_words, regex
// and not_regex (Go syntax, on the lower-cased token), punct: true,
// capitalised: true, and stem_with / stem_without: flags of the language's
// Hunspell .dic file the token's stem must (not) carry.

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

//go:embed rules/*.yaml
var rulesFS embed.FS

// Error categories a rule may use; grading weighs them differently.
var RuleCategories = []string{
	"spelling", "agreement", "article", "capitalisation", "word_order",
	"punctuation", "repetition", "verb_form", "preposition", "confusion", "other",
}

// RulePack is the grammar rules of one language. Immutable after parsing.
type RulePack struct {
	Language string
	Source   string // file name, for messages
	Checks   RuleChecks
	Rules    []*Rule
}

// RuleChecks switches the built-in checks that need a dictionary or
// sentence structure rather than a token pattern.
type RuleChecks struct {
	// Repetition flags a word written twice in a row, except the
	// listed words (German "die die" is often right).
	Repetition      bool
	RepetitionAllow []string
	// SentenceStart flags a sentence starting with a lower-case letter.
	SentenceStart bool
	// CapitalMidSentence flags a capitalised word inside a sentence
	// whose lower-case form is in the dictionary and whose capitalised
	// form is not (English "the Company", Italian "il Lunedì").
	CapitalMidSentence bool
	// CapitalAllow lists words never flagged by CapitalMidSentence.
	CapitalAllow []string
}

// Rule is one token-pattern rule.
type Rule struct {
	ID       string
	Category string
	Message  string
	// Suggest replaces the marked tokens; {N} is the text of pattern
	// token N (1-based). Empty: no suggestion.
	Suggest   string
	Pattern   []*TokenMatcher
	Before    *TokenMatcher // the token before the pattern must match
	BeforeNot *TokenMatcher // ... must not match (no token: allowed)
	After     *TokenMatcher
	AfterNot  *TokenMatcher
	// Start requires the pattern to begin a sentence; MidSentence
	// requires it not to (nor a line, nor to follow a quote or colon).
	Start       bool
	MidSentence bool
	Line        int // line in Source
}

// TokenMatcher matches one token.
type TokenMatcher struct {
	Words    []string // lower-cased word list, case-insensitive
	Exact    []string // case-sensitive word list
	NotWords []string
	Regex    string // on the lower-cased token
	NotRegex string
	Punct    bool // the token is punctuation
	Mark     bool // part of the reported span
	// Capitalised requires an upper-case first letter (regexes see the
	// lower-cased token).
	Capitalised bool
	// StemWith and StemWithout are Hunspell flags as written in the
	// language's .dic file: the token must be a dictionary stem exactly
	// as written, with (or, for StemWithout, none of its homonyms with)
	// one of these flags. The grammar checker tests them; they tie a
	// rule to one dictionary (say which in the rule's comment).
	StemWith    string
	StemWithout string

	words, exact, notWords map[string]bool
	re, notRe              *regexp.Regexp
}

// Match reports whether token text t (as written) matches. lower is
// strings.ToLower(t), passed in because the caller has it already.
func (m *TokenMatcher) Match(t, lower string, punct bool) bool {
	// Punctuation matchers match punctuation only; other matchers
	// match punctuation only when their word list names it.
	if m.Punct && !punct {
		return false
	}
	if !m.Punct && punct && m.words == nil && m.exact == nil {
		return false
	}
	if m.words != nil && !m.words[lower] {
		return false
	}
	if m.exact != nil && !m.exact[t] {
		return false
	}
	if m.notWords[lower] {
		return false
	}
	if m.Capitalised {
		r, _ := utf8.DecodeRuneInString(t)
		if !unicode.IsUpper(r) {
			return false
		}
	}
	if m.re != nil && !m.re.MatchString(lower) {
		return false
	}
	if m.notRe != nil && m.notRe.MatchString(lower) {
		return false
	}
	return true
}

// Marked returns the index range [from, to) of the marked pattern tokens;
// without marks the whole pattern.
func (r *Rule) Marked() (from, to int) {
	from, to = -1, -1
	for i, m := range r.Pattern {
		if m.Mark {
			if from < 0 {
				from = i
			}
			to = i + 1
		}
	}
	if from < 0 {
		return 0, len(r.Pattern)
	}
	return from, to
}

// DefaultRulePacks returns the embedded rule packs by language. They are
// parsed once and shared: do not modify them.
func DefaultRulePacks() (map[string]*RulePack, error) { return defaultRules() }

var defaultRules = sync.OnceValues(func() (map[string]*RulePack, error) {
	return LoadRulePacks(rulesFS, "rules")
})

// LoadRulePacks reads every *.yaml file of dir in fsys as a rule pack.
// Problems come back as an ErrorList with file:line positions.
func LoadRulePacks(fsys fs.FS, dir string) (map[string]*RulePack, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("rubrics: rule packs: %w", err)
	}
	out := map[string]*RulePack{}
	var errs ErrorList
	for _, e := range entries {
		if e.IsDir() || !(strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
			continue
		}
		name := path.Join(dir, e.Name())
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("rubrics: rule packs: %w", err)
		}
		p, err := ParseRulePack(name, data)
		if err != nil {
			if l, ok := err.(ErrorList); ok {
				errs = append(errs, l...)
				continue
			}
			return nil, err
		}
		if prev, dup := out[p.Language]; dup {
			errs = append(errs, &Error{File: name, Line: 1, Msg: fmt.Sprintf("language %q already defined in %s", p.Language, prev.Source)})
			continue
		}
		out[p.Language] = p
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// ParseRulePack parses and validates one rule pack file. name is used in
// error messages. Every problem is reported, each with its line.
func ParseRulePack(name string, data []byte) (*RulePack, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlErrors(name, err)
	}
	v := &ruleValidator{file: name}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		v.add(root.Line, "a rule pack is a mapping with language:, checks: and rules:")
		return nil, v.errs.err()
	}
	p := &RulePack{Source: name}
	top := root.Content[0]
	v.mapping(top, map[string]func(*yaml.Node){
		"language": func(n *yaml.Node) { p.Language = v.str(n) },
		"checks":   func(n *yaml.Node) { v.checks(n, &p.Checks) },
		"rules": func(n *yaml.Node) {
			if n.Kind != yaml.SequenceNode {
				v.add(n.Line, "rules: must be a list")
				return
			}
			for _, rn := range n.Content {
				if r := v.rule(rn); r != nil {
					p.Rules = append(p.Rules, r)
				}
			}
		},
	})
	if p.Language == "" {
		v.add(top.Line, "language: is required (ISO 639-1 code)")
	} else if len(p.Language) != 2 || strings.ToLower(p.Language) != p.Language {
		v.add(top.Line, fmt.Sprintf("language %q is not an ISO 639-1 code", p.Language))
	}
	seen := map[string]int{}
	for _, r := range p.Rules {
		if l, dup := seen[r.ID]; dup && r.ID != "" {
			v.add(r.Line, fmt.Sprintf("rule id %q already used at line %d", r.ID, l))
		}
		seen[r.ID] = r.Line
	}
	if err := v.errs.err(); err != nil {
		return nil, err
	}
	return p, nil
}

type ruleValidator struct {
	file string
	errs ErrorList
}

func (v *ruleValidator) add(line int, msg string) {
	v.errs = append(v.errs, &Error{File: v.file, Line: line, Msg: msg})
}

// mapping walks a mapping node, rejecting unknown keys so a typo never
// silently disables a rule.
func (v *ruleValidator) mapping(n *yaml.Node, fields map[string]func(*yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		v.add(n.Line, "expected a mapping")
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		f, ok := fields[k.Value]
		if !ok {
			keys := make([]string, 0, len(fields))
			for key := range fields {
				keys = append(keys, key)
			}
			sort.Strings(keys)
			v.add(k.Line, fmt.Sprintf("unknown field %q (known: %s)", k.Value, strings.Join(keys, ", ")))
			continue
		}
		f(val)
	}
}

func (v *ruleValidator) str(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		v.add(n.Line, "expected a string")
		return ""
	}
	return n.Value
}

func (v *ruleValidator) boolean(n *yaml.Node) bool {
	var b bool
	if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
		v.add(n.Line, fmt.Sprintf("expected true or false, got %q", n.Value))
	}
	return b
}

func (v *ruleValidator) list(n *yaml.Node) []string {
	if n.Kind != yaml.SequenceNode {
		v.add(n.Line, "expected a list of words")
		return nil
	}
	var out []string
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode || c.Value == "" {
			v.add(c.Line, "expected a word")
			continue
		}
		out = append(out, c.Value)
	}
	return out
}

func (v *ruleValidator) checks(n *yaml.Node, c *RuleChecks) {
	v.mapping(n, map[string]func(*yaml.Node){
		"repetition":           func(n *yaml.Node) { c.Repetition = v.boolean(n) },
		"repetition_allow":     func(n *yaml.Node) { c.RepetitionAllow = ruleLower(v.list(n)) },
		"sentence_start":       func(n *yaml.Node) { c.SentenceStart = v.boolean(n) },
		"capital_mid_sentence": func(n *yaml.Node) { c.CapitalMidSentence = v.boolean(n) },
		"capital_allow":        func(n *yaml.Node) { c.CapitalAllow = v.list(n) },
	})
}

func (v *ruleValidator) rule(n *yaml.Node) *Rule {
	r := &Rule{Line: n.Line}
	v.mapping(n, map[string]func(*yaml.Node){
		"id":       func(n *yaml.Node) { r.ID = v.str(n) },
		"category": func(n *yaml.Node) { r.Category = v.str(n) },
		"message":  func(n *yaml.Node) { r.Message = v.str(n) },
		"suggest":  func(n *yaml.Node) { r.Suggest = v.str(n) },
		"start":    func(n *yaml.Node) { r.Start = v.boolean(n) },
		"mid_sentence": func(n *yaml.Node) {
			r.MidSentence = v.boolean(n)
		},
		"pattern": func(n *yaml.Node) {
			if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
				v.add(n.Line, "pattern: must be a non-empty list of token matchers")
				return
			}
			for _, mn := range n.Content {
				r.Pattern = append(r.Pattern, v.matcher(mn))
			}
		},
		"before":     func(n *yaml.Node) { r.Before = v.matcher(n) },
		"before_not": func(n *yaml.Node) { r.BeforeNot = v.matcher(n) },
		"after":      func(n *yaml.Node) { r.After = v.matcher(n) },
		"after_not":  func(n *yaml.Node) { r.AfterNot = v.matcher(n) },
	})
	if r.ID == "" {
		v.add(r.Line, "rule without id:")
	}
	if !slices.Contains(RuleCategories, r.Category) {
		v.add(r.Line, fmt.Sprintf("rule %s: category %q is not one of %s", r.ID, r.Category, strings.Join(RuleCategories, ", ")))
	}
	if r.Message == "" {
		v.add(r.Line, fmt.Sprintf("rule %s: message: is required (the candidate and the grader read it)", r.ID))
	}
	if len(r.Pattern) == 0 {
		v.add(r.Line, fmt.Sprintf("rule %s: pattern: is required", r.ID))
	}
	for _, ref := range regexp.MustCompile(`\{(\d+)\}`).FindAllStringSubmatch(r.Suggest, -1) {
		var k int
		fmt.Sscanf(ref[1], "%d", &k)
		if k < 1 || k > len(r.Pattern) {
			v.add(r.Line, fmt.Sprintf("rule %s: suggest refers to token {%d}, the pattern has %d", r.ID, k, len(r.Pattern)))
		}
	}
	return r
}

func (v *ruleValidator) matcher(n *yaml.Node) *TokenMatcher {
	m := &TokenMatcher{}
	v.mapping(n, map[string]func(*yaml.Node){
		"words":       func(n *yaml.Node) { m.Words = ruleLower(v.list(n)) },
		"exact":       func(n *yaml.Node) { m.Exact = v.list(n) },
		"not_words":   func(n *yaml.Node) { m.NotWords = ruleLower(v.list(n)) },
		"regex":       func(n *yaml.Node) { m.Regex = v.str(n); m.re = v.regex(n, m.Regex) },
		"not_regex":   func(n *yaml.Node) { m.NotRegex = v.str(n); m.notRe = v.regex(n, m.NotRegex) },
		"punct":       func(n *yaml.Node) { m.Punct = v.boolean(n) },
		"mark":        func(n *yaml.Node) { m.Mark = v.boolean(n) },
		"stem_with":   func(n *yaml.Node) { m.StemWith = v.str(n) },
		"capitalised": func(n *yaml.Node) { m.Capitalised = v.boolean(n) },
		"stem_without": func(n *yaml.Node) {
			m.StemWithout = v.str(n)
		},
	})
	m.words, m.exact, m.notWords = ruleWordSet(m.Words), ruleWordSet(m.Exact), ruleWordSet(m.NotWords)
	return m
}

func (v *ruleValidator) regex(n *yaml.Node, s string) *regexp.Regexp {
	re, err := regexp.Compile(s)
	if err != nil {
		v.add(n.Line, fmt.Sprintf("bad regex %q: %v", s, err))
		return nil
	}
	return re
}

func ruleLower(s []string) []string {
	for i := range s {
		s[i] = strings.ToLower(s[i])
	}
	return s
}

func ruleWordSet(words []string) map[string]bool {
	if len(words) == 0 {
		return nil
	}
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
