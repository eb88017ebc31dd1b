package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/langassess/langassess/audio"
	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/reports"
	"github.com/langassess/langassess/rubrics"
	"github.com/langassess/langassess/store"
	"github.com/langassess/langassess/worker"
)

// Store is what the API needs from the database; *store.Store implements it.
type Store interface {
	Ping(ctx context.Context) error
	MigrationVersion(ctx context.Context) (version uint, dirty bool, err error)
	TokenByHash(ctx context.Context, hash []byte) (store.Token, error)
	CreateAssessment(ctx context.Context, a store.Assessment, candidateTokenHash []byte) (store.Assessment, error)
	GetAssessment(ctx context.Context, id string) (store.Assessment, error)
	CreateResponse(ctx context.Context, r store.Response) (store.Response, bool, error)
	ResponseByKey(ctx context.Context, assessmentID, key string) (store.Response, error)
	GetResponse(ctx context.Context, id string) (store.Response, error)
	ListResponses(ctx context.Context, assessmentID string) ([]store.Response, error)
	LeaseJobs(ctx context.Context, owner string, lease time.Duration, limit int) ([]store.Response, error)
	LeaseResponse(ctx context.Context, id, owner string, lease time.Duration) (bool, error)
	CompleteGrade(ctx context.Context, id, owner string, res grading.Result) error
	FailGrade(ctx context.Context, id, owner, reason string, retryAt time.Time, final bool) error
	DeferGrade(ctx context.Context, id, owner, reason string, retryAt time.Time) error
	CountOpenReviews(ctx context.Context) (int, error)

	// Review queue, placement and reports (api/reviews.go, placement.go, reports.go).
	GetResponseAudio(ctx context.Context, id string) ([]byte, error)
	ListReviews(ctx context.Context, f store.ReviewFilter) ([]store.Review, error)
	GetReview(ctx context.Context, id int64) (store.Review, error)
	ReviewAudit(ctx context.Context, reviewID int64) ([]store.AuditEntry, error)
	ClaimReview(ctx context.Context, id int64, grader string, lease time.Duration) (store.Review, error)
	ClaimNextReview(ctx context.Context, grader string, lease time.Duration, f store.ReviewFilter) (store.Review, error)
	ReleaseReview(ctx context.Context, id int64, grader string) (store.Review, error)
	DecideReview(ctx context.Context, id int64, grader string, d store.Decision) (store.Review, error)
	PlacementAnswers(ctx context.Context, assessmentID string) (store.PlacementCandidate, error)
	reports.Store
}

// Grader is what the API needs from the grading engine; *grading.Engine
// implements it.
type Grader interface {
	Grade(ctx context.Context, in grading.Input) (grading.Result, error)
	Ready() bool
}

// Config holds the API settings. Zero values take the defaults noted.
type Config struct {
	Languages       []string      // accepted languages (ISO 639-1); required
	MaxUploadBytes  int64         // multipart body cap; default 25 MiB
	MaxTextChars    int           // text and transcript cap in characters; default 20,000
	RequestTimeout  time.Duration // handler deadline; default 30s
	GradeTimeout    time.Duration // one grading attempt; default 10s
	MaxAttempts     int           // grading attempts before failed; default 12
	Workers         int           // background grading concurrency; default 1
	PollInterval    time.Duration // how often the worker looks for due jobs; default 500ms
	RetryBase       time.Duration // first retry delay, doubled per attempt up to 10m; default 2s
	AudioLimits     audio.Limits  // passed to audio.Decode at intake; zero means audio defaults
	LatestMigration uint          // schema version /readyz expects; default store.LatestMigration()

	// GenesysLanguageIDs maps language codes to the Genesys Cloud
	// organisation's routing language ids for the genesys export.
	GenesysLanguageIDs map[string]string
	// ConnectLanguageNames overrides the Amazon Connect "Language"
	// attribute values (default: English language names, "German").
	ConnectLanguageNames map[string]string
}

// setDefaults fills the HTTP settings; the grading settings (GradeTimeout
// to RetryBase) are the worker's, which fills their defaults.
func (c *Config) setDefaults() {
	if c.MaxUploadBytes <= 0 {
		c.MaxUploadBytes = 25 << 20
	}
	if c.MaxTextChars <= 0 {
		c.MaxTextChars = 20000
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 30 * time.Second
	}
	if c.LatestMigration == 0 {
		c.LatestMigration = store.LatestMigration()
	}
}

