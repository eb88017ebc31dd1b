package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/langassess/langassess/grading"
	"github.com/langassess/langassess/internal/cli"
	"github.com/langassess/langassess/rubrics"
)

// stdin is where `grade -` and `grade --jsonl` read; tests replace it.
var stdin io.Reader = os.Stdin

// maxJSONLLine bounds one input line (a long essay fits many times over).
const maxJSONLLine = 4 << 20

func runGrade(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("grade", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := cli.Register(fs, getenv, cli.SettingsEngine|cli.SettingsLog)
	lang := fs.String("lang", "", "expected language of the answer (ISO 639-1); required without --jsonl")
	item := fs.String("item", "", "item id from the rubric pack; empty grades with the generic rubric of the skill")
	assessment := fs.String("assessment", "", "assessment id from the rubric pack; found from --item when unique")
	transcript := fs.String("transcript", "", "file with the transcript of a WAV answer (optional)")
	jsonl := fs.Bool("jsonl", false, `read JSON Lines from stdin: {"id","lang","item"?,"assessment"?,"text"|"audio": path,"transcript"?}; write one result a line in input order`)
	workers := fs.Int("j", runtime.GOMAXPROCS(0), "answers graded at once with --jsonl")
	fs.Usage = cli.Usage(fs, stdout, "langassess grade --lang LANG [--item ID] FILE|-\n       langassess grade --jsonl < answers.jsonl > results.jsonl\n\n"+
		"Grades answers without a server and prints grading results as JSON. FILE is a text\nfile or a WAV recording (told apart by content); - reads stdin.")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("grade: %w", err)
	}
	if *jsonl && fs.NArg() > 0 || !*jsonl && fs.NArg() != 1 {
		fs.Usage()
		return errors.New("grade: give exactly one FILE (or - for stdin), or --jsonl with no FILE")
	}
	if !*jsonl && *lang == "" {
		return errors.New("grade: --lang is required")
	}
	if *workers < 1 {
		return fmt.Errorf("grade: -j %d: must be at least 1", *workers)
	}
	pack, err := cfg.Pack()
	if err != nil {
		return fmt.Errorf("grade: %w", err)
	}
	eng, err := grading.New(ctx, cfg.EngineConfig(pack))
	if err != nil {
		return fmt.Errorf("grade: grading engine: %w", err)
	}
	g := &gradeCLI{eng: eng, pack: pack}
	if *jsonl {
		return g.jsonl(ctx, stdin, stdout, stderr, *workers)
	}

	in := grading.Input{ID: fs.Arg(0), Language: *lang, ItemID: *item, AssessmentID: *assessment}
	data, err := readInput(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("grade: %w", err)
	}
	if *transcript != "" {
		t, err := os.ReadFile(*transcript)
		if err != nil {
			return fmt.Errorf("grade: %w", err)
		}
		in.Transcript = string(t)
	}
	res, err := g.grade(ctx, in, data)
	if err != nil {
		return fmt.Errorf("grade: %w", err)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		return fmt.Errorf("grade: %w", err)
	}
	if res.Error != "" {
		return errors.New("grade: the answer cannot be graded: " + res.Error)
	}
	return nil
}

func readInput(name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(name)
}

// isWAV tells a recording from text by its RIFF/RF64 header.
func isWAV(b []byte) bool {
	return len(b) >= 12 && (bytes.Equal(b[:4], []byte("RIFF")) || bytes.Equal(b[:4], []byte("RF64"))) && bytes.Equal(b[8:12], []byte("WAVE"))
}

type gradeCLI struct {
	eng  *grading.Engine
	pack *rubrics.Pack
}

