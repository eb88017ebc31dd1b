package api

import (
	"context"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/langassess/langassess/reports"
	"github.com/langassess/langassess/rubrics"
	"github.com/langassess/langassess/store"
)

// Planner reports: the reports package builds them, for the HTTP routes
// here and the `langassess report` command alike.

var reporters = []string{store.RoleAdmin, store.RolePlanner}

// reportQuery reads the query parameters of report name and checks them
// with the reports package's one validation.
func (s *Server) reportQuery(c *gin.Context, name string) (reports.Query, error) {
	_, intervalSet := c.GetQuery("interval")
	q, err := reports.ParseQuery(name, reports.Params{
		From: c.Query("from"), To: c.Query("to"), Language: c.Query("language"),
		Channel: c.Query("channel"), Interval: c.Query("interval"), IntervalSet: intervalSet,
	}, s.pack, time.Now())
	if err != nil {
		return q, errorf(http.StatusBadRequest, "query.invalid", err.Error())
	}
	return q, nil
}

// wantsCSV: ?format=csv, or an Accept header that prefers text/csv over
// JSON (the first of the two it names).
func wantsCSV(c *gin.Context) (bool, error) {
	switch c.Query("format") {
	case "csv":
		return true, nil
	case "json":
		return false, nil
	case "":
	default:
		return false, errorf(http.StatusBadRequest, "query.invalid", "format must be json or csv")
	}
	for _, part := range strings.Split(c.GetHeader("Accept"), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "text/csv":
			return true, nil
		case "application/json", "*/*":
			return false, nil
		}
	}
	return false, nil
}

type csvWriter interface{ WriteCSV(io.Writer) error }

func (s *Server) writeReport(c *gin.Context, name string, csvOut bool, v csvWriter) {
	if !csvOut {
		respond(c, http.StatusOK, v)
		return
	}
	var b strings.Builder
	if err := v.WriteCSV(&b); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", []byte(b.String()))
}

func (s *Server) placementReport(c *gin.Context) {
	serveReport(s, c, reports.KindPlacement, reports.Placement)
}

func (s *Server) agreementReport(c *gin.Context) {
	serveReport(s, c, reports.KindAgreement, reports.Agreement)
}

func (s *Server) trendReport(c *gin.Context) {
	serveReport(s, c, reports.KindTrend, reports.Trend)
}

// serveReport is every report route: read the query (with the filters
// the report has) and the format, build, write.
func serveReport[R csvWriter](s *Server, c *gin.Context, name string,
	build func(context.Context, reports.Store, *rubrics.Pack, reports.Query) (R, error)) {
	q, err := s.reportQuery(c, name)
	if err != nil {
		s.fail(c, err)
		return
	}
	csvOut, err := wantsCSV(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	r, err := build(c.Request.Context(), s.st, s.pack, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.writeReport(c, name, csvOut, r)
}
