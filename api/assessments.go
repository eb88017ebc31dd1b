package api

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/rubrics"
	"github.com/langassess/langassess/store"
)

// createAssessmentRequest is the body of POST /v1/assessments.
type createAssessmentRequest struct {
	CandidateRef string   `json:"candidate_ref"`
	AssessmentID string   `json:"assessment_id"`
	Languages    []string `json:"languages"`
}

// itemView is one item to answer in one language.
type itemView struct {
	Item     string `json:"item"`
	Language string `json:"language"`
	Kind     string `json:"kind"`
	Skill    string `json:"skill,omitempty"`
	Prompt   string `json:"prompt"`
	Passage  string `json:"passage,omitempty"` // the text a reading item asks about
}

type createAssessmentResponse struct {
	ID             string     `json:"id"`
	CandidateRef   string     `json:"candidate_ref"`
	AssessmentID   string     `json:"assessment_id"`
	PackVersion    string     `json:"pack_version"`
	Languages      []string   `json:"languages"`
	Status         string     `json:"status"`
	CandidateToken string     `json:"candidate_token"`
	Items          []itemView `json:"items"`
	CreatedAt      time.Time  `json:"created_at"`
}

const maxCandidateRef = 200

func (s *Server) createAssessment(c *gin.Context) {
	var req createAssessmentRequest
	if err := decodeJSON(c, 64<<10, &req); err != nil {
		s.fail(c, err)
		return
	}
	pa, langs, err := s.validateAssessment(&req)
	if err != nil {
		s.fail(c, err)
		return
	}
	tok, hash, err := store.NewToken()
	if err != nil {
		s.fail(c, err)
		return
	}
	a, err := s.st.CreateAssessment(c.Request.Context(), store.Assessment{
		CandidateRef:  req.CandidateRef,
		PackID:        s.pack.ID,
		PackVersion:   s.pack.Version,
		AssessmentKey: pa.ID,
		Languages:     langs,
		Status:        "open",
	}, hash)
	if err != nil {
		s.fail(c, err)
		return
	}
	logger(c).Info("assessment created", "assessment_id", a.ID, "pack_assessment", pa.ID, "languages", langs)
	c.Header("Location", "/v1/assessments/"+a.ID)
	respond(c, http.StatusCreated, createAssessmentResponse{
		ID:             a.ID,
		CandidateRef:   a.CandidateRef,
		AssessmentID:   pa.ID,
		PackVersion:    a.PackVersion,
		Languages:      langs,
		Status:         a.Status,
		CandidateToken: tok,
		Items:          itemsFor(pa, langs),
		CreatedAt:      a.CreatedAt,
	})
}

