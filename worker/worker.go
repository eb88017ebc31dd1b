package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/store"
)

// backoffCap bounds the delay between grading attempts.
const backoffCap = 10 * time.Minute

// backoff is the delay after a failed attempt: RetryBase doubling per
// attempt, capped, with +-20% jitter so a burst of failures does not retry in
// lockstep.
func (w *Worker) backoff(attempt int) time.Duration {
	d := w.cfg.RetryBase
	for i := 1; i < attempt && d < backoffCap; i++ {
		d *= 2
	}
	d = min(d, backoffCap)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// lease is how long one grading attempt holds a response; longer than the
// grade timeout so a lease only expires when its holder died.
func (w *Worker) lease() time.Duration { return 2*w.cfg.GradeTimeout + 5*time.Second }

// GradeNow grades a just-stored response inside the request and returns it
// as stored afterwards, with true when it is graded. When the engine fails or
// is slow, or another process holds the lease, the answer stays pending and
// the worker takes it from there.
func (w *Worker) GradeNow(ctx context.Context, log *slog.Logger, r store.Response, assessmentKey string) (store.Response, bool) {
	// Grading continues if the client goes away: the work is already paid
	// for and the result is stored either way. The grade timeout bounds it.
	ctx = context.WithoutCancel(ctx)
	owner := w.owner + "-req"
	ok, err := w.st.LeaseResponse(ctx, r.ID, owner, w.lease())
	if err != nil {
		log.Error("lease response", "err", err)
		return r, false
	}
	if !ok {
		// The background worker leased the fresh row first (it polls for
		// pending rows): wait for its outcome as long as we would have
		// graded ourselves, so the client still gets the grade.
		return w.Await(ctx, log, r)
	}
	if r.Attempts < 1 {
		r.Attempts = 1
	}
	graded := w.attempt(ctx, log, r, assessmentKey, owner)
	// Reload either way: the caller shows the stored state (status, attempts,
	// the reason a final failure gave).
	now, err := w.st.GetResponse(ctx, r.ID)
	if err != nil {
		log.Error("reload response", "err", err)
		return r, false
	}
	return now, graded
}

// awaitPollMin and awaitPollMax bound the delay between two reads of a
// response Await waits for: the delay doubles from min to max, so a
// wait of GradeTimeout costs a few dozen queries, not one every 10 ms.
// Grades finished in this process wake the waiter at once (gradeWaits);
// the polling is for grades another replica records.
const (
	awaitPollMin = 10 * time.Millisecond
	awaitPollMax = 200 * time.Millisecond
)

// Await waits up to the grade timeout for another holder of the lease on r
// (the worker, another replica) to record an outcome, and returns the
// response as stored then, with true when it is graded.
func (w *Worker) Await(ctx context.Context, log *slog.Logger, r store.Response) (store.Response, bool) {
	pollMin, pollMax := awaitPollMin, awaitPollMax
	if w.awaitPoll != nil {
		pollMin, pollMax = w.awaitPoll[0], w.awaitPoll[1]
	}
	deadline := time.Now().Add(w.cfg.GradeTimeout)
	wait := pollMin
	for time.Now().Before(deadline) {
		// Subscribe before reading, so an outcome recorded after the read
		// still wakes us; one recorded before it is in what we read.
		woken, done := w.gradeWaits.subscribe(r.ID)
		t := time.NewTimer(min(wait, time.Until(deadline)))
		select {
		case <-woken:
		case <-t.C:
		}
		t.Stop()
		done()
		wait = min(2*wait, pollMax)
		now, err := w.st.GetResponse(ctx, r.ID)
		if err != nil {
			log.Error("reload response", "err", err)
			return r, false
		}
		if now.Status != store.StatusPending || now.LastError != "" { // done, or its attempt failed
			return now, now.Status == store.StatusGraded
		}
	}
	return r, false
}

// gradeWaits wakes the requests waiting in Await for a response when an
// attempt in this process records its outcome. The zero value is ready.
type gradeWaits struct {
	mu sync.Mutex
	m  map[string]*gradeWait
}

type gradeWait struct {
	ch chan struct{} // closed when an attempt on the response ended
	n  int           // waiters subscribed
}

// subscribe returns a channel closed at the next notify(id), and the
// function to call when no longer waiting (it frees the entry of the last
// waiter, so responses graded by other replicas leave nothing behind).
func (g *gradeWaits) subscribe(id string) (<-chan struct{}, func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.m == nil {
		g.m = map[string]*gradeWait{}
	}
	w := g.m[id]
	if w == nil {
		w = &gradeWait{ch: make(chan struct{})}
		g.m[id] = w
	}
	w.n++
	return w.ch, func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		if w.n--; w.n == 0 && g.m[id] == w {
			delete(g.m, id)
		}
	}
}

