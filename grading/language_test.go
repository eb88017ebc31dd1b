package grading

import (
	"sync"
	"testing"
)

var lingua9 = sync.OnceValues(func() (*Lingua, error) { return NewLingua(DefaultLanguages) })

// TestLanguageCheckLingua runs the language check with the real detector on
// answers a candidate might give. It loads the models (about 1.5 s).
func TestLanguageCheckLingua(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the lingua models")
	}
	det, err := lingua9()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, lang, text string
		detected         string
		flag             string // "" = no language flag
	}{
		{"english", "en", "Thank you for your message. We will refund the second payment to your credit card within five working days.", "en", ""},
		{"german for english", "en", "Vielen Dank für Ihre Nachricht. Wir erstatten Ihnen die zweite Zahlung innerhalb von fünf Werktagen auf Ihre Kreditkarte.", "de", FlagWrongLanguage},
		{"spanish for portuguese", "pt", "Muchas gracias por su mensaje. Le devolveremos el segundo pago en su tarjeta de crédito en un plazo de cinco días hábiles.", "es", FlagWrongLanguage},
		{"mixed", "en", "Thank you for your message, we are very sorry about the double charge on your card. We will refund the second payment within five working days. Die Schuhe können Sie natürlich behalten, und Sie müssen uns nichts zurückschicken. Wir wünschen Ihnen einen schönen Urlaub und gute Erholung.", "", FlagMixedLanguage},
		{"ok", "de", "OK", "", ""},
		{"name", "pl", "Anna Nowak", "", ""},
		{"number", "cs", "48213-K", "", ""},
		{"short reply", "fr", "Oui, merci.", "", ""},
		{"learner german", "de", "Ich habe ihre Anzeige gelesen und ich möchte mich bewerben, weil ich gerne mit Kinder arbeite. Ich bin flexibel und fur neuen Aufgaben ofen.", "de", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lc := checkLanguage(det, analyse(tt.text, tt.lang), tt.lang)
			if tt.detected != "" && lc.Result.Detected != tt.detected {
				t.Errorf("detected %q, want %q (%+v)", lc.Result.Detected, tt.detected, lc.Result)
			}
			var got string
			for _, f := range lc.Flags {
				got = f.Code
			}
			if got != tt.flag {
				t.Errorf("flag %q, want %q (result %+v, other share %v)", got, tt.flag, lc.Result, lc.OtherShare)
			}
		})
	}
}

func TestLanguageCheckThresholds(t *testing.T) {
	tests := []struct {
		name string
		conf map[string]float64
		text string
		flag string
	}{
		{"confident", map[string]float64{"en": 0.97, "de": 0.03}, "This is a perfectly normal English sentence for a test.", ""},
		{"wrong", map[string]float64{"en": 0.1, "de": 0.9}, "This is a perfectly normal English sentence for a test.", FlagWrongLanguage},
		{"unsure", map[string]float64{"en": 0.45, "nl": 0.35, "de": 0.2}, "This is a perfectly normal English sentence for a test.", FlagLowLanguageConfidence},
		{"short is never wrong", map[string]float64{"en": 0.0, "de": 1}, "Ja bitte", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lc := checkLanguage(fixedDetector(tt.conf), analyse(tt.text, "en"), "en")
			var got string
			for _, f := range lc.Flags {
				got = f.Code
			}
			if got != tt.flag {
				t.Errorf("flag %q, want %q", got, tt.flag)
			}
		})
	}
}

type fixedDetector map[string]float64

func (f fixedDetector) Confidences(string) map[string]float64 { return f }

// TestLinguaOneLanguage: a deployment configured for one language gets a
// detector (lingua alone needs two) whose contrast language still flags an
// answer in English; NewLingua refused one language before.
func TestLinguaOneLanguage(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the lingua models")
	}
	tests := []struct {
		only, lang, text string
		detected, flag   string
	}{
		{"de", "de", "Vielen Dank für Ihre Nachricht. Wir erstatten Ihnen die zweite Zahlung innerhalb von fünf Werktagen auf Ihre Kreditkarte.", "de", ""},
		{"de", "de", "Thank you for your message. We will refund the second payment to your credit card within five working days.", "en", FlagWrongLanguage},
		{"en", "en", "Vielen Dank für Ihre Nachricht. Wir erstatten Ihnen die zweite Zahlung innerhalb von fünf Werktagen auf Ihre Kreditkarte.", "de", FlagWrongLanguage},
	}
	dets := map[string]*Lingua{}
	for _, tt := range tests {
		det := dets[tt.only]
		if det == nil {
			d, err := NewLingua([]string{tt.only})
			if err != nil {
				t.Fatalf("NewLingua(%q): %v", tt.only, err)
			}
			dets[tt.only], det = d, d
		}
		lc := checkLanguage(det, analyse(tt.text, tt.lang), tt.lang)
		if lc.Result.Detected != tt.detected {
			t.Errorf("%s only: detected %q, want %q (%+v)", tt.only, lc.Result.Detected, tt.detected, lc.Result)
		}
		var got string
		for _, f := range lc.Flags {
			got = f.Code
		}
		if got != tt.flag {
			t.Errorf("%s only, %q: flag %q, want %q", tt.only, tt.detected, got, tt.flag)
		}
	}
	for _, bad := range [][]string{nil, {"xx"}, {"de", "zz"}} {
		if _, err := NewLingua(bad); err == nil {
			t.Errorf("NewLingua(%q): no error", bad)
		}
	}
}

func TestSupportedLanguage(t *testing.T) {
	for code, want := range map[string]bool{"de": true, "EN": true, " cs ": true, "xx": false, "": false, "eng": false} {
		if got := SupportedLanguage(code); got != want {
			t.Errorf("SupportedLanguage(%q) = %v, want %v", code, got, want)
		}
	}
}
