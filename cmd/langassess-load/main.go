// Command langassess-load is a load generator for a running langassess
// server: it measures written answers accepted, graded and stored per second
// with latency percentiles, and, as the baseline in the same run, GET
// /healthz on the same server with the same concurrency.
//
//	ADMIN=$(langassess token create --role admin)
//	langassess-load --url http://127.0.0.1:8080 --token $ADMIN --n 2000 --c 16
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "langassess-load:", err)
		os.Exit(1)
	}
}

type options struct {
	url, token, assessment, item, lang string
	n, c, baselineN                    int
	gradeWait                          time.Duration
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("langassess-load", flag.ContinueOnError)
	var o options
	fs.StringVar(&o.url, "url", "http://127.0.0.1:8080", "server base URL")
	fs.StringVar(&o.token, "token", getenv("LANGASSESS_LOAD_TOKEN"), "admin token (env LANGASSESS_LOAD_TOKEN)")
	fs.StringVar(&o.assessment, "assessment", "customer-support", "assessment id from the server's rubric pack")
	fs.StringVar(&o.item, "item", "write-reply", "written item to answer")
	fs.StringVar(&o.lang, "lang", "en", "language of the answers (en or de)")
	fs.IntVar(&o.n, "n", 2000, "written answers to send")
	fs.IntVar(&o.c, "c", 16, "concurrent clients (one candidate each)")
	fs.IntVar(&o.baselineN, "baseline-n", 20000, "GET /healthz requests for the baseline")
	fs.DurationVar(&o.gradeWait, "grade-wait", 5*time.Minute, "how long to wait for pending answers to be graded")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.token == "" {
		return errors.New("--token (an admin token) is required")
	}
	if o.n < 1 || o.c < 1 {
		return errors.New("--n and --c must be positive")
	}
	if _, ok := texts[o.lang]; !ok {
		return fmt.Errorf("--lang %q: have texts for en and de", o.lang)
	}
	client := &http.Client{
		Timeout:   60 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: o.c * 2, MaxConnsPerHost: o.c * 2},
	}
	lg := &loadgen{o: o, client: client}

	fmt.Fprintf(stdout, "command: langassess-load %s\n", strings.Join(redact(args), " "))
	base, err := lg.baseline(ctx)
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	fmt.Fprintf(stdout, "baseline GET /healthz: %d requests, c=%d: %.0f req/s, p50 %s, p99 %s\n",
		base.n, o.c, base.rate, ms(base.p50), ms(base.p99))

	sum0, n0, _ := lg.gradingSeconds(ctx)
	res, err := lg.answers(ctx)
	if err != nil {
		return err
	}
	sum1, n1, err := lg.gradingSeconds(ctx)
	if err != nil {
		return fmt.Errorf("read /metrics: %w", err)
	}
	fmt.Fprintf(stdout, "POST written answers: %d sent, c=%d: %d accepted (%d graded in the request, %d pending), %d errors\n",
		o.n, o.c, res.accepted, res.gradedInRequest, res.accepted-res.gradedInRequest, res.errors)
	fmt.Fprintf(stdout, "  accepted and stored: %.1f answers/s, latency p50 %s, p99 %s, max %s\n",
		res.rate, ms(res.p50), ms(res.p99), ms(res.max))
	fmt.Fprintf(stdout, "  graded and stored:   %.1f answers/s (%d graded, %d failed, %d still pending; from the first request to the last grade)\n",
		res.gradedRate, res.graded, res.failed, res.pending)
	if n1 > n0 {
		fmt.Fprintf(stdout, "  server-side grading: %.0f attempts, mean %.1fms each (langassess_grading_duration_seconds)\n",
			n1-n0, (sum1-sum0)/(n1-n0)*1000)
	}
	fmt.Fprintf(stdout, "  ratio: one answer costs %.1fx a /healthz request at p50 (%.1f vs %.0f per second)\n",
		float64(res.p50)/float64(max(base.p50, 1)), res.rate, base.rate)
	return nil
}

func redact(args []string) []string {
	out := slices.Clone(args)
	for i := range out {
		if strings.HasPrefix(out[i], "--token=") || strings.HasPrefix(out[i], "-token=") {
			out[i] = "--token=$ADMIN"
		} else if (out[i] == "--token" || out[i] == "-token") && i+1 < len(out) {
			out[i+1] = "$ADMIN"
		}
	}
	return out
}