// Server is the HTTP API. Build it with New; it is safe for concurrent use.
type Server struct {
	cfg     Config
	st      Store
	grader  Grader
	pack    *rubrics.Pack
	log     *slog.Logger
	metrics *metrics
	engine  *gin.Engine
	worker  *worker.Worker
	langs   map[string]bool
}

// New builds the router. pack is the rubric pack assessments are created
// from; log receives one line per request and every error.
func New(cfg Config, st Store, g Grader, pack *rubrics.Pack, log *slog.Logger) *Server {
	cfg.setDefaults()
	s := &Server{
		cfg:    cfg,
		st:     st,
		grader: g,
		pack:   pack,
		log:    log,
		langs:  map[string]bool{},
	}
	for _, l := range cfg.Languages {
		s.langs[l] = true
	}
	s.metrics = newMetrics(st)
	s.worker = worker.New(worker.Config{
		GradeTimeout: cfg.GradeTimeout,
		MaxAttempts:  cfg.MaxAttempts,
		Workers:      cfg.Workers,
		PollInterval: cfg.PollInterval,
		RetryBase:    cfg.RetryBase,
	}, st, g, pack, log, s.metrics)
	s.engine = s.routes()
	return s
}

// RunWorker runs the background grading worker until ctx is cancelled
// (worker.Worker.Run).
func (s *Server) RunWorker(ctx context.Context) { s.worker.Run(ctx) }

// Handler is the http.Handler to serve.
func (s *Server) Handler() http.Handler { return s.engine }

// route is one entry of the route table: the OpenAPI test checks each is
// documented.
type route struct {
	method, path string
	roles        []string // nil: public
	handler      gin.HandlerFunc
}

var staff = []string{store.RoleAdmin, store.RoleGrader, store.RolePlanner}

func (s *Server) routeTable() []route {
	return []route{
		{http.MethodGet, "/healthz", nil, s.healthz},
		{http.MethodGet, "/readyz", nil, s.readyz},
		{http.MethodGet, "/metrics", nil, gin.WrapH(s.metrics.handler())},
		{http.MethodGet, "/openapi.json", nil, s.openapi},
		{http.MethodPost, "/v1/assessments", []string{store.RoleAdmin}, s.createAssessment},
		{http.MethodGet, "/v1/assessments/:id", append([]string{store.RoleCandidate}, staff...), s.getAssessment},
		{http.MethodPost, "/v1/assessments/:id/responses", []string{store.RoleCandidate, store.RoleAdmin}, s.createResponse},
		{http.MethodGet, "/v1/responses/:id", append([]string{store.RoleCandidate}, staff...), s.getResponse},
		{http.MethodGet, "/v1/responses/:id/audio", staff, s.getResponseAudio},
		{http.MethodGet, "/v1/reviews", reviewers, s.listReviews},
		{http.MethodGet, "/v1/reviews/:id", reviewers, s.getReview},
		{http.MethodPost, "/v1/reviews/claim-next", reviewers, s.claimNextReview},
		{http.MethodPost, "/v1/reviews/:id/claim", reviewers, s.claimReview},
		{http.MethodPost, "/v1/reviews/:id/decision", reviewers, s.decideReview},
		{http.MethodPost, "/v1/reviews/:id/release", reviewers, s.releaseReview},
		{http.MethodGet, "/v1/assessments/:id/placement", placementRoles, s.getPlacement},
		{http.MethodGet, "/v1/assessments/:id/placement/export", placementRoles, s.exportPlacement},
		{http.MethodGet, "/v1/reports/placement", reporters, s.placementReport},
		{http.MethodGet, "/v1/reports/agreement", reporters, s.agreementReport},
		{http.MethodGet, "/v1/reports/trend", reporters, s.trendReport},
	}
}

func (s *Server) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	e.Use(s.requestID, s.observe, s.recover, s.deadline)
	for _, r := range s.routeTable() {
		hs := []gin.HandlerFunc{}
		if r.roles != nil {
			hs = append(hs, s.auth(r.roles...))
		}
		e.Handle(r.method, r.path, append(hs, r.handler)...)
	}
	e.NoRoute(func(c *gin.Context) {
		writeProblem(c, errorf(http.StatusNotFound, "route.not_found", "no such route"))
	})
	e.NoMethod(func(c *gin.Context) {
		writeProblem(c, errorf(http.StatusMethodNotAllowed, "method.not_allowed", "method not allowed on this route"))
	})
	return e
}
