package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/langassess/langassess/grading/hunspell"
)

// runEvalSpelling compares grading/hunspell with the hunspell command on
// every word token of the learner texts (MERLIN de/it/cs, W&I+LOCNESS en).
// Tokens are found with the dictionary's own text parser, each distinct
// token is checked by both, and agreement is counted per token occurrence.
func runEvalSpelling(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval spelling", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", evalDataDefault(getenv), "shared evaluation data folder (env LANGASSESS_DATA)")
	dir := fs.String("hunspell-dir", evalEnvOr(getenv, "LANGASSESS_HUNSPELL_DIR", hunspell.DefaultDir), "Hunspell dictionary folder (env LANGASSESS_HUNSPELL_DIR)")
	langs := fs.String("langs", "de,it,cs,en,sv", "languages to compare (sv reads MultiGED's SweLL sentences; fr, es, pt, nl and pl, which have no learner data, read every learner text: mostly foreign words, which exercise the rejection paths)")
	examples := fs.Int("examples", 8, "disagreements to list per language")
	if err := fs.Parse(args); err != nil {
		return err
	}
	bin, err := exec.LookPath("hunspell")
	if err != nil {
		fmt.Fprintln(stdout, "eval spelling: skipped: the hunspell command is not installed (Debian: apt-get install hunspell hunspell-de-de hunspell-it hunspell-cs hunspell-en-us)")
		return nil
	}
	if _, err := os.Stat(*data); err != nil {
		fmt.Fprintf(stdout, "eval spelling: skipped: data folder %s not found (--data)\n", *data)
		return nil
	}
	set := hunspell.NewSet(*dir)
	fmt.Fprintf(stdout, "Spelling agreement with %s, dictionaries in %s, data in %s\n\n", bin, *dir, *data)
	fmt.Fprint(stdout, "Where a language has several national dictionaries installed (en_US and en_GB), both sides accept a word either accepts (hunspell -d en_US,en_GB).\n\n")
	fmt.Fprintln(stdout, "| language | texts | word tokens | distinct | hunspell rejects | agreement (tokens) | agreement (distinct) | we reject, hunspell accepts | we accept, hunspell rejects |")
	fmt.Fprintln(stdout, "|---|---|---|---|---|---|---|---|---|")
	type ex struct {
		lang string
		rows []string
	}
	var exs []ex
	for _, lang := range strings.Split(*langs, ",") {
		lang = strings.TrimSpace(lang)
		texts, err := spellTexts(*data, lang)
		if err != nil {
			return fmt.Errorf("eval spelling: %w", err)
		}
		if len(texts) == 0 {
			fmt.Fprintf(stdout, "| %s | 0 | skipped: no texts | | | | | | |\n", lang)
			continue
		}
		d, err := set.Speller(lang)
		if errors.Is(err, hunspell.ErrNoDictionary) {
			fmt.Fprintf(stdout, "| %s | %d | skipped: no dictionary | | | | | | |\n", lang, len(texts))
			continue
		} else if err != nil {
			return fmt.Errorf("eval spelling: %w", err)
		}
		var dicts []string
		for _, n := range d.Names() {
			dicts = append(dicts, filepath.Join(*dir, n))
		}
		counts := map[string]int{}
		total := 0
		for _, t := range texts {
			for _, sp := range d.Words(t) {
				counts[t[sp.Start:sp.End]]++
				total++
			}
		}
		words := make([]string, 0, len(counts))
		for w := range counts {
			words = append(words, w)
		}
		sort.Strings(words)
		rejected, err := spellHunspellRejects(ctx, bin, strings.Join(dicts, ","), words)
		if err != nil {
			return fmt.Errorf("eval spelling %s: %w", lang, err)
		}
		start := time.Now()
		agreeTok, agreeType, theirRejects := 0, 0, 0
		var weReject, weAccept []string
		nReject, nAccept := 0, 0
		for _, w := range words {
			ours := true
			for _, sp := range d.Words(w) {
				if !d.Spell(w[sp.Start:sp.End]) {
					ours = false
				}
			}
			theirs := !rejected[w]
			if !theirs {
				theirRejects += counts[w]
			}
			if ours == theirs {
				agreeTok += counts[w]
				agreeType++
				continue
			}
			if theirs {
				weReject = append(weReject, w)
				nReject += counts[w]
			} else {
				weAccept = append(weAccept, w)
				nAccept += counts[w]
			}
		}
		elapsed := time.Since(start)
		if total == 0 {
			fmt.Fprintf(stdout, "| %s | %d | 0 | no word tokens: nothing to compare |\n", lang, len(texts))
			continue
		}
		fmt.Fprintf(stdout, "| %s (%s) | %d | %d | %d | %d | %.2f%% | %.2f%% | %d | %d |\n", lang, strings.Join(d.Names(), "+"), len(texts), total, len(words), theirRejects,
			100*float64(agreeTok)/float64(total), 100*float64(agreeType)/float64(len(words)), nReject, nAccept)
		fmt.Fprintf(stderr, "%s: checked %d distinct words in %v (%.1f µs each)\n", lang, len(words), elapsed.Round(time.Millisecond), float64(elapsed.Microseconds())/float64(len(words)))
		byCount := func(ws []string) []string {
			sort.SliceStable(ws, func(i, j int) bool { return counts[ws[i]] > counts[ws[j]] })
			out := []string{}
			if len(ws) == 0 {
				return []string{"none"}
			}
			for i, w := range ws {
				if i >= *examples {
					break
				}
				out = append(out, fmt.Sprintf("%s (%d)", w, counts[w]))
			}
			return out
		}
		exs = append(exs, ex{lang, []string{
			"we reject, hunspell accepts: " + strings.Join(byCount(weReject), ", "),
			"we accept, hunspell rejects: " + strings.Join(byCount(weAccept), ", "),
		}})
	}
	fmt.Fprintln(stdout, "\nMost frequent disagreements (token count):")
	for _, e := range exs {
		for _, r := range e.rows {
			fmt.Fprintf(stdout, "- %s, %s\n", e.lang, r)
		}
	}
	return nil
}

