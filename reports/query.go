package reports

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/langassess/langassess/rubrics"
)

// Report names.
const (
	KindPlacement = "placement"
	KindAgreement = "agreement"
	KindTrend     = "trend"
)

// Kinds lists the reports.
var Kinds = []string{KindPlacement, KindAgreement, KindTrend}

// Params are a report's parameters as a caller received them (HTTP query,
// command-line flags), before validation. IntervalSet tells an interval
// given empty (an error) from one not given.
type Params struct {
	From, To, Language, Channel, Interval string
	IntervalSet                           bool
	// Prefix is put before a parameter's name in error messages: "" for
	// query parameters, "--" for flags.
	Prefix string
}

// ParamError is a parameter a report cannot accept. Param names it (from,
// to, language, channel, interval); the message says what is wrong and is
// safe to show.
type ParamError struct {
	Param string
	Msg   string
}

func (e *ParamError) Error() string { return e.Msg }

func paramError(param, format string, args ...any) error {
	return &ParamError{Param: param, Msg: fmt.Sprintf(format, args...)}
}

// ParseQuery is the one validation of report parameters, shared by the
// HTTP routes and the command line: kind is one of Kinds, pack the rubric
// pack the languages are checked against, now the time a trend's default
// range ends at. A trend's range is resolved (TrendRange).
func ParseQuery(kind string, p Params, pack *rubrics.Pack, now time.Time) (Query, error) {
	var q Query
	if !slices.Contains(Kinds, kind) {
		return q, fmt.Errorf("unknown report %s (want placement, agreement or trend)", strconv.Quote(kind))
	}
	var err error
	n := func(param string) string { return p.Prefix + param }
	if q.From, err = ParseTime(p.From, false); err != nil {
		return q, paramError("from", "%s: %v", n("from"), err)
	}
	if q.To, err = ParseTime(p.To, true); err != nil {
		return q, paramError("to", "%s: %v", n("to"), err)
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return q, paramError("from", "%s must be before %s", n("from"), n("to"))
	}
	q.Language = p.Language
	if q.Language != "" && !pack.HasLanguage(q.Language) {
		return q, paramError("language", "%s %s is not a language of the rubric pack", n("language"), strconv.Quote(q.Language))
	}
	if p.Channel != "" {
		if kind == KindAgreement {
			return q, paramError("channel", "%s is only for the placement and trend reports", n("channel"))
		}
		if !slices.Contains(rubrics.Channels, p.Channel) {
			return q, paramError("channel", "%s must be voice, chat or email", n("channel"))
		}
		q.Channel = p.Channel
	}
	if p.Interval != "" || p.IntervalSet {
		if kind != KindTrend {
			return q, paramError("interval", "%s is only for the trend report", n("interval"))
		}
		if p.Interval == "" {
			return q, paramError("interval", "%s must be day, week or month", n("interval"))
		}
	}
	if kind == KindTrend {
		q.Interval = p.Interval
		if q, err = TrendRange(q, now); err != nil {
			var pe *ParamError
			if errors.As(err, &pe) {
				return q, err
			}
			return q, paramError("interval", "%v", err)
		}
	}
	return q, nil
}
