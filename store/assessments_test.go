package store

import (
	"errors"
	"reflect"
	"testing"
)

func TestAssessments(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		ctx := t.Context()
		in := Assessment{CandidateRef: "ext-42", PackID: "default", PackVersion: "2026.1",
			AssessmentKey: "support-agent", Languages: []string{"de", "fr", "en"}}
		a, err := s.CreateAssessment(ctx, in, hash("cand-token"))
		if err != nil {
			t.Fatal(err)
		}
		if a.ID == "" || a.Status != AssessmentOpen || !a.CreatedAt.Equal(clk.now()) {
			t.Errorf("created %+v: want an id, status open, created now", a)
		}
		got, err := s.GetAssessment(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, a) {
			t.Errorf("GetAssessment = %+v, want %+v", got, a)
		}
		tok, err := s.TokenByHash(ctx, hash("cand-token"))
		if err != nil {
			t.Fatal(err)
		}
		if tok.Role != RoleCandidate || tok.AssessmentID != a.ID {
			t.Errorf("candidate token %+v, want role candidate bound to %s", tok, a.ID)
		}

		// A second assessment for the same candidate reuses the candidate row.
		b, err := s.CreateAssessment(ctx, Assessment{CandidateRef: "ext-42", Languages: []string{"it"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if b.ID == a.ID {
			t.Fatal("two assessments got the same id")
		}
		if n := count(t, s, `SELECT count(*) FROM candidates WHERE ref = $1`, "ext-42"); n != 1 {
			t.Errorf("%d candidate rows for one ref, want 1", n)
		}

		// Failures leave no partial rows: the transaction covers candidate,
		// assessment and token.
		failures := []struct {
			name string
			a    Assessment
			hash []byte
			want error
		}{
			{"taken id", Assessment{ID: a.ID, CandidateRef: "ext-new-1"}, hash("t1"), ErrConflict},
			{"taken token hash", Assessment{CandidateRef: "ext-new-2"}, hash("cand-token"), ErrConflict},
			{"no candidate", Assessment{}, hash("t3"), errAny},
		}
		for _, f := range failures {
			_, err := s.CreateAssessment(ctx, f.a, f.hash)
			if err == nil || (f.want != errAny && !errors.Is(err, f.want)) {
				t.Errorf("%s: error %v, want %v", f.name, err, f.want)
			}
		}
		if n := count(t, s, `SELECT count(*) FROM candidates WHERE ref LIKE 'ext-new-%'`); n != 0 {
			t.Errorf("failed creations left %d candidate rows", n)
		}
		if n := count(t, s, `SELECT count(*) FROM assessments`); n != 2 {
			t.Errorf("%d assessments, want 2", n)
		}
		if _, err := s.TokenByHash(ctx, hash("t1")); !errors.Is(err, ErrNotFound) {
			t.Errorf("token of a failed creation: %v, want ErrNotFound", err)
		}

		if _, err := s.GetAssessment(ctx, "missing"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown id: %v, want ErrNotFound", err)
		}
		if err := s.SetAssessmentStatus(ctx, a.ID, AssessmentComplete); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.GetAssessment(ctx, a.ID); got.Status != AssessmentComplete {
			t.Errorf("status %q after SetAssessmentStatus, want complete", got.Status)
		}
		if err := s.SetAssessmentStatus(ctx, "missing", AssessmentComplete); !errors.Is(err, ErrNotFound) {
			t.Errorf("status of unknown: %v, want ErrNotFound", err)
		}
		if err := s.SetAssessmentStatus(ctx, a.ID, "paused"); err == nil {
			t.Error("unknown status accepted")
		}
	})
}
