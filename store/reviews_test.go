package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/langassess/langassess/grading/result"
)

var (
	flagWrongLanguage = result.Flag{Code: "wrong_language", Message: "answer is in English"}
	flagBorderline    = result.Flag{Code: FlagBorderline, Message: "near a cut score"}
	flagTooShort      = result.Flag{Code: "too_short", Message: "12 words"}
)

// flagged stores a graded, flagged response and returns its review.
func flagged(t *testing.T, s *Store, clk *clock, a Assessment, lang, level string, flags ...result.Flag) Review {
	t.Helper()
	ctx := t.Context()
	in := written(a.ID, "item-"+level, "")
	in.Language = lang
	r, _, err := s.CreateResponse(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.LeaseResponse(ctx, r.ID, "api", time.Minute); !ok || err != nil {
		t.Fatalf("lease: %v %v", ok, err)
	}
	if err := s.CompleteGrade(ctx, r.ID, "api", graded(level, flags...)); err != nil {
		t.Fatal(err)
	}
	clk.advance(time.Second) // distinct creation times: the queue orders by them
	list, err := s.ListReviews(ctx, ReviewFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range list {
		if v.ResponseID == r.ID {
			return v
		}
	}
	t.Fatalf("no review opened for %s", r.ID)
	return Review{}
}

func reviewIDs(vs []Review) []int64 {
	var out []int64
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

func TestListReviews(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		ctx := t.Context()
		a := newAssessment(t, s, "c1")
		old := flagged(t, s, clk, a, "de", "B1", flagWrongLanguage)
		border := flagged(t, s, clk, a, "de", "B2", flagBorderline, flagTooShort)
		en := flagged(t, s, clk, a, "en", "A2", flagTooShort)

		if old.State != ReviewOpen || old.Stage != 1 || old.Priority != PriorityNormal || old.AssessmentID != a.ID ||
			old.MachineLevel != "B1" || !reflect.DeepEqual(old.Reasons, []string{"wrong_language"}) || old.Language != "de" {
			t.Errorf("opened review %+v", old)
		}
		if _, err := s.ClaimReview(ctx, en.ID, "g1", time.Minute); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			f    ReviewFilter
			want []int64
		}{
			{"queue: borderline first, then oldest", ReviewFilter{}, []int64{border.ID, old.ID, en.ID}},
			{"language", ReviewFilter{Language: "en"}, []int64{en.ID}},
			{"reason", ReviewFilter{Reason: "too_short"}, []int64{border.ID, en.ID}},
			{"reason and language", ReviewFilter{Reason: "too_short", Language: "de"}, []int64{border.ID}},
			{"open", ReviewFilter{State: ReviewOpen}, []int64{border.ID, old.ID}},
			{"claimed", ReviewFilter{State: ReviewClaimed}, []int64{en.ID}},
			{"decided", ReviewFilter{State: ReviewDecided}, nil},
			{"limit", ReviewFilter{Limit: 1}, []int64{border.ID}},
			{"offset", ReviewFilter{Limit: 1, Offset: 1}, []int64{old.ID}},
			{"unknown reason", ReviewFilter{Reason: "nope"}, nil},
		}
		for _, c := range cases {
			got, err := s.ListReviews(ctx, c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if !slices.Equal(reviewIDs(got), c.want) {
				t.Errorf("%s: %v, want %v", c.name, reviewIDs(got), c.want)
			}
		}
		if _, err := s.ListReviews(ctx, ReviewFilter{State: "lost"}); err == nil {
			t.Error("unknown state accepted")
		}
		// The claim lapses: the review is open again.
		clk.advance(2 * time.Minute)
		got, err := s.ListReviews(ctx, ReviewFilter{State: ReviewOpen})
		if err != nil {
			t.Fatal(err)
		}
		if want := []int64{border.ID, old.ID, en.ID}; !slices.Equal(reviewIDs(got), want) {
			t.Errorf("after the lease lapsed, open %v, want %v", reviewIDs(got), want)
		}
		if v, _ := s.GetReview(ctx, en.ID); v.State != ReviewOpen || v.ClaimedBy != "" {
			t.Errorf("lapsed claim reads as %s by %q, want open", v.State, v.ClaimedBy)
		}
	})
}

func TestReviewLifecycle(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		ctx := t.Context()
		a := newAssessment(t, s, "c1")
		v := flagged(t, s, clk, a, "de", "B1", flagWrongLanguage)
		decision := Decision{Level: "B2", Scores: result.Scores{Grammar: f64(70)}, Comment: "fine German"}

		type step struct {
			name   string
			do     func() (Review, error)
			want   error  // nil, ErrConflict or ErrNotFound
			state  string // state afterwards when want is nil
			holder string
		}
		claim := func(g string) func() (Review, error) {
			return func() (Review, error) { return s.ClaimReview(ctx, v.ID, g, time.Minute) }
		}
		release := func(g string) func() (Review, error) {
			return func() (Review, error) { return s.ReleaseReview(ctx, v.ID, g) }
		}
		decide := func(g string) func() (Review, error) {
			return func() (Review, error) { return s.DecideReview(ctx, v.ID, g, decision) }
		}
		expire := func() (Review, error) { clk.advance(61 * time.Second); return s.GetReview(ctx, v.ID) }
		steps := []step{
			{"g1 claims", claim("g1"), nil, ReviewClaimed, "g1"},
			{"g2 cannot claim a held review", claim("g2"), ErrConflict, "", ""},
			{"g1 claims again: extends", claim("g1"), nil, ReviewClaimed, "g1"},
			{"g2 cannot release it", release("g2"), ErrConflict, "", ""},
			{"g2 cannot decide it", decide("g2"), ErrConflict, "", ""},
			{"g1 releases", release("g1"), nil, ReviewOpen, ""},
			{"g1 cannot release twice", release("g1"), ErrConflict, "", ""},
			{"g2 claims", claim("g2"), nil, ReviewClaimed, "g2"},
			{"the lease runs out", expire, nil, ReviewOpen, ""},
			{"g2 cannot decide after expiry", decide("g2"), ErrConflict, "", ""},
			{"g3 claims the expired review", claim("g3"), nil, ReviewClaimed, "g3"},
			{"g3 decides", decide("g3"), nil, ReviewDecided, ""},
			{"a decided review cannot be claimed", claim("g1"), ErrConflict, "", ""},
			{"nor decided again", decide("g3"), ErrConflict, "", ""},
		}
		for _, st := range steps {
			got, err := st.do()
			if st.want != nil {
				if !errors.Is(err, st.want) {
					t.Fatalf("%s: %v, want %v", st.name, err, st.want)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			if got.State != st.state || got.ClaimedBy != st.holder {
				t.Fatalf("%s: state %s holder %q, want %s %q", st.name, got.State, got.ClaimedBy, st.state, st.holder)
			}
			if st.state == ReviewClaimed && (got.LeaseUntil == nil || !got.LeaseUntil.Equal(clk.now().Add(time.Minute))) {
				t.Errorf("%s: lease until %v, want now+1m", st.name, got.LeaseUntil)
			}
		}
		final, err := s.GetReview(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if final.Stage != 1 || final.DecidedBy != "g3" || final.DecidedAt == nil || !reflect.DeepEqual(final.Final(), &decision) {
			t.Errorf("decided review %+v, final %+v", final, final.Final())
		}
		if n, _ := s.CountOpenReviews(ctx); n != 0 {
			t.Errorf("CountOpenReviews %d after the decision, want 0", n)
		}

		trail, err := s.ReviewAudit(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range trail {
			got = append(got, e.Action+":"+e.Actor)
			if e.After == nil || (e.Action != AuditOpen && e.Before == nil) {
				t.Errorf("audit %s by %s lacks a snapshot", e.Action, e.Actor)
			}
		}
		want := []string{"open:system", "claim:g1", "claim:g1", "release:g1", "claim:g2", "claim:g3", "decide:g3"}
		if !slices.Equal(got, want) {
			t.Errorf("audit trail %v, want %v (one row per successful action, none for refused ones)", got, want)
		}
		var after snapshot
		if err := json.Unmarshal(trail[len(trail)-1].After, &after); err != nil {
			t.Fatal(err)
		}
		if after.State != ReviewDecided || after.Decision == nil || after.Decision.Level != "B2" || after.DecidedBy != "g3" {
			t.Errorf("decide audit after = %+v", after)
		}

		for name, err := range map[string]error{
			"claim":   func() error { _, err := s.ClaimReview(ctx, 999999, "g1", time.Minute); return err }(),
			"release": func() error { _, err := s.ReleaseReview(ctx, 999999, "g1"); return err }(),
			"decide":  func() error { _, err := s.DecideReview(ctx, 999999, "g1", decision); return err }(),
			"get":     func() error { _, err := s.GetReview(ctx, 999999); return err }(),
		} {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("%s of unknown review: %v, want ErrNotFound", name, err)
			}
		}
		if _, err := s.DecideReview(ctx, v.ID, "g3", Decision{Level: "B5"}); err == nil || errors.Is(err, ErrConflict) {
			t.Errorf("decision with level B5: %v, want a validation error", err)
		}
	})
}

func TestSecondGrader(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		ctx := t.Context()
		a := newAssessment(t, s, "c1")
		v := flagged(t, s, clk, a, "de", "B1", flagWrongLanguage)
		if _, err := s.ClaimReview(ctx, v.ID, "g1", time.Minute); err != nil {
			t.Fatal(err)
		}
		first := Decision{Level: "C1", Comment: "much better than the machine says"}
		got, err := s.DecideReview(ctx, v.ID, "g1", first)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != ReviewOpen || got.Stage != 2 || got.DecidedBy != "g1" || got.Final() != nil {
			t.Fatalf("after a two-band disagreement: %+v", got)
		}
		if _, err := s.ClaimReview(ctx, v.ID, "g1", time.Minute); !errors.Is(err, ErrConflict) {
			t.Errorf("first grader claims stage 2: %v, want ErrConflict", err)
		}
		if _, err := s.ClaimNextReview(ctx, "g1", time.Minute, ReviewFilter{}); !errors.Is(err, ErrNotFound) {
			t.Errorf("first grader's next review: %v, want ErrNotFound", err)
		}
		got, err = s.ClaimNextReview(ctx, "g2", time.Minute, ReviewFilter{})
		if err != nil || got.ID != v.ID {
			t.Fatalf("second grader's next review: %v %v", got.ID, err)
		}
		second := Decision{Level: "B2"}
		got, err = s.DecideReview(ctx, v.ID, "g2", second)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != ReviewDecided || got.SecondDecidedBy != "g2" || !reflect.DeepEqual(got.Decision, &first) ||
			!reflect.DeepEqual(got.Final(), &second) {
			t.Errorf("after the second decision: %+v", got)
		}
	})
}

