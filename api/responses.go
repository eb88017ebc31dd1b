package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/langassess/langassess/audio"
	"github.com/langassess/langassess/rubrics"
	"github.com/langassess/langassess/store"
	"github.com/langassess/langassess/worker"
)

// writtenRequest is the JSON body of a written answer.
type writtenRequest struct {
	Item     string `json:"item"`
	Language string `json:"language"`
	Text     string `json:"text"`
}

// answer is a decoded response of either kind.
type answer struct {
	kind       string // rubrics.KindWritten or rubrics.KindSpoken
	item       string
	language   string
	text       string
	transcript string
	audio      []byte
	hasAudio   bool
}

const maxIdempotencyKey = 255

func (s *Server) createResponse(c *gin.Context) {
	id, tok, ok := s.assessmentInPath(c)
	if !ok {
		return
	}
	key := c.GetHeader("Idempotency-Key")
	if len(key) > maxIdempotencyKey || strings.IndexFunc(key, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0 {
		s.fail(c, errorf(http.StatusBadRequest, "idempotency_key.invalid", "Idempotency-Key must be 1-255 visible ASCII characters"))
		return
	}

	// Decode.
	var ans answer
	var err error
	switch mediaType(c) {
	case "application/json":
		ans, err = s.decodeWritten(c)
	case "multipart/form-data":
		ans, err = s.decodeSpoken(c)
	default:
		err = unsupportedType("application/json (written answer) or multipart/form-data (spoken answer)")
	}
	if err != nil {
		s.fail(c, err)
		return
	}

	// Validate against the assessment and the pack.
	ctx := c.Request.Context()
	a, err := s.st.GetAssessment(ctx, id)
	if err != nil {
		s.fail(c, notFound(err, "assessment"))
		return
	}
	sum := ""
	if ans.hasAudio {
		h := sha256.Sum256(ans.audio)
		sum = hex.EncodeToString(h[:])
	}
	staffView := tok.Role != store.RoleCandidate
	// A retry of an answer already stored is answered from the store before
	// the checks for new answers: the service acknowledged it, and a pack
	// change or a closed assessment since does not undo that.
	if key != "" {
		r, err := s.st.ResponseByKey(ctx, id, key)
		if err == nil {
			s.replayResponse(c, r, ans, sum, staffView)
			return
		}
		if !errors.Is(err, store.ErrNotFound) {
			s.fail(c, err)
			return
		}
	}
	if a.Status != "" && a.Status != "open" {
		s.fail(c, errorf(http.StatusConflict, "assessment.closed", "the assessment is "+a.Status+" and takes no more answers"))
		return
	}
	pa, err := s.packAssessment(a, tok.Role == store.RoleCandidate)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.validateAnswer(&ans, a, pa); err != nil {
		s.fail(c, err)
		return
	}

	// Store: one row, or the existing one for a repeated Idempotency-Key
	// (a concurrent retry that passed the lookup above).
	r, created, err := s.st.CreateResponse(ctx, store.Response{
		AssessmentID:   id,
		ItemID:         ans.item,
		Language:       ans.language,
		Kind:           ans.kind,
		Text:           ans.text,
		Transcript:     ans.transcript,
		Audio:          ans.audio,
		AudioSHA256:    sum,
		IdempotencyKey: key,
		RequestHash:    requestHash(ans, sum),
		Status:         store.StatusPending,
		RubricVersion:  s.pack.Ref(), // id@version+digest, as the engine records with scores
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	if !created {
		s.replayResponse(c, r, ans, sum, staffView)
		return
	}
	log := logger(c).With("response_id", r.ID)
	log.Info("response stored", "kind", r.Kind, "item", r.ItemID, "language", r.Language)

	// Grade now when the engine is quick; whatever happens the answer is
	// already stored and the worker finishes the job.
	r.Audio = ans.audio
	r, _ = s.worker.GradeNow(ctx, log, r, a.AssessmentKey)
	c.Header("Location", "/v1/responses/"+r.ID)
	respond(c, http.StatusCreated, viewResponse(r, staffView))
}

func (s *Server) decodeWritten(c *gin.Context) (answer, error) {
	// Room for the text cap in the worst JSON escaping (\uXXXX\uXXXX for a
	// 4-byte rune) plus the other fields.
	max := int64(s.cfg.MaxTextChars)*12 + 16<<10
	var req writtenRequest
	if err := decodeJSON(c, max, &req); err != nil {
		return answer{}, err
	}
	return answer{kind: rubrics.KindWritten, item: req.Item, language: req.Language, text: req.Text}, nil
}

// decodeSpoken streams a multipart body: the form fields item, language,
// optional transcript, and one audio part with the WAV file.
func (s *Server) decodeSpoken(c *gin.Context) (answer, error) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxUploadBytes)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return answer{}, errorf(http.StatusBadRequest, "body.malformed", "the multipart body has no boundary")
	}
	ans := answer{kind: rubrics.KindSpoken}
	seen := map[string]bool{}
	fieldCap := int64(s.cfg.MaxTextChars)*4 + 1
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return answer{}, multipartError(err, s.cfg.MaxUploadBytes)
		}
		name := p.FormName()
		if seen[name] {
			return answer{}, errorf(http.StatusBadRequest, "body.malformed", "the part "+quote(name)+" appears twice")
		}
		seen[name] = true
		switch name {
		case "audio":
			b, err := io.ReadAll(p)
			if err != nil {
				return answer{}, multipartError(err, s.cfg.MaxUploadBytes)
			}
			ans.audio, ans.hasAudio = b, true
		case "item", "language", "transcript":
			b, err := io.ReadAll(io.LimitReader(p, fieldCap))
			if err != nil {
				return answer{}, multipartError(err, s.cfg.MaxUploadBytes)
			}
			if !utf8.Valid(b) {
				return answer{}, fieldError(name+".invalid", "/"+name, name+" must be UTF-8 text")
			}
			v := string(b)
			switch name {
			case "item":
				ans.item = v
			case "language":
				ans.language = v
			default:
				if int64(len(b)) >= fieldCap {
					return answer{}, fieldError("transcript.too_long", "/transcript", fmt.Sprintf("transcript is longer than %d characters", s.cfg.MaxTextChars))
				}
				ans.transcript = v
			}
		default:
			ae := errorf(http.StatusBadRequest, "body.unknown_field", "unknown part "+quote(name))
			ae.pointer = "/" + pointerToken(name)
			return answer{}, ae
		}
	}
	return ans, nil
}

