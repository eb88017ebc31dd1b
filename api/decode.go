package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// mediaType is the request's media type without parameters ("" when absent
// or unparsable).
func mediaType(c *gin.Context) string {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil {
		return ""
	}
	return mt
}

func unsupportedType(want string) *apiError {
	return errorf(http.StatusUnsupportedMediaType, "content_type.unsupported", "Content-Type must be "+want)
}

// decodeJSON reads one JSON object into dst: at most max bytes, unknown
// fields rejected, nothing after the object. Gin's Bind family is avoided on
// purpose: it writes its own 400 before ours.
func decodeJSON(c *gin.Context, max int64, dst any) error {
	if mediaType(c) != "application/json" {
		return unsupportedType("application/json")
	}
	body := http.MaxBytesReader(c.Writer, c.Request.Body, max)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err, max)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge(max)
		}
		return errorf(http.StatusBadRequest, "body.malformed", "the body must hold exactly one JSON object")
	}
	return nil
}

func tooLarge(max int64) *apiError {
	return errorf(http.StatusRequestEntityTooLarge, "body.too_large", fmt.Sprintf("the body exceeds %d bytes", max))
}

// jsonError maps encoding/json errors to problems without echoing the body.
func jsonError(err error, max int64) *apiError {
	var (
		mbe *http.MaxBytesError
		se  *json.SyntaxError
		te  *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &mbe):
		return tooLarge(max)
	case errors.Is(err, io.EOF):
		return errorf(http.StatusBadRequest, "body.malformed", "the body is empty")
	case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(http.StatusBadRequest, "body.malformed", "the body is not valid JSON")
	case errors.As(err, &te):
		ae := errorf(http.StatusBadRequest, "body.malformed", typeDetail(te))
		if te.Field != "" {
			ae.pointer = "/" + strings.ReplaceAll(te.Field, ".", "/")
		}
		return ae
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no typed error for this one.
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		ae := errorf(http.StatusBadRequest, "body.unknown_field", fmt.Sprintf("unknown field %q", name))
		ae.pointer = "/" + pointerToken(name)
		return ae
	default:
		return errorf(http.StatusBadRequest, "body.malformed", "the body is not a valid JSON object")
	}
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "slice":
		return "an array"
	case "struct", "map":
		return "an object"
	default:
		return "a " + k
	}
}

func typeDetail(te *json.UnmarshalTypeError) string {
	if te.Field == "" {
		return "the body must be " + jsonKind(te.Type.Kind().String())
	}
	return fmt.Sprintf("field %q must be %s", te.Field, jsonKind(te.Type.Kind().String()))
}

// storable reports whether s can reach the database as text: PostgreSQL
// refuses a NUL byte and invalid UTF-8 with an error, which would surface as
// a 500 for what is bad input (SQLite would store it).
func storable(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// pathID is the :id path parameter, or a 404 with what's not_found code when
// no stored id could look like it.
func pathID(c *gin.Context, what string) (string, error) {
	id := c.Param("id")
	if !storable(id) {
		return "", errorf(http.StatusNotFound, what+".not_found", "no such "+what)
	}
	return id, nil
}

// pointerToken escapes a member name for a JSON pointer (RFC 6901: "~" as
// "~0", "/" as "~1").
func pointerToken(name string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(name)
}
