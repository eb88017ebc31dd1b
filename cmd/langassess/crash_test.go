package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/langassess/langassess/internal/pgtest"

	_ "github.com/lib/pq"
)

// buildBinary compiles langassess once per test binary run.
var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

func buildBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "langassess-bin-")
		if err != nil {
			buildErr = err
			return
		}
		buildPath = filepath.Join(dir, "langassess")
		out, err := exec.Command("go", "build", "-o", buildPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v: %s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildPath
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// server is a `langassess serve` subprocess.
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	url  string
	log  *os.File
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, set before done closes
}

func startServer(t *testing.T, bin string, env []string, addr string) *server {
	t.Helper()
	logf, err := os.CreateTemp(t.TempDir(), "serve-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(env, "LANGASSESS_ADDR="+addr)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{t: t, cmd: cmd, url: "http://" + addr, log: logf, done: make(chan struct{})}
	go func() { s.err = cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-s.done
	})
	deadline := time.Now().Add(90 * time.Second) // loading language models on a busy machine
	for {
		resp, err := http.Get(s.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case <-s.done:
			t.Fatalf("serve exited: %v\n%s", s.err, s.logTail())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve not ready after 90s\n%s", s.logTail())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *server) logTail() string {
	b, _ := os.ReadFile(s.log.Name())
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

func (s *server) call(method, path, tok string, body any, header map[string]string) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.url+path, r)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// TestCrashRecovery runs serve on SQLite, sends answers concurrently, kills
// it with SIGKILL mid-burst and restarts it. Every answer that got a 2xx is
// stored exactly once; the clients' retries (same Idempotency-Key) after the
// restart return the same answer; answers left pending by the kill are
// graded by the restarted worker once their leases expire.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server; skipped with -short")
	}
	t.Run("sqlite", func(t *testing.T) { crashRecovery(t, "") })
	t.Run("postgres", func(t *testing.T) {
		crashRecovery(t, pgtest.Database(t, "langassess_crash_test_"))
	})
}

