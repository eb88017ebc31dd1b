package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
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

// Dialect names.
const (
	DialectPostgres = "postgres"
	DialectSQLite   = "sqlite"
)

// SQLiteFile is the database file name inside the data directory.
const SQLiteFile = "langassess.db"

// Store is the database handle.
type Store struct {
	dialect string
	// w runs every write. On SQLite it holds exactly one connection, so
	// writers queue in Go instead of failing with SQLITE_BUSY, and each
	// transaction starts with BEGIN IMMEDIATE (see sqliteDSN).
	w *sql.DB
	// r runs reads that need no transaction. On PostgreSQL it is w; on
	// SQLite a separate query-only pool, so reads (WAL) never wait for the
	// writer.
	r *sql.DB
	// migrateSource opens the connection golang-migrate owns (its Close
	// closes it): the PostgreSQL URL or the SQLite DSN.
	migrateSource string
	// now is the clock; tests replace it to move leases through time.
	now func() time.Time
}

// Open connects: PostgreSQL when databaseURL is set, otherwise SQLite at
// dataDir/langassess.db (dataDir created when missing). It does not migrate.
func Open(ctx context.Context, databaseURL, dataDir string) (*Store, error) {
	s := &Store{now: time.Now}
	if databaseURL != "" {
		db, err := sql.Open("postgres", databaseURL)
		if err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		// Enough for the HTTP handlers and the grading workers of one
		// replica without exhausting PostgreSQL's default 100 connections
		// when a few replicas run.
		db.SetMaxOpenConns(25)
		db.SetMaxIdleConns(25)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s.dialect, s.w, s.r, s.migrateSource = DialectPostgres, db, db, databaseURL
	} else {
		if dataDir == "" {
			return nil, errors.New("store: no database URL and no data directory")
		}
		if strings.ContainsRune(dataDir, '?') {
			// The driver splits its DSN at the first '?'.
			return nil, fmt.Errorf("store: data directory %q must not contain '?'", dataDir)
		}
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create data directory: %w", err)
		}
		path := filepath.Join(dataDir, SQLiteFile)
		w, err := sql.Open("sqlite", sqliteDSN(path, false))
		if err != nil {
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		w.SetMaxOpenConns(1)
		w.SetMaxIdleConns(1)
		w.SetConnMaxLifetime(0)
		w.SetConnMaxIdleTime(0)
		// The writer connects first so the file exists in WAL mode before
		// any query-only connection opens it.
		if err := w.PingContext(ctx); err != nil {
			w.Close()
			return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
		}
		r, err := sql.Open("sqlite", sqliteDSN(path, true))
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("store: open sqlite: %w", err)
		}
		n := max(4, runtime.NumCPU())
		r.SetMaxOpenConns(n)
		r.SetMaxIdleConns(n)
		s.dialect, s.w, s.r, s.migrateSource = DialectSQLite, w, r, sqliteDSN(path, false)
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// sqliteDSN sets every pragma on every new connection (the driver runs
// them when it connects), so a connection the pool replaces never runs
// with SQLite's unsafe defaults:
//   - busy_timeout first, so the other pragmas wait instead of failing;
//   - foreign_keys, off by default in SQLite;
//   - WAL, so readers do not block the writer;
//   - synchronous=FULL: in WAL mode NORMAL may lose the last commits on
//     power loss or kill -9 of the machine, and an acknowledged answer
//     must survive;
//   - _txlock=immediate: BEGIN IMMEDIATE takes the write lock at the start,
//     so a transaction never fails half-way when it upgrades from read to
//     write;
//   - query_only on the read pool, so a write there fails loudly.
func sqliteDSN(path string, readOnly bool) string {
	q := []string{
		"_pragma=busy_timeout(10000)",
		"_pragma=foreign_keys(1)",
		"_pragma=journal_mode(WAL)",
		"_pragma=synchronous(FULL)",
		"_txlock=immediate",
		"_time_format=sqlite",
	}
	if readOnly {
		q = append(q, "_pragma=query_only(1)")
	}
	return path + "?" + strings.Join(q, "&")
}

// Dialect is "postgres" or "sqlite".
func (s *Store) Dialect() string { return s.dialect }

// Close closes the database.
func (s *Store) Close() error {
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	if s.r != s.w {
		if err := s.r.PingContext(ctx); err != nil {
			return fmt.Errorf("store: ping readers: %w", err)
		}
	}
	return nil
}

// clock returns the current time as both databases store it: UTC with
// microseconds (PostgreSQL's precision), so a value read back equals the
// value written.
func (s *Store) clock() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}

// newID returns a random identifier (26 base32 characters, 130 bits):
// unguessable, so an id in a URL reveals nothing about other rows.
func newID() string { return strings.ToLower(rand.Text()) }

// inTx runs fn in a write transaction and commits when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	// A panic in fn must not keep the transaction open: database/sql only
	// ends it when ctx is cancelled, which a worker's context never is, and
	// on SQLite it holds the one writer connection.
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", mapErr(err))
	}
	return nil
}

func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// mapErr turns constraint violations into the sentinels: a unique
// violation is ErrConflict, a missing referenced row is ErrNotFound. Other
// errors pass through unchanged.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	case isUnique(err):
		return fmt.Errorf("%w: %w", ErrConflict, err)
	case isForeignKey(err):
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}

func isUnique(err error) bool {
	if e := pq.As(err, pqerror.UniqueViolation); e != nil {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

func isForeignKey(err error) bool {
	if e := pq.As(err, pqerror.ForeignKeyViolation); e != nil {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// dbTime scans a timestamp from either driver. lib/pq returns time.Time;
// modernc.org/sqlite returns time.Time for columns declared TIMESTAMP but a
// string where SQLite does not know the declared type (expressions,
// some RETURNING clauses).
type dbTime struct {
	Time  time.Time
	Valid bool
}

// sqliteTimeFormats are the layouts modernc.org/sqlite writes (we set
// _time_format=sqlite) and SQLite's own datetime() output.
var sqliteTimeFormats = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999Z07:00",
}

func (d *dbTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d = dbTime{}
		return nil
	case time.Time:
		*d = dbTime{Time: x.UTC(), Valid: true}
		return nil
	case []byte:
		return d.parse(string(x))
	case string:
		return d.parse(x)
	}
	return fmt.Errorf("store: cannot scan %T into a time", v)
}

func (d *dbTime) parse(s string) error {
	for _, f := range sqliteTimeFormats {
		if t, err := time.Parse(f, s); err == nil {
			*d = dbTime{Time: t.UTC(), Valid: true}
			return nil
		}
	}
	return fmt.Errorf("store: cannot parse time %q", s)
}

// ptr returns a pointer to the time, or nil when it is NULL.
func (d dbTime) ptr() *time.Time {
	if !d.Valid {
		return nil
	}
	t := d.Time
	return &t
}

// nullString maps "" to NULL, for optional columns where NULL has meaning
// (an absent idempotency key must not collide with another absent key).
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
