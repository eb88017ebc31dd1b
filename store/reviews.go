package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/langassess/langassess/cefr"
	"github.com/langassess/langassess/grading/result"
)

// Reviews: a flagged grade opens one (CompleteGrade); graders claim it with
// an expiring lease, then decide or release it. A claim whose lease ran out
// is available again without anyone releasing it. When the first decision
// differs from the machine by more than one CEFR band, the review goes back
// to the queue at stage 2 for a different grader, whose decision is final.
// Every action writes a review_audit row in the same transaction.

// Review states as stored. A claimed review whose lease has expired is
// reported as open.
const (
	ReviewOpen    = "open"
	ReviewClaimed = "claimed"
	ReviewDecided = "decided"
)

// Audit actions.
const (
	AuditOpen    = "open"
	AuditClaim   = "claim"
	AuditRelease = "release"
	AuditDecide  = "decide"
)

// ActorSystem is the audit actor for what the service does by itself.
const ActorSystem = "system"

// Decision is a grader's judgement of one response.
type Decision struct {
	Scores  result.Scores `json:"scores"`
	Level   string        `json:"level"` // CEFR A1..C2
	Comment string        `json:"comment,omitempty"`
}

// Review is one flagged response in the grader queue.
type Review struct {
	ID           int64
	ResponseID   string
	AssessmentID string
	ItemID       string
	Language     string
	MachineLevel string // the level of the score that opened the review
	State        string // open | claimed | decided (an expired claim is open)
	Priority     int    // lower first: PriorityBorderline, PriorityNormal
	Reasons      []string
	Stage        int // 1, or 2 when a second grader is needed
	ClaimedBy    string
	LeaseUntil   *time.Time

	Decision  *Decision // the first grader's
	DecidedBy string
	DecidedAt *time.Time

	SecondDecision  *Decision // the second grader's, at stage 2
	SecondDecidedBy string
	SecondDecidedAt *time.Time

	CreatedAt time.Time
	UpdatedAt time.Time
}

// Final is the decision that stands: the second grader's when there is
// one, else the first's; nil until decided.
func (r Review) Final() *Decision {
	if r.State != ReviewDecided {
		return nil
	}
	if r.SecondDecision != nil {
		return r.SecondDecision
	}
	return r.Decision
}

// AuditEntry is one audited review action.
type AuditEntry struct {
	ID       int64
	ReviewID int64
	Actor    string
	Action   string
	Before   json.RawMessage // state before the action; nil for open
	After    json.RawMessage
	At       time.Time
}

// NeedsSecondGrader reports whether a human level differs from the
// machine's by more than one CEFR band. Unknown levels (the machine gave
// none) also ask for a second opinion: there is nothing to agree with.
func NeedsSecondGrader(machine, human string) bool {
	d := cefr.Of(strings.ToUpper(machine)).Distance(cefr.Of(strings.ToUpper(human)))
	return d < 0 || d > 1
}

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
	r, err := getReview(ctx, tx, id, now, "")
	if err != nil {
		return err
	}
	return audit(ctx, tx, id, ActorSystem, AuditOpen, nil, &r, now)
}

// snapshot is what the audit trail records of a review.
type snapshot struct {
	State           string     `json:"state"`
	Stage           int        `json:"stage"`
	Priority        int        `json:"priority"`
	Reasons         []string   `json:"reasons"`
	ClaimedBy       string     `json:"claimed_by,omitempty"`
	LeaseUntil      *time.Time `json:"lease_until,omitempty"`
	Decision        *Decision  `json:"decision,omitempty"`
	DecidedBy       string     `json:"decided_by,omitempty"`
	SecondDecision  *Decision  `json:"second_decision,omitempty"`
	SecondDecidedBy string     `json:"second_decided_by,omitempty"`
}

func snap(r *Review) any {
	if r == nil {
		return nil
	}
	return snapshot{State: r.State, Stage: r.Stage, Priority: r.Priority, Reasons: r.Reasons, ClaimedBy: r.ClaimedBy,
		LeaseUntil: r.LeaseUntil, Decision: r.Decision, DecidedBy: r.DecidedBy,
		SecondDecision: r.SecondDecision, SecondDecidedBy: r.SecondDecidedBy}
}

