package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/store"
)

// flagAnswers makes the grader flag every answer with the flag code in its
// text ("flag:CODE ..."), then posts one answer per (language, code) and
// returns the response ids in order: each opens one review.
func (e *env) flagAnswers(answers ...[2]string) []string {
	e.t.Helper()
	e.grader.set(func(ctx context.Context, in grading.Input) (grading.Result, error) {
		res, _ := gradeOK(ctx, in)
		code, _, _ := strings.Cut(strings.TrimPrefix(in.Text, "flag:"), " ")
		res.Flags = []grading.Flag{{Code: code, Message: "test flag"}}
		return res, nil
	})
	var ids []string
	for i, a := range answers {
		v := e.postAnswer(e.tokens["admin"], written("email", a[0], fmt.Sprintf("flag:%s answer %d", a[1], i)))
		if v.Status != store.StatusGraded {
			e.t.Fatalf("answer %d: status %q", i, v.Status)
		}
		ids = append(ids, v.ID)
	}
	return ids
}

// claimNext calls POST /v1/reviews/claim-next and returns the status and
// the body as a generic object (nil for 204).
func (e *env) claimNext(tok, query string, body request) (int, map[string]any) {
	e.t.Helper()
	resp := e.do("POST", "/v1/reviews/claim-next"+query, tok, body)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		if resp.StatusCode == http.StatusNoContent && len(b) != 0 {
			e.t.Errorf("204 with a body %q", b)
		}
		return resp.StatusCode, nil
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		e.t.Fatalf("decode %s: %v", b, err)
	}
	return resp.StatusCode, v
}

func TestClaimNextReview(t *testing.T) {
	e := newEnv(t, nil)
	// Queue order: oldest first (no borderline flags here).
	resp := e.flagAnswers([2]string{"en", "too_short"}, [2]string{"de", "wrong_language"}, [2]string{"en", "wrong_language"})
	grader := e.tokens["grader"]

	// Filters as GET /v1/reviews takes them; nothing matching is 204.
	if code, _ := e.claimNext(grader, "?language=fr", request{}); code != http.StatusNoContent {
		t.Errorf("language=fr: %d, want 204", code)
	}
	code, v := e.claimNext(grader, "?language=en&reason=wrong_language", request{})
	if code != http.StatusOK || v["response_id"] != resp[2] || v["state"] != store.ReviewClaimed || v["claimed_by"] != "test grader#2" {
		t.Fatalf("language=en&reason=wrong_language: %d %v; want 200 claiming the review of %s", code, v, resp[2])
	}
	if code, _ := e.claimNext(grader, "?language=en&reason=wrong_language", request{}); code != http.StatusNoContent {
		t.Errorf("the only match is claimed: %d, want 204", code)
	}

	// No filter: the oldest available, with the lease asked for.
	code, first := e.claimNext(grader, "", jsonBody(map[string]int{"lease_seconds": 60}))
	if code != http.StatusOK || first["response_id"] != resp[0] {
		t.Fatalf("no filter: %d %v; want the oldest, %s", code, first, resp[0])
	}
	// Same body as POST /v1/reviews/{id}/claim: release, claim by id, compare.
	id := fmt.Sprint(first["id"])
	e.mustJSON(e.do("POST", "/v1/reviews/"+id+"/release", grader, request{}), http.StatusOK, nil)
	var byID map[string]any
	e.mustJSON(e.do("POST", "/v1/reviews/"+id+"/claim", grader, jsonBody(map[string]int{"lease_seconds": 60})), http.StatusOK, &byID)
	if k1, k2 := slices.Sorted(maps.Keys(first)), slices.Sorted(maps.Keys(byID)); !slices.Equal(k1, k2) {
		t.Errorf("claim-next fields %v, claim fields %v", k1, k2)
	}
	for _, k := range []string{"id", "response_id", "assessment_id", "item", "language", "state", "claimed_by", "reasons", "stage", "priority"} {
		if fmt.Sprint(first[k]) != fmt.Sprint(byID[k]) {
			t.Errorf("%s: claim-next %v, claim %v", k, first[k], byID[k])
		}
	}

	code, last := e.claimNext(e.tokens["admin"], "?state=open", request{})
	if code != http.StatusOK || last["response_id"] != resp[1] || last["claimed_by"] != "test admin#1" {
		t.Errorf("admin: %d %v; want the last open review, %s", code, last, resp[1])
	}
	if code, _ := e.claimNext(grader, "", request{}); code != http.StatusNoContent {
		t.Errorf("all claimed: %d, want 204", code)
	}

	// Bad requests are problems, and claim nothing.
	for _, tc := range []struct {
		query string
		body  request
		want  int
		code  string
	}{
		{"?state=decided", request{}, 400, "query.invalid"},
		{"?limit=5", request{}, 400, "query.invalid"},
		{"?offset=0", request{}, 400, "query.invalid"},
		{"?language=e%00n", request{}, 400, "query.invalid"},
		{"", jsonBody(map[string]int{"lease_seconds": -1}), 422, "lease.invalid"},
		{"", rawBody("application/json", `{"lease":60}`), 400, "body.unknown_field"},
		{"", rawBody("text/plain", `60`), 415, "content_type.unsupported"},
	} {
		r := e.do("POST", "/v1/reviews/claim-next"+tc.query, grader, tc.body)
		if p := e.problemOf(r); r.StatusCode != tc.want || p.Code != tc.code {
			t.Errorf("%s %v: %d %s, want %d %s", tc.query, tc.body.contentType, r.StatusCode, p.Code, tc.want, tc.code)
		}
	}
}

