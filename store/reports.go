package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/langassess/langassess/grading/placement"
	"github.com/langassess/langassess/grading/result"
	"github.com/langassess/langassess/rubrics"
)

// Placement and report reads. They read the latest score and the latest
// review of each response; the score's audio measures and dimension scores
// come from generated columns (migration 0002), never from the full result
// JSON, which for a spoken answer holds the whole audio timeline.

// ReportFilter selects assessments by creation time ([From, To); zero
// values do not bound) and responses by language ("" for all).
type ReportFilter struct {
	From, To time.Time
	Language string
}

func (f ReportFilter) where(args []any, timeCol, langCol string) (string, []any) {
	var conds []string
	if !f.From.IsZero() {
		args = append(args, f.From.UTC())
		conds = append(conds, fmt.Sprintf(`%s >= $%d`, timeCol, len(args)))
	}
	if !f.To.IsZero() && !afterStored(f.To) {
		args = append(args, f.To.UTC())
		conds = append(conds, fmt.Sprintf(`%s < $%d`, timeCol, len(args)))
	}
	if f.Language != "" {
		args = append(args, f.Language)
		conds = append(conds, fmt.Sprintf(`%s = $%d`, langCol, len(args)))
	}
	if len(conds) == 0 {
		return "", args
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args
}

// afterStored reports whether t is after every time the store can hold, so
// an upper bound at t bounds nothing. Stored times are the writer's clock,
// before the year 10000; SQLite compares times as text, where
// "10000-01-01" sorts before "2026-01-01", so such a bound (a report up to
// 9999-12-31 inclusive) would exclude everything there.
func afterStored(t time.Time) bool { return t.UTC().Year() > 9999 }

// jsonText is the dialect's expression for a top-level string field of a
// JSON column (” when absent or NULL).
func (s *Store) jsonText(col, field string) string {
	if s.dialect == DialectPostgres {
		return fmt.Sprintf(`COALESCE(%s ->> '%s', '')`, col, field)
	}
	return fmt.Sprintf(`COALESCE(json_extract(%s, '$.%s'), '')`, col, field)
}

// latestReview joins each response's newest review (reviews_response).
const latestReview = `
LEFT JOIN reviews v ON v.id = (SELECT max(id) FROM reviews WHERE response_id = r.id)`

// PlacementCandidate is one assessment's answers, ready for
// placement.Resolve (which needs AssessmentKey) and placement.FinalLevels.
type PlacementCandidate struct {
	placement.Candidate
	AssessmentKey string
	CandidateRef  string
	CreatedAt     time.Time
}

// answerCols are the per-response columns of the placement reads, in scan
// order (see scanAnswer).
func (s *Store) answerCols(full bool) string {
	// A failed answer has no graded_at; its last attempt (updated_at) is
	// when it stopped holding the language up, as in ReportSummaries.
	cols := `a.id, a.assessment_key, c.ref, a.created_at, r.language, r.item_id, r.kind, r.status, r.created_at,
CASE WHEN r.status = 'failed' THEN r.updated_at ELSE r.graded_at END,
COALESCE(sc.level, ''), sc.audio_snr_db, sc.audio_clipped_ratio, sc.audio_loudness_lufs,
COALESCE(v.state, ''), v.stage, ` + s.jsonText("v.decision", "level") + `, ` + s.jsonText("v.second_decision", "level") + `,
v.decided_at, v.second_decided_at`
	if full {
		cols += `, sc.dims, v.decision, v.second_decision`
	}
	return cols
}

const answerFrom = `
FROM assessments a
JOIN candidates c ON c.id = a.candidate_id
JOIN responses r ON r.assessment_id = a.id
LEFT JOIN scores sc ON sc.id = (SELECT max(id) FROM scores WHERE response_id = r.id)` + latestReview

// answerRow is one scanned response of a placement read.
type answerRow struct {
	assessmentID, key, ref string
	created                time.Time
	answer                 placement.Answer
	submitted              time.Time
	done                   *time.Time // when it stopped needing anything: graded or finally decided
}

func scanAnswer(rows *sql.Rows, full bool) (answerRow, error) {
	var (
		x                         answerRow
		a                         placement.Answer
		status, state             string
		stage                     sql.NullInt64
		first, second             string
		created, submitted        dbTime
		graded, decided, decided2 dbTime
		snr, clip, loud           sql.NullFloat64
		dims, dec1, dec2          []byte
	)
	dest := []any{&x.assessmentID, &x.key, &x.ref, &created, &a.Language, &a.ItemID, &a.Kind, &status, &submitted, &graded,
		&a.MachineLevel, &snr, &clip, &loud, &state, &stage, &first, &second, &decided, &decided2}
	if full {
		dest = append(dest, &dims, &dec1, &dec2)
	}
	if err := rows.Scan(dest...); err != nil {
		return answerRow{}, err
	}
	x.created, x.submitted = created.Time, submitted.Time
	a.Graded = status == StatusGraded
	a.Failed = status == StatusFailed
	if a.Failed {
		a.Graded = true
	}
	if snr.Valid {
		a.Audio = &placement.Audio{SNRdB: snr.Float64, ClippedRatio: clip.Float64, LoudnessLUFS: loud.Float64}
	}
	switch state {
	case "":
	case ReviewDecided:
		a.Review = ReviewDecided
		a.HumanLevel = first
		if second != "" {
			a.HumanLevel = second
		}
	default:
		a.Review = ReviewOpen // open or claimed: a person still has to look
	}
	if full {
		if len(dims) > 0 {
			m, err := dimScores(dims)
			if err != nil {
				return answerRow{}, err
			}
			a.MachineScores = m
		}
		final := dec1
		if len(dec2) > 0 {
			final = dec2
		}
		if a.Review == ReviewDecided && len(final) > 0 {
			var d Decision
			if err := json.Unmarshal(final, &d); err != nil {
				return answerRow{}, fmt.Errorf("decision: %w", err)
			}
			a.HumanScores = d.Scores.ByDimension()
		}
	}
	// When did this answer stop needing anything? Graded without a review,
	// or the final decision of its review.
	switch {
	case a.Failed || (a.Graded && a.Review == ""):
		x.done = graded.ptr()
	case a.Review == ReviewDecided:
		if decided2.Valid {
			x.done = decided2.ptr()
		} else {
			x.done = decided.ptr()
		}
	}
	x.answer = a
	return x, nil
}

// dimScores decodes result.Scores JSON into dimension -> score, without
// the dimensions that do not apply (null).
func dimScores(js []byte) (map[string]float64, error) {
	var sc result.Scores
	if err := json.Unmarshal(js, &sc); err != nil {
		return nil, fmt.Errorf("scores: %w", err)
	}
	return sc.ByDimension(), nil
}

// collect groups rows into candidates in first-seen order and works out
// each language's time to decision.
func collect(rows *sql.Rows, full bool) ([]PlacementCandidate, error) {
	type state struct {
		last, done map[string]time.Time
		open       map[string]bool
	}
	var out []PlacementCandidate
	idx := map[string]int{}
	st := map[string]*state{}
	for rows.Next() {
		x, err := scanAnswer(rows, full)
		if err != nil {
			return nil, err
		}
		i, ok := idx[x.assessmentID]
		if !ok {
			i = len(out)
			idx[x.assessmentID] = i
			out = append(out, PlacementCandidate{Candidate: placement.Candidate{ID: x.assessmentID},
				AssessmentKey: x.key, CandidateRef: x.ref, CreatedAt: x.created})
			st[x.assessmentID] = &state{last: map[string]time.Time{}, done: map[string]time.Time{}, open: map[string]bool{}}
		}
		c := &out[i]
		c.Answers = append(c.Answers, x.answer)
		s := st[x.assessmentID]
		lang := x.answer.Language
		if x.submitted.After(s.last[lang]) {
			s.last[lang] = x.submitted
		}
		if x.done == nil {
			s.open[lang] = true
		} else if x.done.After(s.done[lang]) {
			s.done[lang] = *x.done
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		s := st[out[i].ID]
		for lang, last := range s.last {
			if s.open[lang] {
				continue
			}
			if out[i].TimeToDecision == nil {
				out[i].TimeToDecision = map[string]time.Duration{}
				out[i].CompletedAt = map[string]time.Time{}
			}
			out[i].TimeToDecision[lang] = max(0, s.done[lang].Sub(last))
			out[i].CompletedAt[lang] = s.done[lang]
		}
	}
	return out, nil
}

// PlacementAnswers reads one assessment's answers with everything the
// placement needs (machine and grader scores for the training path).
// ErrNotFound when the assessment does not exist; an assessment without
// answers has none.
func (s *Store) PlacementAnswers(ctx context.Context, assessmentID string) (PlacementCandidate, error) {
	a, err := s.GetAssessment(ctx, assessmentID)
	if err != nil {
		return PlacementCandidate{}, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+s.answerCols(true)+answerFrom+` WHERE a.id = $1 ORDER BY r.created_at, r.id`, assessmentID)
	if err != nil {
		return PlacementCandidate{}, fmt.Errorf("store: placement answers: %w", err)
	}
	defer rows.Close()
	cs, err := collect(rows, true)
	if err != nil {
		return PlacementCandidate{}, fmt.Errorf("store: placement answers: %w", err)
	}
	if len(cs) == 0 {
		return PlacementCandidate{Candidate: placement.Candidate{ID: a.ID}, AssessmentKey: a.AssessmentKey,
			CandidateRef: a.CandidateRef, CreatedAt: a.CreatedAt}, nil
	}
	return cs[0], nil
}

// ReportCandidates reads the answers of every assessment created in the
// filter's period (only those in its language when set), without scores:
// what the planner report counts.
func (s *Store) ReportCandidates(ctx context.Context, f ReportFilter) ([]PlacementCandidate, error) {
	where, args := f.where(nil, "a.created_at", "r.language")
	rows, err := s.r.QueryContext(ctx, `SELECT `+s.answerCols(false)+answerFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: report candidates: %w", err)
	}
	defer rows.Close()
	cs, err := collect(rows, false)
	if err != nil {
		return nil, fmt.Errorf("store: report candidates: %w", err)
	}
	return cs, nil
}

// ReviewedAnswer is a response a grader decided, with the machine's view of
// it: a human rating for the agreement report and calibration.
type ReviewedAnswer struct {
	ReviewID      int64
	ResponseID    string
	AssessmentKey string
	ItemID        string
	Language      string
	Kind          string
	Text          string // text or transcript, for refitting
	MachineLevel  string
	MachineScores map[string]float64
	Human         Decision // the final decision
	DecidedAt     time.Time
}

// ReviewedAnswers lists decided reviews whose (first) decision falls in the
// filter's period, in the filter's language, oldest first. withText also
// reads the answer text (calibration refits on it).
func (s *Store) ReviewedAnswers(ctx context.Context, f ReportFilter, withText bool) ([]ReviewedAnswer, error) {
	where, args := f.where(nil, "v.decided_at", "v.language")
	if where == "" {
		where = ` WHERE v.state = 'decided'`
	} else {
		where += ` AND v.state = 'decided'`
	}
	text := `''`
	if withText {
		text = `CASE WHEN r.text <> '' THEN r.text ELSE r.transcript END`
	}
	rows, err := s.r.QueryContext(ctx, `
SELECT v.id, v.response_id, a.assessment_key, r.item_id, v.language, r.kind, `+text+`,
	COALESCE(sc.level, ''), sc.dims, v.decision, v.second_decision, v.decided_at
FROM reviews v
JOIN responses r ON r.id = v.response_id
JOIN assessments a ON a.id = r.assessment_id
LEFT JOIN scores sc ON sc.id = v.score_id`+where+` ORDER BY v.decided_at, v.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: reviewed answers: %w", err)
	}
	defer rows.Close()
	var out []ReviewedAnswer
	for rows.Next() {
		var x ReviewedAnswer
		var dims, d1, d2 []byte
		var at dbTime
		if err := rows.Scan(&x.ReviewID, &x.ResponseID, &x.AssessmentKey, &x.ItemID, &x.Language, &x.Kind, &x.Text,
			&x.MachineLevel, &dims, &d1, &d2, &at); err != nil {
			return nil, fmt.Errorf("store: reviewed answers: %w", err)
		}
		x.DecidedAt = at.Time
		if len(dims) > 0 {
			m, err := dimScores(dims)
			if err != nil {
				return nil, fmt.Errorf("store: reviewed answer %d: %w", x.ReviewID, err)
			}
			x.MachineScores = m
		}
		final := d1
		if len(d2) > 0 {
			final = d2
		}
		if len(final) == 0 {
			return nil, fmt.Errorf("store: reviewed answer %d: decided without a decision", x.ReviewID)
		}
		if err := json.Unmarshal(final, &x.Human); err != nil {
			return nil, fmt.Errorf("store: reviewed answer %d: %w", x.ReviewID, err)
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: reviewed answers: %w", err)
	}
	return out, nil
}

// Placement is the answer as placement.Agreement reads it.
func (x ReviewedAnswer) Placement() placement.Reviewed {
	return placement.Reviewed{AssessmentKey: x.AssessmentKey, ItemID: x.ItemID, Language: x.Language,
		MachineLevel: x.MachineLevel, MachineScores: x.MachineScores, HumanLevel: x.Human.Level,
		HumanScores: x.Human.Scores.ByDimension()}
}

// SetClock replaces the store's clock, so a seeding or load-test tool can
// write history (rows dated in the past). Call it before using the store
// and never concurrently with other methods; nil restores time.Now.
func (s *Store) SetClock(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	s.now = now
}

// ItemSkill tells the report which skill an item measures and its weight
// in that skill (from the rubric pack: the store does not know the pack).
type ItemSkill struct {
	AssessmentKey string
	ItemID        string
	Skill         string
	Weight        float64
}

// levelIndexSQL maps a CEFR level column to its index (NULL otherwise).
func levelIndexSQL(col string) string {
	var b strings.Builder
	b.WriteString("CASE " + col)
	for i, l := range rubrics.Levels {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", l, i)
	}
	b.WriteString(" END")
	return b.String()
}

// ReportSummaries computes each assessment's final levels per language in
// the database, for the planner report: one row per assessment and
// language instead of one per response, which is what keeps the report
// fast on 100,000 responses. It applies the rules of
// placement.FinalLevels (a decision overrides the machine; the
// item-weighted mean level index per skill, rounded halves down; pending
// answers and open reviews make a language incomplete; failed answers
// count for nothing) and of the time to decision. Items missing from
// items count with weight 1 for the skill of their kind.
func (s *Store) ReportSummaries(ctx context.Context, f ReportFilter, items []ItemSkill) ([]placement.Summary, error) {
	q, args := s.reportSummariesSQL(f, items, false)
	out, err := s.summaries(ctx, q, args)
	if err != nil {
		return nil, fmt.Errorf("store: report summaries: %w", err)
	}
	return out, nil
}

// CompletedSummaries is ReportSummaries for the trend report: the
// assessment languages (in f's language when set) that are complete and
// became complete in [f.From, f.To), whenever the assessment was created.
// A language becomes complete at its last grade or final decision (the
// done time of the time to decision, placement.Summary.CompletedAt): the
// latest, over its answers, of graded_at for a graded answer without a
// review, the final decision (second_decided_at when a second grader
// decided, else decided_at) of its latest review, and updated_at (the last
// attempt) for an answer that failed for good.
func (s *Store) CompletedSummaries(ctx context.Context, f ReportFilter, items []ItemSkill) ([]placement.Summary, error) {
	q, args := s.reportSummariesSQL(f, items, true)
	out, err := s.summaries(ctx, q, args)
	if err != nil {
		return nil, fmt.Errorf("store: completed summaries: %w", err)
	}
	return out, nil
}

// summaries runs a report summaries query.
func (s *Store) summaries(ctx context.Context, q string, args []any) ([]placement.Summary, error) {
	if s.dialect != DialectPostgres {
		rows, err := s.r.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		return scanSummaries(rows)
	}
	// On PostgreSQL, settings for this one read-only transaction: the
	// grouping of ~10,000 assessment-languages needs a few MB in memory
	// instead of sorting on disk at the default 4 MB work_mem, and without
	// parallel workers the plan merge-joins the covering indexes
	// (responses_report, scores_latest, reviews_response) in id order;
	// each parallel worker would build the same hash tables again.
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, reportSettings); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanSummaries(rows)
}

// uniqueItems reports whether no item id appears in two assessments.
func uniqueItems(items []ItemSkill) bool {
	seen := map[string]string{}
	for _, it := range items {
		if k, ok := seen[it.ItemID]; ok && k != it.AssessmentKey {
			return false
		}
		seen[it.ItemID] = it.AssessmentKey
	}
	return true
}

// reportSettings are the PostgreSQL settings of the report transaction.
const reportSettings = `SET LOCAL work_mem = '32MB'; SET LOCAL max_parallel_workers_per_gather = 0`

// reportSummariesSQL is the summaries query: of the assessments created
// in f's period, or with byCompletion of the complete assessment languages
// that became complete in it.
func (s *Store) reportSummariesSQL(f ReportFilter, items []ItemSkill, byCompletion bool) (string, []any) {
	var args []any
	var vals []string
	for _, it := range items {
		w := it.Weight
		if w <= 0 {
			w = 1
		}
		args = append(args, it.AssessmentKey, it.ItemID, it.Skill, w)
		n := len(args)
		vals = append(vals, fmt.Sprintf("($%d, $%d, $%d, CAST($%d AS DOUBLE PRECISION))", n-3, n-2, n-1, n))
	}
	var where string
	itemsCTE := `it (akey, item_id, skill, weight) AS (SELECT '', '', '', CAST(1 AS DOUBLE PRECISION) WHERE 1 = 0)`
	if len(vals) > 0 {
		itemsCTE = `it (akey, item_id, skill, weight) AS (VALUES ` + strings.Join(vals, ", ") + `)`
	}
	var having string
	if byCompletion {
		// The period bounds the completion time, which exists only after
		// grouping; every answer of an assessment language counts.
		where, args = ReportFilter{Language: f.Language}.where(args, "", "r.language")
		having = ` HAVING sum(pending) = 0 AND sum(open_review) = 0`
		if w, a := (ReportFilter{From: f.From, To: f.To}).where(args, "max(done)", ""); w != "" {
			having += ` AND ` + strings.TrimPrefix(w, ` WHERE `)
			args = a
		}
		f = ReportFilter{Language: f.Language}
	} else {
		where, args = f.where(args, "a.created_at", "r.language")
	}
	// Without a period, and when no item id is used by two assessments of
	// the pack, the item alone says the skill: the 100,000-row join with
	// assessments (for its key and creation time) is left out.
	from := `assessments a
	JOIN responses r ON r.assessment_id = a.id`
	itemJoin := `it.akey = a.assessment_key AND it.item_id = r.item_id`
	if f.From.IsZero() && f.To.IsZero() && uniqueItems(items) {
		from, itemJoin = `responses r`, `it.item_id = r.item_id`
	}
	decided := `COALESCE(NULLIF(` + s.jsonText("v.second_decision", "level") + `, ''), ` + s.jsonText("v.decision", "level") + `)`
	// Latest score and review per response as grouped subqueries: one pass
	// over each table instead of an index probe per response.
	// The latest score per response: on PostgreSQL one index-only pass over
	// scores_latest (DISTINCT ON keeps the first row, the highest id, of
	// each response); SQLite has no DISTINCT ON.
	latest := `ls AS (SELECT DISTINCT ON (response_id) response_id, level, audio_snr_db, audio_clipped_ratio, audio_loudness_lufs
	FROM scores ORDER BY response_id, id DESC)`
	if s.dialect != DialectPostgres {
		latest = `ls AS (SELECT sc.response_id, sc.level, sc.audio_snr_db, sc.audio_clipped_ratio, sc.audio_loudness_lufs
	FROM scores sc JOIN (SELECT response_id, max(id) AS id FROM scores GROUP BY response_id) m ON m.id = sc.id)`
	}
	q := `
WITH ` + latest + `,
lv AS (SELECT response_id, max(id) AS id FROM reviews GROUP BY response_id),
` + itemsCTE + `,
x AS (
	SELECT r.assessment_id, r.language, r.status, r.created_at AS submitted,
		COALESCE(it.skill, CASE WHEN r.kind = 'spoken' THEN 'speaking' ELSE 'writing' END) AS skill,
		COALESCE(it.weight, 1) AS weight,
		CASE WHEN r.status <> 'graded' THEN NULL
			WHEN v.state = 'decided' THEN ` + levelIndexSQL(decided) + `
			ELSE ` + levelIndexSQL("ls.level") + ` END AS idx,
		CASE WHEN r.status = 'graded' THEN ls.audio_snr_db END AS snr,
		CASE WHEN r.status = 'graded' THEN ls.audio_clipped_ratio END AS clip,
		CASE WHEN r.status = 'graded' THEN ls.audio_loudness_lufs END AS loud,
		CASE WHEN r.status = 'pending' THEN 1 ELSE 0 END AS pending,
		CASE WHEN r.status = 'graded' AND v.state IN ('open', 'claimed') THEN 1 ELSE 0 END AS open_review,
		CASE WHEN r.status = 'failed' THEN r.updated_at
			WHEN r.status = 'graded' AND v.state = 'decided' THEN COALESCE(v.second_decided_at, v.decided_at)
			WHEN r.status = 'graded' AND v.state IS NULL THEN r.graded_at END AS done
	FROM ` + from + `
	LEFT JOIN ls ON ls.response_id = r.id
	LEFT JOIN lv ON lv.response_id = r.id
	LEFT JOIN reviews v ON v.id = lv.id
	LEFT JOIN it ON ` + itemJoin + where + `
)
SELECT assessment_id, language, sum(pending), sum(open_review),
	sum(CASE WHEN skill = 'reading' THEN weight * idx END), sum(CASE WHEN skill = 'reading' AND idx IS NOT NULL THEN weight END),
	count(CASE WHEN skill = 'reading' THEN idx END),
	sum(CASE WHEN skill = 'writing' THEN weight * idx END), sum(CASE WHEN skill = 'writing' AND idx IS NOT NULL THEN weight END),
	count(CASE WHEN skill = 'writing' THEN idx END),
	sum(CASE WHEN skill = 'speaking' THEN weight * idx END), sum(CASE WHEN skill = 'speaking' AND idx IS NOT NULL THEN weight END),
	count(CASE WHEN skill = 'speaking' THEN idx END),
	min(snr), max(clip), min(loud), max(submitted), max(done)
FROM x GROUP BY assessment_id, language` + having + ` ORDER BY assessment_id, language`
	return q, args
}

func scanSummaries(rows *sql.Rows) ([]placement.Summary, error) {
	var out []placement.Summary
	for rows.Next() {
		var (
			id, lang        string
			pending, open   int
			sum, wsum       [3]sql.NullFloat64
			n               [3]int
			snr, clip, loud sql.NullFloat64
			last, done      dbTime
		)
		if err := rows.Scan(&id, &lang, &pending, &open, &sum[0], &wsum[0], &n[0], &sum[1], &wsum[1], &n[1],
			&sum[2], &wsum[2], &n[2], &snr, &clip, &loud, &last, &done); err != nil {
			return nil, fmt.Errorf("store: report summaries: %w", err)
		}
		l := placement.Languages{Language: lang, Skills: map[string]placement.SkillLevel{}, Pending: pending, OpenReviews: open}
		for i, skill := range []string{rubrics.SkillReading, rubrics.SkillWriting, rubrics.SkillSpeaking} {
			if n[i] == 0 || !wsum[i].Valid || wsum[i].Float64 == 0 {
				continue
			}
			v := sum[i].Float64 / wsum[i].Float64
			l.Skills[skill] = placement.SkillLevel{Skill: skill, Level: placement.LevelFromValue(v),
				Value: math.Round(v*1000) / 1000, Answers: n[i]}
		}
		if snr.Valid {
			l.Audio = &placement.Audio{SNRdB: snr.Float64, ClippedRatio: clip.Float64, LoudnessLUFS: loud.Float64}
		}
		if len(out) == 0 || out[len(out)-1].ID != id {
			out = append(out, placement.Summary{ID: id})
		}
		c := &out[len(out)-1]
		c.Languages = append(c.Languages, l)
		if l.Complete() && done.Valid {
			if c.TimeToDecision == nil {
				c.TimeToDecision = map[string]time.Duration{}
				c.CompletedAt = map[string]time.Time{}
			}
			c.TimeToDecision[lang] = max(0, done.Time.Sub(last.Time))
			c.CompletedAt[lang] = done.Time
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: report summaries: %w", err)
	}
	return out, nil
}

// PendingReviews counts, per language and for each of ends (ascending),
// the candidates (assessment languages; in language when set) with a
// review open at that instant: created before it and not finally decided
// before it (a review at stage 2 stays open until the second decision).
// Every review counts, not only a response's latest: the history is in
// the reviews' created_at, decided_at and second_decided_at, which are
// written once. Languages without any such review are absent.
func (s *Store) PendingReviews(ctx context.Context, language string, ends []time.Time) (map[string][]int, error) {
	out := map[string][]int{}
	if len(ends) == 0 {
		return out, nil
	}
	closed := `CASE WHEN v.state = 'decided' THEN COALESCE(v.second_decided_at, v.decided_at) END`
	args := []any{ends[0].UTC()}
	where := ` WHERE (v.state <> 'decided' OR ` + closed + ` >= $1)`
	if last := ends[len(ends)-1]; !afterStored(last) {
		args = append(args, last.UTC())
		where += fmt.Sprintf(` AND v.created_at < $%d`, len(args))
	}
	if language != "" {
		args = append(args, language)
		where += fmt.Sprintf(` AND v.language = $%d`, len(args))
	}
	rows, err := s.r.QueryContext(ctx, `
SELECT r.assessment_id, v.language, v.created_at, `+closed+`
FROM reviews v JOIN responses r ON r.id = v.response_id`+where+`
ORDER BY r.assessment_id, v.language`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: pending reviews: %w", err)
	}
	defer rows.Close()
	// Rows come grouped by candidate; counted[i] is the last candidate
	// counted at ends[i], so a candidate with two reviews open at once
	// counts once.
	counted := make([]int, len(ends))
	for i := range counted {
		counted[i] = -1
	}
	group, lastID, lastLang := -1, "", ""
	for rows.Next() {
		var id, lang string
		var created, closedAt dbTime
		if err := rows.Scan(&id, &lang, &created, &closedAt); err != nil {
			return nil, fmt.Errorf("store: pending reviews: %w", err)
		}
		if group < 0 || id != lastID || lang != lastLang {
			group++
			lastID, lastLang = id, lang
		}
		counts, ok := out[lang]
		if !ok {
			counts = make([]int, len(ends))
			out[lang] = counts
		}
		// Open at e when created < e <= closed: from the first end after
		// created to the last end not after closed.
		first := sort.Search(len(ends), func(i int) bool { return ends[i].After(created.Time) })
		last := len(ends)
		if closedAt.Valid {
			last = sort.Search(len(ends), func(i int) bool { return ends[i].After(closedAt.Time) })
		}
		for i := first; i < last; i++ {
			if counted[i] != group {
				counted[i] = group
				counts[i]++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: pending reviews: %w", err)
	}
	return out, nil
}