func crashRecovery(t *testing.T, databaseURL string) {
	bin := buildBinary(t)
	dir := t.TempDir()
	env := append(os.Environ(),
		"LANGASSESS_DATA_DIR="+dir,
		"DATABASE_URL="+databaseURL,
		"LANGASSESS_LANGUAGES=en,de",  // the detector needs two
		"LANGASSESS_GRADE_TIMEOUT=1s", // lease = 2*1s+5s = 7s
		"LANGASSESS_WORKERS=2",
		testGradeDelayEnv+"=300ms",
		"LANGASSESS_LOG_LEVEL=warn",
	)
	tc := exec.Command(bin, "token", "create", "--role", "admin", "--name", "crash-test")
	tc.Env = env
	out, err := tc.Output()
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	admin := strings.TrimSpace(string(out))

	addr := freeAddr(t)
	srv := startServer(t, bin, env, addr)
	status, body, err := srv.call("POST", "/v1/assessments", admin, map[string]any{
		"candidate_ref": "crash-1", "assessment_id": "customer-support", "languages": []string{"en"},
	}, nil)
	if err != nil || status != http.StatusCreated {
		t.Fatalf("create assessment: %d %v %s", status, err, body)
	}
	var a struct {
		ID             string `json:"id"`
		CandidateToken string `json:"candidate_token"`
	}
	json.Unmarshal(body, &a)

	const n = 120
	answer := func(i int) map[string]string {
		return map[string]string{"item": "write-reply", "language": "en",
			"text": fmt.Sprintf("Dear Ms Smith, thank you for your e-mail number %d. We are sorry you were charged twice. We will refund the second payment to your card within five working days. Kind regards, Sam", i)}
	}
	key := func(i int) map[string]string { return map[string]string{"Idempotency-Key": fmt.Sprintf("crash-%d", i)} }
	firstID := make([]string, n)
	var ok2xx atomic.Int32
	var wg sync.WaitGroup
	killed := make(chan struct{})
	var killOnce sync.Once
	next := atomic.Int32{}
	for range 12 {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				select {
				case <-killed:
					return
				default:
				}
				status, body, err := srv.call("POST", "/v1/assessments/"+a.ID+"/responses", a.CandidateToken, answer(i), key(i))
				if err != nil || status/100 != 2 {
					continue // lost in the crash; retried below
				}
				var r struct{ ID string }
				json.Unmarshal(body, &r)
				firstID[i] = r.ID
				if ok2xx.Add(1) == n/3 {
					killOnce.Do(func() {
						srv.cmd.Process.Kill() // SIGKILL: no shutdown, no cleanup
						close(killed)
					})
				}
			}
		})
	}
	wg.Wait()
	<-srv.done
	got := int(ok2xx.Load())
	t.Logf("%d of %d answers got a 2xx before the kill", got, n)
	if got < n/3 {
		t.Fatalf("only %d answers accepted before the kill\n%s", got, srv.logTail())
	}

	srv = startServer(t, bin, env, addr)
	// Count what the restarted server holds before anyone retries.
	status, body, err = srv.call("GET", "/v1/assessments/"+a.ID, admin, nil, nil)
	if err != nil || status != http.StatusOK {
		t.Fatalf("get assessment: %d %v %s", status, err, body)
	}
	var view struct {
		Responses []struct {
			ID       string
			Status   string
			Attempts int
			Text     string
		}
	}
	json.Unmarshal(body, &view)
	stored := map[string]int{}
	pendingAtRestart := 0
	for _, r := range view.Responses {
		stored[r.ID]++
		if r.Status == "pending" {
			pendingAtRestart++
		}
	}
	for i, id := range firstID {
		if id != "" && stored[id] != 1 {
			t.Errorf("answer %d got a 2xx (id %s) but is stored %d times", i, id, stored[id])
		}
	}
	t.Logf("%d stored after restart, %d of them pending", len(view.Responses), pendingAtRestart)
	if pendingAtRestart == 0 {
		t.Errorf("the kill left no answer pending: the test did not exercise recovery")
	}

	// Clients retry every answer with its key: the first result comes back.
	for i := range n {
		status, body, err := srv.call("POST", "/v1/assessments/"+a.ID+"/responses", a.CandidateToken, answer(i), key(i))
		if err != nil || status/100 != 2 {
			t.Fatalf("retry %d: %d %v %s", i, status, err, body)
		}
		var r struct{ ID string }
		json.Unmarshal(body, &r)
		if firstID[i] != "" && r.ID != firstID[i] {
			t.Errorf("retry %d: id %s, first answer was %s", i, r.ID, firstID[i])
		}
	}

	// Everything is graded in the end, the leftovers by the worker.
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, body, err = srv.call("GET", "/v1/assessments/"+a.ID, admin, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		view.Responses = nil
		json.Unmarshal(body, &view)
		graded, retried := 0, 0
		for _, r := range view.Responses {
			if r.Status == "graded" {
				graded++
			}
			if r.Attempts >= 2 {
				retried++
			}
		}
		if len(view.Responses) != n {
			t.Fatalf("%d responses stored for %d answers with distinct keys", len(view.Responses), n)
		}
		if graded == n {
			t.Logf("all %d graded; %d needed more than one attempt", n, retried)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d graded after 60s\n%s", graded, n, srv.logTail())
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// TestGracefulShutdown: SIGTERM while an answer is being graded in its
// request; the request completes (drained), then the process exits 0.
func TestGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server; skipped with -short")
	}
	bin := buildBinary(t)
	env := append(os.Environ(), "LANGASSESS_DATA_DIR="+t.TempDir(), "DATABASE_URL=",
		"LANGASSESS_LANGUAGES=en,de", testGradeDelayEnv+"=3s", "LANGASSESS_LOG_LEVEL=info")
	tc := exec.Command(bin, "token", "create", "--role", "admin")
	tc.Env = env
	out, err := tc.Output()
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	admin := strings.TrimSpace(string(out))
	srv := startServer(t, bin, env, freeAddr(t))
	status, body, err := srv.call("POST", "/v1/assessments", admin, map[string]any{
		"candidate_ref": "drain", "assessment_id": "customer-support", "languages": []string{"en"},
	}, nil)
	if err != nil || status != http.StatusCreated {
		t.Fatalf("create assessment: %d %v %s", status, err, body)
	}
	var a struct{ ID string }
	json.Unmarshal(body, &a)

	type result struct {
		status int
		body   []byte
		err    error
	}
	done := make(chan result, 1)
	go func() {
		s, b, err := srv.call("POST", "/v1/assessments/"+a.ID+"/responses", admin,
			map[string]string{"item": "write-reply", "language": "en", "text": "Dear Ms Weber, your refund is on its way. Kind regards, Sam"}, nil)
		done <- result{s, b, err}
	}()
	// Signal once the answer is stored: the request is then inside its 3s
	// grading delay.
	for deadline := time.Now().Add(20 * time.Second); ; {
		_, body, err := srv.call("GET", "/v1/assessments/"+a.ID, admin, nil, nil)
		if err == nil && strings.Contains(string(body), `"status":"pending"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the answer was not stored in 20s\n%s", srv.logTail())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := srv.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil || r.status != http.StatusCreated || !strings.Contains(string(r.body), `"status":"graded"`) {
		t.Errorf("in-flight request: %d %v %s", r.status, r.err, r.body)
	}
	select {
	case <-srv.done:
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not exit after SIGINT\n%s", srv.logTail())
	}
	if srv.err != nil {
		t.Errorf("serve exit: %v\n%s", srv.err, srv.logTail())
	}
	if log := srv.logTail(); !strings.Contains(log, "shutting down") || !strings.Contains(log, "msg=stopped") {
		t.Errorf("log lacks the shutdown lines:\n%s", log)
	}
}
