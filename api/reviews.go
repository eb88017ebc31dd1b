package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/rubrics"
	"github.com/langassess/langassess/store"
)

// Review queue: graders list flagged responses, claim one with an expiring
// lease, read its evidence and decide or release it. The store serialises
// claims (FOR UPDATE SKIP LOCKED on PostgreSQL) and audits every action;
// these handlers decode, check and map ErrConflict to 409.

// defaultReviewLease is how long a claim lasts unless the grader asks for
// another duration: long enough to listen to a recording twice and score
// it, short enough that an abandoned claim soon returns to the queue.
const defaultReviewLease = 15 * time.Minute

// maxReviewLease bounds a requested lease.
const maxReviewLease = 2 * time.Hour

var reviewers = []string{store.RoleAdmin, store.RoleGrader}

// actor names the token holder in the audit trail and in claims: the
// token's name when it has one, and always its id, so two tokens with the
// same name stay apart.
func actor(t store.Token) string {
	if t.Name != "" {
		return fmt.Sprintf("%s#%d", t.Name, t.ID)
	}
	return fmt.Sprintf("token#%d", t.ID)
}

// decisionView is a grader's decision.
type decisionView struct {
	Scores  grading.Scores `json:"scores"`
	Level   string         `json:"level"`
	Comment string         `json:"comment,omitempty"`
}

func viewDecision(d *store.Decision) *decisionView {
	if d == nil {
		return nil
	}
	return &decisionView{Scores: d.Scores, Level: d.Level, Comment: d.Comment}
}

// reviewView is one review in the queue.
type reviewView struct {
	ID              int64         `json:"id"`
	ResponseID      string        `json:"response_id"`
	AssessmentID    string        `json:"assessment_id"`
	Item            string        `json:"item"`
	Language        string        `json:"language"`
	MachineLevel    string        `json:"machine_level,omitempty"`
	State           string        `json:"state"`
	Priority        int           `json:"priority"`
	Reasons         []string      `json:"reasons"`
	Stage           int           `json:"stage"`
	ClaimedBy       string        `json:"claimed_by,omitempty"`
	LeaseUntil      *time.Time    `json:"lease_until,omitempty"`
	Decision        *decisionView `json:"decision,omitempty"`
	DecidedBy       string        `json:"decided_by,omitempty"`
	DecidedAt       *time.Time    `json:"decided_at,omitempty"`
	SecondDecision  *decisionView `json:"second_decision,omitempty"`
	SecondDecidedBy string        `json:"second_decided_by,omitempty"`
	SecondDecidedAt *time.Time    `json:"second_decided_at,omitempty"`
	Final           *decisionView `json:"final,omitempty"`
	CreatedAt       time.Time     `json:"created_at"`
	UpdatedAt       time.Time     `json:"updated_at"`
}

