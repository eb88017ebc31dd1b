package grading

import (
	"context"
	"slices"
	"sync"
)

// shingleWords is the shingle size: word 3-grams survive light edits of a
// copied answer yet rarely repeat between independent answers.
const shingleWords = 3

// shingles hashes the word 3-grams of folded words (FNV-1a, inline so a
// long answer costs no allocation per shingle).
func shingles(folds []string) []uint64 {
	if len(folds) < shingleWords {
		return nil
	}
	const offset, prime = 14695981039346656037, 1099511628211
	out := make([]uint64, 0, len(folds)-shingleWords+1)
	for i := 0; i+shingleWords <= len(folds); i++ {
		h := uint64(offset)
		for _, w := range folds[i : i+shingleWords] {
			for j := 0; j < len(w); j++ {
				h ^= uint64(w[j])
				h *= prime
			}
			h ^= 0 // word separator
			h *= prime
		}
		out = append(out, h)
	}
	return out
}

func shingleSet(folds []string) map[uint64]bool {
	out := map[uint64]bool{}
	for _, h := range shingles(folds) {
		out[h] = true
	}
	return out
}

// DuplicateIndex remembers earlier answers' shingles per item and language
// so a copied answer can be spotted. The engine keeps a bounded in-memory
// one by default; the API can back it by the store so replicas share it.
type DuplicateIndex interface {
	// MatchAndAdd returns the earlier answer under key most similar to
	// these shingles (similarity 0-1: the share of this answer's shingles
	// found in it), then records this answer under id. An answer never
	// matches itself (same id).
	MatchAndAdd(ctx context.Context, key, id string, sh []uint64) (otherID string, similarity float64, err error)
}

// MemoryIndex is a DuplicateIndex holding at most PerKey answers for each
// item and language, dropping the oldest first. Safe for concurrent use; the
// zero value keeps 2000 answers per key.
type MemoryIndex struct {
	PerKey int
	mu     sync.Mutex
	keys   map[string]*ring
}

// ring keeps each answer's shingles as a sorted slice without repeats: the
// same set as a map at 8 bytes a shingle rather than several times that, which
// matters at PerKey answers for every item and language.
type ring struct {
	ids  []string
	sets [][]uint64
	next int
}

// NewMemoryIndex returns an index keeping perKey answers per key.
func NewMemoryIndex(perKey int) *MemoryIndex {
	if perKey <= 0 {
		perKey = 2000
	}
	return &MemoryIndex{PerKey: perKey, keys: map[string]*ring{}}
}

// MatchAndAdd implements DuplicateIndex.
func (m *MemoryIndex) MatchAndAdd(_ context.Context, key, id string, sh []uint64) (string, float64, error) {
	if len(sh) == 0 {
		return "", 0, nil
	}
	set := slices.Clone(sh) // the caller's slice stays as it was
	slices.Sort(set)
	set = slices.Clip(slices.Compact(set))
	m.mu.Lock()
	defer m.mu.Unlock()
	perKey := m.PerKey
	if perKey <= 0 {
		perKey = 2000
	}
	if m.keys == nil {
		m.keys = map[string]*ring{}
	}
	r := m.keys[key]
	if r == nil {
		r = &ring{}
		m.keys[key] = r
	}
	bestID, best := "", 0.0
	self := -1
	for i, other := range r.sets {
		if r.ids[i] == id && id != "" {
			self = i
			continue
		}
		if s := float64(common(set, other)) / float64(len(set)); s > best {
			bestID, best = r.ids[i], s
		}
	}
	switch {
	case self >= 0:
		r.sets[self] = set // regrading the same answer replaces it
	case len(r.sets) < perKey:
		r.ids = append(r.ids, id)
		r.sets = append(r.sets, set)
	default:
		r.next %= len(r.sets) // PerKey may have shrunk since the ring filled
		r.ids[r.next], r.sets[r.next] = id, set
		r.next = (r.next + 1) % len(r.sets)
	}
	return bestID, best, nil
}

// common counts the values two sorted slices without repeats share.
func common(a, b []uint64) int {
	n := 0
	for len(a) > 0 && len(b) > 0 {
		switch {
		case a[0] < b[0]:
			a = a[1:]
		case a[0] > b[0]:
			b = b[1:]
		default:
			n++
			a, b = a[1:], b[1:]
		}
	}
	return n
}