func multipartError(err error, max int64) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return tooLarge(max)
	}
	return errorf(http.StatusBadRequest, "body.malformed", "the multipart body is malformed")
}

// validateAnswer checks the answer against the assessment: the item exists
// and suits the kind of answer, the language is one of the assessment's, the
// text fits, and a recording decodes. Nothing is stored before this passes.
func (s *Server) validateAnswer(ans *answer, a store.Assessment, pa *rubrics.Assessment) error {
	if ans.item == "" {
		return fieldError("item.missing", "/item", "item is required")
	}
	if ans.language == "" {
		return fieldError("language.missing", "/language", "language is required")
	}
	it, ok := pa.Item(ans.item)
	if !ok {
		return fieldError("item.unknown", "/item", "assessment "+quote(pa.ID)+" has no item "+quote(ans.item))
	}
	if !slices.Contains(a.Languages, ans.language) {
		return fieldError("language.unsupported", "/language", "language "+quote(ans.language)+" is not part of this assessment")
	}
	if it.Prompt(ans.language) == "" {
		return fieldError("language.unsupported", "/language", "item "+quote(it.ID)+" is not offered in "+quote(ans.language))
	}
	spokenItem := it.Kind == rubrics.KindSpoken
	if spokenItem != (ans.kind == rubrics.KindSpoken) {
		want := "a JSON written answer"
		if spokenItem {
			want = "a multipart spoken answer with an audio part"
		}
		return fieldError("item.kind_mismatch", "/item", "item "+quote(it.ID)+" is "+it.Kind+" and takes "+want)
	}
	if ans.kind == rubrics.KindWritten {
		return s.validateText("text", ans.text, true)
	}
	if err := s.validateText("transcript", ans.transcript, false); err != nil {
		return err
	}
	if !ans.hasAudio || len(ans.audio) == 0 {
		return fieldError("audio.missing", "/audio", "a spoken answer needs an audio part with a WAV file")
	}
	if _, err := audio.Decode(ans.audio, s.cfg.AudioLimits); err != nil {
		var fe *audio.FormatError
		if errors.As(err, &fe) {
			return fieldError("audio.invalid", "/audio", fe.Reason)
		}
		// Unreachable today: every error path of audio.Decode (size check,
		// walkChunks, readFormat, channel/rate/encoding/duration checks)
		// returns a *FormatError, and audio's FuzzDecode fails on any other
		// error. Kept as a 500 because a new error kind there would be a
		// decoder fault, not something the client sent.
		return fmt.Errorf("decode audio: %w", err)
	}
	return nil
}

