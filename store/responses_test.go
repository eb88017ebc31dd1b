package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"
)

func written(assessmentID, item, key string) Response {
	return Response{AssessmentID: assessmentID, ItemID: item, Language: "de", Kind: KindWritten,
		Text: "Sehr geehrte Damen und Herren", IdempotencyKey: key, RequestHash: "rh-" + key}
}

func spoken(assessmentID, item, key string, wav []byte) Response {
	return Response{AssessmentID: assessmentID, ItemID: item, Language: "en", Kind: KindSpoken,
		Audio: wav, Transcript: "hello", IdempotencyKey: key}
}

func TestResponses(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		ctx := t.Context()
		a := newAssessment(t, s, "c1")
		wav := []byte("RIFF....WAVEfmt fake audio bytes \x00\x01\x02")

		w, created, err := s.CreateResponse(ctx, written(a.ID, "w1", "k1"))
		if err != nil || !created {
			t.Fatalf("create written: %v created=%v", err, created)
		}
		if w.ID == "" || w.Status != StatusPending || w.Attempts != 0 || !w.CreatedAt.Equal(clk.now()) || w.AudioSHA256 != "" {
			t.Errorf("created %+v", w)
		}
		clk.advance(time.Second)
		sp, created, err := s.CreateResponse(ctx, spoken(a.ID, "s1", "k2", wav))
		if err != nil || !created {
			t.Fatalf("create spoken: %v created=%v", err, created)
		}
		sum := sha256.Sum256(wav)
		if sp.AudioSHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("audio sha256 %q, want %x", sp.AudioSHA256, sum)
		}
		if sp.Audio != nil {
			t.Error("CreateResponse returned the audio; reads never do")
		}

		for _, want := range []Response{w, sp} {
			got, err := s.GetResponse(ctx, want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("GetResponse:\n got %+v\nwant %+v", got, want)
			}
		}
		audio, err := s.GetResponseAudio(ctx, sp.ID)
		if err != nil || !bytes.Equal(audio, wav) {
			t.Errorf("GetResponseAudio = %q, %v; want the stored bytes", audio, err)
		}
		if _, err := s.GetResponseAudio(ctx, w.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("audio of a written answer: %v, want ErrNotFound", err)
		}

		// A retry with the key returns the first row and stores nothing.
		again := written(a.ID, "w1-other", "k1")
		got, created, err := s.CreateResponse(ctx, again)
		if err != nil || created || got.ID != w.ID || got.ItemID != "w1" || got.RequestHash != "rh-k1" {
			t.Errorf("retry: %+v created=%v %v; want the first row, not created", got, created, err)
		}
		// The key is per assessment; no key never collides.
		b := newAssessment(t, s, "c2")
		if other, created, err := s.CreateResponse(ctx, written(b.ID, "w1", "k1")); err != nil || !created || other.ID == w.ID {
			t.Errorf("same key, other assessment: created=%v %v", created, err)
		}
		for range 2 {
			clk.advance(time.Second)
			if _, created, err := s.CreateResponse(ctx, written(a.ID, "w2", "")); err != nil || !created {
				t.Errorf("no key: created=%v %v", created, err)
			}
		}

		list, err := s.ListResponses(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var items []string
		for _, r := range list {
			items = append(items, r.ItemID)
			if r.Audio != nil {
				t.Error("ListResponses loaded audio")
			}
		}
		if want := []string{"w1", "s1", "w2", "w2"}; !reflect.DeepEqual(items, want) {
			t.Errorf("ListResponses items %v, want %v (oldest first)", items, want)
		}
		if list, err := s.ListResponses(ctx, "missing"); err != nil || len(list) != 0 {
			t.Errorf("list of unknown assessment: %v %v, want empty", list, err)
		}

		failures := []struct {
			name string
			r    Response
			want error
		}{
			{"unknown assessment", written("missing", "w1", "k9"), ErrNotFound},
			{"no assessment", written("", "w1", "k9"), ErrNotFound},
			{"unknown kind", Response{AssessmentID: a.ID, Kind: "video"}, errAny},
		}
		for _, f := range failures {
			if _, _, err := s.CreateResponse(ctx, f.r); err == nil || (f.want != errAny && !errors.Is(err, f.want)) {
				t.Errorf("%s: %v, want %v", f.name, err, f.want)
			}
		}
		if _, err := s.GetResponse(ctx, "missing"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown response: %v, want ErrNotFound", err)
		}
		if _, err := s.GetResponseAudio(ctx, "missing"); !errors.Is(err, ErrNotFound) {
			t.Errorf("audio of unknown response: %v, want ErrNotFound", err)
		}
	})
}

// TestIdempotencyConcurrent: 20 concurrent requests with one key store one
// row and all return it.
func TestIdempotencyConcurrent(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, _ *clock) {
		ctx := t.Context()
		a := newAssessment(t, s, "c1")
		const n = 20
		var wg sync.WaitGroup
		ids := make([]string, n)
		createdN := make([]bool, n)
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				r, created, err := s.CreateResponse(ctx, spoken(a.ID, "s1", "same-key", []byte("wav bytes")))
				ids[i], createdN[i], errs[i] = r.ID, created, err
			})
		}
		close(start)
		wg.Wait()
		winners := 0
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("call %d: %v", i, errs[i])
			}
			if createdN[i] {
				winners++
			}
			if ids[i] != ids[0] {
				t.Errorf("call %d returned %s, call 0 %s", i, ids[i], ids[0])
			}
		}
		if winners != 1 {
			t.Errorf("%d calls reported created, want 1", winners)
		}
		if rows := count(t, s, `SELECT count(*) FROM responses WHERE assessment_id = $1`, a.ID); rows != 1 {
			t.Errorf("%d rows stored, want 1", rows)
		}
	})
}
