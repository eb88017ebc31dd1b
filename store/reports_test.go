package store

import (
	"database/sql"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/langassess/langassess/audio"
	"github.com/langassess/langassess/grading/placement"
	"github.com/langassess/langassess/grading/result"
	"github.com/langassess/langassess/rubrics"
)

// grade stores a graded response and returns it.
func grade(t *testing.T, s *Store, r Response, res result.Result) Response {
	t.Helper()
	ctx := t.Context()
	r, _, err := s.CreateResponse(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.LeaseResponse(ctx, r.ID, "w", time.Minute); !ok || err != nil {
		t.Fatalf("lease: %v %v", ok, err)
	}
	if err := s.CompleteGrade(ctx, r.ID, "w", res); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestPlacementReads: the placement and report reads see the latest score
// with its generated audio columns and dimension scores, the final
// decision (the second grader's at stage 2), open reviews, pending
// answers, the time to decision and the filters.
func TestPlacementReads(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		ctx := t.Context()
		start := clk.now()
		a := newAssessment(t, s, "cand-1")

		grade(t, s, written(a.ID, "write-reply", ""), graded("B2"))
		sp := spoken(a.ID, "speak-call", "", []byte("RIFF fake"))
		res := graded("A2", flagWrongLanguage)
		res.Audio = &audio.Report{Quality: audio.Quality{SNRdB: 21.5, ClippedRatio: 0.002, LoudnessLUFS: -24}}
		flaggedResp := grade(t, s, sp, res)
		if _, _, err := s.CreateResponse(ctx, written(a.ID, "read-problem", "pending")); err != nil {
			t.Fatal(err)
		}

		c, err := s.PlacementAnswers(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.ID != a.ID || c.AssessmentKey != "support-agent" || c.CandidateRef != "cand-1" || len(c.Answers) != 3 {
			t.Fatalf("candidate %+v", c)
		}
		byItem := map[string]placement.Answer{}
		for _, x := range c.Answers {
			byItem[x.ItemID] = x
		}
		w, sa, p := byItem["write-reply"], byItem["speak-call"], byItem["read-problem"]
		if !w.Graded || w.MachineLevel != "B2" || w.Review != "" || w.MachineScores["grammar"] != 64 || w.Audio != nil {
			t.Errorf("clean answer %+v", w)
		}
		if sa.Review != ReviewOpen || sa.Audio == nil || *sa.Audio != (placement.Audio{SNRdB: 21.5, ClippedRatio: 0.002, LoudnessLUFS: -24}) {
			t.Errorf("flagged spoken answer %+v audio %+v", sa, sa.Audio)
		}
		if p.Graded || p.Kind != KindWritten {
			t.Errorf("pending answer %+v", p)
		}
		if c.TimeToDecision != nil {
			t.Errorf("time to decision %v while incomplete", c.TimeToDecision)
		}

		// A grader moves the machine's A2 to C1: stage 2; a second grader
		// says B2, which is final.
		v := reviewOf(t, s, flaggedResp.ID)
		clk.advance(time.Minute)
		decide := func(grader, level string) {
			t.Helper()
			if _, err := s.ClaimReview(ctx, v, grader, time.Minute); err != nil {
				t.Fatal(err)
			}
			g := 77.0
			if _, err := s.DecideReview(ctx, v, grader, Decision{Level: level, Scores: result.Scores{Grammar: &g}}); err != nil {
				t.Fatal(err)
			}
		}
		decide("g1", "C1")
		c, _ = s.PlacementAnswers(ctx, a.ID)
		for _, x := range c.Answers {
			if x.ItemID == "speak-call" && (x.Review != ReviewOpen || x.HumanLevel != "") {
				t.Errorf("stage 2 answer %+v: want open, no human level yet", x)
			}
		}
		clk.advance(time.Minute)
		decide("g2", "B2")

		rs, err := s.ReportCandidates(ctx, ReportFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 || len(rs[0].Answers) != 3 {
			t.Fatalf("report candidates %+v", rs)
		}
		for _, x := range rs[0].Answers {
			if x.ItemID == "speak-call" && (x.Review != ReviewDecided || x.HumanLevel != "B2" || x.MachineScores != nil) {
				t.Errorf("decided answer in the report read %+v", x)
			}
		}
		// Still one answer pending, so no time to decision; the English
		// answer alone (language filter) is complete two minutes after it
		// was submitted.
		en, err := s.ReportCandidates(ctx, ReportFilter{Language: "en"})
		if err != nil {
			t.Fatal(err)
		}
		if len(en) != 1 || len(en[0].Answers) != 1 || en[0].TimeToDecision["en"] != 2*time.Minute {
			t.Errorf("en filter: %+v", en)
		}
		if _, ok := rs[0].TimeToDecision["de"]; ok {
			t.Errorf("de has a pending answer but a time to decision %v", rs[0].TimeToDecision)
		}
		for _, f := range []ReportFilter{{From: start.Add(time.Hour)}, {To: start}, {Language: "fr"}} {
			if got, err := s.ReportCandidates(ctx, f); err != nil || len(got) != 0 {
				t.Errorf("filter %+v: %d candidates, %v; want none", f, len(got), err)
			}
		}

		for _, f := range []ReportFilter{{}, {Language: "en"}, {Language: "de"}, {From: start.Add(time.Hour)}} {
			sameSummaries(t, s, f)
		}

		ra, err := s.ReviewedAnswers(ctx, ReportFilter{}, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(ra) != 1 || ra[0].Human.Level != "B2" || ra[0].MachineLevel != "A2" || ra[0].Text != "hello" ||
			ra[0].MachineScores["comprehension"] != 71.5 || ra[0].Kind != KindSpoken {
			t.Errorf("reviewed answers %+v", ra)
		}
		if got, _ := s.ReviewedAnswers(ctx, ReportFilter{Language: "de"}, false); len(got) != 0 {
			t.Errorf("de reviewed answers %+v", got)
		}
		if _, err := s.PlacementAnswers(ctx, "nope"); err == nil {
			t.Error("placement of an unknown assessment succeeded")
		}
	})
}

func reviewOf(t *testing.T, s *Store, responseID string) int64 {
	t.Helper()
	list, err := s.ListReviews(t.Context(), ReviewFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range list {
		if v.ResponseID == responseID {
			return v.ID
		}
	}
	t.Fatalf("no review for %s", responseID)
	return 0
}

// TestExplainReports prints the PostgreSQL plans of the report reads on a
// seeded database (langassess-eval seed), for docs/benchmarks.md. It runs only
// when LANGASSESS_BENCH_DATABASE_URL names such a database.
func TestExplainReports(t *testing.T) {
	url := os.Getenv("LANGASSESS_BENCH_DATABASE_URL")
	if url == "" {
		t.Skip("set LANGASSESS_BENCH_DATABASE_URL to a database filled by langassess-eval seed")
	}
	s, err := Open(t.Context(), url, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	from := time.Now().AddDate(0, 0, -30)
	pw, pargs := ReportFilter{}.where(nil, "a.created_at", "r.language")
	items := []ItemSkill{{"customer-support", "write-reply", "writing", 2}, {"customer-support", "speak-call", "speaking", 2}}
	allSQL, allArgs := s.reportSummariesSQL(ReportFilter{}, items, false)
	deSQL, deArgs := s.reportSummariesSQL(ReportFilter{From: from, Language: "de"}, items, false)
	trendTo := time.Now().UTC().AddDate(0, 0, 7)
	trendSQL, trendArgs := s.reportSummariesSQL(ReportFilter{From: trendTo.AddDate(0, 0, -84), To: trendTo}, items, true)
	aw, aargs := ReportFilter{}.where(nil, "v.decided_at", "v.language")
	for _, q := range []struct {
		name, sql string
		args      []any
	}{
		{"placement, all", allSQL, allArgs},
		{"placement, de, last 30 days", deSQL, deArgs},
		{"baseline per-response read, all", `SELECT ` + s.answerCols(false) + answerFrom + pw, pargs},
		{"trend completions, 12 weeks", trendSQL, trendArgs},
		{"agreement, all", `SELECT v.id, sc.dims, v.decision, v.second_decision FROM reviews v
JOIN responses r ON r.id = v.response_id JOIN assessments a ON a.id = r.assessment_id
LEFT JOIN scores sc ON sc.id = v.score_id` + aw + ` WHERE v.state = 'decided'`, aargs},
	} {
		// The same transaction settings as ReportSummaries.
		tx, err := s.r.BeginTx(t.Context(), &sql.TxOptions{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(q.name, "placement") || strings.HasPrefix(q.name, "trend") {
			if _, err := tx.ExecContext(t.Context(), reportSettings); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := tx.QueryContext(t.Context(), `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) `+q.sql, q.args...)
		if err != nil {
			t.Fatalf("%s: %v", q.name, err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, line)
		}
		rows.Close()
		tx.Rollback()
		t.Logf("%s:\n%s", q.name, strings.Join(plan, "\n"))
		if os.Getenv("LANGASSESS_EXPLAIN_SQL") != "" {
			t.Logf("%s SQL (args %q):\n%s", q.name, q.args, q.sql)
		}
	}
}

// sameSummaries checks that the aggregated report read agrees with the
// per-answer one summarised by placement.FinalLevels.
func sameSummaries(t *testing.T, s *Store, f ReportFilter) {
	t.Helper()
	items := []ItemSkill{
		{AssessmentKey: "support-agent", ItemID: "write-reply", Skill: "writing", Weight: 2},
		{AssessmentKey: "support-agent", ItemID: "read-problem", Skill: "reading", Weight: 1},
		{AssessmentKey: "support-agent", ItemID: "speak-call", Skill: "speaking", Weight: 2},
	}
	got, err := s.ReportSummaries(t.Context(), f, items)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := s.ReportCandidates(t.Context(), f)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]placement.Summary{}
	for _, c := range cs {
		for i := range c.Answers {
			for _, it := range items {
				if it.ItemID == c.Answers[i].ItemID {
					c.Answers[i].Skill, c.Answers[i].Weight = it.Skill, it.Weight
				}
			}
		}
		sum := placement.Summarize(c.Candidate)
		for i := range sum.Languages {
			sum.Languages[i].Weakest = nil
			for k, sl := range sum.Languages[i].Skills {
				sl.Reviewed = 0 // the aggregate does not count reviewed answers
				sum.Languages[i].Skills[k] = sl
			}
		}
		want[c.ID] = sum
	}
	if len(got) != len(want) {
		t.Fatalf("filter %+v: %d summaries, want %d", f, len(got), len(want))
	}
	for _, g := range got {
		w := want[g.ID]
		slices.SortFunc(w.Languages, func(a, b placement.Languages) int { return strings.Compare(a.Language, b.Language) })
		if !reflect.DeepEqual(g, w) {
			t.Errorf("filter %+v: summary\n got %+v\nwant %+v", f, g, w)
		}
	}
}

// TestFailedAnswerCompletes: an answer that failed for good holds nothing
// up, so the language is complete when it failed (its last attempt), in
// the per-response read as in the aggregate.
func TestFailedAnswerCompletes(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		ctx := t.Context()
		a := newAssessment(t, s, "cand-f")
		grade(t, s, written(a.ID, "write-reply", ""), graded("B2"))
		r, _, err := s.CreateResponse(ctx, written(a.ID, "read-problem", ""))
		if err != nil {
			t.Fatal(err)
		}
		submitted := clk.now()
		clk.advance(time.Hour)
		if ok, err := s.LeaseResponse(ctx, r.ID, "w", time.Minute); !ok || err != nil {
			t.Fatalf("lease: %v %v", ok, err)
		}
		if err := s.FailGrade(ctx, r.ID, "w", "unreadable", clk.now(), true); err != nil {
			t.Fatal(err)
		}
		c, err := s.PlacementAnswers(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.TimeToDecision["de"]; got != clk.now().Sub(submitted) {
			t.Errorf("time to decision %v, want %v (failed an hour after the last answer)", c.TimeToDecision, clk.now().Sub(submitted))
		}
		sameSummaries(t, s, ReportFilter{})
	})
}

// TestReportUpToYear9999: a report up to 9999-12-31 inclusive (an upper
// bound in the year 10000) covers everything on both databases; SQLite
// compares the times as text, where "10000-..." sorts first.
func TestReportUpToYear9999(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		a := newAssessment(t, s, "cand-y")
		grade(t, s, written(a.ID, "write-reply", ""), graded("B2"))
		to := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
		f := ReportFilter{From: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), To: to}
		if got, err := s.ReportCandidates(t.Context(), f); err != nil || len(got) != 1 {
			t.Errorf("report candidates up to %v: %d, %v; want 1", to, len(got), err)
		}
		if got, err := s.ReportSummaries(t.Context(), f, nil); err != nil || len(got) != 1 {
			t.Errorf("report summaries up to %v: %d, %v; want 1", to, len(got), err)
		}
	})
}

// trendQueues is a small catalog for the trend tests: German chat needs
// written B1, e-mail written B2.
var trendQueues = []rubrics.Queue{
	{ID: "de-chat", Language: "de", Channel: "chat", MinLevels: map[string]string{"writing": "B1"}, Demand: 3},
	{ID: "de-email", Language: "de", Channel: "email", MinLevels: map[string]string{"writing": "B2"}, Demand: 2},
}

var trendItems = []ItemSkill{{AssessmentKey: "support-agent", ItemID: "write-reply", Skill: "writing", Weight: 1}}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// trendData writes the trend tests' candidates (all German, one written
// item each) at fixed times; it returns the candidate ref of each
// assessment id.
func trendData(t *testing.T, s *Store, clk *clock) map[string]string {
	t.Helper()
	ctx := t.Context()
	refs := map[string]string{}
	at := func(ts string) { clk.set(utc(ts)) }
	cand := func(ref string) Assessment {
		at("2026-03-01T08:00:00Z")
		a := newAssessment(t, s, ref)
		refs[a.ID] = ref
		return a
	}
	decide := func(v int64, grader, level string) {
		t.Helper()
		if _, err := s.ClaimReview(ctx, v, grader, time.Minute); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DecideReview(ctx, v, grader, Decision{Level: level}); err != nil {
			t.Fatal(err)
		}
	}
	// A: B2, graded in the last microsecond of Sunday 8 March (week of
	// 2 March); B: B1, graded at midnight that starts Monday 9 March.
	a := cand("A")
	at("2026-03-08T23:59:59.999999Z")
	grade(t, s, written(a.ID, "write-reply", ""), graded("B2"))
	b := cand("B")
	at("2026-03-09T00:00:00Z")
	grade(t, s, written(b.ID, "write-reply", ""), graded("B1"))
	// C: the machine's A2 flagged on 3 March; the first grader's C1 on
	// 12 March is two bands off, so it stays open for a second grader,
	// whose B2 on 17 March completes it.
	c := cand("C")
	at("2026-03-03T10:00:00Z")
	vc := reviewOf(t, s, grade(t, s, written(c.ID, "write-reply", ""), graded("A2", flagWrongLanguage)).ID)
	at("2026-03-12T10:00:00Z")
	decide(vc, "g1", "C1")
	at("2026-03-17T08:00:00Z")
	decide(vc, "g2", "B2")
	// D: B1 flagged on 4 March, decided A2 exactly at midnight starting
	// Monday 16 March.
	d := cand("D")
	at("2026-03-04T10:00:00Z")
	vd := reviewOf(t, s, grade(t, s, written(d.ID, "write-reply", ""), graded("B1", flagWrongLanguage)).ID)
	at("2026-03-16T00:00:00Z")
	decide(vd, "g1", "A2")
	// E: flagged on 10 March, never decided.
	e := cand("E")
	at("2026-03-10T12:00:00Z")
	grade(t, s, written(e.ID, "write-reply", ""), graded("B2", flagWrongLanguage))
	// F: one answer graded, one still pending: incomplete.
	f := cand("F")
	at("2026-03-03T09:00:00Z")
	grade(t, s, written(f.ID, "write-reply", ""), graded("C1"))
	if _, _, err := s.CreateResponse(ctx, written(f.ID, "read-problem", "")); err != nil {
		t.Fatal(err)
	}
	// G: its only answer failed for good at midnight starting Thursday
	// 5 March: complete, with no level.
	g := cand("G")
	at("2026-03-05T00:00:00Z")
	r, _, err := s.CreateResponse(ctx, written(g.ID, "write-reply", ""))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.LeaseResponse(ctx, r.ID, "w", time.Minute); !ok || err != nil {
		t.Fatalf("lease: %v %v", ok, err)
	}
	if err := s.FailGrade(ctx, r.ID, "w", "unreadable", clk.now(), true); err != nil {
		t.Fatal(err)
	}
	// H and I: B2 in the last second of March and at midnight of April.
	h := cand("H")
	at("2026-03-31T23:59:59Z")
	grade(t, s, written(h.ID, "write-reply", ""), graded("B2"))
	i := cand("I")
	at("2026-04-01T00:00:00Z")
	grade(t, s, written(i.ID, "write-reply", ""), graded("B2"))
	// An English candidate, for the language filter.
	en := cand("EN")
	at("2026-03-03T10:00:00Z")
	sp := spoken(en.ID, "speak-call", "", []byte("RIFF fake"))
	grade(t, s, sp, graded("B2", flagWrongLanguage))
	return refs
}

// trendCounts is a trend as "qualified/not qualified/pending" per period,
// per row.
func trendCounts(rows []placement.TrendRow) map[string][]string {
	out := map[string][]string{}
	for _, r := range rows {
		for _, p := range r.Periods {
			out[r.Channel] = append(out[r.Channel], fmt.Sprintf("%d/%d/%d", p.Qualified, p.NotQualified, p.PendingReview))
		}
	}
	return out
}

// TestTrendReads: completion times and reviews open at a period's end,
// bucketed by UTC day, ISO week and month at the exact boundaries, empty
// periods kept with zeros; the same numbers on SQLite and PostgreSQL.
func TestTrendReads(t *testing.T) {
	results := map[string]any{}
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		ctx := t.Context()
		refs := trendData(t, s, clk)
		clk.set(utc("2026-04-20T12:00:00Z"))
		trend := func(from, to, interval, lang string) []placement.TrendRow {
			t.Helper()
			bounds := placement.Periods(utc(from), utc(to), interval)
			done, err := s.CompletedSummaries(ctx, ReportFilter{From: bounds[0], To: bounds[len(bounds)-1], Language: lang}, trendItems)
			if err != nil {
				t.Fatal(err)
			}
			var cs []placement.Completed
			for _, d := range done {
				for _, l := range d.Languages {
					cs = append(cs, placement.Completed{ID: d.ID, Levels: l, At: d.CompletedAt[l.Language]})
				}
			}
			pending, err := s.PendingReviews(ctx, lang, bounds[1:])
			if err != nil {
				t.Fatal(err)
			}
			rows, err := placement.Trend(cs, pending, trendQueues, bounds, "", "")
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		got := map[string]map[string][]string{}
		for _, c := range []struct {
			name, from, to, interval string
			want                     map[string][]string
		}{
			// Weeks from Monday 2 March: A and G in the first, B in the
			// second (midnight starts it), C (second decision) and D
			// (decided at midnight) in the third; the fourth is empty.
			// Pending at each week's end: C and D; C, D (decided at the
			// very end) and E; E; E.
			{"weeks", "2026-03-02T00:00:00Z", "2026-03-30T00:00:00Z", placement.IntervalWeek, map[string][]string{
				"chat":  {"1/1/2", "1/0/3", "1/1/1", "0/0/1"},
				"email": {"1/1/2", "0/1/3", "1/1/1", "0/0/1"},
			}},
			// A range inside a week is widened to the whole week.
			{"week widened", "2026-03-10T15:00:00Z", "2026-03-10T16:00:00Z", placement.IntervalWeek, map[string][]string{
				"chat":  {"1/0/3"},
				"email": {"0/1/3"},
			}},
			// Days around the Sunday-Monday midnight.
			{"days", "2026-03-08T00:00:00Z", "2026-03-10T00:00:00Z", placement.IntervalDay, map[string][]string{
				"chat":  {"1/0/2", "1/0/2"},
				"email": {"1/0/2", "0/1/2"},
			}},
			// Months: H in March's last second, I at April's midnight; May
			// is empty but present; E is still open.
			{"months", "2026-03-01T00:00:00Z", "2026-05-31T00:00:00Z", placement.IntervalMonth, map[string][]string{
				"chat":  {"4/2/1", "1/0/1", "0/0/1"},
				"email": {"3/3/1", "1/0/1", "0/0/1"},
			}},
		} {
			rows := trend(c.from, c.to, c.interval, "de")
			g := trendCounts(rows)
			if !reflect.DeepEqual(g, c.want) {
				t.Errorf("%s: got %v, want %v", c.name, g, c.want)
			}
			got[c.name] = g
		}
		// The English candidate's review is open in its own language only.
		pending, err := s.PendingReviews(ctx, "", []time.Time{utc("2026-03-03T10:00:00Z"), utc("2026-03-03T10:00:01Z")})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(pending, map[string][]int{"de": {0, 1}, "en": {0, 1}}) {
			t.Errorf("pending at 10:00:00 and 10:00:01 on 3 March: %v", pending)
		}
		// The completion read agrees with the full report read: the same
		// summaries, for the complete languages completed in the period.
		from, to := utc("2026-03-09T00:00:00Z"), utc("2026-04-01T00:00:00Z")
		all, err := s.ReportSummaries(ctx, ReportFilter{}, trendItems)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, x := range all {
			for _, l := range x.Languages {
				if at, ok := x.CompletedAt[l.Language]; ok && !at.Before(from) && at.Before(to) {
					want = append(want, refs[x.ID]+"@"+at.Format(time.RFC3339Nano))
				}
			}
		}
		done, err := s.CompletedSummaries(ctx, ReportFilter{From: from, To: to}, trendItems)
		if err != nil {
			t.Fatal(err)
		}
		var gotDone []string
		for _, x := range done {
			for _, l := range x.Languages {
				gotDone = append(gotDone, refs[x.ID]+"@"+x.CompletedAt[l.Language].Format(time.RFC3339Nano))
			}
		}
		slices.Sort(want)
		slices.Sort(gotDone)
		if wantRefs := "B@2026-03-09T00:00:00Z C@2026-03-17T08:00:00Z D@2026-03-16T00:00:00Z H@2026-03-31T23:59:59Z"; strings.Join(want, " ") != wantRefs ||
			!slices.Equal(gotDone, want) {
			t.Errorf("completed in [%v, %v): %v; from the full read %v; want %s", from, to, gotDone, want, wantRefs)
		}
		for _, f := range []ReportFilter{{}, {Language: "de"}} {
			sameSummaries(t, s, f)
		}
		results[s.dialect] = []any{got, gotDone, pending}
	})
	if len(results) == 2 && !reflect.DeepEqual(results[DialectSQLite], results[DialectPostgres]) {
		t.Errorf("SQLite and PostgreSQL differ:\n%v\n%v", results[DialectSQLite], results[DialectPostgres])
	}
}