// spellHunspellRejects runs `hunspell -L` over the words, one a line, and
// returns the lines it prints (those with a misspelled word).
func spellHunspellRejects(ctx context.Context, bin, dict string, words []string) (map[string]bool, error) {
	var in bytes.Buffer
	for _, w := range words {
		in.WriteString(w)
		in.WriteByte('\n')
	}
	cmd := exec.CommandContext(ctx, bin, "-d", dict, "-i", "utf-8", "-L")
	cmd.Stdin = &in
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("hunspell: %w: %s", err, strings.TrimSpace(errb.String()))
	}
	rej := map[string]bool{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		rej[sc.Text()] = true
	}
	return rej, sc.Err()
}

// spellTexts returns the learner texts in lang: MERLIN for de/it/cs,
// W&I+LOCNESS for en, the MultiGED sentences for sv.
func spellTexts(data, lang string) ([]string, error) {
	if lang == "en" {
		var texts []string
		for _, f := range []string{"A", "B", "C"} {
			b, err := os.ReadFile(filepath.Join(data, "wi_locness", f+".train.json"))
			if errors.Is(err, os.ErrNotExist) {
				continue
			} else if err != nil {
				return nil, err
			}
			for line := range bytes.Lines(b) {
				var rec struct {
					Text string `json:"text"`
				}
				if err := json.Unmarshal(line, &rec); err != nil {
					return nil, fmt.Errorf("%s.train.json: %w", f, err)
				}
				texts = append(texts, rec.Text)
			}
		}
		return texts, nil
	}
	if lang == "sv" {
		// Swedish learner essays (SweLL) as MultiGED tokens, one
		// sentence a text.
		sents, err := gramRead(filepath.Join(data, "multiged", gramFiles["sv"]))
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		texts := make([]string, len(sents))
		for i, s := range sents {
			texts[i], _ = gramDetokenize(s.tokens)
		}
		return texts, nil
	}
	switch lang {
	case "de", "it", "cs":
		return spellMerlinTexts(data, lang)
	}
	var all []string
	for _, l := range []string{"de", "it", "cs", "en", "sv"} {
		t, err := spellTexts(data, l)
		if err != nil {
			return nil, err
		}
		all = append(all, t...)
	}
	return all, nil
}

// spellMerlinTexts reads the texts of one language from merlin_dev.tsv.
func spellMerlinTexts(data, lang string) ([]string, error) {
	f, err := os.Open(filepath.Join(data, "merlin", "merlin_dev.tsv"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	var texts []string
	header := true
	li, ti := 1, 9
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("merlin_dev.tsv: %w", err)
		}
		if header {
			for i, h := range rec {
				switch h {
				case "lang":
					li = i
				case "text":
					ti = i
				}
			}
			header = false
			continue
		}
		if len(rec) > ti && rec[li] == lang {
			texts = append(texts, strings.ReplaceAll(rec[ti], `\n`, "\n"))
		}
	}
	return texts, nil
}