func viewReview(v store.Review) reviewView {
	rs := v.Reasons
	if rs == nil {
		rs = []string{}
	}
	return reviewView{ID: v.ID, ResponseID: v.ResponseID, AssessmentID: v.AssessmentID, Item: v.ItemID,
		Language: v.Language, MachineLevel: v.MachineLevel, State: v.State, Priority: v.Priority, Reasons: rs,
		Stage: v.Stage, ClaimedBy: v.ClaimedBy, LeaseUntil: v.LeaseUntil, Decision: viewDecision(v.Decision),
		DecidedBy: v.DecidedBy, DecidedAt: v.DecidedAt, SecondDecision: viewDecision(v.SecondDecision),
		SecondDecidedBy: v.SecondDecidedBy, SecondDecidedAt: v.SecondDecidedAt, Final: viewDecision(v.Final()),
		CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
}

type reviewList struct {
	Reviews []reviewView `json:"reviews"`
	Limit   int          `json:"limit"`
	Offset  int          `json:"offset"`
}

// queryInt reads a non-negative integer query parameter (def when absent).
func queryInt(c *gin.Context, name string, def, maxV int) (int, error) {
	s := c.Query(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > maxV {
		return 0, errorf(http.StatusBadRequest, "query.invalid", fmt.Sprintf("%s must be an integer from 0 to %d", name, maxV))
	}
	return n, nil
}

// queueFilter reads the queue filters GET /v1/reviews and POST
// /v1/reviews/claim-next share: language and reason (a flag code).
func queueFilter(c *gin.Context) (store.ReviewFilter, error) {
	f := store.ReviewFilter{Language: c.Query("language"), Reason: c.Query("reason")}
	if !storable(f.Language) || !storable(f.Reason) {
		return f, errorf(http.StatusBadRequest, "query.invalid", "language and reason must be UTF-8 text without NUL characters")
	}
	return f, nil
}

func (s *Server) listReviews(c *gin.Context) {
	f, err := queueFilter(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	f.State = c.Query("state")
	switch f.State {
	case "", store.ReviewOpen, store.ReviewClaimed, store.ReviewDecided:
	default:
		s.fail(c, errorf(http.StatusBadRequest, "query.invalid", "state must be open, claimed or decided"))
		return
	}
	if f.Limit, err = queryInt(c, "limit", 50, 500); err != nil {
		s.fail(c, err)
		return
	}
	if f.Offset, err = queryInt(c, "offset", 0, math.MaxInt32); err != nil {
		s.fail(c, err)
		return
	}
	vs, err := s.st.ListReviews(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := reviewList{Reviews: []reviewView{}, Limit: f.Limit, Offset: f.Offset}
	for _, v := range vs {
		out.Reviews = append(out.Reviews, viewReview(v))
	}
	respond(c, http.StatusOK, out)
}

// reviewID parses the :id parameter; a malformed id is simply not found.
func reviewID(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errorf(http.StatusNotFound, "review.not_found", "no such review")
	}
	return id, nil
}

// auditView is one audited action.
type auditView struct {
	Actor  string          `json:"actor"`
	Action string          `json:"action"`
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
	At     time.Time       `json:"at"`
}

// reviewDetail is GET /v1/reviews/{id}: the review with the evidence a
// grader needs: the answer, the machine's result (scores, errors found, key
// points matched, audio quality and the fluency timeline), a link to the
// recording and the audit trail.
type reviewDetail struct {
	reviewView
	Response responseView `json:"response"`
	AudioURL string       `json:"audio_url,omitempty"`
	Audit    []auditView  `json:"audit"`
}

func (s *Server) getReview(c *gin.Context) {
	id, err := reviewID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	v, err := s.st.GetReview(ctx, id)
	if err != nil {
		s.fail(c, notFound(err, "review"))
		return
	}
	r, err := s.st.GetResponse(ctx, v.ResponseID)
	if err != nil {
		s.fail(c, err)
		return
	}
	trail, err := s.st.ReviewAudit(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := reviewDetail{reviewView: viewReview(v), Response: viewResponse(r, true), Audit: []auditView{}}
	if r.AudioSHA256 != "" {
		d.AudioURL = "/v1/responses/" + r.ID + "/audio"
	}
	for _, e := range trail {
		d.Audit = append(d.Audit, auditView{Actor: e.Actor, Action: e.Action, Before: e.Before, After: e.After, At: e.At})
	}
	respond(c, http.StatusOK, d)
}

// conflict maps the store's ErrConflict to a 409 with a stable code.
func conflict(err error, code, detail string) error {
	if errors.Is(err, store.ErrConflict) {
		return errorf(http.StatusConflict, code, detail)
	}
	return notFound(err, "review")
}

type claimRequest struct {
	// LeaseSeconds asks for a lease length; 0 or absent means the default.
	LeaseSeconds int `json:"lease_seconds"`
}

// claimLease reads the optional claim body: an empty POST claims for the
// default lease.
func claimLease(c *gin.Context) (time.Duration, error) {
	if c.Request.ContentLength == 0 {
		return defaultReviewLease, nil
	}
	var req claimRequest
	if err := decodeJSON(c, 4<<10, &req); err != nil {
		return 0, err
	}
	// compared in seconds: converted first, a huge value overflows
	// into a short lease that passes
	if req.LeaseSeconds < 0 || req.LeaseSeconds > int(maxReviewLease/time.Second) {
		return 0, fieldError("lease.invalid", "/lease_seconds", fmt.Sprintf("lease_seconds must be from 1 to %d (0 or absent: the default lease)", int(maxReviewLease.Seconds())))
	}
	if req.LeaseSeconds > 0 {
		return time.Duration(req.LeaseSeconds) * time.Second, nil
	}
	return defaultReviewLease, nil
}

func (s *Server) claimReview(c *gin.Context) {
	id, err := reviewID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	lease, err := claimLease(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.st.ClaimReview(c.Request.Context(), id, actor(token(c)), lease)
	if err != nil {
		s.fail(c, conflict(err, "review.unavailable", "the review is held by another grader, decided, or needs a different second grader"))
		return
	}
	logger(c).Info("review claimed", "review_id", id, "until", v.LeaseUntil)
	respond(c, http.StatusOK, viewReview(v))
}

// claimNextReview claims the first review in queue order (borderline
// first, then oldest) that matches the filters and is available to the
// caller: open, or claimed with a lapsed lease, and at stage 2 not first
// decided by the caller. 204 when there is none. The store picks and claims
// in one transaction (SKIP LOCKED on PostgreSQL), so concurrent callers
// never get the same review.
func (s *Server) claimNextReview(c *gin.Context) {
	f, err := queueFilter(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	// The other list parameters have no meaning for one claim: refuse them
	// rather than let a client believe they applied.
	if st := c.Query("state"); st != "" && st != store.ReviewOpen {
		s.fail(c, errorf(http.StatusBadRequest, "query.invalid", "claim-next only claims open reviews: state may be absent or open"))
		return
	}
	for _, q := range []string{"limit", "offset"} {
		if _, ok := c.GetQuery(q); ok {
			s.fail(c, errorf(http.StatusBadRequest, "query.invalid", "claim-next claims one review: "+q+" does not apply"))
			return
		}
	}
	lease, err := claimLease(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.st.ClaimNextReview(c.Request.Context(), actor(token(c)), lease, f)
	if errors.Is(err, store.ErrNotFound) {
		c.Status(http.StatusNoContent)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	logger(c).Info("review claimed", "review_id", v.ID, "until", v.LeaseUntil, "next", true)
	respond(c, http.StatusOK, viewReview(v))
}

func (s *Server) releaseReview(c *gin.Context) {
	id, err := reviewID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.st.ReleaseReview(c.Request.Context(), id, actor(token(c)))
	if err != nil {
		s.fail(c, conflict(err, "review.not_held", "you do not hold this review (never claimed, or the lease expired)"))
		return
	}
	respond(c, http.StatusOK, viewReview(v))
}

// validateDecision checks a decision before the store sees it: a CEFR
// level and scores within 0-100.
func validateDecision(d *decisionView) error {
	d.Level = strings.ToUpper(strings.TrimSpace(d.Level))
	if !rubrics.ValidLevel(d.Level) {
		return fieldError("level.invalid", "/level", "level must be a CEFR level, A1 to C2")
	}
	for name, p := range d.Scores.ByDimension() {
		if math.IsNaN(p) || p < 0 || p > 100 {
			return fieldError("score.invalid", "/scores/"+name, "scores must be from 0 to 100")
		}
	}
	if !storable(d.Comment) {
		return fieldError("comment.invalid", "/comment", "comment must not hold NUL characters")
	}
	if len(d.Comment) > 10000 {
		return fieldError("comment.invalid", "/comment", "comment is longer than 10,000 bytes")
	}
	return nil
}

func (s *Server) decideReview(c *gin.Context) {
	id, err := reviewID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req decisionView
	if err := decodeJSON(c, 64<<10, &req); err != nil {
		s.fail(c, err)
		return
	}
	if err := validateDecision(&req); err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.st.DecideReview(c.Request.Context(), id, actor(token(c)), store.Decision{Scores: req.Scores, Level: req.Level, Comment: req.Comment})
	if err != nil {
		s.fail(c, conflict(err, "review.not_held", "you do not hold this review (never claimed, or the lease expired): claim it first"))
		return
	}
	logger(c).Info("review decided", "review_id", id, "state", v.State, "stage", v.Stage, "level", req.Level)
	respond(c, http.StatusOK, viewReview(v))
}

// getResponseAudio serves a spoken answer's recording to staff.
func (s *Server) getResponseAudio(c *gin.Context) {
	id, err := pathID(c, "audio")
	if err != nil {
		s.fail(c, err)
		return
	}
	wav, err := s.st.GetResponseAudio(c.Request.Context(), id)
	if err != nil {
		s.fail(c, notFound(err, "audio"))
		return
	}
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "audio/wav", wav)
}
