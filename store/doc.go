// Package store persists candidates, assessments, responses, scores, flags,
// reviews and tokens with database/sql, on PostgreSQL (lib/pq, when a
// database URL is given) or the embedded SQLite default (modernc.org/sqlite,
// dataDir/langassess.db). Migrations are the golang-migrate files embedded
// by package migrations; Open never migrates, MigrateUp does.
//
// Concurrency: a Store is safe for concurrent use, also by several
// processes on one PostgreSQL database. On SQLite every write goes through
// one connection (transactions start with BEGIN IMMEDIATE) and reads use a
// separate query-only pool; every connection sets foreign_keys, busy_timeout,
// WAL and synchronous=FULL, so an acknowledged write is on disk.
// Uniqueness is left to UNIQUE constraints, never checked before an insert:
// an Idempotency-Key retry, even a concurrent one, stores one response.
// Grading jobs and review claims are leases with an expiry; on PostgreSQL
// they are taken with FOR UPDATE SKIP LOCKED, so concurrent workers and
// graders never get the same row.
//
// Errors: lookups that find nothing return ErrNotFound; unique violations
// and acting on a lease or claim one does not hold return ErrConflict.
// Both are wrapped, so test with errors.Is.
package store