// TestClaimNextConcurrent: graders calling claim-next at once over fewer
// reviews than calls get each review at most once, and every review is
// claimed by the time they all see 204.
func TestClaimNextConcurrent(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		const graders, reviews = 8, 12
		e := newEnvOn(t, dialect, nil)
		var answers [][2]string
		for i := range reviews {
			answers = append(answers, [2]string{[]string{"en", "de"}[i%2], "too_short"})
		}
		e.flagAnswers(answers...)
		var toks []string
		for i := range graders {
			tok, hash, err := store.NewToken()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.st.CreateToken(context.Background(), hash, store.Token{Role: store.RoleGrader, Name: fmt.Sprint("g", i)}); err != nil {
				t.Fatal(err)
			}
			toks = append(toks, tok)
		}
		var mu sync.Mutex
		claims := map[string][]string{} // review id -> claimed_by of every 200
		var wg sync.WaitGroup
		start := make(chan struct{})
		for _, tok := range toks {
			wg.Go(func() {
				<-start
				for {
					resp := e.do("POST", "/v1/reviews/claim-next", tok, request{})
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode == http.StatusNoContent {
						return
					}
					var v reviewView
					if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &v) != nil {
						t.Errorf("claim-next: %d %s", resp.StatusCode, b)
						return
					}
					mu.Lock()
					claims[fmt.Sprint(v.ID)] = append(claims[fmt.Sprint(v.ID)], v.ClaimedBy)
					mu.Unlock()
				}
			})
		}
		close(start)
		wg.Wait()
		if len(claims) != reviews {
			t.Errorf("%d reviews claimed, want all %d", len(claims), reviews)
		}
		for id, by := range claims {
			if len(by) != 1 {
				t.Errorf("review %s claimed %d times: %v", id, len(by), by)
			}
		}
		// The store agrees: every review claimed, one claim audited each.
		vs, err := e.st.ListReviews(context.Background(), store.ReviewFilter{State: store.ReviewClaimed})
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != reviews {
			t.Errorf("store has %d claimed reviews, want %d", len(vs), reviews)
		}
		if n := e.count("review_audit WHERE action = 'claim'"); n != reviews {
			t.Errorf("%d claim audit rows, want %d", n, reviews)
		}
	})
}
