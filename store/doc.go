// Package store persists candidates, assessments, responses, scores, flags,
// reviews and tokens with database/sql, on PostgreSQL (lib/pq) or the
// embedded SQLite default (modernc.org/sqlite). A Store is safe for
// concurrent use; lookups that find nothing return ErrNotFound and unique
// violations return ErrConflict.
package store
