package worker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/rubrics"
	"github.com/langassess/langassess/store"
)

// CodePackChanged is the stable code of an answer whose assessment the
// running rubric pack no longer has; the API answers with it too.
const CodePackChanged = "assessment.pack_changed"

// Store is what grading jobs need from the database; *store.Store
// implements it.
type Store interface {
	GetAssessment(ctx context.Context, id string) (store.Assessment, error)
	GetResponse(ctx context.Context, id string) (store.Response, error)
	LeaseJobs(ctx context.Context, owner string, lease time.Duration, limit int) ([]store.Response, error)
	LeaseResponse(ctx context.Context, id, owner string, lease time.Duration) (bool, error)
	CompleteGrade(ctx context.Context, id, owner string, res grading.Result) error
	FailGrade(ctx context.Context, id, owner, reason string, retryAt time.Time, final bool) error
	DeferGrade(ctx context.Context, id, owner, reason string, retryAt time.Time) error
}

// Grader is what jobs need from the engine; *grading.Engine implements it.
type Grader interface {
	Grade(ctx context.Context, in grading.Input) (grading.Result, error)
}

// Observer receives the outcome of every grading attempt (graded, retry,
// failed, deferred) and its duration, for metrics.
type Observer interface {
	Graded(outcome string)
	GradeLatency(d time.Duration)
}

type noObserver struct{}

func (noObserver) Graded(string)              {}
func (noObserver) GradeLatency(time.Duration) {}

// Config holds the worker's settings. Zero values take the defaults noted.
type Config struct {
	GradeTimeout time.Duration // one grading attempt; default 10s
	MaxAttempts  int           // grading attempts before failed; default 12
	Workers      int           // background grading concurrency; default 1
	PollInterval time.Duration // how often Run looks for due jobs; default 500ms
	RetryBase    time.Duration // first retry delay, doubled per attempt up to 10m; default 2s
}

func (c *Config) setDefaults() {
	if c.GradeTimeout <= 0 {
		c.GradeTimeout = 10 * time.Second
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 12
	}
	if c.Workers <= 0 {
		c.Workers = 1
	}
	if c.PollInterval <= 0 {
		c.PollInterval = 500 * time.Millisecond
	}
	if c.RetryBase <= 0 {
		c.RetryBase = 2 * time.Second
	}
}

// Worker grades stored responses: at once inside a request (GradeNow), in
// the background (Run), and lets requests wait for an outcome another
// holder records (Await). Build it with New; it is safe for concurrent use.
type Worker struct {
	cfg    Config
	st     Store
	grader Grader
	pack   *rubrics.Pack
	log    *slog.Logger
	obs    Observer
	owner  string // lease owner prefix: this process

	gradeWaits gradeWaits        // wakes Await when this process records an outcome
	awaitPoll  *[2]time.Duration // tests: Await's min and max poll delay (nil: the defaults)
}

// New builds a worker grading with g against pack; obs may be nil.
func New(cfg Config, st Store, g Grader, pack *rubrics.Pack, log *slog.Logger, obs Observer) *Worker {
	cfg.setDefaults()
	if obs == nil {
		obs = noObserver{}
	}
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return &Worker{
		cfg:    cfg,
		st:     st,
		grader: g,
		pack:   pack,
		log:    log,
		obs:    obs,
		owner:  fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b)),
	}
}

// GradeTimeout is the time one attempt may take (the configured or default).
func (w *Worker) GradeTimeout() time.Duration { return w.cfg.GradeTimeout }
