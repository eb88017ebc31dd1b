package pgtest

import (
	"database/sql"
	"testing"
)

func TestDatabaseIsCreatedAndDropped(t *testing.T) {
	admin := AdminURL(t)
	var name string
	t.Run("create", func(t *testing.T) {
		u := Database(t, "langassess_pgtest_")
		db, err := sql.Open("postgres", u)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.QueryRow("SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
		if len(name) != len("langassess_pgtest_")+12 {
			t.Errorf("database %q: want the prefix and 12 hex digits", name)
		}
	})
	db, err := sql.Open("postgres", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if name == "" || n != 0 {
		t.Errorf("database %q still exists after its test (%d rows)", name, n)
	}
}