// notify wakes every current waiter on id.
func (g *gradeWaits) notify(id string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if w := g.m[id]; w != nil {
		close(w.ch)
		delete(g.m, id)
	}
}

// attempt runs one grading attempt on a leased response and records the
// outcome: graded, pending with a retry time, or failed with a reason. It
// reports whether the response is now graded.
func (w *Worker) attempt(ctx context.Context, log *slog.Logger, r store.Response, assessmentKey, owner string) (graded bool) {
	// After the outcome is stored (or failed to be): a waiter re-reads the row.
	defer w.gradeWaits.notify(r.ID)
	gctx, cancel := context.WithTimeout(ctx, w.cfg.GradeTimeout)
	start := time.Now()
	res, err := w.safeGrade(gctx, grading.Input{
		ID:           r.ID,
		Language:     r.Language,
		AssessmentID: assessmentKey,
		ItemID:       r.ItemID,
		Text:         r.Text,
		Audio:        r.Audio,
		Transcript:   r.Transcript,
	})
	cancel()
	w.obs.GradeLatency(time.Since(start))
	if err == nil {
		res.ID = r.ID
		if err := w.st.CompleteGrade(ctx, r.ID, owner, res); err != nil {
			// ErrConflict: our lease expired and someone else took over.
			log.Error("store grade", "err", err)
			return false
		}
		w.obs.Graded("graded")
		log.Info("response graded", "level", res.Level, "flags", len(res.Flags), "attempt", r.Attempts)
		return true
	}
	if errors.Is(err, grading.ErrUnavailable) {
		w.deferAttempt(ctx, log, r, owner, err)
		return false
	}
	var ie *grading.InputError
	if errors.As(err, &ie) {
		w.recordFailure(ctx, log, r, owner, err, ie.Code+": "+ie.Detail, true)
	} else {
		w.recordFailure(ctx, log, r, owner, err, err.Error(), false)
	}
	return false
}

// recordFailure stores a failed attempt on a leased response: pending
// until the backoff for its attempt count has passed, or failed with reason
// when permanent (no retry can succeed) or when it was the last of
// MaxAttempts, the reason then saying so.
func (w *Worker) recordFailure(ctx context.Context, log *slog.Logger, r store.Response, owner string, cause error, reason string, permanent bool) {
	final := permanent || r.Attempts >= w.cfg.MaxAttempts
	if final && !permanent {
		reason = fmt.Sprintf("gave up after %d attempts: %s", r.Attempts, reason)
	}
	retryAt := time.Now().Add(w.backoff(r.Attempts))
	if err := w.st.FailGrade(ctx, r.ID, owner, reason, retryAt, final); err != nil {
		log.Error("record failed grade", "err", err)
		return
	}
	outcome := "retry"
	if final {
		outcome = "failed"
	}
	w.obs.Graded(outcome)
	log.Warn("grading attempt failed", "err", cause, "attempt", r.Attempts, "final", final, "retry_at", retryAt.Format(time.RFC3339))
}

// deferAttempt puts a response the engine could not look at (it is
// unavailable, e.g. the language models are still loading) back to pending
// after a short delay, without spending an attempt: the engine's state is
// not the answer's fault, and a slow start must not use up the attempts
// and mark answers failed.
func (w *Worker) deferAttempt(ctx context.Context, log *slog.Logger, r store.Response, owner string, cause error) {
	retryAt := time.Now().Add(w.backoff(1))
	if err := w.st.DeferGrade(ctx, r.ID, owner, cause.Error(), retryAt); err != nil {
		log.Error("defer grade", "err", err)
		return
	}
	w.obs.Graded("deferred")
	log.Info("grading engine unavailable; attempt not counted", "err", cause, "retry_at", retryAt.Format(time.RFC3339))
}

