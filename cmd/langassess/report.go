package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/langassess/langassess/grading/placement"
	"github.com/langassess/langassess/internal/cli"
	"github.com/langassess/langassess/reports"
	"github.com/langassess/langassess/rubrics"
)

// runReport prints the planner reports from the database the server uses
// (same settings as serve), built by the same code as the HTTP routes.
func runReport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const synopsis = "langassess report placement|agreement|trend [--from DATE] [--to DATE] [--language LANG] [--channel CH] [--interval day|week|month] [--format table|csv|json] [flags]"
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintf(stdout, "Usage: %s\n\nplacement: per language x channel, candidates assessed, complete, eligible, pending review,\nlevel distribution, median time to decision and coverage of the queue catalog's demand.\nagreement: grader decisions vs the machine per language and dimension (n, QWK, exact,\nadjacent, SMD).\ntrend: per language x channel and day, week or month (UTC), candidates who became complete\nand qualify or not, and candidates pending review at the period's end.\n\nRun 'langassess report placement --help' for the flags.\n", synopsis)
		return nil
	}
	kind := args[0]
	if !slices.Contains(reports.Kinds, kind) {
		return fmt.Errorf("report: unknown report %q (want placement, agreement or trend)", kind)
	}
	fs := flag.NewFlagSet("report "+kind, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := cli.Register(fs, getenv, cli.SettingsStore|cli.SettingsEngine)
	from := fs.String("from", "", "from this time (RFC 3339) or date (YYYY-MM-DD, UTC); placement: assessments created, agreement: decisions made, trend: languages completed (default: 11 periods before the last)")
	to := fs.String("to", "", "up to this time, exclusive; a date includes the whole day (trend default: the end of the current period)")
	lang := fs.String("language", "", "one language (ISO 639-1)")
	channel := fs.String("channel", "", "placement and trend: voice, chat or email")
	interval := fs.String("interval", "", "trend only: day, week (default) or month, in UTC")
	format := fs.String("format", "table", "table, csv or json")
	fs.Usage = cli.Usage(fs, stdout, synopsis)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("report %s: unexpected arguments %q", kind, fs.Args())
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("report %s: %w", kind, err)
	}
	if !slices.Contains([]string{"table", "csv", "json"}, *format) {
		return fmt.Errorf("report %s: --format must be table, csv or json", kind)
	}
	pack, err := cfg.Pack()
	if err != nil {
		return fmt.Errorf("report %s: %w", kind, err)
	}
	intervalSet := false
	fs.Visit(func(f *flag.Flag) { intervalSet = intervalSet || f.Name == "interval" })
	q, err := reports.ParseQuery(kind, reports.Params{From: *from, To: *to, Language: *lang, Channel: *channel,
		Interval: *interval, IntervalSet: intervalSet, Prefix: "--"}, pack, time.Now())
	if err != nil {
		return fmt.Errorf("report %s: %w", kind, err)
	}
	st, err := cfg.OpenStore(ctx)
	if err != nil {
		return fmt.Errorf("report %s: %w", kind, err)
	}
	defer st.Close()

	if kind == "placement" {
		r, err := reports.Placement(ctx, st, pack, q)
		if err != nil {
			return fmt.Errorf("report placement: %w", err)
		}
		return printReport(stdout, *format, r, func(tw *tabwriter.Writer) {
			fmt.Fprintln(tw, "LANGUAGE\tCHANNEL\tASSESSED\tCOMPLETE\tELIGIBLE\tPENDING REVIEW\tDEMAND\tCOVERAGE\tMEDIAN TO DECISION\tLEVELS")
			for _, row := range r.Rows {
				cov, med := "-", "-"
				if row.Coverage != nil {
					cov = fmt.Sprintf("%.0f%%", 100**row.Coverage)
				}
				if row.MedianTimeToDecisionSec != nil {
					med = fmt.Sprintf("%.1fh", *row.MedianTimeToDecisionSec/3600)
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", row.Language, row.Channel, row.Assessed, row.Complete,
					row.Eligible, row.PendingReview, row.Demand, cov, med, levelSummary(row.Levels))
			}
		})
	}
	if kind == "trend" {
		r, err := reports.Trend(ctx, st, pack, q)
		if err != nil {
			return fmt.Errorf("report trend: %w", err)
		}
		return printReport(stdout, *format, r, func(tw *tabwriter.Writer) {
			fmt.Fprintln(tw, "LANGUAGE\tCHANNEL\tPERIOD\tQUALIFIED\tNOT QUALIFIED\tPENDING REVIEW")
			for _, row := range r.Rows {
				for _, p := range row.Periods {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\n", row.Language, row.Channel, periodName(p.Start, r.Interval),
						p.Qualified, p.NotQualified, p.PendingReview)
				}
			}
		})
	}
	r, err := reports.Agreement(ctx, st, pack, q)
	if err != nil {
		return fmt.Errorf("report agreement: %w", err)
	}
	return printReport(stdout, *format, r, func(tw *tabwriter.Writer) {
		fmt.Fprintln(tw, "LANGUAGE\tDIMENSION\tN\tQWK\tEXACT\tADJACENT\tSMD")
		for _, row := range r.Rows {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\n", row.Language, row.Dimension, row.N, row.QWK, row.Exact, row.Adjacent, row.SMD)
		}
	})
}

// periodName is how the table names a period: 2026-03 for a month,
// 2026-W10 (ISO week) for a week, the date for a day.
func periodName(start time.Time, interval string) string {
	switch interval {
	case placement.IntervalMonth:
		return start.Format("2006-01")
	case placement.IntervalWeek:
		y, w := start.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	}
	return start.Format(time.DateOnly)
}

type csvReport interface{ WriteCSV(io.Writer) error }

func printReport(w io.Writer, format string, r csvReport, table func(*tabwriter.Writer)) error {
	switch format {
	case "csv":
		return r.WriteCSV(w)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	table(tw)
	return tw.Flush()
}

// levelSummary is "speaking B1:3 B2:5; reading ..." over the skills shown.
func levelSummary(levels map[string]map[string]int) string {
	var parts []string
	for _, s := range rubrics.Skills {
		dist, ok := levels[s]
		if !ok {
			continue
		}
		var ls []string
		for _, l := range rubrics.Levels {
			if dist[l] > 0 {
				ls = append(ls, fmt.Sprintf("%s:%d", l, dist[l]))
			}
		}
		if len(ls) == 0 {
			ls = []string{"-"}
		}
		parts = append(parts, s+" "+strings.Join(ls, " "))
	}
	return strings.Join(parts, "; ")
}
