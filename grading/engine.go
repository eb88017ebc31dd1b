package grading

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/langassess/langassess/audio"
	"github.com/langassess/langassess/rubrics"
)

// Proofreader checks spelling and grammar. Check must be safe for
// concurrent use. A language it has no dictionary or rules for comes back
// with SpellingChecked / GrammarChecked false, never as zero errors.
type Proofreader interface {
	Check(ctx context.Context, lang, text string) (Proof, error)
}

// Engine grades answers. Build once with New; safe for concurrent use.
type Engine struct {
	cfg   Config
	pack  *rubrics.Pack
	det   LanguageDetector
	proof Proofreader
	dups  DuplicateIndex
	langs map[string]bool
	items sync.Map // assessment/item/lang -> *compiledItem
	ready atomic.Bool
}

// New builds the engine: loads the pack, dictionaries and the language
// detector (preloaded). It takes about a second with the default languages.
func New(ctx context.Context, cfg Config) (*Engine, error) {
	if len(cfg.Languages) == 0 {
		cfg.Languages = DefaultLanguages
	}
	if cfg.HunspellDir == "" {
		cfg.HunspellDir = "/usr/share/hunspell"
	}
	if cfg.AudioLimits == (audio.Limits{}) {
		cfg.AudioLimits = audio.DefaultLimits()
	}
	e := &Engine{cfg: cfg, pack: cfg.Pack, det: cfg.Detector, proof: cfg.Proofreader, dups: cfg.Duplicates, langs: map[string]bool{}}
	for _, l := range cfg.Languages {
		e.langs[strings.ToLower(l)] = true
	}
	if e.pack == nil {
		p, err := rubrics.Default()
		if err != nil {
			return nil, fmt.Errorf("grading: default rubric pack: %w", err)
		}
		e.pack = p
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if e.det == nil {
		d, err := NewLingua(cfg.Languages)
		if err != nil {
			return nil, fmt.Errorf("grading: %w", err)
		}
		e.det = d
	}
	if e.proof == nil {
		p, err := newDefaultProofreader(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("grading: spelling and grammar checker: %w", err)
		}
		e.proof = p
	}
	if e.dups == nil {
		e.dups = NewMemoryIndex(cfg.DuplicatesPerItem)
	}
	e.ready.Store(true)
	return e, nil
}

// Ready reports whether the models are loaded.
func (e *Engine) Ready() bool { return e != nil && e.ready.Load() }

// Pack is the rubric pack the engine grades with.
func (e *Engine) Pack() *rubrics.Pack { return e.pack }

// Default lengths for answers that name no item when the generic rubric
// sets none: a customer-support e-mail reply. 250 words is the length Cambridge English sets for C1 writing
// tasks (B2: 140-190, B1: about 100), so length keeps discriminating up to
// C1 and stops paying beyond it.
const (
	genericExpectedWords = 250
	genericMinWords      = 30
)

// defaultSEM is the measurement error assumed for a scale without
// calibration figures (score points).
const defaultSEM = 3.0

// duplicateMin is the share of an answer's word 3-shingles found in an
// earlier answer from which it is flagged as a duplicate;
// duplicateMinShingles keeps short stock answers out of the index.
const (
	duplicateMin         = 0.8
	duplicateMinShingles = 12
)

// target is the resolved rubric context of one answer.
type target struct {
	skill string
	scale *rubrics.Scale
	item  *compiledItem // nil for the generic rubric
	key   string        // duplicate-index key
	// length is the generic rubric's expected length (items carry their
	// own); zero fields fall back to genericExpectedWords/genericMinWords.
	length rubrics.Length
	// minSeconds is a spoken item's shortest expected recording.
	minSeconds float64
}

// Grade grades one answer. Bad input yields *InputError (wrapped).
func (e *Engine) Grade(ctx context.Context, in Input) (Result, error) {
	res := Result{ID: in.ID, EngineVersion: Version, Flags: []Flag{}, Evidence: map[string]any{}}
	if !e.Ready() {
		return res, ErrUnavailable
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	lang := strings.ToLower(strings.TrimSpace(in.Language))
	if !e.langs[lang] {
		return res, &InputError{Code: "language.unsupported", Field: "/language",
			Detail: fmt.Sprintf("language %q is not configured (configured: %s)", in.Language, strings.Join(e.cfg.Languages, ", "))}
	}
	if strings.TrimSpace(in.Text) == "" && len(in.Audio) == 0 {
		return res, &InputError{Code: "answer.empty", Field: "/text", Detail: "the answer has neither text nor audio"}
	}
	tg, err := e.target(in, lang)
	if err != nil {
		return res, err
	}
	res.Skill = tg.skill
	res.RubricVersion = e.pack.Ref()

	body := in.Text
	if len(in.Audio) > 0 {
		if err := e.gradeAudio(in, &res); err != nil {
			return res, err
		}
		if min := tg.minSeconds; min > 0 && res.Audio.Quality.DurationSec < min {
			res.Flags = append(res.Flags, Flag{Code: FlagTooShort,
				Message:  fmt.Sprintf("The recording lasts %.0f s; at least %.0f s are expected.", res.Audio.Quality.DurationSec, min),
				Evidence: map[string]any{"seconds": res.Audio.Quality.DurationSec, "min_seconds": min}})
		}
		body = in.Transcript
		if strings.TrimSpace(body) == "" {
			body = in.Text
		}
	}
	if strings.TrimSpace(body) != "" {
		if err := e.gradeText(ctx, in, lang, body, tg, &res); err != nil {
			return res, err
		}
	}
	e.level(tg, &res)
	return res, nil
}

// target resolves the item and the rubric scale an answer is graded with.
func (e *Engine) target(in Input, lang string) (target, error) {
	if in.ItemID == "" && in.AssessmentID == "" {
		skill := rubrics.SkillWriting
		if len(in.Audio) > 0 {
			skill = rubrics.SkillSpeaking
		}
		r, ok := e.pack.DefaultRubric(skill)
		if !ok {
			// A fixed property of the pack, not a passing state: retrying
			// (as ErrUnavailable asks) would never succeed.
			return target{}, &InputError{Code: "rubric.missing", Field: "/item",
				Detail: fmt.Sprintf("pack %s has no default %s rubric for answers that name no item: name an item", e.pack.ID, skill)}
		}
		sc, ok := r.Scale(lang)
		if !ok {
			return target{}, &InputError{Code: "language.unsupported", Field: "/language",
				Detail: fmt.Sprintf("the %s rubric has no scale for %q", r.ID, lang)}
		}
		return target{skill: skill, scale: sc, key: "generic/" + skill + "/" + lang, length: r.Length}, nil
	}
	a, ok := e.pack.Assessment(in.AssessmentID)
	if !ok {
		return target{}, &InputError{Code: "item.unknown", Field: "/assessment_id", Detail: fmt.Sprintf("no assessment %q in pack %s", in.AssessmentID, e.pack.ID)}
	}
	it, ok := a.Item(in.ItemID)
	if !ok {
		return target{}, &InputError{Code: "item.unknown", Field: "/item_id", Detail: fmt.Sprintf("no item %q in assessment %q", in.ItemID, in.AssessmentID)}
	}
	if it.Prompt(lang) == "" {
		return target{}, &InputError{Code: "language.unsupported", Field: "/language", Detail: fmt.Sprintf("item %q has no %s version", in.ItemID, lang)}
	}
	sc, ok := it.Scale(lang)
	if !ok {
		return target{}, &InputError{Code: "language.unsupported", Field: "/language", Detail: fmt.Sprintf("item %q's rubric has no scale for %q", in.ItemID, lang)}
	}
	key := a.ID + "/" + it.ID + "/" + lang
	ci, ok := e.items.Load(key)
	if !ok {
		ci, _ = e.items.LoadOrStore(key, compileItem(itemSpec(it, lang), lang))
	}
	return target{skill: it.Skill, scale: sc, item: ci.(*compiledItem), key: key, minSeconds: it.Length.MinSeconds}, nil
}

// itemSpec converts a rubric item into what the matcher needs.
func itemSpec(it *rubrics.Item, lang string) ItemSpec {
	s := ItemSpec{ID: it.ID, Prompt: it.Prompt(lang), ExpectedWords: it.Length.MaxWords, MinWords: it.Length.MinWords}
	if s.ExpectedWords == 0 && s.MinWords > 0 {
		s.ExpectedWords = 2 * s.MinWords
	}
	for _, k := range it.KeyPoints(lang) {
		s.KeyPoints = append(s.KeyPoints, KeyPoint{ID: k.ID, Weight: k.Weight, Alternatives: k.Phrases})
	}
	for _, f := range it.Forbidden(lang) {
		s.Forbidden = append(s.Forbidden, KeyPoint{ID: f.ID, Weight: f.Penalty, Alternatives: f.Phrases})
	}
	// The passage a reading item is about marks what is on topic too.
	if p := it.Passage(lang); p != "" {
		s.Topic = p
	}
	return s
}

// gradeAudio decodes and analyses a recording and scores fluency.
func (e *Engine) gradeAudio(in Input, res *Result) error {
	clip, err := audio.Decode(in.Audio, e.cfg.AudioLimits)
	if err != nil {
		var fe *audio.FormatError
		if errors.As(err, &fe) {
			return &InputError{Code: "audio.invalid", Field: "/audio", Detail: fe.Reason}
		}
		return fmt.Errorf("grading: decode audio: %w", err)
	}
	rep := audio.Analyze(clip, e.cfg.Audio)
	clip.Release() // the report holds no samples; the pool keeps decoding fast (docs/benchmarks.md)
	res.Audio = &rep
	if rep.Quality.Verdict == audio.VerdictUnscorable || rep.Fluency == nil {
		var codes []string
		var msgs []string
		for _, c := range rep.Quality.Failed() {
			if c.Status == audio.StatusFail {
				codes = append(codes, c.Code)
				if c.Message != "" {
					msgs = append(msgs, c.Message)
				}
			}
		}
		msg := "The recording cannot be scored."
		if len(msgs) > 0 {
			msg = strings.Join(msgs, " ")
		}
		res.Flags = append(res.Flags, Flag{Code: FlagAudioUnscorable, Message: msg,
			Evidence: map[string]any{"reasons": codes, "verdict": rep.Quality.Verdict}})
		return nil
	}
	fs, ev := fluencyScore(*rep.Fluency, rep.Quality.DurationSec)
	res.Scores.Fluency = &fs
	res.Evidence["fluency"] = ev
	if f, ok := degradedFlag(rep.Quality); ok {
		res.Flags = append(res.Flags, f)
	}
	return nil
}

// gradeText runs the text pipeline.
func (e *Engine) gradeText(ctx context.Context, in Input, lang, body string, tg target, res *Result) error {
	t := analyse(body, lang)
	expected, minWords := genericExpectedWords, genericMinWords
	if tg.length.MaxWords > 0 {
		expected = tg.length.MaxWords
	}
	if tg.length.MinWords > 0 {
		minWords = tg.length.MinWords
	}
	if tg.item != nil {
		tg.item.markSentences(t)
		if tg.item.spec.ExpectedWords > 0 {
			expected = tg.item.spec.ExpectedWords
		}
		minWords = tg.item.spec.MinWords
	}
	if tg.skill == rubrics.SkillSpeaking && tg.item == nil {
		minWords = 0 // a transcript's length depends on the recording's
	}

	lc := checkLanguage(e.det, t, lang)
	res.Language = &lc.Result
	res.Flags = append(res.Flags, lc.Flags...)
	if lc.OtherShare > 0 {
		res.Evidence["other_languages"] = lc.Others
	}

	proof, err := e.proof.Check(ctx, lang, body)
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case err != nil:
		// Grade what can be graded and let a grader finish it; the flag
		// sends the answer to review.
		res.Flags = append(res.Flags, Flag{Code: FlagEngineUnavailable,
			Message:  "The spelling and grammar check failed; grammar and spelling are not scored.",
			Evidence: map[string]any{"error": err.Error()}})
		proof = Proof{}
	default:
		if !proof.SpellingChecked {
			res.Flags = append(res.Flags, Flag{Code: FlagSpellingUnchecked,
				Message:  fmt.Sprintf("No spelling dictionary for %s: spelling is not scored.", lang),
				Evidence: map[string]any{"language": lang, "detail": proof.Unchecked}})
		}
		if !proof.GrammarChecked {
			res.Flags = append(res.Flags, Flag{Code: FlagGrammarUnchecked,
				Message:  fmt.Sprintf("No grammar rules for %s: grammar is not scored.", lang),
				Evidence: map[string]any{"language": lang, "detail": proof.Unchecked}})
		}
	}
	f := measure(t, proof)
	res.Scores = dimensionScores(f, expected, res.Scores.Fluency)
	res.Evidence["text"] = f.Stats
	res.Evidence["expected_words"] = expected
	res.Evidence["errors"] = proofErrors(proof.Errors)
	res.Evidence["errors_by_category"] = f.ByCategory
	res.Evidence["errors_per_100_words"] = map[string]float64{"grammar": round2(f.GrammarPer100), "spelling": round2(f.SpellingPer100)}
	if tot := f.GrammarPer100 + f.SpellingPer100; tot > 0 {
		res.Evidence["spelling_share"] = round3(f.SpellingPer100 / tot)
	}

	words := len(t.Words)
	var copiedW, offW, repeatW int
	for _, s := range t.Sentences {
		switch {
		case s.Repeat:
			repeatW += s.NWords
		case s.Copied:
			copiedW += s.NWords
		case !s.Topic:
			offW += s.NWords
		}
	}
	if repeatW > 0 {
		res.Evidence["repeated_words"] = repeatW
	}
	if tg.item != nil {
		comp, keys, forb := tg.item.comprehension(t)
		res.Scores.Comprehension = comp
		if keys != nil {
			res.Evidence["key_points"] = keys
		}
		if len(forb) > 0 {
			res.Evidence["forbidden"] = forb
		}
		if words > 0 && float64(copiedW)/float64(words) >= 0.5 {
			res.Flags = append(res.Flags, Flag{Code: FlagCopiedPrompt, Message: "Most of the answer repeats the question.",
				Evidence: map[string]any{"copied_share": round3(float64(copiedW) / float64(words))}})
		}
		if tg.item.hasTopic() && words >= offTopicMinWords {
			share := float64(offW) / float64(words)
			if share >= 0.5 || (comp != nil && *comp == 0 && copiedW == 0 && !anyOnTopic(tg.item, t)) {
				res.Flags = append(res.Flags, Flag{Code: FlagOffTopic, Message: "The answer does not seem to address the question.",
					Evidence: map[string]any{"off_topic_share": round3(share)}})
			}
		}
	}
	if minWords > 0 && f.Stats.Words < minWords {
		res.Flags = append(res.Flags, Flag{Code: FlagTooShort,
			Message:  fmt.Sprintf("The answer has %d counted words; at least %d are expected.", f.Stats.Words, minWords),
			Evidence: map[string]any{"words": f.Stats.Words, "min_words": minWords}})
	}
	if sh := shingles(foldsOf(t.Words)); len(sh) >= duplicateMinShingles {
		other, sim, err := e.dups.MatchAndAdd(ctx, tg.key, in.ID, sh)
		if err != nil {
			return fmt.Errorf("grading: duplicate index: %w", err)
		}
		if sim >= duplicateMin {
			res.Flags = append(res.Flags, Flag{Code: FlagDuplicateAnswer, Message: "The answer is nearly identical to another candidate's answer.",
				Evidence: map[string]any{"other_id": other, "similarity": round3(sim)}})
		}
	}
	return nil
}

func anyOnTopic(ci *compiledItem, t *text) bool {
	toks := t.tokens(ci.lang)
	for i, w := range t.Words {
		if ci.onTopic(w, toks[i]) {
			return true
		}
	}
	return false
}

// level combines the dimension scores with the rubric scale.
func (e *Engine) level(tg target, res *Result) {
	dims := res.Scores.ByDimension()
	overall, ok := tg.scale.Combine(dims)
	if !ok {
		return
	}
	overall = math.Round(overall*10) / 10
	res.Score = &overall
	res.Level = tg.scale.Level(overall)
	res.Levels = map[string]string{}
	for d, v := range dims {
		if d == rubrics.DimLength {
			continue // "length: C1" would mean nothing
		}
		if _, weighted := tg.scale.Weights[d]; weighted {
			res.Levels[d] = tg.scale.Level(v)
		}
	}
	res.Evidence["weights"] = tg.scale.Weights
	sem := defaultSEM
	if tg.scale.Fit != nil && tg.scale.Fit.Metrics["sem"] > 0 {
		sem = tg.scale.Fit.Metrics["sem"]
	}
	relevant := e.placementLevels(tg.scale.Language, tg.skill)
	for _, c := range tg.scale.Cuts {
		if relevant != nil && !relevant[c.Level] {
			continue
		}
		if d := math.Abs(overall - c.Min); d < sem {
			res.Flags = append(res.Flags, Flag{Code: FlagBorderline,
				Message:  fmt.Sprintf("The score %.1f is within the measurement error (%.1f) of the %s cut score %.1f.", overall, sem, c.Level, c.Min),
				Evidence: map[string]any{"score": overall, "cut": c.Min, "cut_level": c.Level, "sem": sem}})
			break
		}
	}
	slices.SortStableFunc(res.Flags, func(a, b Flag) int { return strings.Compare(a.Code, b.Code) })
}

// placementLevels are the levels some queue of the pack requires for this
// language and skill: only their cuts change a placement, so only they
// raise the borderline flag (a score near the A1/A2 cut of a language whose
// queues start at B1 needs no second look). nil means the pack has no
// queue for the language, and every cut counts.
func (e *Engine) placementLevels(lang, skill string) map[string]bool {
	return PlacementLevels(e.pack, lang, skill)
}

// PlacementLevels are the minimum levels for skill that the pack's queues
// in lang require: the cuts at which the borderline flag fires (nil when
// the pack has no queue for the language, so every cut counts).
func PlacementLevels(pack *rubrics.Pack, lang, skill string) map[string]bool {
	if pack == nil {
		return nil
	}
	var out map[string]bool
	for _, q := range pack.Queues() {
		if q.Language != lang {
			continue
		}
		if out == nil {
			out = map[string]bool{}
		}
		if l, ok := q.MinLevels[skill]; ok {
			out[l] = true
		}
	}
	return out
}

func proofErrors(errs []ProofError) []ProofError {
	if errs == nil {
		return []ProofError{}
	}
	return errs
}

func round1p(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := math.Round(*p*10) / 10
	return &v
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
