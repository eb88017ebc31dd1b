package hunspell

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

func loadTest(t testing.TB, name string) *Dictionary {
	t.Helper()
	d, err := Load(filepath.Join("testdata", name+".aff"), filepath.Join("testdata", name+".dic"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// spellTests are checked against Spell and, where the hunspell command is
// installed, against it too (TestSpellAgainstCommand).
var spellTests = []struct {
	dict string
	word string
	want bool
}{
	{"compound", "Haus", true},
	{"compound", "Hausen", true},                    // suffix
	{"compound", "haus", false},                     // ONLYINCOMPOUND stem
	{"compound", "Gartenhaus", true},                // COMPOUNDBEGIN via empty suffix + COMPOUNDEND
	{"compound", "Gartentür", true},                 // another end part
	{"compound", "Gartenhaustür", true},             // three parts, middle via COMPOUNDMIDDLE
	{"compound", "Arbeitstür", true},                // linking s only inside compounds
	{"compound", "Arbeits", false},                  // ... and not alone
	{"compound", "Gartenklar", false},               // klar cannot end a compound
	{"compound", "Türgarten", true},                 // Tür begins, garten ends
	{"compound", "unklar", true},                    // prefix
	{"compound", "Unklar", true},                    // sentence-initial capital
	{"compound", "UNKLAR", true},                    // all capitals
	{"compound", "uNKLAR", false},                   // mixed case is checked as typed
	{"compound", "Stamm", false},                    // NEEDAFFIX
	{"compound", "Stammen", true},                   // ... with an affix
	{"compound", "Foto", false},                     // FORBIDDENWORD
	{"compound", "iPod", true},                      // KEEPCASE as written
	{"compound", "IPOD", false},                     // KEEPCASE forbids other cases
	{"compound", "Straße", true},                    //
	{"compound", "STRASSE", true},                   // CHECKSHARPS
	{"compound", "Strasse", false},                  // ss is no ß outside capitals
	{"compound", "Haus-Tür", true},                  // BREAK on the hyphen
	{"compound", "Haus-Tüt", false},                 // ... both sides must be words
	{"compound", "Haus.", true},                     // trailing dot
	{"compound", "123", true},                       // numbers
	{"compound", "3.5", true},                       //
	{"compound", "1..2", true},                      // not a number, but BREAK on "." accepts it, as hunspell does
	{"compound", "Hau", false},                      //
	{"compound", strings.Repeat("Haus", 30), false}, // over the length limit
	{"long", "city", true},
	{"long", "citys", true},   // AF alias 1 = Aa Bb
	{"long", "cities", true},  // condition [^aeiou]y
	{"long", "boies", false},  // condition fails after a vowel
	{"long", "walked", true},  // AF alias 2 = Cc
	{"long", "walkeds", true}, // twofold suffix: Aa continues Cc
	{"long", "walks", false},  // Aa is not on walk itself
	{"num", "reworks", true},  // FLAG num: prefix 7 and suffix 1001 cross
	{"num", "plays", false},   // play has only 7
	{"num", "replay", true},   //
	{"utf8", "fastest", true}, // FLAG UTF-8
	{"utf8", "slower", false}, //
	{"utf8", "slowest", true}, //
	{"latin2", "ręka", true},  // ISO8859-2 converted
	{"latin2", "rękaą", true},
	{"latin2", "reka", false},
}

func TestSpell(t *testing.T) {
	dicts := map[string]*Dictionary{}
	for _, tt := range spellTests {
		d := dicts[tt.dict]
		if d == nil {
			d = loadTest(t, tt.dict)
			dicts[tt.dict] = d
		}
		if got := d.Spell(tt.word); got != tt.want {
			t.Errorf("%s: Spell(%q) = %v, want %v", tt.dict, tt.word, got, tt.want)
		}
	}
}

// TestSpellAgainstCommand runs the hunspell command on the test
// dictionaries, so the expectations above are Hunspell's, not ours.
func TestSpellAgainstCommand(t *testing.T) {
	bin, err := exec.LookPath("hunspell")
	if err != nil {
		t.Skip("hunspell command not installed")
	}
	byDict := map[string][]string{}
	for _, tt := range spellTests {
		if tt.dict != "latin2" && !strings.ContainsAny(tt.word, "\n") && len(tt.word) < 100 {
			byDict[tt.dict] = append(byDict[tt.dict], tt.word)
		}
	}
	rejected := map[string]bool{}
	for dict, words := range byDict {
		cmd := exec.Command(bin, "-d", filepath.Join("testdata", dict), "-i", "utf-8", "-L")
		cmd.Stdin = strings.NewReader(strings.Join(words, "\n") + "\n")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("hunspell: %v", err)
		}
		for _, l := range strings.Split(string(out), "\n") {
			rejected[dict+"/"+l] = true
		}
	}
	for _, tt := range spellTests {
		if _, ok := byDict[tt.dict]; !ok || !slices.Contains(byDict[tt.dict], tt.word) {
			continue
		}
		if hs := !rejected[tt.dict+"/"+tt.word]; hs != tt.want {
			t.Errorf("%s: hunspell says %q is %v, the table says %v", tt.dict, tt.word, hs, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	d := loadTest(t, "compound")
	tests := []struct {
		word string
		want string // must be among the suggestions
	}{
		{"haus", "Haus"},             // capitalisation
		{"Hasu", "Haus"},             // swap
		{"Hauss", "Haus"},            // deletion
		{"Gartenhuas", "Gartenhaus"}, // swap inside a compound
		{"Hsu", "Haus"},              // distance 2
	}
	for _, tt := range tests {
		got := d.Suggest(tt.word)
		if !slices.Contains(got, tt.want) {
			t.Errorf("Suggest(%q) = %q, want it to contain %q", tt.word, got, tt.want)
		}
		if len(got) > MaxSuggestions {
			t.Errorf("Suggest(%q) returned %d > %d", tt.word, len(got), MaxSuggestions)
		}
	}
	if got := d.Suggest("Haus"); got != nil {
		t.Errorf("Suggest(correct word) = %q, want nil", got)
	}
}

func TestWords(t *testing.T) {
	d := loadTest(t, "compound")
	text := "Das Haus-Tür, z.B. 12 Häuser!"
	var got []string
	for _, s := range d.Words(text) {
		got = append(got, text[s.Start:s.End])
	}
	want := []string{"Das", "Haus-Tür", "z.B.", "Häuser"}
	if !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, aff, dic, wantErr string
	}{
		{"bad flag mode", "FLAG weird\n", "1\na\n", "line 1: unknown FLAG"},
		{"short affix table", "SFX A Y 2\nSFX A 0 s .\n", "1\na/A\n", "line 1: SFX: affix class ends after 1 of 2"},
		{"bad encoding", "SET EBCDIC\n", "1\na\n", "unsupported SET"},
		{"alias out of range", "AF 1\nAF A\n", "1\na/7\n", "dic: line 2: flag alias 7"},
		{"empty dic", "", "", "empty file"},
		{"bad condition", "SFX A Y 1\nSFX A 0 s [ab\n", "1\na/A\n", "line 2: unclosed ["},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.aff), []byte(tt.dic))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: error %v, want it to contain %q", tt.name, err, tt.wantErr)
		}
	}
}

func TestSet(t *testing.T) {
	s := NewSet("testdata")
	fileNames["xx"] = []string{"compound"}
	defer delete(fileNames, "xx")
	var wg sync.WaitGroup
	got := make([]*Dictionary, 8)
	for i := range got {
		wg.Go(func() {
			d, err := s.Get("xx")
			if err != nil {
				t.Error(err)
			}
			got[i] = d
		})
	}
	wg.Wait()
	for _, d := range got[1:] {
		if d != got[0] {
			t.Fatal("Get loaded the dictionary more than once")
		}
	}
	if _, err := s.Get("zz"); !errors.Is(err, ErrNoDictionary) {
		t.Errorf("Get(zz) error = %v, want ErrNoDictionary", err)
	}
	if err := s.Preload("xx", "zz"); err != nil {
		t.Errorf("Preload with a missing language: %v", err)
	}
	sp, err := s.Speller("xx")
	if err != nil {
		t.Fatal(err)
	}
	if !sp.Spell("Gartenhaus") || sp.Spell("haus") || !slices.Equal(sp.Names(), []string{"compound"}) {
		t.Errorf("Speller(xx): Spell(Gartenhaus)=%v Spell(haus)=%v Names=%q", sp.Spell("Gartenhaus"), sp.Spell("haus"), sp.Names())
	}
}

// TestSystemDictionaries checks a few words per Debian dictionary where
// installed; the full comparison with the hunspell command is
// `langassess-eval spelling`.
func TestSystemDictionaries(t *testing.T) {
	tests := []struct {
		lang       string
		good, bad  []string
		sugg, want string
	}{
		{"de", []string{"Kundenservicemitarbeiterin", "Bahnhofsstraße", "STRASSE", "E-Mails", "z.B.", "geantwortet"}, []string{"haus", "Strasse", "Kunden-service"}, "Wohnug", "Wohnung"},
		{"en", []string{"customers", "don't", "21st", "well-known", "McDonald", "MCDONALD", "color"}, []string{"recieve", "Mcdonald", "22th"}, "recieve", "receive"},
		{"it", []string{"gentilissimi", "l'appartamento", "perché"}, []string{"perche'", "apartamento"}, "apartamento", "appartamento"},
		{"cs", []string{"děkuji", "nejkrásnější", "Praha"}, []string{"dekuji"}, "dekuji", "děkuji"},
		{"nl", []string{"klantenservicemedewerker", "ziekenhuis"}, []string{"ziekenhuiss"}, "", ""},
		{"pl", []string{"dziękuję", "żółć"}, []string{"dziekuje"}, "", ""},
	}
	s := NewSet(DefaultDir)
	for _, tt := range tests {
		d, err := s.Speller(tt.lang)
		if errors.Is(err, ErrNoDictionary) {
			t.Logf("%s: no system dictionary, skipped", tt.lang)
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		good := tt.good
		if slices.Contains(d.Names(), "en_GB") {
			good = append(good, "colour", "theatre")
		}
		for _, w := range good {
			if !d.Spell(w) {
				t.Errorf("%s: Spell(%q) = false, want true", tt.lang, w)
			}
		}
		for _, w := range tt.bad {
			if d.Spell(w) {
				t.Errorf("%s: Spell(%q) = true, want false", tt.lang, w)
			}
		}
		if tt.lang == "en" {
			if got := d.Suggest("dont"); len(got) == 0 || got[0] != "don't" {
				t.Errorf("en: Suggest(dont) = %q, want don't first", got)
			}
		}
		if tt.sugg != "" {
			if got := d.Suggest(tt.sugg); !slices.Contains(got, tt.want) {
				t.Errorf("%s: Suggest(%q) = %q, want %q among them", tt.lang, tt.sugg, got, tt.want)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, n := range []string{"compound", "long", "latin2", "num", "utf8"} {
		aff, _ := os.ReadFile(filepath.Join("testdata", n+".aff"))
		dic, _ := os.ReadFile(filepath.Join("testdata", n+".dic"))
		f.Add(aff, dic, "Gartenhaus")
	}
	f.Fuzz(func(t *testing.T, aff, dic []byte, word string) {
		d, err := Parse(aff, dic)
		if err != nil {
			return
		}
		// Checking and suggesting must not panic on any dictionary.
		d.Spell(word)
		if len(word) < 12 {
			d.Suggest(word)
		}
		d.Words(word)
	})
}

func TestConvert(t *testing.T) {
	tab := newConvTable([][2]string{{"’", "'"}, {"ﬁ", "fi"}, {"e\u0301", "é"}, {"ij", "ĳ"}, {"i", "i"}})
	tests := []struct{ in, want string }{
		{"don’t", "don't"},
		{"ﬁn", "fin"},
		{"cafe\u0301", "café"},
		{"bijna", "bĳna"}, // longest match wins over "i"
		{"plain", "plain"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := convert(tt.in, tab); got != tt.want {
			t.Errorf("convert(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := convert("x’", nil); got != "x’" {
		t.Errorf("convert with no table changed the word: %q", got)
	}
}

// TestWordsColon: Hunspell keeps a colon inside a word only between word
// characters (Swedish "ex:a"), so "exempel:" is the word "exempel".
func TestWordsColon(t *testing.T) {
	d, err := Parse([]byte("WORDCHARS :-\n"), []byte("1\nex\n"))
	if err != nil {
		t.Fatal(err)
	}
	text := "ex:a exempel: EU:s :x a::b"
	var got []string
	for _, s := range d.Words(text) {
		got = append(got, text[s.Start:s.End])
	}
	want := []string{"ex:a", "exempel", "EU:s", "x", "a", "b"}
	if !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
}
