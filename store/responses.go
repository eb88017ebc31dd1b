package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/langassess/langassess/grading/result"
)

// Response kinds.
const (
	KindWritten = "written"
	KindSpoken  = "spoken"
)

// Response is one answer.
type Response struct {
	ID             string
	AssessmentID   string
	ItemID         string
	Language       string
	Kind           string // written | spoken
	Text           string
	Transcript     string
	Audio          []byte // loaded by LeaseJobs and GetResponseAudio only
	AudioSHA256    string
	IdempotencyKey string
	RequestHash    string // hex SHA-256 of the request body, to detect key reuse with another body
	Status         string
	Attempts       int
	LastError      string
	CreatedAt      time.Time
	GradedAt       *time.Time
	Result         *result.Result // set when graded
	RubricVersion  string
}

// responseCols are the columns every response read selects, in scan order;
// the latest score is joined as s (NULLs when ungraded). Audio is never in
// it: only the paths that grade or serve the WAV load those bytes.
const responseCols = `
r.id, r.assessment_id, r.item_id, r.language, r.kind, r.text, r.transcript,
r.audio_sha256, COALESCE(r.idempotency_key, ''), r.request_hash, r.status, r.attempts,
r.last_error, r.created_at, r.graded_at, s.result, COALESCE(s.rubric_version, '')`

// latestScore joins the newest score of each response; a correlated
// subquery rather than LATERAL because SQLite has no LATERAL.
const latestScore = `
LEFT JOIN scores s ON s.id = (SELECT max(id) FROM scores WHERE response_id = r.id)`

type rowScanner interface{ Scan(dest ...any) error }

func scanResponse(row rowScanner, extra ...any) (Response, error) {
	var r Response
	var created, graded dbTime
	var resultJSON []byte
	dest := append([]any{&r.ID, &r.AssessmentID, &r.ItemID, &r.Language, &r.Kind, &r.Text, &r.Transcript,
		&r.AudioSHA256, &r.IdempotencyKey, &r.RequestHash, &r.Status, &r.Attempts,
		&r.LastError, &created, &graded, &resultJSON, &r.RubricVersion}, extra...)
	if err := row.Scan(dest...); err != nil {
		return Response{}, err
	}
	r.CreatedAt = created.Time
	r.GradedAt = graded.ptr()
	if resultJSON != nil {
		var res result.Result
		if err := json.Unmarshal(resultJSON, &res); err != nil {
			return Response{}, fmt.Errorf("store: response %s result: %w", r.ID, err)
		}
		r.Result = &res
	}
	return r, nil
}

const insertResponse = `
INSERT INTO responses (id, assessment_id, item_id, language, kind, text, transcript, audio, audio_sha256,
	idempotency_key, request_hash, status, attempts, next_attempt_at, last_error, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, '', $13, $13)
ON CONFLICT (assessment_id, idempotency_key) DO NOTHING`

// CreateResponse stores a response as pending. With an IdempotencyKey that
// already exists for the assessment it stores nothing and returns the
// existing row with created=false (also under concurrent calls).
// ErrNotFound when the assessment does not exist.
//
// The UNIQUE (assessment_id, idempotency_key) constraint decides who wins;
// the loser reads the winner's row after the insert did nothing. A check
// before the insert would let two concurrent retries both pass it.
func (s *Store) CreateResponse(ctx context.Context, r Response) (resp Response, created bool, err error) {
	if r.Kind != KindWritten && r.Kind != KindSpoken {
		return Response{}, false, fmt.Errorf("store: unknown response kind %q", r.Kind)
	}
	if r.AssessmentID == "" {
		return Response{}, false, fmt.Errorf("store: response without an assessment: %w", ErrNotFound)
	}
	r.ID = newID()
	r.Status = StatusPending
	r.Attempts = 0
	r.LastError = ""
	r.CreatedAt = s.clock()
	r.GradedAt, r.Result, r.RubricVersion = nil, nil, ""
	r.AudioSHA256 = ""
	var audio any // NULL for written answers
	if r.Audio != nil {
		sum := sha256.Sum256(r.Audio)
		r.AudioSHA256 = hex.EncodeToString(sum[:])
		audio = r.Audio
	}
	res, err := s.w.ExecContext(ctx, insertResponse, r.ID, r.AssessmentID, r.ItemID, r.Language, r.Kind,
		r.Text, r.Transcript, audio, r.AudioSHA256, nullString(r.IdempotencyKey), r.RequestHash,
		r.Status, r.CreatedAt)
	if err != nil {
		return Response{}, false, fmt.Errorf("store: create response: %w", mapErr(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return Response{}, false, fmt.Errorf("store: create response: %w", err)
	}
	if n == 1 {
		r.Audio = nil // as every read returns it: without audio
		return r, true, nil
	}
	// The key is taken. The winner committed before our insert returned
	// (PostgreSQL waits for it; SQLite has one writer), so it is visible.
	existing, err := s.ResponseByKey(ctx, r.AssessmentID, r.IdempotencyKey)
	if err != nil {
		return Response{}, false, fmt.Errorf("store: create response: read the existing row: %w", err)
	}
	return existing, false, nil
}

// ResponseByKey finds the response an assessment stored under an
// Idempotency-Key (with its latest grade, without audio); ErrNotFound when
// none was.
func (s *Store) ResponseByKey(ctx context.Context, assessmentID, key string) (Response, error) {
	// The writer pool: on SQLite a reader could hold a snapshot older than
	// the winner's commit only if it were in a transaction, but reading
	// where we wrote keeps the guarantee obvious.
	row := s.w.QueryRowContext(ctx, `SELECT `+responseCols+` FROM responses r`+latestScore+`
WHERE r.assessment_id = $1 AND r.idempotency_key = $2`, assessmentID, key)
	r, err := scanResponse(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Response{}, ErrNotFound
	}
	return r, err
}

// GetResponse finds a response with its latest grade (without audio).
func (s *Store) GetResponse(ctx context.Context, id string) (Response, error) {
	row := s.r.QueryRowContext(ctx, `SELECT `+responseCols+` FROM responses r`+latestScore+` WHERE r.id = $1`, id)
	r, err := scanResponse(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Response{}, ErrNotFound
	}
	if err != nil {
		return Response{}, fmt.Errorf("store: response: %w", err)
	}
	return r, nil
}

// GetResponseAudio returns the stored WAV bytes; ErrNotFound when the
// response does not exist or has no audio.
func (s *Store) GetResponseAudio(ctx context.Context, id string) ([]byte, error) {
	var audio []byte
	err := s.r.QueryRowContext(ctx, `SELECT audio FROM responses WHERE id = $1`, id).Scan(&audio)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && audio == nil) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: response audio: %w", err)
	}
	return audio, nil
}

// ListResponses lists an assessment's responses, oldest first, each with
// its latest grade (without audio).
func (s *Store) ListResponses(ctx context.Context, assessmentID string) ([]Response, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+responseCols+` FROM responses r`+latestScore+`
WHERE r.assessment_id = $1 ORDER BY r.created_at, r.id`, assessmentID)
	if err != nil {
		return nil, fmt.Errorf("store: list responses: %w", err)
	}
	defer rows.Close()
	var out []Response
	for rows.Next() {
		r, err := scanResponse(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list responses: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list responses: %w", err)
	}
	return out, nil
}
