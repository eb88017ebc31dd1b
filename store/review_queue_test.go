package store

import (
	"errors"
	"testing"
	"time"
)

// TestResponseReview: the latest review of a response, through an expired
// claim; a response never flagged has none.
func TestResponseReview(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		ctx := t.Context()
		a := newAssessment(t, s, "c1")
		v := flagged(t, s, clk, a, "de", "B1", flagWrongLanguage)
		got, err := s.ResponseReview(ctx, v.ResponseID)
		if err != nil || got.ID != v.ID || got.State != ReviewOpen || got.AssessmentID != a.ID {
			t.Fatalf("ResponseReview = %+v, %v; want review %d open", got, err, v.ID)
		}
		if _, err := s.ClaimReview(ctx, v.ID, "g1", time.Minute); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.ResponseReview(ctx, v.ResponseID); got.State != ReviewClaimed || got.ClaimedBy != "g1" {
			t.Errorf("claimed: %+v", got)
		}
		clk.advance(2 * time.Minute)
		if got, _ := s.ResponseReview(ctx, v.ResponseID); got.State != ReviewOpen || got.ClaimedBy != "" {
			t.Errorf("after the lease expired: %+v, want open", got)
		}
		clean := grade(t, s, written(a.ID, "w2", ""), graded("B2"))
		if _, err := s.ResponseReview(ctx, clean.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("unflagged response: %v, want ErrNotFound", err)
		}
	})
}
