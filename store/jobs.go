package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/langassess/langassess/grading/result"
)

// Grading jobs are the pending responses themselves: a lease (lease_owner,
// lease_until) marks who grades one now, next_attempt_at when a failed one
// may be tried again. A worker that dies simply lets its lease expire.

// jobCols adds the audio to responseCols: a leased job is about to be graded.
const jobCols = responseCols + `, r.audio`

// leaseJobsPostgres picks rows with SKIP LOCKED so concurrent workers (in
// several replicas) take disjoint sets without waiting on each other; the
// CTE runs once, so LIMIT bounds what is locked.
const leaseJobsPostgres = `
WITH picked AS (
	SELECT id FROM responses
	WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
	ORDER BY next_attempt_at, id
	LIMIT $2
	FOR UPDATE SKIP LOCKED
)
UPDATE responses SET lease_owner = $3, lease_until = $4, attempts = attempts + 1, updated_at = $1
FROM picked WHERE responses.id = picked.id
RETURNING responses.id`

// leaseJobsSQLite needs no row locks: the statement runs under the single
// writer lock, so the select and the update see the same rows.
const leaseJobsSQLite = `
UPDATE responses SET lease_owner = $3, lease_until = $4, attempts = attempts + 1, updated_at = $1
WHERE id IN (
	SELECT id FROM responses
	WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
	ORDER BY next_attempt_at, id
	LIMIT $2
)
RETURNING id`

// LeaseJobs leases up to limit pending responses whose retry time has come
// and whose lease is free or expired (FOR UPDATE SKIP LOCKED on PostgreSQL),
// incrementing attempts. Audio is loaded. The earliest retry times are
// leased first; the result is ordered oldest response first.
func (s *Store) LeaseJobs(ctx context.Context, owner string, lease time.Duration, limit int) ([]Response, error) {
	if owner == "" || lease <= 0 || limit <= 0 {
		return nil, fmt.Errorf("store: lease jobs: need an owner, a positive lease and limit (got %q, %v, %d)", owner, lease, limit)
	}
	now := s.clock()
	q := leaseJobsSQLite
	if s.dialect == DialectPostgres {
		q = leaseJobsPostgres
	}
	var out []Response
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, q, now, limit, owner, now.Add(lease))
		if err != nil {
			return fmt.Errorf("store: lease jobs: %w", err)
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("store: lease jobs: %w", err)
			}
			ids = append(ids, id)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return fmt.Errorf("store: lease jobs: %w", err)
		}
		// Read the rows back inside the transaction, so they are exactly
		// what we leased.
		for _, id := range ids {
			var audio []byte
			row := tx.QueryRowContext(ctx, `SELECT `+jobCols+` FROM responses r`+latestScore+` WHERE r.id = $1`, id)
			r, err := scanResponse(row, &audio)
			if err != nil {
				return fmt.Errorf("store: lease jobs: read %s: %w", id, err)
			}
			r.Audio = audio
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Response) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, nil
}

// LeaseResponse takes the lease on one pending response (grading right after
// intake); false when someone else holds it or it is not pending. Like
// LeaseJobs it counts an attempt. It ignores next_attempt_at: the caller
// asks for this response by name.
func (s *Store) LeaseResponse(ctx context.Context, id, owner string, lease time.Duration) (bool, error) {
	if owner == "" || lease <= 0 {
		return false, fmt.Errorf("store: lease response: need an owner and a positive lease (got %q, %v)", owner, lease)
	}
	now := s.clock()
	res, err := s.w.ExecContext(ctx, `
UPDATE responses SET lease_owner = $1, lease_until = $2, attempts = attempts + 1, updated_at = $3
WHERE id = $4 AND status = 'pending' AND (lease_until IS NULL OR lease_until <= $3)`,
		owner, now.Add(lease), now, id)
	if err != nil {
		return false, fmt.Errorf("store: lease response: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: lease response: %w", err)
	}
	return n == 1, nil
}