// audit writes one audit row with JSON snapshots before and after.
func audit(ctx context.Context, tx *sql.Tx, reviewID int64, actor, action string, before, after *Review, now time.Time) error {
	var b, a any
	for _, p := range []struct {
		r   *Review
		dst *any
	}{{before, &b}, {after, &a}} {
		if p.r == nil {
			continue
		}
		js, err := json.Marshal(snap(p.r))
		if err != nil {
			return fmt.Errorf("store: audit review %d: %w", reviewID, err)
		}
		*p.dst = string(js) // text: PostgreSQL casts it to jsonb
	}
	_, err := tx.ExecContext(ctx, `
INSERT INTO review_audit (review_id, actor, action, before, after, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		reviewID, actor, action, b, a, now)
	if err != nil {
		return fmt.Errorf("store: audit review %d: %w", reviewID, err)
	}
	return nil
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

const reviewCols = `
v.id, v.response_id, r.assessment_id, r.item_id, v.language, COALESCE(sc.level, ''), v.state, v.priority,
v.reasons, v.stage, COALESCE(v.claimed_by, ''), v.lease_until, v.decision, COALESCE(v.decided_by, ''),
v.decided_at, v.second_decision, COALESCE(v.second_decided_by, ''), v.second_decided_at, v.created_at, v.updated_at`

const reviewFrom = `
FROM reviews v
JOIN responses r ON r.id = v.response_id
LEFT JOIN scores sc ON sc.id = v.score_id`

func scanReview(row rowScanner, now time.Time) (Review, error) {
	var v Review
	var reasons, decision, second []byte
	var lease, decided, secondAt, created, updated dbTime
	err := row.Scan(&v.ID, &v.ResponseID, &v.AssessmentID, &v.ItemID, &v.Language, &v.MachineLevel, &v.State,
		&v.Priority, &reasons, &v.Stage, &v.ClaimedBy, &lease, &decision, &v.DecidedBy, &decided,
		&second, &v.SecondDecidedBy, &secondAt, &created, &updated)
	if err != nil {
		return Review{}, err
	}
	if err := json.Unmarshal(reasons, &v.Reasons); err != nil {
		return Review{}, fmt.Errorf("store: review %d reasons: %w", v.ID, err)
	}
	for _, d := range []struct {
		js  []byte
		dst **Decision
	}{{decision, &v.Decision}, {second, &v.SecondDecision}} {
		if d.js == nil {
			continue
		}
		*d.dst = new(Decision)
		if err := json.Unmarshal(d.js, *d.dst); err != nil {
			return Review{}, fmt.Errorf("store: review %d decision: %w", v.ID, err)
		}
	}
	v.LeaseUntil, v.DecidedAt, v.SecondDecidedAt = lease.ptr(), decided.ptr(), secondAt.ptr()
	v.CreatedAt, v.UpdatedAt = created.Time, updated.Time
	if v.State == ReviewClaimed && !lease.Time.After(now) {
		// The claim lapsed: the review is back in the queue.
		v.State, v.ClaimedBy, v.LeaseUntil = ReviewOpen, "", nil
	}
	return v, nil
}

// getReview reads one review; lock adds the dialect's row lock clause.
func getReview(ctx context.Context, q queryer, id int64, now time.Time, lock string) (Review, error) {
	v, err := scanReview(q.QueryRowContext(ctx, `SELECT `+reviewCols+reviewFrom+` WHERE v.id = $1`+lock, id), now)
	if errors.Is(err, sql.ErrNoRows) {
		return Review{}, fmt.Errorf("store: review %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Review{}, fmt.Errorf("store: review %d: %w", id, err)
	}
	return v, nil
}

// GetReview finds a review.
func (s *Store) GetReview(ctx context.Context, id int64) (Review, error) {
	return getReview(ctx, s.r, id, s.clock(), "")
}

// ReviewFilter selects reviews. Empty fields do not filter, except State:
// "" means not decided (open or claimed), the grader queue.
type ReviewFilter struct {
	Language string
	Reason   string // a flag code
	State    string // "", open, claimed or decided
	Limit    int    // default 50, at most 500
	Offset   int
}

// available is the condition under which a review can be claimed: open,
// or claimed with a lapsed lease; %[1]s is the parameter holding now.
const available = `(v.state = 'open' OR (v.state = 'claimed' AND v.lease_until <= %[1]s))`

// where builds the filter's condition and its arguments. PostgreSQL must
// infer every parameter's type, so now is passed only when used.
func (f ReviewFilter) where(now time.Time) (string, []any, error) {
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	switch f.State {
	case "":
		conds = append(conds, `v.state <> 'decided'`)
	case ReviewOpen:
		conds = append(conds, fmt.Sprintf(available, arg(now)))
	case ReviewClaimed:
		conds = append(conds, `v.state = 'claimed' AND v.lease_until > `+arg(now))
	case ReviewDecided:
		conds = append(conds, `v.state = 'decided'`)
	default:
		return "", nil, fmt.Errorf("store: unknown review state %q", f.State)
	}
	if f.Language != "" {
		conds = append(conds, `v.language = `+arg(f.Language))
	}
	if f.Reason != "" {
		// Through the flags of the score that opened the review: the same
		// SQL on both dialects, and flags_score is indexed.
		conds = append(conds, `EXISTS (SELECT 1 FROM flags fl WHERE fl.score_id = v.score_id AND fl.code = `+arg(f.Reason)+`)`)
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args, nil
}

// queueOrder is the review order: borderline first, then oldest.
const queueOrder = ` ORDER BY v.priority, v.created_at, v.id`

// ListReviews lists reviews in queue order (borderline first, then oldest).
func (s *Store) ListReviews(ctx context.Context, f ReviewFilter) ([]Review, error) {
	now := s.clock()
	where, args, err := f.where(now)
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.r.QueryContext(ctx, `SELECT `+reviewCols+reviewFrom+where+queueOrder+
		fmt.Sprintf(` LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: list reviews: %w", err)
	}
	defer rows.Close()
	var out []Review
	for rows.Next() {
		v, err := scanReview(rows, now)
		if err != nil {
			return nil, fmt.Errorf("store: list reviews: %w", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list reviews: %w", err)
	}
	return out, nil
}

// skipLocked is the row lock for claims: on PostgreSQL a row another
// transaction is claiming is skipped instead of waited for; SQLite's single
// writer already serialises the claims.
func (s *Store) skipLocked() string {
	if s.dialect == DialectPostgres {
		return ` FOR UPDATE OF v SKIP LOCKED`
	}
	return ""
}

// claim takes a review that is available to grader, inside tx.
func (s *Store) claim(ctx context.Context, tx *sql.Tx, before Review, grader string, lease time.Duration, now time.Time) (Review, error) {
	_, err := tx.ExecContext(ctx, `
UPDATE reviews SET state = 'claimed', claimed_by = $1, lease_until = $2, updated_at = $3 WHERE id = $4`,
		grader, now.Add(lease), now, before.ID)
	if err != nil {
		return Review{}, fmt.Errorf("store: claim review %d: %w", before.ID, err)
	}
	after, err := getReview(ctx, tx, before.ID, now, "")
	if err != nil {
		return Review{}, err
	}
	return after, audit(ctx, tx, before.ID, grader, AuditClaim, &before, &after, now)
}

func checkLease(grader string, lease time.Duration) error {
	if grader == "" || lease <= 0 {
		return fmt.Errorf("store: claim: need a grader and a positive lease (got %q, %v)", grader, lease)
	}
	return nil
}

// ClaimReview claims one review for grader until the lease ends; claiming
// again extends it. ErrConflict when another grader holds it (or is
// claiming it right now), when it is decided, or when grader made the first
// decision of a stage-2 review.
func (s *Store) ClaimReview(ctx context.Context, id int64, grader string, lease time.Duration) (Review, error) {
	if err := checkLease(grader, lease); err != nil {
		return Review{}, err
	}
	now := s.clock()
	var out Review
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		v, err := getReview(ctx, tx, id, now, s.skipLocked())
		if errors.Is(err, ErrNotFound) && s.dialect == DialectPostgres {
			// Missing, or locked by a concurrent claim that SKIP LOCKED
			// stepped over.
			var one int
			if err := tx.QueryRowContext(ctx, `SELECT 1 FROM reviews WHERE id = $1`, id).Scan(&one); err == nil {
				return fmt.Errorf("store: review %d is being claimed: %w", id, ErrConflict)
			}
		}
		if err != nil {
			return err
		}
		switch {
		case v.State == ReviewDecided:
			return fmt.Errorf("store: review %d is decided: %w", id, ErrConflict)
		case v.State == ReviewClaimed && v.ClaimedBy != grader:
			return fmt.Errorf("store: review %d is claimed by %s: %w", id, v.ClaimedBy, ErrConflict)
		case v.Stage == 2 && v.DecidedBy == grader:
			return fmt.Errorf("store: review %d needs a second grader other than %s: %w", id, grader, ErrConflict)
		}
		out, err = s.claim(ctx, tx, v, grader, lease, now)
		return err
	})
	return out, err
}

