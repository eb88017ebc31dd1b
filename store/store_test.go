package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/lib/pq"
)

// The suite runs every test against SQLite (a temp file) and, when
// LANGASSESS_TEST_DATABASE_URL is set, PostgreSQL. TestMain creates one
// throwaway database langassess_test_<random> through that URL and drops it
// at the end; each test gets its own schema in it, so tests never see each
// other's rows.

const pgEnv = "LANGASSESS_TEST_DATABASE_URL"

var (
	pgTestURL string       // URL of the throwaway database; "" when disabled
	pgSchemas atomic.Int64 // schema counter
)

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	if os.Getenv(crashChildEnv) != "" {
		return crashChild()
	}
	admin := os.Getenv(pgEnv)
	if admin == "" {
		return m.Run()
	}
	name := "langassess_test_" + strings.ToLower(rand.Text()[:10])
	db, err := sql.Open("postgres", admin)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", pgEnv, err)
		return 1
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE DATABASE ` + name); err != nil {
		fmt.Fprintf(os.Stderr, "%s: create test database: %v\n", pgEnv, err)
		return 1
	}
	defer func() {
		if _, err := db.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`); err != nil {
			fmt.Fprintf(os.Stderr, "drop test database %s: %v\n", name, err)
		}
	}()
	u, err := url.Parse(admin)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", pgEnv, err)
		return 1
	}
	u.Path = "/" + name
	pgTestURL = u.String()
	return m.Run()
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// dialects runs fn once per dialect with a fresh, unmigrated store.
func dialects(t *testing.T, fn func(t *testing.T, s *Store, clk *clock)) {
	t.Run(DialectSQLite, func(t *testing.T) {
		s, err := Open(t.Context(), "", t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		run(t, s, fn)
	})
	t.Run(DialectPostgres, func(t *testing.T) {
		if pgTestURL == "" {
			t.Skipf("PostgreSQL tests disabled: set %s, e.g. %s='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' (a throwaway database is created and dropped)", pgEnv, pgEnv)
		}
		s, err := Open(t.Context(), pgSchemaURL(t), "")
		if err != nil {
			t.Fatal(err)
		}
		run(t, s, fn)
	})
}

// pgSchemaURL creates a fresh schema in the test database and returns a URL
// whose connections use it.
func pgSchemaURL(t *testing.T) string {
	t.Helper()
	schema := fmt.Sprintf("t%d", pgSchemas.Add(1))
	db, err := sql.Open("postgres", pgTestURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(pgTestURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema) // lib/pq sends it as a run-time parameter
	u.RawQuery = q.Encode()
	return u.String()
}

func run(t *testing.T, s *Store, fn func(t *testing.T, s *Store, clk *clock)) {
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	clk := &clock{t: time.Now().UTC().Truncate(time.Second)}
	s.now = clk.now
	fn(t, s, clk)
}

// migrated runs fn per dialect on a store with every migration applied.
func migrated(t *testing.T, fn func(t *testing.T, s *Store, clk *clock)) {
	dialects(t, func(t *testing.T, s *Store, clk *clock) {
		if err := s.MigrateUp(t.Context()); err != nil {
			t.Fatal(err)
		}
		fn(t, s, clk)
	})
}

// hash returns a token hash for a name.
func hash(name string) []byte {
	h := sha256.Sum256([]byte(name))
	return h[:]
}

// newAssessment creates an assessment for a candidate ref.
func newAssessment(t *testing.T, s *Store, ref string) Assessment {
	t.Helper()
	a, err := s.CreateAssessment(t.Context(), Assessment{CandidateRef: ref, PackID: "default", PackVersion: "1",
		AssessmentKey: "support-agent", Languages: []string{"de", "en"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// count counts rows.
func count(t *testing.T, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.w.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestInTxPanic: a panic inside a transaction (recovered above, as the HTTP
// recovery middleware does) must not leave the transaction open. With a
// context that is never cancelled (a grading worker's), database/sql would
// hold the connection forever: on SQLite the only writer connection, so
// every later write would wait for good.
func TestInTxPanic(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		func() {
			defer func() {
				if recover() == nil {
					t.Fatal("the panic did not reach the caller")
				}
			}()
			_ = s.inTx(context.Background(), func(tx *sql.Tx) error {
				if _, err := tx.Exec(`INSERT INTO candidates (ref, created_at) VALUES ('half-done', $1)`, clk.now()); err != nil {
					t.Fatal(err)
				}
				panic("bug in a transaction")
			})
		}()
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		if _, err := s.CreateAssessment(ctx, Assessment{CandidateRef: "after", AssessmentKey: "k", Languages: []string{"en"}}, nil); err != nil {
			t.Fatalf("write after a panicked transaction: %v", err)
		}
		if n := count(t, s, `SELECT count(*) FROM candidates WHERE ref = 'half-done'`); n != 0 {
			t.Errorf("the panicked transaction's insert is visible (%d rows), want it rolled back", n)
		}
	})
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}