func TestNeedsSecondGrader(t *testing.T) {
	cases := []struct {
		machine, human string
		want           bool
	}{
		{"B1", "B1", false}, {"B1", "B2", false}, {"B1", "A2", false},
		{"B1", "C1", true}, {"C2", "B2", true}, {"a1", "b1", true},
		{"", "B1", true},
	}
	for _, c := range cases {
		if got := NeedsSecondGrader(c.machine, c.human); got != c.want {
			t.Errorf("NeedsSecondGrader(%q, %q) = %v, want %v", c.machine, c.human, got, c.want)
		}
	}
}

// TestConcurrentClaims: 100 graders claiming at once never share a review.
func TestConcurrentClaims(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		ctx := t.Context()
		a := newAssessment(t, s, "c1")
		const reviews, graders = 30, 100
		for i := range reviews {
			flagged(t, s, clk, a, "de", []string{"A2", "B1", "B2"}[i%3], flagTooShort)
		}
		one := flagged(t, s, clk, a, "en", "B1", flagWrongLanguage)

		run := func(claim func(g string) (Review, error)) (got []int64, conflicts int) {
			var mu sync.Mutex
			var wg sync.WaitGroup
			start := make(chan struct{})
			for g := range graders {
				wg.Go(func() {
					<-start
					v, err := claim(fmt.Sprint("g", g))
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						got = append(got, v.ID)
					case errors.Is(err, ErrConflict), errors.Is(err, ErrNotFound):
						conflicts++
					default:
						t.Error(err)
					}
				})
			}
			close(start)
			wg.Wait()
			return got, conflicts
		}

		// 100 claims of the same review: one wins.
		got, conflicts := run(func(g string) (Review, error) { return s.ClaimReview(ctx, one.ID, g, time.Minute) })
		if len(got) != 1 || conflicts != graders-1 {
			t.Errorf("100 claims of one review: %d won, %d refused; want 1 and 99", len(got), conflicts)
		}

		// 100 claims of the next review over 30: each handed out at most once.
		got, _ = run(func(g string) (Review, error) {
			return s.ClaimNextReview(ctx, g, time.Minute, ReviewFilter{Language: "de"})
		})
		slices.Sort(got)
		if len(slices.Compact(slices.Clone(got))) != len(got) {
			t.Errorf("a review was handed out twice: %v", got)
		}
		left, err := s.ListReviews(ctx, ReviewFilter{State: ReviewOpen, Language: "de"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 || len(got)+len(left) != reviews {
			t.Errorf("%d claimed + %d still open, want %d in all and at least one claimed", len(got), len(left), reviews)
		}
		held, _ := s.ListReviews(ctx, ReviewFilter{State: ReviewClaimed, Language: "de", Limit: 500})
		if len(held) != len(got) {
			t.Errorf("%d reviews claimed in the database, %d claims reported", len(held), len(got))
		}
		t.Logf("%d of %d reviews claimed by %d concurrent graders", len(got), reviews, graders)
	})
}

// TestDecideLevelCase: DecideReview accepts a level in any case (it checks
// the level case-insensitively), so it must store it as the reports read
// it, upper case: the report SQL matches 'B2' exactly, and a stored "b2"
// counted as no level at all.
func TestDecideLevelCase(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		ctx := t.Context()
		a := newAssessment(t, s, "c1")
		v := flagged(t, s, clk, a, "de", "B1", flagTooShort)
		if _, err := s.ClaimReview(ctx, v.ID, "g1", time.Minute); err != nil {
			t.Fatal(err)
		}
		got, err := s.DecideReview(ctx, v.ID, "g1", Decision{Level: "b2"})
		if err != nil {
			t.Fatal(err)
		}
		if f := got.Final(); f == nil || f.Level != "B2" {
			t.Fatalf("final decision %+v, want level B2", f)
		}
		sums, err := s.ReportSummaries(ctx, ReportFilter{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(sums) != 1 || len(sums[0].Languages) != 1 || sums[0].Languages[0].Skills["writing"].Level != "B2" {
			t.Errorf("report summaries %+v, want writing B2 from the decision", sums)
		}
	})
}
