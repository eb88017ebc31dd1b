package grading

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// FuzzGrade: answer text is untrusted. Whatever it holds (broken UTF-8,
// control characters, scripts without spaces), grading must not panic and
// every offset in the evidence must point inside the text.
func FuzzGrade(f *testing.F) {
	f.Add("Dear Ms Miller,\nwe will refund the second payment. Sorry!\nTom", "write-reply")
	f.Add("我们会退款。谢谢", "")
	f.Add("dell'anno\x00\xff l'homme ’ «Bruzzi» 48213-K €89,90", "read-details")
	f.Add(strings.Repeat("a ", 300), "write-reply")
	e := testEngine(f, nil)
	f.Fuzz(func(t *testing.T, text, item string) {
		in := Input{ID: "fuzz", Language: "en", Text: text}
		if item == "write-reply" || item == "read-details" {
			in.AssessmentID, in.ItemID = "customer-support", item
		}
		r, err := e.Grade(context.Background(), in)
		if err != nil {
			if strings.TrimSpace(text) == "" {
				return // answer.empty
			}
			t.Fatalf("Grade: %v", err)
		}
		for _, k := range append(asMatches(r.Evidence["key_points"]), asMatches(r.Evidence["forbidden"])...) {
			for i, off := range k.Offsets {
				if off < 0 || off+len(k.Words[i]) > len(text) || text[off:off+len(k.Words[i])] != k.Words[i] {
					t.Fatalf("key point %s offset %d does not hold %q", k.ID, off, k.Words[i])
				}
			}
		}
		errs, _ := r.Evidence["errors"].([]ProofError)
		for _, pe := range errs {
			if pe.Offset < 0 || pe.Offset+pe.Length > len(text) {
				t.Fatalf("error offset %d+%d outside the text (%d bytes)", pe.Offset, pe.Length, len(text))
			}
		}
		if r.Score != nil && (*r.Score < 0 || *r.Score > 100) {
			t.Fatalf("score %v", *r.Score)
		}
		// NaN passes both comparisons above; it also makes the stored
		// result unmarshalable, so check each score and the JSON itself.
		if r.Score != nil && math.IsNaN(*r.Score) {
			t.Fatalf("score NaN")
		}
		for d, v := range r.Scores.ByDimension() {
			if !(v >= 0 && v <= 100) {
				t.Fatalf("%s score %v outside 0-100", d, v)
			}
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatalf("result does not marshal: %v", err)
		}
	})
}

func asMatches(v any) []KeyPointMatch {
	m, _ := v.([]KeyPointMatch)
	return m
}