// grade grades one answer. An answer the engine cannot use (bad language,
// unknown item, corrupt WAV) becomes a result with Error set; only an engine
// failure is an error.
func (g *gradeCLI) grade(ctx context.Context, in grading.Input, data []byte) (grading.Result, error) {
	if isWAV(data) {
		in.Audio = data
	} else {
		in.Text = string(data)
	}
	if in.ItemID != "" && in.AssessmentID == "" {
		id, err := g.assessmentOf(in.ItemID)
		if err != nil {
			return grading.Result{ID: in.ID, Error: err.Error(), Flags: []grading.Flag{}}, nil
		}
		in.AssessmentID = id
	}
	res, err := g.eng.Grade(ctx, in)
	var ie *grading.InputError
	if errors.As(err, &ie) {
		return grading.Result{ID: in.ID, Error: ie.Code + ": " + ie.Detail, Flags: []grading.Flag{}, EngineVersion: grading.Version}, nil
	}
	if err != nil {
		return res, err
	}
	res.ID = in.ID
	return res, nil
}

// assessmentOf finds the one assessment holding item.
func (g *gradeCLI) assessmentOf(item string) (string, error) {
	var found []string
	for _, a := range g.pack.Assessments {
		if _, ok := a.Item(item); ok {
			found = append(found, a.ID)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", fmt.Errorf("item.unknown: pack %s has no item %q", g.pack.ID, item)
	default:
		return "", fmt.Errorf("item.ambiguous: item %q is in assessments %q: give --assessment", item, found)
	}
}

// jsonlLine is one input line. Unknown fields are ignored on purpose:
// evaluation scripts carry their labels along in the same objects.
type jsonlLine struct {
	ID         string  `json:"id"`
	Lang       string  `json:"lang"`
	Item       string  `json:"item"`
	Assessment string  `json:"assessment"`
	Text       *string `json:"text"`
	Audio      string  `json:"audio"`
	Transcript string  `json:"transcript"`
}

type gradeJob struct {
	line    []byte
	n       int
	tooLong bool // the line was over maxJSONLLine and discarded: answered with an error
	done    chan grading.Result
}

// readLine reads one line into buf without its "\n" or "\r\n", as
// bufio.ScanLines does. A line longer than max is read to its end and
// discarded (tooLong, empty line) rather than ending the run, so one
// oversized answer costs its own result only and memory stays bounded by
// max. err is io.EOF only when no line was left.
func readLine(br *bufio.Reader, buf []byte, max int) (line []byte, tooLong bool, err error) {
	read := false
	for {
		chunk, err := br.ReadSlice('\n')
		read = read || len(chunk) > 0
		if !tooLong {
			buf = append(buf, chunk...)
			// A trailing "\n" (and "\r") is not part of the line's length.
			content := len(bytes.TrimSuffix(bytes.TrimSuffix(buf, []byte("\n")), []byte("\r")))
			if content > max {
				tooLong, buf = true, buf[:0]
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && read:
			err = nil
		case err != nil:
			return buf, tooLong, err
		}
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		return bytes.TrimSuffix(buf, []byte("\r")), tooLong, nil
	}
}

// jsonl grades lines on a worker pool and writes the results in input order:
// the reader queues each job to the pool and then to the writer, which waits
// for them one by one; the queue's size bounds the memory held.
func (g *gradeCLI) jsonl(ctx context.Context, r io.Reader, stdout, stderr io.Writer, workers int) error {
	work := make(chan *gradeJob)
	order := make(chan *gradeJob, 4*workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var engineErr atomic.Pointer[error]

	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range work {
				if j.tooLong {
					j.done <- grading.Result{Error: fmt.Sprintf("line %d: longer than the %d-byte line limit", j.n, maxJSONLLine), Flags: []grading.Flag{}}
					continue
				}
				res, err := g.gradeLine(ctx, j.line, j.n)
				if err != nil {
					engineErr.CompareAndSwap(nil, &err)
					res = grading.Result{ID: res.ID, Error: "grading failed: " + err.Error(), Flags: []grading.Flag{}}
				}
				j.done <- res
			}
		})
	}

	readErr := make(chan error, 1)
	go func() {
		defer close(order)
		defer close(work)
		br := bufio.NewReaderSize(r, 64<<10)
		var buf []byte
		n := 0
		for {
			line, tooLong, err := readLine(br, buf[:0], maxJSONLLine)
			buf = line[:0]
			if err != nil {
				if err == io.EOF {
					err = nil
				}
				readErr <- err
				return
			}
			n++
			if !tooLong && len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			j := &gradeJob{line: bytes.Clone(line), n: n, tooLong: tooLong, done: make(chan grading.Result, 1)}
			// To the pool first: a job the writer waits for must have been
			// handed to a worker, or a cancellation between the two sends
			// leaves the writer waiting forever. A job graded but never
			// queued for output is only dropped, and done is buffered.
			select {
			case work <- j:
			case <-ctx.Done():
				readErr <- ctx.Err()
				return
			}
			select {
			case order <- j:
			case <-ctx.Done():
				readErr <- ctx.Err()
				return
			}
		}
	}()

	bar := newProgress(stderr)
	out := bufio.NewWriter(stdout)
	enc := json.NewEncoder(out)
	var writeErr error
	for j := range order {
		res := <-j.done
		if writeErr == nil {
			writeErr = enc.Encode(res)
		}
		bar.add(res.Error != "")
	}
	wg.Wait()
	bar.finish()
	if err := out.Flush(); writeErr == nil {
		writeErr = err
	}
	if err := <-readErr; err != nil {
		return fmt.Errorf("grade: read stdin: %w", err)
	}
	if writeErr != nil {
		return fmt.Errorf("grade: write: %w", writeErr)
	}
	if p := engineErr.Load(); p != nil {
		return fmt.Errorf("grade: some answers were not graded: %w", *p)
	}
	return nil
}

