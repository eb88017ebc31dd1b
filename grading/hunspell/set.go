package hunspell

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// DefaultDir is where Debian's hunspell-* packages install dictionaries.
const DefaultDir = "/usr/share/hunspell"

// ErrNoDictionary means no dictionary file exists for a language.
var ErrNoDictionary = errors.New("hunspell: no dictionary for language")

// fileNames maps ISO 639-1 codes to Debian dictionary base names, the
// preferred one first.
var fileNames = map[string][]string{
	"cs": {"cs_CZ"},
	"da": {"da_DK"},
	"de": {"de_DE", "de_AT", "de_CH"},
	"en": {"en_US", "en_GB"},
	"es": {"es_ES", "es_MX"},
	"fr": {"fr_FR", "fr"},
	"hu": {"hu_HU"},
	"it": {"it_IT"},
	"nb": {"nb_NO"},
	"nl": {"nl_NL", "nl"},
	"pl": {"pl_PL"},
	"pt": {"pt_PT", "pt_BR"},
	"ro": {"ro_RO"},
	"ru": {"ru_RU"},
	"sk": {"sk_SK"},
	"sv": {"sv_SE", "sv_FI"},
	"uk": {"uk_UA"},
}

// variants are the languages whose national spellings are all correct for
// a customer-support answer: a Speller accepts a word any installed
// variant accepts ("colour" and "color"). German is not here on purpose:
// de_CH writes "Strasse", which a German test should not accept.
var variants = map[string][]string{
	"en": {"en_US", "en_GB"},
	"pt": {"pt_PT", "pt_BR"},
}

// Files returns the .aff and .dic paths of the preferred dictionary for
// lang in dir, or ErrNoDictionary.
func Files(dir, lang string) (aff, dic string, err error) {
	names := fileNames[lang]
	if len(names) == 0 {
		names = []string{lang}
	}
	for _, n := range names {
		if exists(dir, n) {
			return filepath.Join(dir, n+".aff"), filepath.Join(dir, n+".dic"), nil
		}
	}
	return "", "", fmt.Errorf("%w %q in %s", ErrNoDictionary, lang, dir)
}

func exists(dir, name string) bool {
	for _, ext := range []string{".aff", ".dic"} {
		if _, err := os.Stat(filepath.Join(dir, name+ext)); err != nil {
			return false
		}
	}
	return true
}

// Names returns the base names of the dictionaries a Speller for lang
// uses in dir (for example en_US and en_GB), preferred first; none when
// no dictionary exists.
func Names(dir, lang string) []string {
	var out []string
	for _, n := range variants[lang] {
		if exists(dir, n) {
			out = append(out, n)
		}
	}
	if len(out) > 0 {
		return out
	}
	aff, _, err := Files(dir, lang)
	if err != nil {
		return nil
	}
	return []string{filepath.Base(aff[:len(aff)-len(".aff")])}
}

// Set loads dictionaries on first use. Safe for concurrent use; a failed
// load is remembered, not retried (the files will not change while the
// service runs).
type Set struct {
	dir string
	mu  sync.Mutex
	m   map[string]*entry // by file base name
	sp  map[string]*spellerEntry
}

type entry struct {
	once sync.Once
	d    *Dictionary
	err  error
}

type spellerEntry struct {
	once sync.Once
	s    *Speller
	err  error
}

// NewSet returns a Set reading from dir ("" means DefaultDir).
func NewSet(dir string) *Set {
	if dir == "" {
		dir = DefaultDir
	}
	return &Set{dir: dir, m: map[string]*entry{}, sp: map[string]*spellerEntry{}}
}

// Dir is the directory the set reads.
func (s *Set) Dir() string { return s.dir }

// load returns the dictionary with base name n, loading it once.
func (s *Set) load(n string) (*Dictionary, error) {
	s.mu.Lock()
	e := s.m[n]
	if e == nil {
		e = &entry{}
		s.m[n] = e
	}
	s.mu.Unlock()
	e.once.Do(func() {
		e.d, e.err = Load(filepath.Join(s.dir, n+".aff"), filepath.Join(s.dir, n+".dic"))
	})
	return e.d, e.err
}

// Get returns the preferred dictionary for lang (ISO 639-1), loading it
// once. The error wraps ErrNoDictionary when no file exists.
func (s *Set) Get(lang string) (*Dictionary, error) {
	aff, _, err := Files(s.dir, lang)
	if err != nil {
		return nil, err
	}
	return s.load(filepath.Base(aff[:len(aff)-len(".aff")]))
}

// Speller returns the spell checker for lang: every installed national
// variant where several are acceptable (English, Portuguese), else the
// preferred dictionary. The error wraps ErrNoDictionary when none exists.
func (s *Set) Speller(lang string) (*Speller, error) {
	s.mu.Lock()
	e := s.sp[lang]
	if e == nil {
		e = &spellerEntry{}
		s.sp[lang] = e
	}
	s.mu.Unlock()
	e.once.Do(func() {
		names := Names(s.dir, lang)
		if len(names) == 0 {
			e.err = fmt.Errorf("%w %q in %s", ErrNoDictionary, lang, s.dir)
			return
		}
		sp := &Speller{names: names}
		for _, n := range names {
			d, err := s.load(n)
			if err != nil {
				e.err = err
				return
			}
			sp.dicts = append(sp.dicts, d)
		}
		e.s = sp
	})
	return e.s, e.err
}

// Preload loads the spellers of the given languages concurrently and
// returns the errors other than a missing dictionary (which Speller
// reports per call).
func (s *Set) Preload(langs ...string) error {
	var wg sync.WaitGroup
	errs := make([]error, len(langs))
	for i, l := range langs {
		wg.Go(func() {
			if _, err := s.Speller(l); err != nil && !errors.Is(err, ErrNoDictionary) {
				errs[i] = err
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Speller checks one language with one dictionary or the union of its
// national variants. Safe for concurrent use.
type Speller struct {
	names []string
	dicts []*Dictionary
}

// Names are the dictionaries' base names, preferred first ("en_US").
func (s *Speller) Names() []string { return slices.Clone(s.names) }

// Spell reports whether any of the dictionaries accepts word.
func (s *Speller) Spell(word string) bool {
	for _, d := range s.dicts {
		if d.Spell(word) {
			return true
		}
	}
	return false
}

// SpellExact reports whether any dictionary accepts word exactly as
// written (see Dictionary.SpellExact).
func (s *Speller) SpellExact(word string) bool {
	for _, d := range s.dicts {
		if d.SpellExact(word) {
			return true
		}
	}
	return false
}

// Words splits text as the preferred dictionary's parser does.
func (s *Speller) Words(text string) []Span { return s.dicts[0].Words(text) }

// Suggest returns up to MaxSuggestions suggestions, the preferred
// dictionary's first.
func (s *Speller) Suggest(word string) []string {
	if s.Spell(word) {
		return nil
	}
	var out []string
	for _, d := range s.dicts {
		for _, c := range d.Suggest(word) {
			if len(out) < MaxSuggestions && !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
		if len(out) >= MaxSuggestions {
			break
		}
	}
	return out
}

// StemFlags is Dictionary.StemFlags on the preferred dictionary (flags
// differ between dictionaries).
func (s *Speller) StemFlags(word, flags string) (stem, has bool) {
	return s.dicts[0].StemFlags(word, flags)
}
