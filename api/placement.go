package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/langassess/langassess/grading/placement"
	"github.com/langassess/langassess/store"
)

// placementView is GET /v1/assessments/{id}/placement. While Complete is
// false the levels and queues are provisional: answers wait for grading or
// a review is open.
type placementView struct {
	AssessmentID string               `json:"assessment_id"`
	CandidateRef string               `json:"candidate_ref"`
	Complete     bool                 `json:"complete"`
	Languages    []placementLanguage  `json:"languages"`
	Eligible     []placement.Match    `json:"eligible"`
	NearMisses   []placement.NearMiss `json:"near_misses"`
	Exports      map[string]string    `json:"exports,omitempty"`
}

type placementLanguage struct {
	placement.Languages
	Complete bool `json:"complete"`
}

// placementOf reads an assessment and computes its final levels and
// placement.
func (s *Server) placementOf(c *gin.Context) (placementView, []placement.Languages, error) {
	id, err := pathID(c, "assessment")
	if err != nil {
		return placementView{}, nil, err
	}
	pc, err := s.st.PlacementAnswers(c.Request.Context(), id)
	if err != nil {
		return placementView{}, nil, notFound(err, "assessment")
	}
	if _, ok := s.pack.Assessment(pc.AssessmentKey); !ok {
		// Skills and weights of the answers come from the pack entry;
		// guessed ones could route an agent to the wrong queues.
		return placementView{}, nil, packChanged(store.Assessment{ID: pc.ID, AssessmentKey: pc.AssessmentKey}, s.pack, false)
	}
	placement.Resolve(s.pack, pc.AssessmentKey, pc.Answers)
	levels := placement.FinalLevels(pc.Answers)
	p := placement.Place(levels, s.pack.Queues())
	v := placementView{AssessmentID: pc.ID, CandidateRef: pc.CandidateRef, Complete: len(pc.Answers) > 0,
		Languages: []placementLanguage{}, Eligible: p.Eligible, NearMisses: p.NearMisses}
	for _, l := range levels {
		v.Languages = append(v.Languages, placementLanguage{Languages: l, Complete: l.Complete()})
		v.Complete = v.Complete && l.Complete()
	}
	if v.Complete {
		base := "/v1/assessments/" + pc.ID + "/placement/export?format="
		v.Exports = map[string]string{"amazon-connect": base + "amazon-connect", "genesys": base + "genesys"}
	}
	return v, levels, nil
}

func (s *Server) getPlacement(c *gin.Context) {
	v, _, err := s.placementOf(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	respond(c, http.StatusOK, v)
}

// exportPlacement writes the routing platform's request body for the
// candidate's language levels. Only a complete placement is exported: a
// provisional level pushed into routing would outlive the review that
// changes it.
func (s *Server) exportPlacement(c *gin.Context) {
	format := c.Query("format")
	if format != "amazon-connect" && format != "genesys" {
		s.fail(c, errorf(http.StatusBadRequest, "query.invalid", "format must be amazon-connect or genesys"))
		return
	}
	v, levels, err := s.placementOf(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if !v.Complete {
		s.fail(c, errorf(http.StatusConflict, "placement.incomplete",
			"the assessment is not complete: answers wait for grading or review"))
		return
	}
	var body any
	if format == "amazon-connect" {
		body, err = placement.AmazonConnect(levels, s.pack, s.cfg.ConnectLanguageNames)
	} else {
		body, err = placement.Genesys(levels, s.pack, s.cfg.GenesysLanguageIDs)
	}
	if errors.Is(err, placement.ErrUnmapped) {
		// Configuration, not the request, is missing something: say what.
		s.fail(c, errorf(http.StatusUnprocessableEntity, "export.unmapped", err.Error()))
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="placement-`+v.AssessmentID+`-`+format+`.json"`)
	respond(c, http.StatusOK, body)
}

// placementRoles read placements: staff, never the candidate (who sees
// progress only, as with scores).
var placementRoles = []string{store.RoleAdmin, store.RolePlanner, store.RoleGrader}
