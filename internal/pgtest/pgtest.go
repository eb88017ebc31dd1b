// Package pgtest gives tests a throwaway PostgreSQL database on the server
// named by LANGASSESS_TEST_DATABASE_URL (.ci/run sets it). Without it the
// PostgreSQL tests skip, except under CI=true where they fail: CI must run
// them. Safe for parallel tests: every database has a random name.
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/lib/pq" // the postgres driver
)

// Env names the admin URL of the test server.
const Env = "LANGASSESS_TEST_DATABASE_URL"

// AdminURL returns the admin URL, or skips t (fails it under CI=true).
func AdminURL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(Env)
	if admin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI must run the PostgreSQL tests", Env)
		}
		t.Skipf("PostgreSQL tests disabled: set %s (see .ci/run)", Env)
	}
	return admin
}

// Database creates a database named prefix + random suffix, drops it when
// the test ends, and returns its URL.
func Database(t testing.TB, prefix string) string {
	t.Helper()
	admin := AdminURL(t)
	db, err := sql.Open("postgres", admin)
	if err != nil {
		t.Fatal(err)
	}
	suffix := make([]byte, 6)
	rand.Read(suffix)
	name := prefix + hex.EncodeToString(suffix)
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		db.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
		db.Close()
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
