package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/langassess/langassess/store"
)

func TestMigrateCommand(t *testing.T) {
	dir := t.TempDir()
	latest := store.LatestMigration()
	env := map[string]string{"LANGASSESS_DATA_DIR": dir}
	getenv := func(k string) string { return env[k] }
	steps := []struct {
		args    []string
		want    string // stdout substring
		wantErr string // error substring; "" means success
	}{
		{[]string{"version"}, "sqlite: version 0 of " + fmt.Sprint(latest) + "\n", ""},
		{[]string{"up"}, fmt.Sprintf("version %d of %d\n", latest, latest), ""},
		{[]string{"up", "--data-dir", dir}, fmt.Sprintf("version %d of %d\n", latest, latest), ""},
		{[]string{"--data-dir", dir, "down"}, fmt.Sprintf("version %d of %d\n", latest-1, latest), ""},
		{[]string{"force", fmt.Sprint(latest)}, fmt.Sprintf("version %d of %d\n", latest, latest), ""},
		{[]string{"version"}, fmt.Sprintf("version %d of %d\n", latest, latest), ""},
		{[]string{"--help"}, "up|down|version|force N", ""},
		{[]string{"force", "-h"}, "-database-url string", ""},
		{nil, "", "missing action"},
		{[]string{"sideways"}, "", `unknown action "sideways"`},
		{[]string{"force"}, "", "exactly one version"},
		{[]string{"force", "x"}, "", `"x" is not a version number`},
		{[]string{"force", fmt.Sprint(latest + 1)}, "", "above the latest"},
		{[]string{"up", "extra"}, "", "unexpected arguments"},
		{[]string{"up", "--database-url", "mysql://x"}, "", "postgres://"},
	}
	for _, st := range steps {
		var out, errOut bytes.Buffer
		err := run(t.Context(), append([]string{"migrate"}, st.args...), getenv, &out, &errOut)
		name := strings.Join(st.args, " ")
		if st.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), st.wantErr) {
				t.Errorf("migrate %s: error %v, want one containing %q", name, err, st.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("migrate %s: %v (stderr %s)", name, err, errOut.String())
			continue
		}
		if !strings.Contains(out.String(), st.want) {
			t.Errorf("migrate %s: stdout %q, want it to contain %q", name, out.String(), st.want)
		}
	}
}
