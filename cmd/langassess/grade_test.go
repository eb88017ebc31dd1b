package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/langassess/langassess/grading"
)

// needTool skips a test when an external program is missing, except under
// CI=true, where a missing tool is a broken CI set-up and fails the test.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed (CI must install it: see .ci/run)", name)
		}
		t.Skipf("%s is not installed; skipping (apt-get install %s)", name, name)
	}
	return p
}

func noEnv(string) string { return "" }

// gradeResult holds the result fields the evaluation tools read.
type gradeResult struct {
	ID     string `json:"id"`
	Level  string `json:"level"`
	Scores struct {
		Comprehension, Grammar, Vocabulary, Fluency *float64
	} `json:"scores"`
	Language *struct {
		Expected, Detected string
		Confidence         float64
	} `json:"language"`
	Flags []struct{ Code string } `json:"flags"`
	Audio *struct {
		Quality struct {
			Verdict string `json:"verdict"`
		} `json:"quality"`
		Fluency *struct {
			Syllables int `json:"syllables"`
		} `json:"fluency"`
	} `json:"audio"`
	EngineVersion string `json:"engine_version"`
	Error         string `json:"error"`
}

func runCLI(t *testing.T, in string, args ...string) (gradeResultsOut string, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	old := stdin
	stdin = strings.NewReader(in)
	defer func() { stdin = old }()
	err = run(context.Background(), args, noEnv, &out, &errb)
	return out.String(), errb.String(), err
}

const germanLetter = "Sehr geehrte Damen und Herren, vielen Dank für Ihre Nachricht. Es tut uns leid, dass Ihre Bestellung " +
	"beschädigt angekommen ist. Wir schicken Ihnen heute kostenlos ein neues Paket. Mit freundlichen Grüßen, Anna"

func TestGradeTextFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "answer.txt")
	if err := os.WriteFile(path, []byte(germanLetter), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		id    string
	}{
		{"file", []string{"grade", "--lang", "de", path}, "", path},
		{"stdin", []string{"grade", "--lang", "de", "-"}, germanLetter, "-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, err := runCLI(t, tc.stdin, tc.args...)
			if err != nil {
				t.Fatalf("%v; stderr %s", err, stderr)
			}
			var r gradeResult
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if r.ID != tc.id || r.Error != "" || r.EngineVersion == "" {
				t.Errorf("id %q error %q engine %q", r.ID, r.Error, r.EngineVersion)
			}
			if r.Language == nil || r.Language.Expected != "de" || r.Language.Detected != "de" {
				t.Errorf("language %+v, want de detected", r.Language)
			}
			if r.Scores.Vocabulary == nil || r.Scores.Fluency != nil || r.Level == "" {
				t.Errorf("written answer: vocabulary %v, fluency %v (want null), level %q", r.Scores.Vocabulary, r.Scores.Fluency, r.Level)
			}
		})
	}
}

// speechWAV synthesises a short English recording with espeak-ng.
func speechWAV(t *testing.T) string {
	espeak := needTool(t, "espeak-ng")
	path := filepath.Join(t.TempDir(), "speech.wav")
	cmd := exec.Command(espeak, "-v", "en", "-s", "150", "-w", path,
		"Good morning, thank you for calling. How can I help you today? I will check your order right away.")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v: %s", err, out)
	}
	return path
}

func TestGradeWAVFile(t *testing.T) {
	wav := speechWAV(t)
	out, stderr, err := runCLI(t, "", "grade", "--lang", "en", wav)
	if err != nil {
		t.Fatalf("%v; stderr %s", err, stderr)
	}
	var r gradeResult
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if r.Audio == nil || r.Audio.Quality.Verdict == "" {
		t.Fatalf("no audio report: %s", out)
	}
	if r.Audio.Fluency == nil || r.Audio.Fluency.Syllables < 10 || r.Scores.Fluency == nil {
		t.Errorf("fluency %+v, score %v: want syllables from a 20-syllable sentence", r.Audio.Fluency, r.Scores.Fluency)
	}
	if r.Scores.Vocabulary != nil {
		t.Errorf("a recording without transcript got a vocabulary score")
	}
}

func TestGradeUnusableInput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.wav")
	os.WriteFile(path, []byte("RIFF\x24\x00\x00\x00WAVEfmt "), 0o644)
	out, _, err := runCLI(t, "", "grade", "--lang", "en", path)
	if err == nil {
		t.Errorf("a corrupt WAV exits 0")
	}
	var r gradeResult
	if jerr := json.Unmarshal([]byte(out), &r); jerr != nil {
		t.Fatalf("%v: %s", jerr, out)
	}
	if !strings.HasPrefix(r.Error, "audio.invalid") {
		t.Errorf("error %q, want audio.invalid", r.Error)
	}
	if _, _, err := runCLI(t, "", "grade", "--lang", "en", "--item", "no-such-item", path); err == nil {
		t.Errorf("an unknown item exits 0")
	}
}