// ClaimNextReview claims the first review in queue order that matches f
// (f.State is ignored) and is available to grader. ErrNotFound when none
// is. Concurrent callers never get the same review.
func (s *Store) ClaimNextReview(ctx context.Context, grader string, lease time.Duration, f ReviewFilter) (Review, error) {
	if err := checkLease(grader, lease); err != nil {
		return Review{}, err
	}
	now := s.clock()
	f.State = ReviewOpen
	where, args, err := f.where(now)
	if err != nil {
		return Review{}, err
	}
	args = append(args, grader)
	where += fmt.Sprintf(` AND (v.stage = 1 OR v.decided_by <> $%d)`, len(args))
	var out Review
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		v, err := scanReview(tx.QueryRowContext(ctx, `SELECT `+reviewCols+reviewFrom+where+queueOrder+` LIMIT 1`+s.skipLocked(), args...), now)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: no review to claim: %w", ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("store: claim next review: %w", err)
		}
		out, err = s.claim(ctx, tx, v, grader, lease, now)
		return err
	})
	return out, err
}

// holding reads a review grader holds a live claim on, locked for the
// rest of tx; ErrConflict when grader does not hold it.
func (s *Store) holding(ctx context.Context, tx *sql.Tx, id int64, grader string, now time.Time) (Review, error) {
	lock := ""
	if s.dialect == DialectPostgres {
		// Wait, do not skip: the holder's own calls must not fail because a
		// claim attempt is looking at the row.
		lock = ` FOR UPDATE OF v`
	}
	v, err := getReview(ctx, tx, id, now, lock)
	if err != nil {
		return Review{}, err
	}
	if v.State != ReviewClaimed || v.ClaimedBy != grader {
		return Review{}, fmt.Errorf("store: review %d is not held by %s: %w", id, grader, ErrConflict)
	}
	return v, nil
}

