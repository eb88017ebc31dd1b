package hunspell

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// BenchmarkLoad measures loading each installed Debian dictionary (what
// the service does once per language at start) and reports the heap it
// keeps. Baseline: reading the two files' bytes alone.
func BenchmarkLoad(b *testing.B) {
	for _, lang := range []string{"cs", "de", "en", "es", "fr", "it", "nl", "pl", "pt", "sv"} {
		aff, dic, err := Files(DefaultDir, lang)
		if errors.Is(err, ErrNoDictionary) {
			continue
		}
		b.Run("read/"+lang, func(b *testing.B) {
			for b.Loop() {
				if _, err := os.ReadFile(aff); err != nil {
					b.Fatal(err)
				}
				if _, err := os.ReadFile(dic); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("load/"+lang, func(b *testing.B) {
			var d *Dictionary
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for b.Loop() {
				d, err = Load(aff, dic)
				if err != nil {
					b.Fatal(err)
				}
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "heapMB")
			runtime.KeepAlive(d)
		})
	}
}

// BenchmarkSpell checks the words of a sample answer, against a map
// lookup of the same words (the cost floor of any dictionary).
func BenchmarkSpell(b *testing.B) {
	for _, lang := range []string{"de", "en", "it", "cs"} {
		if _, _, err := Files(DefaultDir, lang); err != nil {
			continue
		}
		d, err := NewSet(DefaultDir).Speller(lang)
		if err != nil {
			b.Fatal(err)
		}
		text, err := os.ReadFile(filepath.Join("..", "grammar", "testdata", "answers", lang+".txt"))
		if err != nil {
			b.Fatal(err)
		}
		var words []string
		for _, sp := range d.Words(string(text)) {
			words = append(words, string(text[sp.Start:sp.End]))
		}
		set := map[string]bool{}
		for _, w := range words {
			set[strings.ToLower(w)] = true
		}
		b.Run("maplookup/"+lang, func(b *testing.B) {
			for b.Loop() {
				for _, w := range words {
					_ = set[strings.ToLower(w)]
				}
			}
		})
		b.Run("spell/"+lang, func(b *testing.B) {
			for b.Loop() {
				for _, w := range words {
					d.Spell(w)
				}
			}
		})
	}
}