// packAssessment finds the pack entry an assessment was created from. When
// the pack this server runs no longer has it (the server was restarted with
// a pack without that assessment), the assessment's items, rubrics and
// skills are unknown here: 409 assessment.pack_changed, with what to do for
// the candidate or for staff. Stored answers and grades are untouched.
func (s *Server) packAssessment(a store.Assessment, candidate bool) (*rubrics.Assessment, error) {
	if pa, ok := s.pack.Assessment(a.AssessmentKey); ok {
		return pa, nil
	}
	return nil, packChanged(a, s.pack, candidate)
}

func packChanged(a store.Assessment, pack *rubrics.Pack, candidate bool) *apiError {
	detail := "this assessment's questions are no longer available, so it cannot be taken or shown now; " +
		"please contact the organisation that invited you (your answers so far are kept)"
	if !candidate {
		from := ""
		if a.PackID != "" {
			from = " of rubric pack " + a.PackID + " " + a.PackVersion
		}
		detail = fmt.Sprintf("assessment %s was created from assessment %s%s, "+
			"and the pack this server runs (%s %s) has no assessment %s: restart the server with a pack that has it "+
			"(LANGASSESS_PACK_DIR), or create a new assessment for the candidate; stored answers and grades are kept",
			a.ID, quote(a.AssessmentKey), from, pack.ID, pack.Version, quote(a.AssessmentKey))
	}
	return errorf(http.StatusConflict, codePackChanged, detail)
}

// codePackChanged is the problem code (and worker failure reason prefix)
// for an assessment whose pack entry is gone.
const codePackChanged = worker.CodePackChanged

func (s *Server) validateText(field, text string, required bool) error {
	if required && strings.TrimSpace(text) == "" {
		return fieldError(field+".empty", "/"+field, field+" is empty")
	}
	if !storable(text) {
		return fieldError(field+".invalid", "/"+field, field+" must be UTF-8 text without NUL characters")
	}
	if n := utf8.RuneCountInString(text); n > s.cfg.MaxTextChars {
		return fieldError(field+".too_long", "/"+field, fmt.Sprintf("%s has %d characters; the limit is %d", field, n, s.cfg.MaxTextChars))
	}
	return nil
}

// requestHash identifies the content of an answer, not its bytes on the
// wire: a retried multipart body gets a new boundary but is the same answer.
// replayResponse answers a retry with the response stored under its
// Idempotency-Key: 200 with the stored result, or 422 when the key came
// with a different answer.
func (s *Server) replayResponse(c *gin.Context, r store.Response, ans answer, audioSHA string, staffView bool) {
	if r.RequestHash != requestHash(ans, audioSHA) {
		s.fail(c, errorf(http.StatusUnprocessableEntity, "idempotency_key.reused",
			"this Idempotency-Key was already used with a different request"))
		return
	}
	if r.Status == store.StatusPending && time.Since(r.CreatedAt) < s.worker.GradeTimeout() {
		// A concurrent retry: the first request is grading it now.
		r, _ = s.worker.Await(c.Request.Context(), logger(c), r)
	}
	c.Header("Idempotent-Replayed", "true")
	c.Header("Location", "/v1/responses/"+r.ID)
	respond(c, http.StatusOK, viewResponse(r, staffView))
}

func requestHash(ans answer, audioSHA string) string {
	b, _ := json.Marshal([]string{ans.kind, ans.item, ans.language, ans.text, ans.transcript, audioSHA})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