func (s *Server) validateAssessment(req *createAssessmentRequest) (*rubrics.Assessment, []string, error) {
	req.CandidateRef = strings.TrimSpace(req.CandidateRef)
	switch {
	case req.CandidateRef == "":
		return nil, nil, fieldError("candidate_ref.missing", "/candidate_ref", "candidate_ref is required")
	case utf8.RuneCountInString(req.CandidateRef) > maxCandidateRef:
		return nil, nil, fieldError("candidate_ref.invalid", "/candidate_ref", "candidate_ref is longer than 200 characters")
	case strings.IndexFunc(req.CandidateRef, unicode.IsControl) >= 0:
		return nil, nil, fieldError("candidate_ref.invalid", "/candidate_ref", "candidate_ref must not hold control characters")
	}
	if req.AssessmentID == "" {
		return nil, nil, fieldError("assessment.missing", "/assessment_id", "assessment_id is required")
	}
	pa, ok := s.pack.Assessment(req.AssessmentID)
	if !ok {
		return nil, nil, fieldError("assessment.unknown", "/assessment_id", "the rubric pack has no assessment "+quote(req.AssessmentID))
	}
	if len(req.Languages) == 0 {
		return nil, nil, fieldError("languages.missing", "/languages", "languages must list at least one language")
	}
	var langs []string
	for i, l := range req.Languages {
		ptr := "/languages/" + itoa(i)
		if !s.langs[l] {
			return nil, nil, fieldError("language.unsupported", ptr, "language "+quote(l)+" is not configured on this server")
		}
		if len(itemsFor(pa, []string{l})) == 0 {
			return nil, nil, fieldError("language.unsupported", ptr, "assessment "+quote(pa.ID)+" has no items in "+quote(l))
		}
		if !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	return pa, langs, nil
}

// itemsFor lists the items of pa available in each language, in pack order.
func itemsFor(pa *rubrics.Assessment, langs []string) []itemView {
	out := []itemView{}
	for _, l := range langs {
		for _, it := range pa.Items {
			p := it.Prompt(l)
			if p == "" {
				continue
			}
			out = append(out, itemView{Item: it.ID, Language: l, Kind: it.Kind, Skill: it.Skill, Prompt: p, Passage: it.Passage(l)})
		}
	}
	return out
}

// progressItem is an item with the candidate's state.
type progressItem struct {
	itemView
	Answered   bool   `json:"answered"`
	ResponseID string `json:"response_id,omitempty"`
	Status     string `json:"status,omitempty"`
}

// assessmentView is GET /v1/assessments/{id}. Candidates get the progress
// fields only; staff also get the candidate reference and every response with
// its result.
type assessmentView struct {
	ID           string         `json:"id"`
	AssessmentID string         `json:"assessment_id"`
	Languages    []string       `json:"languages"`
	Status       string         `json:"status"`
	Answered     int            `json:"answered"`
	Total        int            `json:"total"`
	Items        []progressItem `json:"items"`
	CreatedAt    time.Time      `json:"created_at"`

	CandidateRef string         `json:"candidate_ref,omitempty"`
	PackID       string         `json:"pack_id,omitempty"`
	PackVersion  string         `json:"pack_version,omitempty"`
	Responses    []responseView `json:"responses,omitempty"`
	// Warnings name what the view cannot show, with the code and detail of
	// the problem a request that needs it gets (assessment.pack_changed).
	Warnings []warning `json:"warnings,omitempty"`
}

// warning is a problem that did not stop a staff view.
type warning struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

func (s *Server) getAssessment(c *gin.Context) {
	id, tok, ok := s.assessmentInPath(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	a, err := s.st.GetAssessment(ctx, id)
	if err != nil {
		s.fail(c, notFound(err, "assessment"))
		return
	}
	candidate := tok.Role == store.RoleCandidate
	pa, packErr := s.packAssessment(a, candidate)
	if packErr != nil && candidate {
		// Without the pack entry there are no items to show progress on;
		// an empty list would read as "nothing left to answer".
		s.fail(c, packErr)
		return
	}
	rs, err := s.st.ListResponses(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := assessmentView{
		ID: a.ID, AssessmentID: a.AssessmentKey, Languages: a.Languages, Status: a.Status,
		CreatedAt: a.CreatedAt, Items: []progressItem{},
	}
	// The latest response per item and language is the one that counts.
	latest := map[[2]string]store.Response{}
	for _, r := range rs {
		latest[[2]string{r.ItemID, r.Language}] = r
	}
	if pa != nil {
		for _, it := range itemsFor(pa, a.Languages) {
			p := progressItem{itemView: it}
			if r, ok := latest[[2]string{it.Item, it.Language}]; ok {
				p.Answered, p.ResponseID, p.Status = true, r.ID, r.Status
				v.Answered++
			}
			v.Items = append(v.Items, p)
		}
	}
	v.Total = len(v.Items)
	if !candidate {
		// Staff still see the stored answers and grades, which do not
		// depend on the pack, with the problem that hides the items.
		var ae *apiError
		if errors.As(packErr, &ae) {
			v.Warnings = append(v.Warnings, warning{Code: ae.code, Detail: ae.detail})
		}
		v.CandidateRef, v.PackID, v.PackVersion = a.CandidateRef, a.PackID, a.PackVersion
		v.Responses = []responseView{}
		for _, r := range rs {
			v.Responses = append(v.Responses, viewResponse(r, true))
		}
	}
	respond(c, http.StatusOK, v)
}

// responseView is a stored response. Text, transcript, attempts, errors and
// the result are staff-only: a candidate sees that an answer arrived and its
// status, never a score.
type responseView struct {
	ID           string          `json:"id"`
	AssessmentID string          `json:"assessment_id"`
	Item         string          `json:"item"`
	Language     string          `json:"language"`
	Kind         string          `json:"kind"`
	Status       string          `json:"status"`
	CreatedAt    time.Time       `json:"created_at"`
	GradedAt     *time.Time      `json:"graded_at,omitempty"`
	Text         string          `json:"text,omitempty"`
	Transcript   string          `json:"transcript,omitempty"`
	AudioSHA256  string          `json:"audio_sha256,omitempty"`
	Attempts     int             `json:"attempts,omitempty"`
	LastError    string          `json:"last_error,omitempty"`
	RubricVer    string          `json:"rubric_version,omitempty"`
	Result       *grading.Result `json:"result,omitempty"`
}

func viewResponse(r store.Response, staff bool) responseView {
	v := responseView{
		ID: r.ID, AssessmentID: r.AssessmentID, Item: r.ItemID, Language: r.Language,
		Kind: r.Kind, Status: r.Status, CreatedAt: r.CreatedAt, GradedAt: r.GradedAt,
	}
	if staff {
		v.Text, v.Transcript, v.AudioSHA256 = r.Text, r.Transcript, r.AudioSHA256
		v.Attempts, v.LastError, v.RubricVer, v.Result = r.Attempts, r.LastError, r.RubricVersion, r.Result
	}
	return v
}

func (s *Server) getResponse(c *gin.Context) {
	id, err := pathID(c, "response")
	if err != nil {
		s.fail(c, err)
		return
	}
	r, err := s.st.GetResponse(c.Request.Context(), id)
	if err != nil {
		s.fail(c, notFound(err, "response"))
		return
	}
	tok := token(c)
	if boundElsewhere(tok, r.AssessmentID) {
		// Same answer as a missing id: another candidate's response does not
		// exist as far as this token can tell.
		s.fail(c, notFound(store.ErrNotFound, "response"))
		return
	}
	respond(c, http.StatusOK, viewResponse(r, tok.Role != store.RoleCandidate))
}

// boundElsewhere reports whether tok is a candidate token bound to an
// assessment other than id.
func boundElsewhere(tok store.Token, id string) bool {
	return tok.Role == store.RoleCandidate && tok.AssessmentID != id
}

// assessmentInPath reads the assessment id of the route. It answers 403
// and reports false when the request's token is bound to another assessment,
// then 404 when the id is malformed (checked in that order, so a candidate
// learns nothing about ids that are not theirs).
func (s *Server) assessmentInPath(c *gin.Context) (string, store.Token, bool) {
	id, tok := c.Param("id"), token(c)
	if boundElsewhere(tok, id) {
		s.fail(c, errorf(http.StatusForbidden, "auth.forbidden", "this token is bound to another assessment"))
		return id, tok, false
	}
	if _, err := pathID(c, "assessment"); err != nil {
		s.fail(c, err)
		return id, tok, false
	}
	return id, tok, true
}

// notFound gives store.ErrNotFound a resource-specific code.
func notFound(err error, what string) error {
	if isNotFound(err) {
		return errorf(http.StatusNotFound, what+".not_found", "no such "+what)
	}
	return err
}