// gradeLine parses and grades one line; a bad line becomes a result with
// Error (never an abort), naming the line number.
func (g *gradeCLI) gradeLine(ctx context.Context, line []byte, n int) (grading.Result, error) {
	var l jsonlLine
	bad := func(msg string) (grading.Result, error) {
		return grading.Result{ID: l.ID, Error: fmt.Sprintf("line %d: %s", n, msg), Flags: []grading.Flag{}}, nil
	}
	if err := json.Unmarshal(line, &l); err != nil {
		return bad("not a JSON object: " + err.Error())
	}
	switch {
	case l.Lang == "":
		return bad(`"lang" is required`)
	case l.Text != nil && l.Audio != "":
		return bad(`give "text" or "audio", not both`)
	case l.Text == nil && l.Audio == "":
		return bad(`"text" or "audio" is required`)
	}
	in := grading.Input{ID: l.ID, Language: l.Lang, ItemID: l.Item, AssessmentID: l.Assessment, Transcript: l.Transcript}
	var data []byte
	if l.Text != nil {
		data = []byte(*l.Text)
		if isWAV(data) { // never mistake text for audio
			return bad(`"text" holds a WAV file`)
		}
	} else {
		b, err := os.ReadFile(l.Audio)
		if err != nil {
			return bad(err.Error())
		}
		if !isWAV(b) {
			return bad(l.Audio + " is not a WAV file")
		}
		data = b
	}
	return g.grade(ctx, in, data)
}

// progress draws a one-line counter on stderr when it is a terminal, and
// nothing otherwise (so logs and pipes stay clean).
type progress struct {
	w            io.Writer
	on           bool
	start, drawn time.Time
	n, errs      int
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

func (p *progress) add(failed bool) {
	p.n++
	if failed {
		p.errs++
	}
	if p.on && time.Since(p.drawn) > 100*time.Millisecond {
		p.draw()
	}
}

func (p *progress) draw() {
	p.drawn = time.Now()
	rate := float64(p.n) / max(time.Since(p.start).Seconds(), 1e-9)
	const width = 30
	filled := p.n / 10 % (width + 1) // total unknown on a stream: a moving bar
	bar := bytes.Repeat([]byte("="), filled)
	fmt.Fprintf(p.w, "\r[%-30s] %d graded, %d with errors, %.1f/s ", bar, p.n, p.errs, rate)
}

func (p *progress) finish() {
	if p.on {
		p.draw()
		fmt.Fprintln(p.w)
	}
}
