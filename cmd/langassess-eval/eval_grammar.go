package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/langassess/langassess/grading/grammar"
	"github.com/langassess/langassess/grading/hunspell"
)

// gramFiles are the MultiGED files per language (German fm-train.tsv holds
// the same sentences as de_falko-merlin_train.tsv with error types).
var gramFiles = map[string]string{
	"cs": "czech/cs_geccc_train.tsv",
	"en": "english/en_fce_train.tsv",
	"de": "german/de_falko-merlin_train.tsv",
	"it": "italian/it_merlin_train.tsv",
	"sv": "swedish/sv_swell_train.tsv",
}

// gramHeldOut puts every fifth sentence of a file in the held-out split.
// Rules were written and tuned looking at the other four fifths only.
func gramHeldOut(i int) bool { return i%5 == 4 }

type gramSentence struct {
	tokens []string
	wrong  []bool
}

type gramCounts struct{ tp, fp, fn, tokens, sentences int }

func (c gramCounts) prf() (p, r, f float64) {
	if c.tp+c.fp > 0 {
		p = float64(c.tp) / float64(c.tp+c.fp)
	}
	if c.tp+c.fn > 0 {
		r = float64(c.tp) / float64(c.tp+c.fn)
	}
	if p+r > 0 {
		f = 1.25 * p * r / (0.25*p + r)
	}
	return
}

// runEvalGrammar measures token-level grammatical error detection on
// MultiGED: a token is predicted wrong when an error the checker reports
// overlaps it. Precision, recall and F0.5 per language, on the held-out
// fifth and on the four fifths the rules were tuned on.
func runEvalGrammar(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval grammar", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", evalDataDefault(getenv), "shared evaluation data folder (env LANGASSESS_DATA)")
	dir := fs.String("hunspell-dir", evalEnvOr(getenv, "LANGASSESS_HUNSPELL_DIR", hunspell.DefaultDir), "Hunspell dictionary folder (env LANGASSESS_HUNSPELL_DIR)")
	langs := fs.String("langs", "cs,de,en,it,sv", "languages to evaluate")
	perRule := fs.Bool("rules", false, "also print each rule's precision on the tuning split")
	show := fs.String("show", "", "print tuning-split sentences where this rule fires, the flagged tokens [bracketed], wrong-labelled tokens *starred*")
	ltURL := fs.String("languagetool", getenv("LANGASSESS_LANGUAGETOOL_URL"), "LanguageTool server to include (env LANGASSESS_LANGUAGETOOL_URL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(*data, "multiged")); err != nil {
		fmt.Fprintf(stdout, "eval grammar: skipped: %s not found (--data)\n", filepath.Join(*data, "multiged"))
		return nil
	}
	fmt.Fprintf(stdout, "Token-level error detection on MultiGED (%s), held-out split = every 5th sentence; tuning split = the rest\n\n", filepath.Join(*data, "multiged"))
	fmt.Fprintln(stdout, "| language | split | sentences | tokens | wrong tokens | flagged | precision | recall | F0.5 | spelling-only P | rules-only P |")
	fmt.Fprintln(stdout, "|---|---|---|---|---|---|---|---|---|---|---|")
	type ruleStat struct{ flagged, right int }
	var ruleLines []string
	for _, lang := range strings.Split(*langs, ",") {
		lang = strings.TrimSpace(lang)
		rel, ok := gramFiles[lang]
		if !ok {
			return fmt.Errorf("eval grammar: no MultiGED file known for %q", lang)
		}
		sents, err := gramRead(filepath.Join(*data, "multiged", rel))
		if errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(stdout, "| %s | skipped: %s missing | | | | | | | | | |\n", lang, rel)
			continue
		} else if err != nil {
			return fmt.Errorf("eval grammar: %w", err)
		}
		chk, err := grammar.New(ctx, grammar.Config{Languages: []string{lang}, HunspellDir: *dir, LanguageToolURL: *ltURL, SpellingSuggestions: -1})
		if err != nil {
			return fmt.Errorf("eval grammar: %w", err)
		}
		var all, spellOnly, rulesOnly [2]gramCounts
		rules := map[string]*ruleStat{}
		start := time.Now()
		checked := ""
		shown := 0
		for i, s := range sents {
			split := 0
			if gramHeldOut(i) {
				split = 1
			}
			text, spans := gramDetokenize(s.tokens)
			rep, err := chk.Check(ctx, lang, text)
			if err != nil {
				return fmt.Errorf("eval grammar: %w", err)
			}
			if checked == "" {
				checked = strings.Join(rep.Sources, "+")
				if len(rep.Unchecked) > 0 {
					checked += " (unchecked: " + strings.Join(rep.Unchecked, "; ") + ")"
				}
			}
			predAll := make([]bool, len(spans))
			predSpell := make([]bool, len(spans))
			predRules := make([]bool, len(spans))
			for _, e := range rep.Errors {
				var hit []int
				for k, sp := range spans {
					if e.Offset < sp[1] && sp[0] < e.Offset+max(e.Length, 1) {
						predAll[k] = true
						if e.Source == "hunspell" {
							predSpell[k] = true
						} else {
							predRules[k] = true
						}
						hit = append(hit, k)
					}
				}
				if split == 0 && e.Rule == *show && shown < 40 {
					shown++
					var b strings.Builder
					for k, t := range s.tokens {
						if slices.Contains(hit, k) {
							t = "[" + t + "]"
						}
						if s.wrong[k] {
							t = "*" + t + "*"
						}
						b.WriteString(t + " ")
					}
					fmt.Fprintf(stdout, "%s %s: %s\n", lang, e.Rule, b.String())
				}
				if split == 0 {
					st := rules[e.Rule]
					if st == nil {
						st = &ruleStat{}
						rules[e.Rule] = st
					}
					for _, k := range hit {
						st.flagged++
						if s.wrong[k] {
							st.right++
						}
					}
				}
			}
			for _, pair := range []struct {
				c    *gramCounts
				pred []bool
			}{{&all[split], predAll}, {&spellOnly[split], predSpell}, {&rulesOnly[split], predRules}} {
				pair.c.sentences++
				for k := range spans {
					pair.c.tokens++
					switch {
					case pair.pred[k] && s.wrong[k]:
						pair.c.tp++
					case pair.pred[k]:
						pair.c.fp++
					case s.wrong[k]:
						pair.c.fn++
					}
				}
			}
		}
		fmt.Fprintf(stderr, "%s: %d sentences checked in %v by %s\n", lang, len(sents), time.Since(start).Round(time.Millisecond), checked)
		for split, name := range []string{"tuning", "held-out"} {
			c := all[split]
			p, r, f := c.prf()
			ps, _, _ := spellOnly[split].prf()
			pr, _, _ := rulesOnly[split].prf()
			fmt.Fprintf(stdout, "| %s | %s | %d | %d | %d | %d | %.3f | %.3f | %.3f | %.3f | %.3f |\n", lang, name, c.sentences, c.tokens, c.tp+c.fn, c.tp+c.fp, p, r, f, ps, pr)
		}
		if *perRule {
			ids := make([]string, 0, len(rules))
			for id := range rules {
				ids = append(ids, id)
			}
			sort.Slice(ids, func(i, j int) bool { return rules[ids[i]].flagged > rules[ids[j]].flagged })
			for _, id := range ids {
				st := rules[id]
				ruleLines = append(ruleLines, fmt.Sprintf("| %s | %s | %d | %.3f |", lang, id, st.flagged, float64(st.right)/float64(st.flagged)))
			}
		}
	}
	if *perRule {
		fmt.Fprintln(stdout, "\nPer rule, tuning split (tokens flagged, share labelled wrong):\n\n| language | rule | flagged | precision |\n|---|---|---|---|")
		for _, l := range ruleLines {
			fmt.Fprintln(stdout, l)
		}
	}
	return nil
}

