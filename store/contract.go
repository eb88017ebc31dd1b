package store

// CONTRACT STUB written by the lead so the api compiles. The store helper
// owns this package and replaces this file with the real implementation
// (one file per aggregate); the exported API below must stay, more may be added.

import (
	"context"
	"errors"
	"time"

	"github.com/langassess/langassess/grading"
)

// Sentinel errors; wrap with %w.
var (
	ErrNotFound = errors.New("store: not found")
	ErrConflict = errors.New("store: conflict")
)

// Roles.
const (
	RoleAdmin     = "admin"
	RoleGrader    = "grader"
	RolePlanner   = "planner"
	RoleCandidate = "candidate"
)

// Response statuses.
const (
	StatusPending = "pending"
	StatusGraded  = "graded"
	StatusFailed  = "failed"
)

// Store is the database handle.
type Store struct{}

// Open connects: PostgreSQL when databaseURL is set, otherwise SQLite at
// dataDir/langassess.db (dataDir created when missing). It does not migrate.
func Open(ctx context.Context, databaseURL, dataDir string) (*Store, error) {
	return nil, errors.New("store: not implemented")
}

// Dialect is "postgres" or "sqlite".
func (s *Store) Dialect() string { return "" }

// Close closes the database.
func (s *Store) Close() error { return nil }

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error { return nil }

// MigrateUp applies all migrations; no change is success.
func (s *Store) MigrateUp(ctx context.Context) error { return nil }

// MigrateDown rolls back one migration.
func (s *Store) MigrateDown(ctx context.Context) error { return nil }

// MigrateForce sets the version and clears the dirty flag.
func (s *Store) MigrateForce(ctx context.Context, version int) error { return nil }

// MigrationVersion reports the applied version (0 when none).
func (s *Store) MigrationVersion(ctx context.Context) (version uint, dirty bool, err error) {
	return 0, false, nil
}

// LatestMigration is the highest version in the embedded migrations.
func LatestMigration() uint { return 0 }

// Token is an API token; only its SHA-256 hash is stored.
type Token struct {
	ID           int64
	Role         string
	AssessmentID string // set for candidate tokens only
	Name         string
	CreatedAt    time.Time
}

// CreateToken stores a token hash.
func (s *Store) CreateToken(ctx context.Context, hash []byte, t Token) (Token, error) {
	return Token{}, nil
}

// TokenByHash finds a non-revoked token; ErrNotFound otherwise.
func (s *Store) TokenByHash(ctx context.Context, hash []byte) (Token, error) {
	return Token{}, ErrNotFound
}

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

// CreateAssessment creates the candidate (reused by ref), the assessment and
// a candidate token bound to it, in one transaction.
func (s *Store) CreateAssessment(ctx context.Context, a Assessment, candidateTokenHash []byte) (Assessment, error) {
	return Assessment{}, nil
}

// GetAssessment finds an assessment.
func (s *Store) GetAssessment(ctx context.Context, id string) (Assessment, error) {
	return Assessment{}, ErrNotFound
}

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
	Result         *grading.Result // set when graded
	RubricVersion  string
}

// CreateResponse stores a response as pending. With an IdempotencyKey that
// already exists for the assessment it stores nothing and returns the
// existing row with created=false (also under concurrent calls).
func (s *Store) CreateResponse(ctx context.Context, r Response) (resp Response, created bool, err error) {
	return Response{}, false, nil
}

// GetResponse finds a response with its latest grade (without audio).
func (s *Store) GetResponse(ctx context.Context, id string) (Response, error) {
	return Response{}, ErrNotFound
}

// GetResponseAudio returns the stored WAV bytes.
func (s *Store) GetResponseAudio(ctx context.Context, id string) ([]byte, error) {
	return nil, ErrNotFound
}

// ListResponses lists an assessment's responses, oldest first.
func (s *Store) ListResponses(ctx context.Context, assessmentID string) ([]Response, error) {
	return nil, nil
}

// LeaseJobs leases up to limit pending responses whose retry time has come
// and whose lease is free or expired (FOR UPDATE SKIP LOCKED on PostgreSQL),
// incrementing attempts. Audio is loaded.
func (s *Store) LeaseJobs(ctx context.Context, owner string, lease time.Duration, limit int) ([]Response, error) {
	return nil, nil
}

// LeaseResponse takes the lease on one pending response (grading right after
// intake); false when someone else holds it or it is not pending.
func (s *Store) LeaseResponse(ctx context.Context, id, owner string, lease time.Duration) (bool, error) {
	return false, nil
}

// CompleteGrade stores the result (score row with rubric and engine versions,
// flags, and an open review when flagged) and marks the response graded, in
// one transaction. ErrConflict when owner no longer holds the lease.
func (s *Store) CompleteGrade(ctx context.Context, id, owner string, res grading.Result) error {
	return nil
}

// FailGrade records a failed attempt: the response stays pending until
// retryAt, or becomes failed with reason when final. Releases the lease.
func (s *Store) FailGrade(ctx context.Context, id, owner, reason string, retryAt time.Time, final bool) error {
	return nil
}

// CountOpenReviews is the review queue depth.
func (s *Store) CountOpenReviews(ctx context.Context) (int, error) { return 0, nil }
