package store

import (
	"errors"
	"testing"
	"time"
)

func TestDeleteCandidate(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		ctx := t.Context()
		gone, err := s.CreateAssessment(ctx, Assessment{CandidateRef: "forget-me", Languages: []string{"de"}}, hash("tok-gone"))
		if err != nil {
			t.Fatal(err)
		}
		v := flagged(t, s, clk, gone, "de", "B1", flagWrongLanguage)
		if _, err := s.ClaimReview(ctx, v.ID, "g1", time.Minute); err != nil {
			t.Fatal(err)
		}
		kept := newAssessment(t, s, "keep-me")
		keptReview := flagged(t, s, clk, kept, "de", "B2", flagTooShort)

		if err := s.DeleteCandidate(ctx, "forget-me"); err != nil {
			t.Fatal(err)
		}
		tables := []string{"assessments", "responses", "scores", "flags", "reviews", "review_audit", "tokens", "candidates"}
		for _, table := range tables {
			// What is left in each table belongs to the kept candidate only.
			want := map[string]int{"assessments": 1, "responses": 1, "scores": 1, "flags": 1, "reviews": 1,
				"review_audit": 1, "tokens": 0, "candidates": 1}[table]
			if n := count(t, s, `SELECT count(*) FROM `+table); n != want {
				t.Errorf("%s: %d rows after the deletion, want %d", table, n, want)
			}
		}
		if _, err := s.TokenByHash(ctx, hash("tok-gone")); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleted candidate's token: %v, want ErrNotFound", err)
		}
		if _, err := s.GetReview(ctx, keptReview.ID); err != nil {
			t.Errorf("the other candidate's review: %v", err)
		}
		if err := s.DeleteCandidate(ctx, "forget-me"); !errors.Is(err, ErrNotFound) {
			t.Errorf("second deletion: %v, want ErrNotFound", err)
		}
	})
}