// gramRead reads a MultiGED file: token TAB label (c or i), blank line
// between sentences.
func gramRead(path string) ([]gramSentence, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []gramSentence
	var cur gramSentence
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		l := sc.Text()
		if strings.TrimSpace(l) == "" {
			if len(cur.tokens) > 0 {
				out = append(out, cur)
				cur = gramSentence{}
			}
			continue
		}
		tok, label, ok := strings.Cut(l, "\t")
		if !ok {
			return nil, fmt.Errorf("%s:%d: expected token<TAB>label", path, line)
		}
		label, _, _ = strings.Cut(label, "\t")
		cur.tokens = append(cur.tokens, strings.ReplaceAll(tok, `\"`, `"`))
		cur.wrong = append(cur.wrong, label == "i")
	}
	if len(cur.tokens) > 0 {
		out = append(out, cur)
	}
	return out, sc.Err()
}

// gramDetokenize joins tokens into text the way it was written (no space
// before closing punctuation and English clitics), returning each token's
// rune span.
func gramDetokenize(tokens []string) (string, [][2]int) {
	var b strings.Builder
	spans := make([][2]int, len(tokens))
	pos := 0
	noSpaceAfter := false
	quotes := 0
	for i, t := range tokens {
		attach := i == 0 || noSpaceAfter
		switch t {
		case ",", ".", ";", ":", "!", "?", ")", "]", "%", "n't", "'s", "'re", "'ve", "'ll", "'d", "'m", "...":
			attach = true
		case `"`:
			if quotes%2 == 1 {
				attach = true
			}
		}
		if strings.HasPrefix(t, "'") && len(t) > 1 && i > 0 {
			attach = true
		}
		if !attach {
			b.WriteByte(' ')
			pos++
		}
		n := utf8.RuneCountInString(t)
		spans[i] = [2]int{pos, pos + n}
		b.WriteString(t)
		pos += n
		// Italian and French elisions ("l'", "c'", "dell'") join the
		// next word.
		noSpaceAfter = t == "(" || t == "[" || t == "„" || (t == `"` && quotes%2 == 0) ||
			(len(t) > 1 && strings.HasSuffix(t, "'"))
		if t == `"` {
			quotes++
		}
	}
	return b.String(), spans
}