// endLease ends owner's live lease on a pending response with set
// (extra assignments, parameters from $4) and reports ErrConflict when
// owner does not hold it, ErrNotFound when the response does not exist.
// It runs first in its transaction, so on PostgreSQL the row stays locked
// until commit and no one can lease it in between.
func (s *Store) endLease(ctx context.Context, tx *sql.Tx, id, owner string, now time.Time, set string, args ...any) error {
	res, err := tx.ExecContext(ctx, `
UPDATE responses SET lease_owner = NULL, lease_until = NULL, updated_at = $3, `+set+`
WHERE id = $1 AND status = 'pending' AND lease_owner = $2 AND lease_until > $3`,
		append([]any{id, owner, now}, args...)...)
	if err != nil {
		return fmt.Errorf("store: end lease: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: end lease: %w", err)
	}
	if n == 1 {
		return nil
	}
	var exists int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM responses WHERE id = $1`, id).Scan(&exists)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: response %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("store: end lease: %w", err)
	}
	return fmt.Errorf("store: response %s: %s does not hold the lease: %w", id, owner, ErrConflict)
}

// FlagBorderline is the flag code that puts a review at the front of the
// queue: a score within measurement error of a cut score that changes a
// placement.
const FlagBorderline = "borderline"

// Review priorities: lower is reviewed first.
const (
	PriorityBorderline = 0
	PriorityNormal     = 1
)

const insertScore = `
INSERT INTO scores (response_id, level, comprehension, grammar, vocabulary, fluency, result,
	rubric_version, engine_version, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
RETURNING id`

const insertFlag = `
INSERT INTO flags (response_id, score_id, code, message, evidence, created_at)
VALUES ($1, $2, $3, $4, $5, $6)`

// CompleteGrade stores the result (score row with rubric and engine versions,
// flags, and an open review when flagged) and marks the response graded, in
// one transaction. ErrConflict when owner no longer holds the lease (also
// when it expired), ErrNotFound when the response does not exist.
func (s *Store) CompleteGrade(ctx context.Context, id, owner string, res result.Result) error {
	if res.EngineVersion == "" {
		// Every score records the engine that made it; the engine compiled
		// into this binary is the only one that can have.
		res.EngineVersion = result.Version
	}
	if res.Flags == nil {
		res.Flags = []result.Flag{}
	}
	resultJSON, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("store: complete grade: encode result: %w", err)
	}
	now := s.clock()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.endLease(ctx, tx, id, owner, now, `status = 'graded', graded_at = $3, last_error = ''`); err != nil {
			return err
		}
		var scoreID int64
		sc := res.Scores
		if err := tx.QueryRowContext(ctx, insertScore, id, res.Level, sc.Comprehension, sc.Grammar, sc.Vocabulary,
			sc.Fluency, string(resultJSON), res.RubricVersion, res.EngineVersion, now).Scan(&scoreID); err != nil {
			return fmt.Errorf("store: complete grade: score: %w", mapErr(err))
		}
		if len(res.Flags) == 0 {
			return nil
		}
		priority := PriorityNormal
		var reasons []string
		for _, f := range res.Flags {
			ev := f.Evidence
			if ev == nil {
				ev = map[string]any{}
			}
			evidence, err := json.Marshal(ev)
			if err != nil {
				return fmt.Errorf("store: complete grade: flag %s evidence: %w", f.Code, err)
			}
			if _, err := tx.ExecContext(ctx, insertFlag, id, scoreID, f.Code, f.Message, string(evidence), now); err != nil {
				return fmt.Errorf("store: complete grade: flag: %w", mapErr(err))
			}
			if f.Code == FlagBorderline {
				priority = PriorityBorderline
			}
			if !slices.Contains(reasons, f.Code) {
				reasons = append(reasons, f.Code)
			}
		}
		var language string
		if err := tx.QueryRowContext(ctx, `SELECT language FROM responses WHERE id = $1`, id).Scan(&language); err != nil {
			return fmt.Errorf("store: complete grade: %w", err)
		}
		return s.openReview(ctx, tx, id, scoreID, language, priority, reasons, now)
	})
}

// FailGrade records a failed attempt: the response stays pending until
// retryAt, or becomes failed with reason when final. Releases the lease.
// ErrConflict when owner does not hold the lease.
func (s *Store) FailGrade(ctx context.Context, id, owner, reason string, retryAt time.Time, final bool) error {
	status := StatusPending
	if final {
		status = StatusFailed
	}
	now := s.clock()
	retry := now
	if !final {
		retry = retryTime(retryAt, now)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return s.endLease(ctx, tx, id, owner, now, `status = $4, last_error = $5, next_attempt_at = $6`,
			status, reason, retry)
	})
}

// DeferGrade puts a leased response back to pending until retryAt without
// spending an attempt: the attempt the lease counted is taken back. It is
// for attempts that never looked at the answer (the engine was unavailable,
// e.g. its language models still loading), so a slow start cannot use up
// an answer's attempts and mark it failed. reason is kept as last_error.
// Releases the lease; ErrConflict when owner does not hold it, ErrNotFound
// when the response does not exist.
func (s *Store) DeferGrade(ctx context.Context, id, owner, reason string, retryAt time.Time) error {
	now := s.clock()
	retry := retryTime(retryAt, now)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return s.endLease(ctx, tx, id, owner, now,
			`last_error = $4, next_attempt_at = $5, attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END`,
			reason, retry)
	})
}

// retryTime is when a response put back to pending is due again: retryAt
// at the store's precision, and never before now.
func retryTime(retryAt, now time.Time) time.Time {
	retry := retryAt.UTC().Truncate(time.Microsecond)
	if retry.Before(now) {
		return now
	}
	return retry
}