// requestError describes a failed call: the transport error wrapped (so a
// cancelled run reads as context.Canceled), else the unexpected status with
// the start of the body.
func requestError(what string, code int, err error, body []byte) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return fmt.Errorf("%s: status %d: %.300s", what, code, body)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

type loadgen struct {
	o      options
	client *http.Client
}

func (l *loadgen) do(ctx context.Context, method, path, tok string, body any, hdr map[string]string) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, l.o.url+path, r)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

type stats struct {
	n             int
	rate          float64
	p50, p99, max time.Duration
}

func summarize(lat []time.Duration, elapsed time.Duration) stats {
	slices.Sort(lat)
	s := stats{n: len(lat), rate: float64(len(lat)) / elapsed.Seconds()}
	if len(lat) > 0 {
		s.p50 = lat[len(lat)*50/100]
		s.p99 = lat[min(len(lat)-1, len(lat)*99/100)]
		s.max = lat[len(lat)-1]
	}
	return s
}

// pool runs n calls of fn on c goroutines and collects their latencies.
func pool(n, c int, fn func(i int) error) ([]time.Duration, time.Duration, error) {
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var firstErr atomic.Pointer[error]
	var wg sync.WaitGroup
	start := time.Now()
	for range c {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n || firstErr.Load() != nil {
					return
				}
				t := time.Now()
				if err := fn(i); err != nil {
					firstErr.CompareAndSwap(nil, &err)
					return
				}
				lat[i] = time.Since(t)
			}
		})
	}
	wg.Wait()
	if p := firstErr.Load(); p != nil {
		return nil, 0, *p
	}
	return lat, time.Since(start), nil
}

func (l *loadgen) baseline(ctx context.Context) (stats, error) {
	lat, elapsed, err := pool(l.o.baselineN, l.o.c, func(int) error {
		code, _, err := l.do(ctx, "GET", "/healthz", "", nil, nil)
		if err == nil && code != http.StatusOK {
			err = fmt.Errorf("GET /healthz: %d", code)
		}
		return err
	})
	if err != nil {
		return stats{}, err
	}
	return summarize(lat, elapsed), nil
}

type answerResult struct {
	stats
	accepted, gradedInRequest, errors int
	graded, failed, pending           int
	gradedRate                        float64
}

type candidate struct{ id, token string }

