package hunspell

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// DefaultDir is where Debian's hunspell-* packages install dictionaries.
const DefaultDir = "/usr/share/hunspell"

// ErrNoDictionary means no dictionary file exists for a language.
var ErrNoDictionary = errors.New("hunspell: no dictionary for language")

// fileNames maps ISO 639-1 codes to Debian dictionary base names, first
// match wins.
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

// Files returns the .aff and .dic paths for lang in dir, or
// ErrNoDictionary.
func Files(dir, lang string) (aff, dic string, err error) {
	names := fileNames[lang]
	if len(names) == 0 {
		names = []string{lang}
	}
	for _, n := range names {
		aff, dic = filepath.Join(dir, n+".aff"), filepath.Join(dir, n+".dic")
		if _, err := os.Stat(dic); err == nil {
			if _, err := os.Stat(aff); err == nil {
				return aff, dic, nil
			}
		}
	}
	return "", "", fmt.Errorf("%w %q in %s", ErrNoDictionary, lang, dir)
}

// Set loads one dictionary per language on first use. Safe for concurrent
// use; a failed load is remembered, not retried (the files will not change
// while the service runs).
type Set struct {
	dir string
	mu  sync.Mutex
	m   map[string]*entry
}

type entry struct {
	once sync.Once
	d    *Dictionary
	err  error
}

// NewSet returns a Set reading from dir ("" means DefaultDir).
func NewSet(dir string) *Set {
	if dir == "" {
		dir = DefaultDir
	}
	return &Set{dir: dir, m: map[string]*entry{}}
}

// Dir is the directory the set reads.
func (s *Set) Dir() string { return s.dir }

// Get returns the dictionary for lang (ISO 639-1), loading it once. The
// error wraps ErrNoDictionary when no file exists.
func (s *Set) Get(lang string) (*Dictionary, error) {
	s.mu.Lock()
	e := s.m[lang]
	if e == nil {
		e = &entry{}
		s.m[lang] = e
	}
	s.mu.Unlock()
	e.once.Do(func() {
		aff, dic, err := Files(s.dir, lang)
		if err != nil {
			e.err = err
			return
		}
		e.d, e.err = Load(aff, dic)
	})
	return e.d, e.err
}

// Preload loads the given languages concurrently and returns the first
// error other than a missing dictionary (which Get reports per call).
func (s *Set) Preload(langs ...string) error {
	var wg sync.WaitGroup
	errs := make([]error, len(langs))
	for i, l := range langs {
		wg.Go(func() {
			if _, err := s.Get(l); err != nil && !errors.Is(err, ErrNoDictionary) {
				errs[i] = err
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
