package api

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/langassess/langassess/internal/pgtest"

	"github.com/go-audio/audio"
	"github.com/go-audio/wav"
	_ "github.com/lib/pq" // the PostgreSQL driver, for counting rows

	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/rubrics"
	"github.com/langassess/langassess/store"
)

// testPack is a small pack made in code so these tests do not depend on the
// wording of the default pack.
func testPack() *rubrics.Pack {
	both := func(en, de string) map[string]string { return map[string]string{"en": en, "de": de} }
	return &rubrics.Pack{
		ID: "test-pack", Version: "1.2.3", Languages: []string{"en", "de"},
		Assessments: []*rubrics.Assessment{{
			ID: "support", Title: "Support agent", Languages: []string{"en", "de"},
			Items: []*rubrics.Item{
				{ID: "email", Kind: rubrics.KindWritten, Skill: "writing", Prompts: both("Write an email.", "Schreiben Sie eine E-Mail.")},
				{ID: "call", Kind: rubrics.KindSpoken, Skill: "speaking", Prompts: both("Greet the caller.", "Begrüßen Sie den Anrufer.")},
				{ID: "en-only", Kind: rubrics.KindWritten, Skill: "writing", Prompts: map[string]string{"en": "Only in English."}},
			},
		}},
	}
}

// fakeGrader lets a test decide what grading does; it counts calls.
type fakeGrader struct {
	mu    sync.Mutex
	fn    func(ctx context.Context, in grading.Input) (grading.Result, error)
	calls atomic.Int64
	ready atomic.Bool
}

func newFakeGrader() *fakeGrader {
	g := &fakeGrader{}
	g.ready.Store(true)
	g.set(func(ctx context.Context, in grading.Input) (grading.Result, error) {
		return grading.Result{}, grading.ErrUnavailable // like the stub engine
	})
	return g
}

func (g *fakeGrader) set(fn func(ctx context.Context, in grading.Input) (grading.Result, error)) {
	g.mu.Lock()
	g.fn = fn
	g.mu.Unlock()
}

func (g *fakeGrader) Grade(ctx context.Context, in grading.Input) (grading.Result, error) {
	g.calls.Add(1)
	g.mu.Lock()
	fn := g.fn
	g.mu.Unlock()
	return fn(ctx, in)
}

func (g *fakeGrader) Ready() bool { return g.ready.Load() }

func gradeOK(ctx context.Context, in grading.Input) (grading.Result, error) {
	v := 61.0
	return grading.Result{
		ID: in.ID, Level: "B1", Scores: grading.Scores{Grammar: &v}, Flags: []grading.Flag{},
		Language: &grading.LanguageResult{Expected: in.Language, Detected: in.Language, Confidence: 0.99},
	}, nil
}

// env is one server over a real SQLite store in a temp dir.
type env struct {
	t      testing.TB
	srv    *Server
	http   *httptest.Server
	st     *store.Store
	grader *fakeGrader
	dbPath string            // SQLite
	dbURL  string            // PostgreSQL
	tokens map[string]string // role -> token (candidate: bound to assessment)
	assess string            // an assessment id the candidate token is bound to
}

func newEnv(t testing.TB, mod func(*Config)) *env {
	return newEnvOn(t, "sqlite", mod)
}

// dialects runs fn on SQLite and, when a PostgreSQL test server is
// configured, on PostgreSQL (pgtest: skips without one, fails under CI=true).
func dialects(t *testing.T, fn func(t *testing.T, dialect string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, "sqlite") })
	t.Run("postgres", func(t *testing.T) {
		pgtest.AdminURL(t)
		fn(t, "postgres")
	})
}

