package migrations

import (
	"embed"
	"fmt"
	"io/fs"
)

// files holds both dialects; the file names follow golang-migrate's
// VERSION_title.up.sql / VERSION_title.down.sql convention.
//
//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// Dialects lists the supported dialect directories.
var Dialects = []string{"postgres", "sqlite"}

// FS returns the migrations of one dialect ("postgres" or "sqlite"), rooted
// at that dialect's directory, ready for golang-migrate's iofs source.
func FS(dialect string) (fs.FS, error) {
	switch dialect {
	case "postgres", "sqlite":
		return fs.Sub(files, dialect)
	}
	return nil, fmt.Errorf("migrations: unknown dialect %q", dialect)
}
