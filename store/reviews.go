package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Review states.
const (
	ReviewOpen    = "open"
	ReviewClaimed = "claimed"
	ReviewDecided = "decided"
)

// Audit actions.
const (
	AuditOpen     = "open"
	AuditClaim    = "claim"
	AuditRelease  = "release"
	AuditDecide   = "decide"
	AuditEscalate = "escalate" // a second grader is needed
)

// ActorSystem is the audit actor for what the service does by itself.
const ActorSystem = "system"

const insertReview = `
INSERT INTO reviews (response_id, score_id, language, state, priority, reasons, stage, created_at, updated_at)
VALUES ($1, $2, $3, 'open', $4, $5, 1, $6, $6)
RETURNING id`

// openReview queues a review of a flagged response and audits it.
func (s *Store) openReview(ctx context.Context, tx *sql.Tx, responseID string, scoreID int64, language string,
	priority int, reasons []string, now time.Time) error {
	rs, err := json.Marshal(reasons)
	if err != nil {
		return fmt.Errorf("store: open review: %w", err)
	}
	var id int64
	if err := tx.QueryRowContext(ctx, insertReview, responseID, scoreID, language, priority, string(rs), now).Scan(&id); err != nil {
		return fmt.Errorf("store: open review: %w", mapErr(err))
	}
	after, err := json.Marshal(map[string]any{"state": ReviewOpen, "priority": priority, "reasons": reasons, "stage": 1})
	if err != nil {
		return fmt.Errorf("store: open review: %w", err)
	}
	return audit(ctx, tx, id, ActorSystem, AuditOpen, nil, after, now)
}

// audit writes one audit row; before and after are JSON snapshots (nil for
// none).
func audit(ctx context.Context, tx *sql.Tx, reviewID int64, actor, action string, before, after []byte, now time.Time) error {
	_, err := tx.ExecContext(ctx, `
INSERT INTO review_audit (review_id, actor, action, before, after, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		reviewID, actor, action, jsonArg(before), jsonArg(after), now)
	if err != nil {
		return fmt.Errorf("store: audit review %d: %w", reviewID, err)
	}
	return nil
}

// jsonArg passes JSON as text (PostgreSQL casts it to jsonb) and nil as
// NULL.
func jsonArg(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// CountOpenReviews is the review queue depth: reviews not yet decided,
// claimed or not.
func (s *Store) CountOpenReviews(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM reviews WHERE state <> 'decided'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count open reviews: %w", err)
	}
	return n, nil
}
