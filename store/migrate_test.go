package store

import (
	"database/sql"
	"errors"
	"testing"
)

func TestLatestMigration(t *testing.T) {
	if LatestMigration() < 1 {
		t.Fatalf("LatestMigration() = %d, want at least 1", LatestMigration())
	}
}

func TestMigrations(t *testing.T) {
	dialects(t, func(t *testing.T, s *Store, _ *clock) {
		ctx := t.Context()
		latest := LatestMigration()
		tablesUsable := func() bool {
			_, err := s.TokenByHash(ctx, hash("x"))
			return errors.Is(err, ErrNotFound) // a missing table is another error
		}
		steps := []struct {
			name string
			op   func() error
			want uint
			ok   bool // tables usable afterwards
		}{
			{"fresh", func() error { return nil }, 0, false},
			{"up", func() error { return s.MigrateUp(ctx) }, latest, true},
			{"up again is no change", func() error { return s.MigrateUp(ctx) }, latest, true},
			{"down", func() error { return s.MigrateDown(ctx) }, latest - 1, latest > 1},
			{"down to nothing", func() error {
				for range latest - 1 {
					if err := s.MigrateDown(ctx); err != nil {
						return err
					}
				}
				return nil
			}, 0, false},
			{"down at 0 is no change", func() error { return s.MigrateDown(ctx) }, 0, false},
			{"up after down", func() error { return s.MigrateUp(ctx) }, latest, true},
			{"force 0 runs no SQL", func() error { return s.MigrateForce(ctx, 0) }, 0, true},
			{"force back", func() error { return s.MigrateForce(ctx, int(latest)) }, latest, true},
		}
		for _, st := range steps {
			if err := st.op(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			v, dirty, err := s.MigrationVersion(ctx)
			if err != nil {
				t.Fatalf("%s: version: %v", st.name, err)
			}
			if v != st.want || dirty {
				t.Errorf("%s: version %d dirty %v, want %d clean", st.name, v, dirty, st.want)
			}
			if got := tablesUsable(); got != st.ok {
				t.Errorf("%s: tables usable = %v, want %v", st.name, got, st.ok)
			}
		}
		for _, bad := range []int{-1, int(latest) + 1} {
			if err := s.MigrateForce(ctx, bad); err == nil {
				t.Errorf("MigrateForce(%d) succeeded, want an error", bad)
			}
		}
		// The migration handles closed their own connections, not ours.
		if err := s.Ping(ctx); err != nil {
			t.Errorf("store unusable after migrations: %v", err)
		}
	})
}

// TestMigrateDirty: a version left dirty by a failed migration is reported,
// and force clears it.
func TestMigrateDirty(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, _ *clock) {
		ctx := t.Context()
		if _, err := s.w.ExecContext(ctx, `UPDATE schema_migrations SET dirty = true`); err != nil {
			t.Fatal(err)
		}
		if _, dirty, err := s.MigrationVersion(ctx); err != nil || !dirty {
			t.Fatalf("dirty = %v, %v; want true", dirty, err)
		}
		if err := s.MigrateUp(ctx); err == nil {
			t.Error("MigrateUp on a dirty database succeeded, want an error")
		}
		if err := s.MigrateForce(ctx, int(LatestMigration())); err != nil {
			t.Fatal(err)
		}
		if v, dirty, err := s.MigrationVersion(ctx); err != nil || dirty || v != LatestMigration() {
			t.Errorf("after force: %d %v %v, want %d clean", v, dirty, err, LatestMigration())
		}
	})
}

// TestSQLitePragmas checks every connection of both pools, not just the
// first: a pragma set once would be lost on the pool's next connection.
func TestSQLitePragmas(t *testing.T) {
	s, err := Open(t.Context(), "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	want := map[string]string{
		"foreign_keys": "1",
		"busy_timeout": "10000",
		"journal_mode": "wal",
		"synchronous":  "2", // FULL
	}
	pools := []struct {
		name      string
		conns     int
		queryOnly string
	}{
		{"writer", 1, "0"},
		{"reader", 4, "1"},
	}
	for _, p := range pools {
		db := s.w
		if p.name == "reader" {
			db = s.r
		}
		if got := db.Stats().MaxOpenConnections; p.name == "writer" && got != 1 {
			t.Errorf("writer pool allows %d connections, want 1", got)
		}
		want["query_only"] = p.queryOnly
		var held []*sql.Conn
		for i := range p.conns {
			conn, err := db.Conn(ctx) // held, so the next one is a new connection
			if err != nil {
				t.Fatal(err)
			}
			held = append(held, conn)
			for pragma, w := range want {
				var got string
				if err := conn.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
					t.Fatal(err)
				}
				if got != w {
					t.Errorf("%s connection %d: %s = %s, want %s", p.name, i, pragma, got, w)
				}
			}
		}
		for _, c := range held {
			c.Close()
		}
	}
	if err := s.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.r.ExecContext(ctx, `DELETE FROM tokens`); err == nil {
		t.Error("a write on the reader pool succeeded, want query_only to refuse it")
	}
}
