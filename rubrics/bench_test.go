package rubrics

import (
	"os"
	"testing"
)

func BenchmarkParseMinimal(b *testing.B) {
	data, err := os.ReadFile("testdata/valid/minimal.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("minimal.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadDefault(b *testing.B) {
	for b.Loop() {
		if _, err := loadFS(defaultFS, defaultDir, "embedded"); err != nil {
			b.Fatal(err)
		}
	}
}