// packMissing records a job whose assessment's pack entry is gone (the
// server was restarted with a pack without it) as a failed attempt with
// the reason code assessment.pack_changed. It counts, but is not final at
// once: restarting with the right pack within the retries grades the
// answer; after MaxAttempts it is failed like any other.
func (w *Worker) packMissing(ctx context.Context, log *slog.Logger, r store.Response, owner, key string) {
	defer w.gradeWaits.notify(r.ID)
	reason := fmt.Sprintf("%s: the rubric pack this server runs (%s %s) has no assessment %s; restart the server with a pack that has it",
		CodePackChanged, w.pack.ID, w.pack.Version, strconv.Quote(key))
	w.recordFailure(ctx, log, r, owner, errors.New(reason), reason, false)
}

// lookupFailed records a job whose assessment could not be read. It is a
// failed attempt like any other, final after MaxAttempts, and final at once
// when the assessment does not exist (deleted while the answer waited): no
// retry brings it back, and there is nothing to grade against.
func (w *Worker) lookupFailed(ctx context.Context, log *slog.Logger, r store.Response, owner string, err error) {
	defer w.gradeWaits.notify(r.ID)
	cause := fmt.Errorf("load assessment: %w", err)
	if errors.Is(err, store.ErrNotFound) {
		w.recordFailure(ctx, log, r, owner, cause, "assessment "+r.AssessmentID+" no longer exists: nothing to grade the answer against", true)
		return
	}
	w.recordFailure(ctx, log, r, owner, cause, "assessment lookup failed", false)
}

// safeGrade keeps a panicking engine from taking the worker down; the
// response is retried like any other failure.
func (w *Worker) safeGrade(ctx context.Context, in grading.Input) (res grading.Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("grading panicked: %v", v)
		}
	}()
	return w.grader.Grade(ctx, in)
}

// Run grades pending responses until ctx is cancelled: it leases due
// jobs (store.LeaseJobs), grades up to Config.Workers at once and records
// each outcome with backoff. After cancellation it stops leasing, lets the
// attempts in flight finish (each bounded by the grade timeout) and returns.
func (w *Worker) Run(ctx context.Context) {
	owner := w.owner + "-worker"
	log := w.log.With("component", "worker", "owner", owner)
	sem := make(chan struct{}, w.cfg.Workers)
	var wg sync.WaitGroup
	defer wg.Wait()
	keys := map[string]string{} // assessment id -> pack assessment id; immutable rows
	var keysMu sync.Mutex
	tick := time.NewTicker(w.cfg.PollInterval)
	defer tick.Stop()
	for {
		free := cap(sem) - len(sem)
		if free > 0 {
			jobs, err := w.st.LeaseJobs(ctx, owner, w.lease(), free)
			if err != nil && ctx.Err() == nil {
				log.Error("lease jobs", "err", err)
			}
			for _, r := range jobs {
				sem <- struct{}{}
				wg.Add(1)
				go func() {
					defer func() { <-sem; wg.Done() }()
					jl := log.With("response_id", r.ID)
					// The attempt outlives a shutdown signal: it is bounded by
					// the grade timeout and its outcome must be recorded.
					jctx := context.WithoutCancel(ctx)
					keysMu.Lock()
					key, ok := keys[r.AssessmentID]
					keysMu.Unlock()
					if !ok {
						a, err := w.st.GetAssessment(jctx, r.AssessmentID)
						if err != nil {
							w.lookupFailed(jctx, jl, r, owner, err)
							return
						}
						key = a.AssessmentKey
						keysMu.Lock()
						if len(keys) >= 10000 {
							clear(keys) // a cache, not a registry: bound it
						}
						keys[r.AssessmentID] = key
						keysMu.Unlock()
					}
					if _, ok := w.pack.Assessment(key); !ok {
						w.packMissing(jctx, jl, r, owner, key)
						return
					}
					w.attempt(jctx, jl, r, key, owner)
				}()
			}
			if len(jobs) == free {
				continue // more may be due: look again without waiting
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