// ReleaseReview gives a claimed review back to the queue. ErrConflict when
// grader does not hold it.
func (s *Store) ReleaseReview(ctx context.Context, id int64, grader string) (Review, error) {
	now := s.clock()
	var out Review
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := s.holding(ctx, tx, id, grader, now)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
UPDATE reviews SET state = 'open', claimed_by = NULL, lease_until = NULL, updated_at = $1 WHERE id = $2`, now, id); err != nil {
			return fmt.Errorf("store: release review %d: %w", id, err)
		}
		if out, err = getReview(ctx, tx, id, now, ""); err != nil {
			return err
		}
		return audit(ctx, tx, id, grader, AuditRelease, &before, &out, now)
	})
	return out, err
}

// DecideReview records grader's decision on a review grader holds.
// At stage 1 a level more than one band from the machine's sends the
// review back to the queue at stage 2 (NeedsSecondGrader); otherwise, and
// always at stage 2, the review is decided. ErrConflict when grader does
// not hold it.
func (s *Store) DecideReview(ctx context.Context, id int64, grader string, d Decision) (Review, error) {
	// stored upper case, as the report SQL and placement compare it
	d.Level = strings.ToUpper(d.Level)
	if !cefr.Of(d.Level).Valid() {
		return Review{}, fmt.Errorf("store: decision level %q is not a CEFR level (A1..C2)", d.Level)
	}
	js, err := json.Marshal(d)
	if err != nil {
		return Review{}, fmt.Errorf("store: decision: %w", err)
	}
	now := s.clock()
	var out Review
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := s.holding(ctx, tx, id, grader, now)
		if err != nil {
			return err
		}
		var q string
		switch {
		case before.Stage == 2:
			q = `UPDATE reviews SET state = 'decided', second_decision = $1, second_decided_by = $2, second_decided_at = $3,
				claimed_by = NULL, lease_until = NULL, updated_at = $3 WHERE id = $4`
		case NeedsSecondGrader(before.MachineLevel, d.Level):
			q = `UPDATE reviews SET state = 'open', stage = 2, decision = $1, decided_by = $2, decided_at = $3,
				claimed_by = NULL, lease_until = NULL, updated_at = $3 WHERE id = $4`
		default:
			q = `UPDATE reviews SET state = 'decided', decision = $1, decided_by = $2, decided_at = $3,
				claimed_by = NULL, lease_until = NULL, updated_at = $3 WHERE id = $4`
		}
		if _, err := tx.ExecContext(ctx, q, string(js), grader, now, id); err != nil {
			return fmt.Errorf("store: decide review %d: %w", id, err)
		}
		if out, err = getReview(ctx, tx, id, now, ""); err != nil {
			return err
		}
		return audit(ctx, tx, id, grader, AuditDecide, &before, &out, now)
	})
	return out, err
}

// ReviewAudit lists a review's audit trail, oldest first.
func (s *Store) ReviewAudit(ctx context.Context, reviewID int64) ([]AuditEntry, error) {
	rows, err := s.r.QueryContext(ctx, `
SELECT id, review_id, actor, action, before, after, created_at FROM review_audit WHERE review_id = $1 ORDER BY id`, reviewID)
	if err != nil {
		return nil, fmt.Errorf("store: review audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var before, after []byte
		var at dbTime
		if err := rows.Scan(&e.ID, &e.ReviewID, &e.Actor, &e.Action, &before, &after, &at); err != nil {
			return nil, fmt.Errorf("store: review audit: %w", err)
		}
		e.Before, e.After, e.At = before, after, at.Time
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: review audit: %w", err)
	}
	return out, nil
}
