package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// TestKill9 kills a process that is storing responses as fast as it can
// and checks that every response it acknowledged survived, exactly once,
// and that the SQLite file is intact.
//
// kill -9 loses what the process had not handed to the kernel; the
// fsync that synchronous=FULL adds on each commit matters for power loss,
// which a test cannot simulate. What this shows is that an acknowledgement
// is only given after the commit, and that no acknowledged row is lost or
// duplicated by the crash and the reopening.

const (
	crashChildEnv = "LANGASSESS_STORE_CRASH_CHILD" // "url|dir" for the child
	crashAcks     = 200                            // acknowledgements before the kill
)

func TestKill9(t *testing.T) {
	t.Run(DialectSQLite, func(t *testing.T) { kill9(t, "", t.TempDir()) })
	t.Run(DialectPostgres, func(t *testing.T) {
		if pgTestURL == "" {
			t.Skipf("PostgreSQL tests disabled: set %s", pgEnv)
		}
		kill9(t, pgSchemaURL(t), "")
	})
}

func kill9(t *testing.T, dbURL, dir string) {
	ctx := t.Context()
	s, err := Open(ctx, dbURL, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	a := newAssessment(t, s, "crash")
	s.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dbURL+"|"+dir+"|"+a.ID)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()     // when a check below fails before the kill
	acked := map[string]string{} // key -> id
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		key, id, ok := strings.Cut(lines.Text(), " ")
		if !ok {
			t.Fatalf("child wrote %q", lines.Text())
		}
		acked[key] = id
		if len(acked) == crashAcks {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Lines already in the pipe when the kill landed were acknowledged too.
	err = cmd.Wait()
	if len(acked) < crashAcks {
		t.Fatalf("child stopped after %d acknowledgements: %v", len(acked), err)
	}

	s, err = Open(ctx, dbURL, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for key, id := range acked {
		r, err := s.GetResponse(ctx, id)
		if err != nil || r.IdempotencyKey != key {
			t.Errorf("acknowledged %s (%s): %+v %v", key, id, r, err)
		}
	}
	rows := count(t, s, `SELECT count(*) FROM responses WHERE assessment_id = $1`, a.ID)
	keys := count(t, s, `SELECT count(DISTINCT idempotency_key) FROM responses WHERE assessment_id = $1`, a.ID)
	if rows != keys || rows < len(acked) {
		t.Errorf("%d rows with %d distinct keys, %d acknowledged: want one row per key and every acknowledged one", rows, keys, len(acked))
	}
	if s.Dialect() == DialectSQLite {
		var check string
		if err := s.r.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
			t.Errorf("integrity_check: %q %v", check, err)
		}
	}
	t.Logf("%d acknowledged before the kill landed, %d rows stored", len(acked), rows)
}

// crashChild stores responses until it is killed, printing "key id" after
// each commit.
func crashChild() int {
	parts := strings.SplitN(os.Getenv(crashChildEnv), "|", 3)
	ctx := context.Background()
	s, err := Open(ctx, parts[0], parts[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// Bounded, so a parent that failed before killing us leaves no
	// orphan writing forever.
	for i := range 50 * crashAcks {
		key := fmt.Sprint("key-", i)
		r, _, err := s.CreateResponse(ctx, Response{AssessmentID: parts[2], ItemID: "w1", Language: "de",
			Kind: KindWritten, Text: "text", IdempotencyKey: key})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Printf("%s %s\n", key, r.ID)
	}
	return 0
}
