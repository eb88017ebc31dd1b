package store

import (
	"errors"
	"testing"
)

func TestTokens(t *testing.T) {
	migrated(t, func(t *testing.T, s *Store, clk *clock) {
		ctx := t.Context()
		a := newAssessment(t, s, "cand-1")
		cases := []struct {
			name    string
			hash    []byte
			tok     Token
			wantErr error // nil: created; errAny: some validation error
		}{
			{"admin", hash("admin"), Token{Role: RoleAdmin, Name: "ops"}, nil},
			{"grader", hash("grader"), Token{Role: RoleGrader}, nil},
			{"planner", hash("planner"), Token{Role: RolePlanner}, nil},
			{"candidate", hash("cand"), Token{Role: RoleCandidate, AssessmentID: a.ID}, nil},
			{"same hash again", hash("admin"), Token{Role: RoleGrader}, ErrConflict},
			{"candidate of unknown assessment", hash("c2"), Token{Role: RoleCandidate, AssessmentID: "nope"}, ErrNotFound},
			{"unknown role", hash("r"), Token{Role: "root"}, errAny},
			{"candidate without assessment", hash("c3"), Token{Role: RoleCandidate}, errAny},
			{"staff bound to an assessment", hash("g2"), Token{Role: RoleGrader, AssessmentID: a.ID}, errAny},
			{"hash not SHA-256", []byte("short"), Token{Role: RoleAdmin}, errAny},
		}
		for _, c := range cases {
			got, err := s.CreateToken(ctx, c.hash, c.tok)
			if c.wantErr != nil {
				if err == nil || (c.wantErr != errAny && !errors.Is(err, c.wantErr)) {
					t.Errorf("%s: error %v, want %v", c.name, err, c.wantErr)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if got.ID == 0 || !got.CreatedAt.Equal(clk.now()) {
				t.Errorf("%s: id %d created %v, want an id and %v", c.name, got.ID, got.CreatedAt, clk.now())
			}
			found, err := s.TokenByHash(ctx, c.hash)
			if err != nil {
				t.Fatalf("%s: lookup: %v", c.name, err)
			}
			if found != got {
				t.Errorf("%s: lookup %+v, want %+v", c.name, found, got)
			}
		}
		if _, err := s.TokenByHash(ctx, hash("never created")); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown hash: %v, want ErrNotFound", err)
		}
		// Only the hash is stored: the plaintext finds nothing.
		if _, err := s.TokenByHash(ctx, []byte("admin")); !errors.Is(err, ErrNotFound) {
			t.Errorf("plaintext lookup: %v, want ErrNotFound", err)
		}
		g, err := s.TokenByHash(ctx, hash("grader"))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeToken(ctx, g.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenByHash(ctx, hash("grader")); !errors.Is(err, ErrNotFound) {
			t.Errorf("revoked token: %v, want ErrNotFound", err)
		}
		if err := s.RevokeToken(ctx, g.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("revoke twice: %v, want ErrNotFound", err)
		}
	})
}

// errAny marks a case that must fail with any error.
var errAny = errors.New("any error")
