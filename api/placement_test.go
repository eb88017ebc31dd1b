package api

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/langassess/langassess/audio"
	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/grading/placement"
	"github.com/langassess/langassess/reports"
	"github.com/langassess/langassess/rubrics"
	"github.com/langassess/langassess/store"
)

// These tests run the review, placement and report routes end to end over
// a real SQLite store with the default rubric pack (its queue catalog and
// platform maps). They keep their own small harness so they do not depend
// on the other API tests' helpers.

type pEnv struct {
	t      testing.TB
	st     *store.Store
	srv    *Server
	hs     *httptest.Server
	tokens map[string]string // admin, grader, grader2, planner
}

const genesysEN = "6e3f5d0c-0000-4000-8000-00000000e001"

func newPEnv(t testing.TB, grade func(in grading.Input) grading.Result) *pEnv {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	pack, err := rubrics.Default()
	if err != nil {
		t.Fatal(err)
	}
	g := &fnGrader{fn: grade}
	srv := New(Config{Languages: []string{"en", "de"}, GenesysLanguageIDs: map[string]string{"en": genesysEN}},
		st, g, pack, slog.New(slog.NewTextHandler(io.Discard, nil)))
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	e := &pEnv{t: t, st: st, srv: srv, hs: hs, tokens: map[string]string{}}
	for name, role := range map[string]string{"admin": store.RoleAdmin, "grader": store.RoleGrader,
		"grader2": store.RoleGrader, "planner": store.RolePlanner} {
		tok, hash, err := store.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateToken(ctx, hash, store.Token{Role: role, Name: name}); err != nil {
			t.Fatal(err)
		}
		e.tokens[name] = tok
	}
	return e
}

type fnGrader struct {
	fn func(in grading.Input) grading.Result
}

func (g *fnGrader) Grade(_ context.Context, in grading.Input) (grading.Result, error) {
	return g.fn(in), nil
}
func (g *fnGrader) Ready() bool { return true }

