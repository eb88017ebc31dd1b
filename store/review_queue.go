package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ResponseReview finds the latest review of a response (reviews_response
// index); ErrNotFound when it was never flagged.
func (s *Store) ResponseReview(ctx context.Context, responseID string) (Review, error) {
	now := s.clock()
	v, err := scanReview(s.r.QueryRowContext(ctx, `SELECT `+reviewCols+reviewFrom+
		` WHERE v.response_id = $1 ORDER BY v.id DESC LIMIT 1`, responseID), now)
	if errors.Is(err, sql.ErrNoRows) {
		return Review{}, fmt.Errorf("store: review of response %s: %w", responseID, ErrNotFound)
	}
	if err != nil {
		return Review{}, fmt.Errorf("store: review of response %s: %w", responseID, err)
	}
	return v, nil
}
