package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Assessment statuses.
const (
	AssessmentOpen     = "open"
	AssessmentComplete = "complete"
)

// Assessment is one candidate's assessment.
type Assessment struct {
	ID            string
	CandidateRef  string
	PackID        string
	PackVersion   string
	AssessmentKey string // the pack's assessment id
	Languages     []string
	Status        string // "open" | "complete"
	CreatedAt     time.Time
}

// The upsert returns the id whether the candidate is new or not; DO UPDATE
// (not DO NOTHING) is what makes RETURNING yield the existing row.
const upsertCandidate = `
INSERT INTO candidates (ref, created_at) VALUES ($1, $2)
ON CONFLICT (ref) DO UPDATE SET ref = excluded.ref
RETURNING id`

const insertAssessment = `
INSERT INTO assessments (id, candidate_id, pack_id, pack_version, assessment_key, languages, status, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`

// CreateAssessment creates the candidate (reused by ref), the assessment and
// a candidate token bound to it, in one transaction. The id is generated
// when a.ID is empty; a taken id is ErrConflict. With a nil
// candidateTokenHash no token is created.
func (s *Store) CreateAssessment(ctx context.Context, a Assessment, candidateTokenHash []byte) (Assessment, error) {
	if a.CandidateRef == "" {
		return Assessment{}, errors.New("store: assessment without a candidate reference")
	}
	if a.ID == "" {
		a.ID = newID()
	}
	if a.Status == "" {
		a.Status = AssessmentOpen
	}
	if a.Languages == nil {
		a.Languages = []string{}
	}
	langs, err := json.Marshal(a.Languages)
	if err != nil {
		return Assessment{}, fmt.Errorf("store: assessment languages: %w", err)
	}
	a.CreatedAt = s.clock()
	tok := Token{Role: RoleCandidate, AssessmentID: a.ID, Name: "candidate " + a.CandidateRef, CreatedAt: a.CreatedAt}
	if candidateTokenHash != nil {
		if err := checkToken(candidateTokenHash, tok); err != nil {
			return Assessment{}, err
		}
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var candidateID int64
		if err := tx.QueryRowContext(ctx, upsertCandidate, a.CandidateRef, a.CreatedAt).Scan(&candidateID); err != nil {
			return fmt.Errorf("store: candidate: %w", mapErr(err))
		}
		if _, err := tx.ExecContext(ctx, insertAssessment, a.ID, candidateID, a.PackID, a.PackVersion,
			a.AssessmentKey, string(langs), a.Status, a.CreatedAt); err != nil {
			return fmt.Errorf("store: create assessment: %w", mapErr(err))
		}
		if candidateTokenHash != nil {
			if _, err := createToken(ctx, tx, candidateTokenHash, tok); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Assessment{}, err
	}
	return a, nil
}

const selectAssessment = `
SELECT a.id, c.ref, a.pack_id, a.pack_version, a.assessment_key, a.languages, a.status, a.created_at
FROM assessments a JOIN candidates c ON c.id = a.candidate_id
WHERE a.id = $1`

// GetAssessment finds an assessment.
func (s *Store) GetAssessment(ctx context.Context, id string) (Assessment, error) {
	var a Assessment
	var langs []byte
	var created dbTime
	err := s.r.QueryRowContext(ctx, selectAssessment, id).Scan(&a.ID, &a.CandidateRef, &a.PackID,
		&a.PackVersion, &a.AssessmentKey, &langs, &a.Status, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Assessment{}, ErrNotFound
	}
	if err != nil {
		return Assessment{}, fmt.Errorf("store: assessment: %w", err)
	}
	if err := json.Unmarshal(langs, &a.Languages); err != nil {
		return Assessment{}, fmt.Errorf("store: assessment %s languages: %w", id, err)
	}
	a.CreatedAt = created.Time
	return a, nil
}

// SetAssessmentStatus marks an assessment open or complete.
func (s *Store) SetAssessmentStatus(ctx context.Context, id, status string) error {
	if status != AssessmentOpen && status != AssessmentComplete {
		return fmt.Errorf("store: unknown assessment status %q", status)
	}
	var completed any
	if status == AssessmentComplete {
		completed = s.clock()
	}
	res, err := s.w.ExecContext(ctx, `UPDATE assessments SET status = $1, completed_at = $2 WHERE id = $3`, status, completed, id)
	if err != nil {
		return fmt.Errorf("store: assessment status: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: assessment status: %w", err)
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}

// DeleteCandidate deletes a candidate and everything recorded about them
// (assessments, responses with audio, scores, flags, reviews and their
// audit, candidate tokens), for a deletion request. ErrNotFound when the
// reference is unknown.
func (s *Store) DeleteCandidate(ctx context.Context, ref string) error {
	// ON DELETE CASCADE carries the delete down every table.
	res, err := s.w.ExecContext(ctx, `DELETE FROM candidates WHERE ref = $1`, ref)
	if err != nil {
		return fmt.Errorf("store: delete candidate: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: delete candidate: %w", err)
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}
