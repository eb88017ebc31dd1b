package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"github.com/golang-migrate/migrate/v4"
	"github.com/golang-migrate/migrate/v4/database"
	"github.com/golang-migrate/migrate/v4/database/postgres"
	migratesqlite "github.com/golang-migrate/migrate/v4/database/sqlite"
	"github.com/golang-migrate/migrate/v4/source/iofs"

	"github.com/langassess/langassess/migrations"
)

// migrationsTable is golang-migrate's default; MigrationVersion reads it.
const migrationsTable = "schema_migrations"

// migrator builds a golang-migrate handle on a connection of its own: the
// drivers' Close closes the *sql.DB they are given, and the postgres driver
// pins one connection for its advisory lock, so sharing the store's pools
// would close them or starve them.
func (s *Store) migrator() (*migrate.Migrate, error) {
	src, err := migrations.FS(s.dialect)
	if err != nil {
		return nil, err
	}
	source, err := iofs.New(src, ".")
	if err != nil {
		return nil, fmt.Errorf("store: migrations source: %w", err)
	}
	var driverName = s.dialect
	db, err := sql.Open(driverName, s.migrateSource)
	if err != nil {
		source.Close()
		return nil, fmt.Errorf("store: migrations connection: %w", err)
	}
	var drv database.Driver
	switch s.dialect {
	case DialectPostgres:
		drv, err = postgres.WithInstance(db, &postgres.Config{MigrationsTable: migrationsTable})
	default:
		// One connection: the driver's transactions then run on the same
		// connection that carries our pragmas, one at a time.
		db.SetMaxOpenConns(1)
		drv, err = migratesqlite.WithInstance(db, &migratesqlite.Config{MigrationsTable: migrationsTable})
	}
	if err != nil {
		db.Close()
		source.Close()
		return nil, fmt.Errorf("store: migrations driver: %w", err)
	}
	m, err := migrate.NewWithInstance("iofs", source, s.dialect, drv)
	if err != nil {
		drv.Close()
		source.Close()
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return m, nil
}

// runMigration runs op on a fresh handle, asks golang-migrate to stop
// between migrations when ctx ends, and closes the handle. ErrNoChange is
// success.
func (s *Store) runMigration(ctx context.Context, op func(m *migrate.Migrate) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m, err := s.migrator()
	if err != nil {
		return err
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		select {
		case <-ctx.Done():
			m.GracefulStop <- true
		case <-done:
		}
	})
	err = op(m)
	close(done)
	wg.Wait()
	srcErr, dbErr := m.Close()
	if errors.Is(err, migrate.ErrNoChange) {
		err = nil
	}
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if err := errors.Join(srcErr, dbErr); err != nil {
		return fmt.Errorf("store: close migrations: %w", err)
	}
	return ctx.Err()
}

// MigrateUp applies all migrations; no change is success.
func (s *Store) MigrateUp(ctx context.Context) error {
	return s.runMigration(ctx, func(m *migrate.Migrate) error { return m.Up() })
}

// MigrateDown rolls back one migration. At version 0 it does nothing.
func (s *Store) MigrateDown(ctx context.Context) error {
	return s.runMigration(ctx, func(m *migrate.Migrate) error {
		err := m.Steps(-1)
		if errors.Is(err, os.ErrNotExist) {
			// golang-migrate's answer for "nothing below the nil version".
			return migrate.ErrNoChange
		}
		return err
	})
}

// MigrateForce sets the version and clears the dirty flag. Version 0 means
// no migration applied. It runs no SQL: use it after repairing a failed
// migration by hand.
func (s *Store) MigrateForce(ctx context.Context, version int) error {
	if version < 0 {
		return fmt.Errorf("store: force: version %d is negative", version)
	}
	if version > int(LatestMigration()) {
		return fmt.Errorf("store: force: version %d is above the latest migration %d", version, LatestMigration())
	}
	v := version
	if v == 0 {
		v = database.NilVersion
	}
	return s.runMigration(ctx, func(m *migrate.Migrate) error { return m.Force(v) })
}

// MigrationVersion reports the applied version (0 when none). It reads the
// version table directly, without golang-migrate's lock or DDL, so /readyz
// can call it on every probe.
func (s *Store) MigrationVersion(ctx context.Context) (version uint, dirty bool, err error) {
	var exists bool
	switch s.dialect {
	case DialectPostgres:
		err = s.r.QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL`, migrationsTable).Scan(&exists)
	default:
		err = s.r.QueryRowContext(ctx,
			`SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = $1`, migrationsTable).Scan(&exists)
	}
	if err != nil {
		return 0, false, fmt.Errorf("store: migration version: %w", err)
	}
	if !exists {
		return 0, false, nil
	}
	var v int64
	err = s.r.QueryRowContext(ctx, `SELECT version, dirty FROM `+migrationsTable+` LIMIT 1`).Scan(&v, &dirty)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("store: migration version: %w", err)
	}
	if v < 0 {
		// golang-migrate writes -1 with dirty=true when the first migration
		// failed.
		return 0, dirty, nil
	}
	return uint(v), dirty, nil
}

// LatestMigration is the highest version in the embedded migrations.
func LatestMigration() uint { return latestMigration() }

var latestMigration = sync.OnceValue(func() uint {
	// Both dialects carry the same versions (the migrations package tests
	// it), so one is enough.
	fsys, err := migrations.FS(DialectPostgres)
	if err != nil {
		panic(err)
	}
	src, err := iofs.New(fsys, ".")
	if err != nil {
		panic(fmt.Sprintf("store: embedded migrations unreadable: %v", err))
	}
	defer src.Close()
	v, err := src.First()
	if err != nil {
		panic(fmt.Sprintf("store: no embedded migrations: %v", err))
	}
	for {
		next, err := src.Next(v)
		if errors.Is(err, fs.ErrNotExist) {
			return v
		}
		if err != nil {
			panic(fmt.Sprintf("store: embedded migrations unreadable: %v", err))
		}
		v = next
	}
})
