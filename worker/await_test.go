package worker

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/langassess/langassess/store"
)

// countingStore answers GetResponse from memory and counts the reads; the
// other Store methods are not used by Await (nil embedded interface).
type countingStore struct {
	Store
	reads  atomic.Int64
	mu     sync.Mutex
	status string
}

func (c *countingStore) GetResponse(_ context.Context, id string) (store.Response, error) {
	c.reads.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	return store.Response{ID: id, Status: c.status}, nil
}

func (c *countingStore) set(status string) {
	c.mu.Lock()
	c.status = status
	c.mu.Unlock()
}

// TestAwaitGradeBacksOff: a request waiting the whole grade timeout for a
// response nobody finishes reads it a few times, not every 10 ms (a 1 s wait
// read it ~100 times before, ~1000 for the default 10 s timeout).
func TestAwaitGradeBacksOff(t *testing.T) {
	st := &countingStore{status: store.StatusPending}
	s := &Worker{cfg: Config{GradeTimeout: time.Second}, st: st}
	start := time.Now()
	_, graded := s.Await(context.Background(), slog.New(slog.NewTextHandler(io.Discard, nil)), store.Response{ID: "r1"})
	took := time.Since(start)
	if graded || took < time.Second {
		t.Errorf("Await returned graded=%v after %v; want not graded after the 1s timeout", graded, took)
	}
	// 10+20+40+80+160 ms, then every 200 ms: 9 reads in 1 s; 15 leaves
	// room for a slow machine and is far below the ~100 of a 10 ms poll.
	if n := st.reads.Load(); n < 2 || n > 15 {
		t.Errorf("%d store reads during a 1s wait, want 2-15", n)
	}
	s.gradeWaits.mu.Lock()
	left := len(s.gradeWaits.m)
	s.gradeWaits.mu.Unlock()
	if left != 0 {
		t.Errorf("%d waiter entries left after the wait", left)
	}
}

// TestAwaitGradeWokenInProcess: an outcome recorded in this process wakes
// the waiter at once, however long its next poll is (here an hour), and a
// grade recorded elsewhere is still seen by polling.
func TestAwaitGradeWokenInProcess(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	t.Run("notified", func(t *testing.T) {
		st := &countingStore{status: store.StatusPending}
		s := &Worker{cfg: Config{GradeTimeout: time.Hour}, st: st, awaitPoll: &[2]time.Duration{time.Hour, time.Hour}}
		done := make(chan bool, 1)
		go func() {
			_, graded := s.Await(context.Background(), log, store.Response{ID: "r1"})
			done <- graded
		}()
		// Notify until the waiter has subscribed: a notify before that
		// wakes nobody (the waiter's first read would see the grade then).
		st.set(store.StatusGraded)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		timeout := time.After(10 * time.Second)
		for {
			select {
			case graded := <-done:
				if !graded || st.reads.Load() != 1 {
					t.Errorf("graded=%v after %d reads; want graded after 1", graded, st.reads.Load())
				}
				return
			case <-tick.C:
				s.gradeWaits.notify("r2") // another response: must not wake it
				s.gradeWaits.mu.Lock()
				_, waiting := s.gradeWaits.m["r1"]
				s.gradeWaits.mu.Unlock()
				if waiting {
					s.gradeWaits.notify("r1")
				}
			case <-timeout:
				t.Fatal("Await was not woken by notify")
			}
		}
	})
	t.Run("polled", func(t *testing.T) {
		st := &countingStore{status: store.StatusPending}
		s := &Worker{cfg: Config{GradeTimeout: time.Hour}, st: st}
		time.AfterFunc(300*time.Millisecond, func() { st.set(store.StatusGraded) })
		start := time.Now()
		if _, graded := s.Await(context.Background(), log, store.Response{ID: "r1"}); !graded {
			t.Fatal("not graded")
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("a grade recorded elsewhere was seen after %v", took)
		}
	})
}
