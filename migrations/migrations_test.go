package migrations

import (
	"io/fs"
	"regexp"
	"slices"
	"testing"
)

var name = regexp.MustCompile(`^(\d{4})_[a-z0-9_]+\.(up|down)\.sql$`)

// TestPairs checks that every dialect has the same versions and titles and
// that every up migration has its down, so the two schemas move together.
func TestPairs(t *testing.T) {
	names := map[string][]string{}
	for _, d := range Dialects {
		fsys, err := FS(d)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := fs.ReadDir(fsys, ".")
		if err != nil {
			t.Fatal(err)
		}
		ups, downs := 0, 0
		for _, e := range entries {
			m := name.FindStringSubmatch(e.Name())
			if m == nil {
				t.Errorf("%s/%s: name does not match %s", d, e.Name(), name)
				continue
			}
			if m[2] == "up" {
				ups++
			} else {
				downs++
			}
			names[d] = append(names[d], e.Name())
		}
		if ups == 0 || ups != downs {
			t.Errorf("%s: %d up and %d down migrations, want the same non-zero count", d, ups, downs)
		}
	}
	if !slices.Equal(names["postgres"], names["sqlite"]) {
		t.Errorf("dialects differ:\npostgres %v\nsqlite   %v", names["postgres"], names["sqlite"])
	}
}

func TestUnknownDialect(t *testing.T) {
	if _, err := FS("mysql"); err == nil {
		t.Fatal("FS(mysql) succeeded, want an error")
	}
}