// TestGradeJSONL grades 1,000 lines with some bad ones mixed in: one result
// a line, in input order, bad lines answered with an error.
func TestGradeJSONL(t *testing.T) {
	wav := speechWAV(t)
	texts := map[string]string{
		"de": germanLetter,
		"en": "Dear customer, thank you for your message. We are sorry your parcel arrived damaged and will send a new one today.",
		"fr": "Madame, Monsieur, merci pour votre message. Nous sommes désolés et nous vous envoyons un nouveau colis aujourd'hui.",
	}
	langs := []string{"de", "en", "fr"}
	var in strings.Builder
	wantErr := map[int]string{}
	const n = 1000
	for i := range n {
		id := fmt.Sprintf("a%04d", i)
		l := langs[i%3]
		var line string
		switch {
		case i%97 == 5:
			line, wantErr[i] = `{"id":"`+id+`","lang":`, "not a JSON object"
		case i%97 == 6:
			line, wantErr[i] = `{"id":"`+id+`","text":"no language"}`, `"lang" is required`
		case i%97 == 7:
			line, wantErr[i] = `{"id":"`+id+`","lang":"en","audio":"/no/such/file.wav"}`, "no such file"
		case i%97 == 8:
			line, wantErr[i] = `{"id":"`+id+`","lang":"xx","text":"hello"}`, "language.unsupported"
		case i%50 == 0:
			b, _ := json.Marshal(map[string]string{"id": id, "lang": "en", "audio": wav})
			line = string(b)
		default:
			b, _ := json.Marshal(map[string]string{"id": id, "lang": l, "text": texts[l], "label": "B1"})
			line = string(b)
		}
		in.WriteString(line + "\n")
	}
	out, stderr, err := runCLI(t, in.String(), "grade", "--jsonl")
	if err != nil {
		t.Fatalf("%v; stderr %s", err, stderr)
	}
	if stderr != "" && strings.Contains(stderr, "\r[") {
		t.Errorf("progress bar drawn on a non-terminal stderr")
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	i := 0
	for ; sc.Scan(); i++ {
		var r gradeResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		id := fmt.Sprintf("a%04d", i)
		if want, bad := wantErr[i]; bad {
			if !strings.Contains(r.Error, want) {
				t.Errorf("line %d: error %q, want it to mention %q", i+1, r.Error, want)
			}
			if i%97 != 5 && r.ID != id { // a line that does not parse has no id
				t.Errorf("line %d: id %q, want %q", i+1, r.ID, id)
			}
			continue
		}
		if r.ID != id {
			t.Fatalf("line %d: id %q, want %q (output out of order)", i+1, r.ID, id)
		}
		if r.Error != "" || r.EngineVersion == "" {
			t.Errorf("line %d: error %q", i+1, r.Error)
		}
		if i%50 == 0 && (r.Audio == nil || r.Audio.Fluency == nil) {
			t.Errorf("line %d: audio answer without fluency", i+1)
		}
		if i%50 != 0 && (r.Language == nil || r.Language.Detected != langs[i%3]) {
			t.Errorf("line %d: language %+v, want %s", i+1, r.Language, langs[i%3])
		}
	}
	if i != n {
		t.Errorf("%d result lines, want %d", i, n)
	}
}

// TestGradeJSONLCancelled: cancelling (Ctrl-C) while lines are queued ends
// the run with the cancellation. Before, a line could be queued for output
// but never for grading, and the writer waited for its result forever.
func TestGradeJSONLCancelled(t *testing.T) {
	eng, err := grading.New(context.Background(), grading.Config{Languages: []string{"en", "de"}})
	if err != nil {
		t.Fatal(err)
	}
	g := &gradeCLI{eng: eng, pack: eng.Pack()}
	var in strings.Builder
	for i := range 200 {
		fmt.Fprintf(&in, `{"id":"a%d","lang":"en","text":"Thank you for your message."}`+"\n", i)
	}
	for range 20 { // the hang depended on which ready select case won
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		done := make(chan error, 1)
		go func() { done <- g.jsonl(ctx, strings.NewReader(in.String()), io.Discard, io.Discard, 2) }()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("error %v, want context.Canceled", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("jsonl did not return after cancellation")
		}
	}
}

// TestGradeJSONLLongLine: a line over the line limit is answered with an
// error result in its place and the lines after it are still graded. Before,
// the scanner's "token too long" ended the whole run after the first line.
func TestGradeJSONLLongLine(t *testing.T) {
	good := func(id string) string {
		return `{"id":"` + id + `","lang":"en","text":"Dear customer, thank you for your message. We will send a new parcel today."}`
	}
	long := `{"id":"big","lang":"en","text":"` + strings.Repeat("a", 5<<20) + `"}`
	tests := []struct {
		name, in string
	}{
		{"LF", good("a1") + "\n" + long + "\n" + good("a2") + "\n"},
		// CRLF ends, and a last line without a newline, as bufio.ScanLines took them.
		{"CRLF, no final newline", good("a1") + "\r\n" + long + "\r\n\r\n" + good("a2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, err := runCLI(t, tt.in, "grade", "--jsonl")
			if err != nil {
				t.Fatalf("%v; stderr %s", err, stderr)
			}
			var got []gradeResult
			dec := json.NewDecoder(strings.NewReader(out))
			for dec.More() {
				var r gradeResult
				if err := dec.Decode(&r); err != nil {
					t.Fatal(err)
				}
				got = append(got, r)
			}
			if len(got) != 3 {
				t.Fatalf("%d results, want 3: %s", len(got), out)
			}
			if got[0].ID != "a1" || got[0].Error != "" || got[2].ID != "a2" || got[2].Error != "" {
				t.Errorf("good lines: %+v and %+v, want a1 and a2 graded", got[0], got[2])
			}
			if got[1].ID != "" || !strings.Contains(got[1].Error, "line 2:") || !strings.Contains(got[1].Error, "longer than") {
				t.Errorf("long line: id %q error %q, want no id and a line-2 length error", got[1].ID, got[1].Error)
			}
		})
	}
}