// call sends a request and returns the status and body.
func (e *pEnv) call(method, path, who string, body io.Reader, header ...string) (int, []byte, http.Header) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.hs.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if tok := e.tokens[who]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	} else if who != "" {
		req.Header.Set("Authorization", "Bearer "+who) // a candidate token
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.hs.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

// must calls and decodes a JSON answer with the wanted status.
func (e *pEnv) must(method, path, who string, body any, want int, out any) {
	e.t.Helper()
	var r io.Reader
	var hdr []string
	switch b := body.(type) {
	case nil:
	case *multipartReq:
		r, hdr = &b.buf, []string{"Content-Type", b.ct}
	default:
		js, _ := json.Marshal(b)
		r, hdr = bytes.NewReader(js), []string{"Content-Type", "application/json"}
	}
	code, got, _ := e.call(method, path, who, r, hdr...)
	if code != want {
		e.t.Fatalf("%s %s as %s: %d, want %d: %s", method, path, who, code, want, got)
	}
	if out != nil {
		if err := json.Unmarshal(got, out); err != nil {
			e.t.Fatalf("%s %s: %v: %s", method, path, err, got)
		}
	}
}

type multipartReq struct {
	buf bytes.Buffer
	ct  string
}

func spokenReq(item, lang string, wav []byte) *multipartReq {
	m := &multipartReq{}
	mw := multipart.NewWriter(&m.buf)
	mw.WriteField("item", item)
	mw.WriteField("language", lang)
	fw, _ := mw.CreateFormFile("audio", "a.wav")
	fw.Write(wav)
	mw.Close()
	m.ct = mw.FormDataContentType()
	return m
}

// toneWAV is a 16 kHz mono 16-bit PCM WAV of a 220 Hz tone.
func toneWAV(seconds float64) []byte {
	const rate = 16000
	n := int(seconds * rate)
	var b bytes.Buffer
	w := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	w(uint32(36 + 2*n))
	b.WriteString("WAVEfmt ")
	w(uint32(16))
	w(uint16(1))
	w(uint16(1))
	w(uint32(rate))
	w(uint32(2 * rate))
	w(uint16(2))
	w(uint16(16))
	b.WriteString("data")
	w(uint32(2 * n))
	for i := range n {
		w(int16(8000 * math.Sin(2*math.Pi*220*float64(i)/rate)))
	}
	return b.Bytes()
}

func f64(v float64) *float64 { return &v }

// machine grades by item: clean B2 written and reading answers; the call
// recording is B1 and borderline, so it is flagged for review.
func machine(in grading.Input) grading.Result {
	res := grading.Result{ID: in.ID, Level: "B2", Scores: grading.Scores{Grammar: f64(70), Vocabulary: f64(66)},
		Flags: []grading.Flag{}, EngineVersion: "test"}
	if in.ItemID == "speak-call" {
		res.Level = "B1"
		res.Scores = grading.Scores{Fluency: f64(58), Grammar: f64(61)}
		res.Flags = []grading.Flag{{Code: store.FlagBorderline, Message: "near the B2 cut"}}
		res.Audio = &audio.Report{Quality: audio.Quality{Verdict: "ok", SNRdB: 28, ClippedRatio: 0, LoudnessLUFS: -21},
			Timeline: &audio.Timeline{StepSec: 0.01, Envelope: []int{-60, -20, -22}, Nuclei: []float64{0.01}}}
	}
	return res
}

// candidate creates an English assessment and answers three items: two
// clean written ones and the flagged call. It returns the assessment id.
func (e *pEnv) candidate(ref string, wav []byte) string {
	e.t.Helper()
	var a createAssessmentResponse
	e.must("POST", "/v1/assessments", "admin", map[string]any{"candidate_ref": ref, "assessment_id": "customer-support",
		"languages": []string{"en"}}, http.StatusCreated, &a)
	for _, item := range []string{"read-problem", "write-reply"} {
		var r responseView
		e.must("POST", "/v1/assessments/"+a.ID+"/responses", a.CandidateToken,
			map[string]string{"item": item, "language": "en", "text": "Dear customer, we are sorry and will refund you."}, http.StatusCreated, &r)
		if r.Status != store.StatusGraded {
			e.t.Fatalf("%s: %+v", item, r)
		}
	}
	e.must("POST", "/v1/assessments/"+a.ID+"/responses", a.CandidateToken, spokenReq("speak-call", "en", wav), http.StatusCreated, nil)
	return a.ID
}

func TestReviewPlacementReportEndToEnd(t *testing.T) {
	e := newPEnv(t, machine)
	wav := toneWAV(2)
	id := e.candidate("cand-1", wav)
	other := e.candidate("cand-2", wav) // its review stays open

	// Before the review: provisional placement, no export.
	var p placementView
	e.must("GET", "/v1/assessments/"+id+"/placement", "planner", nil, http.StatusOK, &p)
	if p.Complete || len(p.Languages) != 1 || p.Languages[0].OpenReviews != 1 || p.Exports != nil {
		t.Fatalf("provisional placement %+v", p)
	}
	if code, body, _ := e.call("GET", "/v1/assessments/"+id+"/placement/export?format=genesys", "admin", nil); code != http.StatusConflict || !strings.Contains(string(body), "placement.incomplete") {
		t.Errorf("export before completion: %d %s", code, body)
	}

	// The queue: two borderline reviews, oldest first; filters work.
	var list reviewList
	e.must("GET", "/v1/reviews?language=en&reason=borderline", "grader", nil, http.StatusOK, &list)
	if len(list.Reviews) != 2 || list.Reviews[0].AssessmentID != id || list.Reviews[0].Priority != store.PriorityBorderline {
		t.Fatalf("queue %+v", list)
	}
	e.must("GET", "/v1/reviews?reason=wrong_language", "grader", nil, http.StatusOK, &list)
	if len(list.Reviews) != 0 {
		t.Errorf("reason filter: %+v", list.Reviews)
	}
	var all reviewList
	e.must("GET", "/v1/reviews", "grader", nil, http.StatusOK, &all)
	rid := all.Reviews[0].ID
	path := "/v1/reviews/" + itoa(int(rid))

	// Evidence: the machine result with the audio quality and timeline, and
	// the recording itself.
	var d reviewDetail
	e.must("GET", path, "grader", nil, http.StatusOK, &d)
	if d.Response.Result == nil || d.Response.Result.Audio == nil || d.Response.Result.Audio.Timeline == nil ||
		d.Response.Result.Scores.Fluency == nil || d.AudioURL == "" || len(d.Audit) != 1 || d.Audit[0].Action != store.AuditOpen {
		t.Fatalf("evidence %+v", d)
	}
	if code, body, h := e.call("GET", d.AudioURL, "grader", nil); code != http.StatusOK || !bytes.Equal(body, wav) || h.Get("Content-Type") != "audio/wav" {
		t.Errorf("audio: %d %s, %d bytes", code, h.Get("Content-Type"), len(body))
	}

	decision := map[string]any{"level": "B2", "scores": map[string]float64{"fluency": 72, "grammar": 68}, "comment": "clear and polite"}
	// Nobody decides what they do not hold; a planner may not review.
	e.must("POST", path+"/decision", "grader", decision, http.StatusConflict, nil)
	e.must("POST", path+"/claim", "planner", nil, http.StatusForbidden, nil)
	var claimed reviewView
	e.must("POST", path+"/claim", "grader", nil, http.StatusOK, &claimed)
	if claimed.State != store.ReviewClaimed || claimed.ClaimedBy == "" || claimed.LeaseUntil == nil {
		t.Fatalf("claimed %+v", claimed)
	}
	e.must("POST", path+"/claim", "grader2", nil, http.StatusConflict, nil)
	e.must("POST", path+"/decision", "grader2", decision, http.StatusConflict, nil)
	e.must("POST", path+"/release", "grader2", nil, http.StatusConflict, nil)
	e.must("POST", path+"/decision", "grader", map[string]any{"level": "B7"}, http.StatusUnprocessableEntity, nil)
	e.must("POST", path+"/decision", "grader", map[string]any{"level": "B2", "scores": map[string]float64{"grammar": 140}}, http.StatusUnprocessableEntity, nil)
	e.must("POST", path+"/release", "grader", nil, http.StatusOK, nil)
	// Leases beyond the maximum are refused, also those whose nanoseconds
	// overflow int64 (18446744074 s wrapped to a 0.29 s lease).
	e.must("POST", path+"/claim", "grader", map[string]int64{"lease_seconds": 7201}, http.StatusUnprocessableEntity, nil)
	e.must("POST", path+"/claim", "grader", map[string]int64{"lease_seconds": 18446744074}, http.StatusUnprocessableEntity, nil)
	e.must("POST", path+"/claim", "grader", map[string]int{"lease_seconds": 600}, http.StatusOK, nil)
	var decided reviewView
	e.must("POST", path+"/decision", "grader", decision, http.StatusOK, &decided)
	if decided.State != store.ReviewDecided || decided.Final == nil || decided.Final.Level != "B2" || decided.Final.Comment != "clear and polite" {
		t.Fatalf("decided %+v", decided)
	}
	e.must("GET", path, "admin", nil, http.StatusOK, &d)
	var actions []string
	for _, a := range d.Audit {
		actions = append(actions, a.Action+" by "+a.Actor)
		if a.After == nil {
			t.Errorf("audit %s without an after snapshot", a.Action)
		}
	}
	if got := strings.Join(actions, ", "); !strings.HasPrefix(got, "open by system, claim by grader#") ||
		strings.Count(got, "claim by grader#") != 2 || !strings.Contains(got, "release by grader#") || !strings.HasSuffix(got, "decide by "+claimed.ClaimedBy) {
		t.Errorf("audit trail: %s", got)
	}

	// After the decision: complete; the grader's B2 overrides the machine's
	// B1 for speaking, so the voice queue opens.
	e.must("GET", "/v1/assessments/"+id+"/placement", "grader", nil, http.StatusOK, &p)
	if !p.Complete || p.Exports == nil {
		t.Fatalf("placement %+v", p)
	}
	en := p.Languages[0]
	if en.Skills["speaking"].Level != "B2" || en.Skills["speaking"].Reviewed != 1 || en.Skills["writing"].Level != "B2" || en.Skills["reading"].Level != "B2" {
		t.Errorf("levels %+v", en.Skills)
	}
	var queues []string
	for i, m := range p.Eligible {
		queues = append(queues, m.Queue)
		if i > 0 && m.Margin > p.Eligible[i-1].Margin {
			t.Errorf("eligible not ranked by margin: %+v", p.Eligible)
		}
	}
	if strings.Join(queues, ",") != "en-voice,en-chat,en-email" || len(p.NearMisses) != 0 {
		t.Errorf("eligible %v, near misses %+v", queues, p.NearMisses)
	}

	// Exports: the documented request bodies (see the placement package's
	// TestExportShapes for the sources).
	var connect placement.ConnectBody
	e.must("GET", "/v1/assessments/"+id+"/placement/export?format=amazon-connect", "admin", nil, http.StatusOK, &connect)
	if want := (placement.ConnectBody{UserProficiencies: []placement.ConnectProficiency{{AttributeName: "Language", AttributeValue: "English", Level: 4}}}); !reflect.DeepEqual(connect, want) {
		t.Errorf("amazon connect %+v", connect)
	}
	code, body, _ := e.call("GET", "/v1/assessments/"+id+"/placement/export?format=genesys", "admin", nil)
	if want := `[{"id":"` + genesysEN + `","proficiency":3}]`; code != http.StatusOK || string(body) != want {
		t.Errorf("genesys: %d %s, want %s", code, body, want)
	}
	e.must("GET", "/v1/assessments/"+id+"/placement/export?format=csv", "admin", nil, http.StatusBadRequest, nil)

	// Planner report: two assessed, one complete and eligible everywhere,
	// one pending review.
	var rep reports.PlacementReport
	e.must("GET", "/v1/reports/placement?language=en", "planner", nil, http.StatusOK, &rep)
	if len(rep.Rows) != 3 {
		t.Fatalf("rows %+v", rep.Rows)
	}
	wantDemand := map[string]int{"voice": 40, "chat": 35, "email": 20}
	for _, r := range rep.Rows {
		if r.Assessed != 2 || r.Complete != 1 || r.Eligible != 1 || r.PendingReview != 1 || r.Demand != wantDemand[r.Channel] ||
			r.Coverage == nil || *r.Coverage != math.Round(1000/float64(r.Demand))/1000 || r.MedianTimeToDecisionSec == nil {
			t.Errorf("row %+v", r)
		}
	}
	if rep.Rows[0].Channel != "voice" || rep.Rows[0].Levels["speaking"]["B2"] != 1 || rep.Rows[0].Levels["reading"]["B2"] != 1 {
		t.Errorf("voice levels %+v", rep.Rows[0].Levels)
	}
	rep = reports.PlacementReport{}
	e.must("GET", "/v1/reports/placement?channel=chat&from=2000-01-01&to="+time.Now().UTC().Format(time.DateOnly), "admin", nil, http.StatusOK, &rep)
	if len(rep.Rows) != 8 || rep.Rows[0].Language != "en" || rep.Rows[0].Assessed != 2 || rep.Rows[1].Assessed != 0 {
		t.Errorf("chat rows %+v", rep.Rows)
	}
	rep = reports.PlacementReport{}
	e.must("GET", "/v1/reports/placement?to=2000-01-01", "planner", nil, http.StatusOK, &rep)
	for _, r := range rep.Rows {
		if r.Assessed != 0 {
			t.Errorf("assessments before 2000: %+v", r)
		}
	}

	code, body, h := e.call("GET", "/v1/reports/placement?language=en&channel=voice", "planner", nil, "Accept", "text/csv")
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || err != nil || len(recs) != 2 {
		t.Fatalf("csv: %d %s %v\n%s", code, h.Get("Content-Type"), err, body)
	}
	col := map[string]string{}
	for i, name := range recs[0] {
		col[name] = recs[1][i]
	}
	for k, want := range map[string]string{"language": "en", "channel": "voice", "queues": "en-voice", "assessed": "2",
		"complete": "1", "eligible": "1", "pending_review": "1", "demand": "40", "coverage": "0.025",
		"speaking_B2": "1", "reading_B2": "1", "writing_B2": "", "speaking_B1": "0"} {
		if col[k] != want {
			t.Errorf("csv %s = %q, want %q\n%s", k, col[k], want, body)
		}
	}
	if code, body, _ := e.call("GET", "/v1/reports/placement?format=csv", "planner", nil); code != http.StatusOK || !strings.HasPrefix(string(body), "language,channel,") {
		t.Errorf("format=csv: %d %s", code, body)
	}

	// Agreement: one reviewed response, the machine one band below.
	var ag reports.AgreementReport
	e.must("GET", "/v1/reports/agreement?language=en", "planner", nil, http.StatusOK, &ag)
	if len(ag.Rows) == 0 || ag.Rows[0].Dimension != placement.DimensionLevel || ag.Rows[0].N != 1 || ag.Rows[0].Exact != 0 || ag.Rows[0].Adjacent != 1 {
		t.Errorf("agreement %+v", ag.Rows)
	}

	// Errors and roles.
	for _, c := range []struct {
		path, who string
		want      int
	}{
		{"/v1/reports/placement", "grader", http.StatusForbidden},
		{"/v1/reports/agreement", "", http.StatusUnauthorized},
		{"/v1/reports/placement?channel=fax", "planner", http.StatusBadRequest},
		{"/v1/reports/placement?language=xx", "planner", http.StatusBadRequest},
		{"/v1/reports/placement?from=yesterday", "planner", http.StatusBadRequest},
		{"/v1/reports/placement?from=2026-02-01&to=2026-01-01", "planner", http.StatusBadRequest},
		{"/v1/reviews?state=lost", "grader", http.StatusBadRequest},
		{"/v1/reviews?limit=9999", "grader", http.StatusBadRequest},
		{"/v1/reviews/abc", "grader", http.StatusNotFound},
		{"/v1/reviews/999999", "grader", http.StatusNotFound},
		{"/v1/reviews", "planner", http.StatusForbidden},
		{"/v1/assessments/nope/placement", "planner", http.StatusNotFound},
		{"/v1/assessments/" + other + "/placement/export?format=amazon-connect", "admin", http.StatusConflict},
	} {
		if code, body, _ := e.call("GET", c.path, c.who, nil); code != c.want {
			t.Errorf("GET %s as %q: %d, want %d: %s", c.path, c.who, code, c.want, body)
		}
	}
}

// TestSecondGrader: a decision two bands from the machine sends the review
// to a second grader; the first may not take it again; the second's
// decision is final and is what the placement uses.
func TestSecondGraderOverHTTP(t *testing.T) {
	e := newPEnv(t, machine)
	id := e.candidate("cand-1", toneWAV(2))
	var list reviewList
	e.must("GET", "/v1/reviews", "grader", nil, http.StatusOK, &list)
	path := "/v1/reviews/" + itoa(int(list.Reviews[0].ID))
	e.must("POST", path+"/claim", "grader", nil, http.StatusOK, nil)
	var v reviewView
	e.must("POST", path+"/decision", "grader", map[string]any{"level": "C2"}, http.StatusOK, &v) // B1 -> C2: three bands
	if v.State != store.ReviewOpen || v.Stage != 2 || v.Final != nil {
		t.Fatalf("after the first decision %+v", v)
	}
	var p placementView
	e.must("GET", "/v1/assessments/"+id+"/placement", "admin", nil, http.StatusOK, &p)
	if p.Complete {
		t.Error("complete while a second grader is needed")
	}
	e.must("POST", path+"/claim", "grader", nil, http.StatusConflict, nil)
	e.must("POST", path+"/claim", "grader2", nil, http.StatusOK, nil)
	e.must("POST", path+"/decision", "grader2", map[string]any{"level": "B1"}, http.StatusOK, &v)
	if v.State != store.ReviewDecided || v.Final.Level != "B1" || v.Decision.Level != "C2" {
		t.Fatalf("after the second decision %+v", v)
	}
	e.must("GET", "/v1/assessments/"+id+"/placement", "admin", nil, http.StatusOK, &p)
	if !p.Complete || p.Languages[0].Skills["speaking"].Level != "B1" {
		t.Errorf("placement %+v", p.Languages)
	}
	// Speaking B1 misses the voice queue by one band: a near miss with a
	// training path aimed at the weakest dimension (fluency 58 < grammar 61
	// from the machine: the second grader gave no scores).
	var near *placement.NearMiss
	for i := range p.NearMisses {
		if p.NearMisses[i].Queue == "en-voice" {
			near = &p.NearMisses[i]
		}
	}
	if near == nil || len(near.Gaps) != 1 || near.Gaps[0].Skill != "speaking" || len(near.Training) != 1 || near.Training[0].Focus[0] != "fluency" {
		t.Errorf("near misses %+v", p.NearMisses)
	}
}