func newEnvOn(t testing.TB, dialect string, mod func(*Config)) *env {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	dbURL := ""
	if dialect == "postgres" {
		dbURL = pgtest.Database(t, "langassess_api_test_")
	}
	st, err := store.Open(ctx, dbURL, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Languages: []string{"en", "de", "fr"}, MaxTextChars: 200, MaxUploadBytes: 256 << 10,
		RetryBase: 20 * time.Millisecond, PollInterval: 20 * time.Millisecond, GradeTimeout: 2 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	g := newFakeGrader()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	srv := New(cfg, st, g, testPack(), log)
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	e := &env{t: t, srv: srv, http: hs, st: st, grader: g, dbPath: filepath.Join(dir, "langassess.db"), dbURL: dbURL, tokens: map[string]string{}}
	for _, role := range []string{store.RoleAdmin, store.RoleGrader, store.RolePlanner} {
		tok, hash, err := store.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateToken(ctx, hash, store.Token{Role: role, Name: "test " + role}); err != nil {
			t.Fatal(err)
		}
		e.tokens[role] = tok
	}
	var created createAssessmentResponse
	e.mustJSON(e.do("POST", "/v1/assessments", e.tokens["admin"], jsonBody(map[string]any{
		"candidate_ref": "cand-1", "assessment_id": "support", "languages": []string{"en", "de"},
	})), http.StatusCreated, &created)
	e.assess = created.ID
	e.tokens[store.RoleCandidate] = created.CandidateToken
	return e
}

// request is a body with its content type.
type request struct {
	body        io.Reader
	contentType string
	header      map[string]string
}

func jsonBody(v any) request {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return request{body: bytes.NewReader(b), contentType: "application/json"}
}

func rawBody(contentType, body string) request {
	return request{body: strings.NewReader(body), contentType: contentType}
}

// multipartBody builds a spoken answer; parts with a nil value are left out,
// "audio" is sent as a file part.
func multipartBody(fields map[string]string, audio []byte) request {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			panic(err)
		}
	}
	if audio != nil {
		fw, err := mw.CreateFormFile("audio", "answer.wav")
		if err != nil {
			panic(err)
		}
		fw.Write(audio)
	}
	mw.Close()
	return request{body: &buf, contentType: mw.FormDataContentType()}
}

func (e *env) do(method, path, tok string, r request) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.http.URL+path, r.body)
	if err != nil {
		e.t.Fatal(err)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	resp, err := e.http.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp
}

// mustJSON checks the status and decodes the body into v (when not nil).
func (e *env) mustJSON(resp *http.Response, status int, v any) {
	e.t.Helper()
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		e.t.Fatalf("%s %s: status %d, want %d; body %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, status, b)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			e.t.Fatalf("decode %s: %v", b, err)
		}
	}
}

// problemOf reads a problem+json body.
func (e *env) problemOf(resp *http.Response) Problem {
	e.t.Helper()
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		e.t.Fatalf("Content-Type %q, want application/problem+json; body %s", ct, b)
	}
	var p Problem
	if err := json.Unmarshal(b, &p); err != nil {
		e.t.Fatalf("decode problem %s: %v", b, err)
	}
	if p.Status != resp.StatusCode || p.Code == "" || p.Type != problemTypeBase+p.Code {
		e.t.Fatalf("inconsistent problem %+v for status %d", p, resp.StatusCode)
	}
	return p
}

// count counts rows straight from the SQLite file, to prove a rejected
// request left nothing behind.
func (e *env) count(table string) int {
	e.t.Helper()
	driver, dsn := "sqlite", e.dbPath
	if e.dbURL != "" {
		driver, dsn = "postgres", e.dbURL
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		e.t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// waitStatus polls a response until it has the status or the time runs out.
func (e *env) waitStatus(id, status string, within time.Duration) store.Response {
	e.t.Helper()
	deadline := time.Now().Add(within)
	for {
		r, err := e.st.GetResponse(context.Background(), id)
		if err != nil {
			e.t.Fatal(err)
		}
		if r.Status == status {
			return r
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("response %s: status %q after %v (attempts %d, last error %q), want %q", id, r.Status, within, r.Attempts, r.LastError, status)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// startWorker runs the background worker for the test's lifetime.
func (e *env) startWorker() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.srv.RunWorker(ctx); close(done) }()
	e.t.Cleanup(func() { cancel(); <-done })
}

// makeWAV encodes a mono 16-bit tone: a valid recording for intake.
func makeWAV(t testing.TB, seconds float64) []byte {
	t.Helper()
	const rate = 16000
	f, err := os.CreateTemp(t.TempDir(), "*.wav")
	if err != nil {
		t.Fatal(err)
	}
	enc := wav.NewEncoder(f, rate, 16, 1, 1)
	n := int(seconds * rate)
	buf := &audio.IntBuffer{Format: &audio.Format{NumChannels: 1, SampleRate: rate}, SourceBitDepth: 16, Data: make([]int, n)}
	for i := range n {
		buf.Data[i] = int(8000 * math.Sin(2*math.Pi*220*float64(i)/rate))
	}
	if err := enc.Write(buf); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var errBoom = errors.New("boom")
