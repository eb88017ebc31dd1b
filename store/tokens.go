package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// Token is an API token; only its SHA-256 hash is stored.
type Token struct {
	ID           int64
	Role         string
	AssessmentID string // set for candidate tokens only
	Name         string
	CreatedAt    time.Time
}

// ValidRole reports whether role is one of the four roles.
func ValidRole(role string) bool {
	switch role {
	case RoleAdmin, RoleGrader, RolePlanner, RoleCandidate:
		return true
	}
	return false
}

func checkToken(hash []byte, t Token) error {
	if len(hash) != sha256.Size {
		return fmt.Errorf("store: token hash has %d bytes, want a SHA-256 (%d)", len(hash), sha256.Size)
	}
	if !ValidRole(t.Role) {
		return fmt.Errorf("store: unknown role %q", t.Role)
	}
	if (t.Role == RoleCandidate) != (t.AssessmentID != "") {
		return fmt.Errorf("store: a candidate token needs an assessment and a staff token must not have one (role %q, assessment %q)", t.Role, t.AssessmentID)
	}
	return nil
}

const insertToken = `
INSERT INTO tokens (hash, role, assessment_id, name, created_at)
VALUES ($1, $2, $3, $4, $5)
RETURNING id`

// CreateToken stores a token hash. ErrConflict when the hash exists,
// ErrNotFound when a candidate token names an unknown assessment.
func (s *Store) CreateToken(ctx context.Context, hash []byte, t Token) (Token, error) {
	if err := checkToken(hash, t); err != nil {
		return Token{}, err
	}
	t.CreatedAt = s.clock()
	id, err := createToken(ctx, s.w, hash, t)
	if err != nil {
		return Token{}, err
	}
	t.ID = id
	return t, nil
}

func createToken(ctx context.Context, q queryer, hash []byte, t Token) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, insertToken, hash, t.Role, nullString(t.AssessmentID), t.Name, t.CreatedAt).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: create token: %w", mapErr(err))
	}
	return id, nil
}

const selectTokenByHash = `
SELECT id, role, COALESCE(assessment_id, ''), name, created_at
FROM tokens
WHERE hash = $1 AND revoked_at IS NULL`

// TokenByHash finds a non-revoked token; ErrNotFound otherwise.
func (s *Store) TokenByHash(ctx context.Context, hash []byte) (Token, error) {
	var t Token
	var created dbTime
	err := s.r.QueryRowContext(ctx, selectTokenByHash, hash).Scan(&t.ID, &t.Role, &t.AssessmentID, &t.Name, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, ErrNotFound
	}
	if err != nil {
		return Token{}, fmt.Errorf("store: token: %w", err)
	}
	t.CreatedAt = created.Time
	return t, nil
}

// RevokeToken revokes a token by id; ErrNotFound when no such live token.
func (s *Store) RevokeToken(ctx context.Context, id int64) error {
	res, err := s.w.ExecContext(ctx, `UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, s.clock(), id)
	if err != nil {
		return fmt.Errorf("store: revoke token: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: revoke token: %w", err)
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}

// NewToken makes a random bearer token and the SHA-256 hash the store keeps.
// The token itself is shown once and never stored.
func NewToken() (token string, hash []byte, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("token: %w", err)
	}
	token = "la_" + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken is the stored form of a token.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