func (l *loadgen) answers(ctx context.Context) (answerResult, error) {
	cands := make([]candidate, l.o.c)
	run := rand.Uint64()
	for i := range cands {
		code, body, err := l.do(ctx, "POST", "/v1/assessments", l.o.token, map[string]any{
			"candidate_ref": fmt.Sprintf("load-%x-%d", run, i), "assessment_id": l.o.assessment, "languages": []string{l.o.lang},
		}, nil)
		if err != nil || code != http.StatusCreated {
			return answerResult{}, requestError("create assessment", code, err, body)
		}
		var a struct {
			ID             string `json:"id"`
			CandidateToken string `json:"candidate_token"`
		}
		if err := json.Unmarshal(body, &a); err != nil {
			return answerResult{}, err
		}
		cands[i] = candidate{a.ID, a.CandidateToken}
	}
	var res answerResult
	var mu sync.Mutex
	var errCount, gradedNow atomic.Int64
	start := time.Now()
	lat, elapsed, err := pool(l.o.n, l.o.c, func(i int) error {
		c := cands[i%len(cands)]
		code, body, err := l.do(ctx, "POST", "/v1/assessments/"+c.id+"/responses", c.token,
			map[string]string{"item": l.o.item, "language": l.o.lang, "text": answerText(l.o.lang, i)},
			map[string]string{"Idempotency-Key": fmt.Sprintf("load-%x-%d", run, i)})
		if err != nil {
			return err
		}
		if code != http.StatusCreated {
			errCount.Add(1)
			mu.Lock()
			if errCount.Load() == 1 {
				fmt.Fprintf(os.Stderr, "first error: %d %s\n", code, body)
			}
			mu.Unlock()
			return nil
		}
		var v struct{ Status string }
		json.Unmarshal(body, &v)
		if v.Status == "graded" {
			gradedNow.Add(1)
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("answers: %w", err)
	}
	res.stats = summarize(lat, elapsed)
	res.errors = int(errCount.Load())
	res.accepted = l.o.n - res.errors
	res.gradedInRequest = int(gradedNow.Load())
	res.rate = float64(res.accepted) / elapsed.Seconds()

	// Wait for the worker to grade what the requests left pending.
	deadline := time.Now().Add(l.o.gradeWait)
	for {
		graded, failed, pending, err := l.count(ctx, cands)
		if err != nil {
			return res, err
		}
		res.graded, res.failed, res.pending = graded, failed, pending
		if pending == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	res.gradedRate = float64(res.graded) / time.Since(start).Seconds()
	if res.pending == 0 && res.gradedInRequest == res.accepted {
		res.gradedRate = float64(res.graded) / elapsed.Seconds()
	}
	return res, nil
}

func (l *loadgen) count(ctx context.Context, cands []candidate) (graded, failed, pending int, err error) {
	for _, c := range cands {
		code, body, err := l.do(ctx, "GET", "/v1/assessments/"+c.id, l.o.token, nil, nil)
		if err != nil || code != http.StatusOK {
			return 0, 0, 0, requestError("get assessment", code, err, body)
		}
		var v struct {
			Responses []struct{ Status string } `json:"responses"`
		}
		if err := json.Unmarshal(body, &v); err != nil {
			return 0, 0, 0, err
		}
		for _, r := range v.Responses {
			switch r.Status {
			case "graded":
				graded++
			case "failed":
				failed++
			default:
				pending++
			}
		}
	}
	return graded, failed, pending, nil
}

// texts are sentence pools; answers draw from them so that they differ
// (the engine flags near-duplicates) while reading like real replies.
var texts = map[string][][]string{
	"en": {
		{"Dear Ms Weber,", "Dear customer,", "Hello Ms Weber,", "Good afternoon,"},
		{"thank you for your e-mail.", "thank you for contacting us.", "many thanks for your message."},
		{"I am sorry that you were charged twice for order %d.", "I apologise for the double payment on order %d.", "I can see that order %d was paid twice."},
		{"I have refunded the second payment to your card.", "We will return the extra amount to your credit card.", "The second charge has been cancelled and refunded."},
		{"You will see the money within five working days.", "The refund should arrive in three to five days.", "Please allow up to a week for the refund to appear."},
		{"If you have any questions, please reply to this e-mail.", "Let me know if there is anything else I can do.", "Do not hesitate to contact us again."},
		{"Kind regards, Sam", "Best wishes, Alex", "Yours sincerely, Maria"},
	},
	"de": {
		{"Sehr geehrte Frau Weber,", "Liebe Kundin,", "Guten Tag Frau Weber,"},
		{"vielen Dank für Ihre E-Mail.", "danke für Ihre Nachricht.", "herzlichen Dank für Ihre Anfrage."},
		{"Es tut mir leid, dass Bestellung %d zweimal abgebucht wurde.", "Für die doppelte Zahlung der Bestellung %d entschuldige ich mich.", "Ich sehe, dass Bestellung %d doppelt bezahlt wurde."},
		{"Die zweite Zahlung habe ich auf Ihre Karte zurückerstattet.", "Wir überweisen den Betrag auf Ihre Kreditkarte zurück.", "Die zweite Abbuchung wurde storniert."},
		{"Das Geld erhalten Sie innerhalb von fünf Werktagen.", "Die Erstattung dauert drei bis fünf Tage.", "Bitte rechnen Sie mit bis zu einer Woche."},
		{"Bei Fragen antworten Sie einfach auf diese E-Mail.", "Melden Sie sich gern, wenn ich noch helfen kann."},
		{"Mit freundlichen Grüßen, Sam", "Viele Grüße, Alex", "Beste Grüße, Maria"},
	},
}

func answerText(lang string, i int) string {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	var parts []string
	for _, pool := range texts[lang] {
		s := pool[r.IntN(len(pool))]
		if strings.Contains(s, "%d") {
			s = fmt.Sprintf(s, 40000+i)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// gradingSeconds reads the grading latency histogram's sum and count from
// the server's /metrics.
func (l *loadgen) gradingSeconds(ctx context.Context) (sum, count float64, err error) {
	code, body, err := l.do(ctx, "GET", "/metrics", "", nil, nil)
	if err != nil || code != http.StatusOK {
		return 0, 0, requestError("GET /metrics", code, err, body)
	}
	for _, line := range strings.Split(string(body), "\n") {
		var v float64
		if _, err := fmt.Sscanf(line, "langassess_grading_duration_seconds_sum %g", &v); err == nil {
			sum = v
		}
		if _, err := fmt.Sscanf(line, "langassess_grading_duration_seconds_count %g", &v); err == nil {
			count = v
		}
	}
	return sum, count, nil
}
