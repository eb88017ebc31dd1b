// Package ratedtest makes human-rated test data for the calibration and
// evaluation tests: small files in the shared data's layouts.
package ratedtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TSV writes a small rated file in the MERLIN layout where longer,
// more varied German texts have higher levels, so calibration has something
// to find.
func TSV(t testing.TB) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id\tlang\tcefr_overall\tOrthography\ttext\n")
	words := strings.Fields("Ich habe gestern einen Brief an meine Freundin geschrieben weil sie nächste Woche Geburtstag hat und wir zusammen feiern möchten obwohl das Wetter schlecht ist deshalb bleiben wir zu Hause und kochen ein gutes Essen mit Gemüse Kartoffeln Fleisch sowie einem leckeren Kuchen")
	levels := []string{"A2", "B1", "B2"}
	for i := range 60 {
		lvl := i % 3
		n := 12 + 18*lvl + i%5
		var text []string
		for j := range n {
			text = append(text, words[(j*(lvl+1))%len(words)])
		}
		fmt.Fprintf(&b, "%d\tde\t%s\t%s\t%s.\n", i, levels[lvl], levels[lvl], strings.Join(text, " "))
	}
	p := filepath.Join(t.TempDir(), "rated.tsv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
