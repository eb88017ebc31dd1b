package main

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/langassess/langassess/agreement"
	"github.com/langassess/langassess/audio"
)

// evalTexts are the synthetic corpus: per language two texts of three
// sentences without commas (so espeak-ng makes no pause inside a sentence).
// Text 0 of each language is the development half (defaults were chosen
// looking at it); text 1 is held out.
var evalTexts = map[string][2][3]string{
	"en": {
		{"Thank you for calling our customer service line today.", "I can see that your order was shipped on Monday morning.", "The parcel should arrive at your address before Friday."},
		{"Please tell me the number printed on your invoice.", "We will refund the full amount to your credit card.", "Is there anything else I can help you with today?"},
	},
	"de": {
		{"Vielen Dank für Ihren Anruf bei unserem Kundendienst.", "Ihre Bestellung wurde am Montag an Sie verschickt.", "Das Paket sollte bis Freitag bei Ihnen ankommen."},
		{"Bitte nennen Sie mir die Nummer auf Ihrer Rechnung.", "Wir erstatten Ihnen den vollen Betrag auf Ihr Konto.", "Kann ich Ihnen sonst noch irgendwie behilflich sein?"},
	},
	"fr": {
		{"Merci d'avoir appelé notre service client aujourd'hui.", "Votre commande a été expédiée lundi matin.", "Le colis devrait arriver chez vous avant vendredi."},
		{"Pouvez-vous me donner le numéro de votre facture?", "Nous allons rembourser la totalité du montant sur votre carte.", "Puis-je vous aider avec autre chose aujourd'hui?"},
	},
	"es": {
		{"Gracias por llamar a nuestro servicio de atención al cliente.", "Su pedido fue enviado el lunes por la mañana.", "El paquete debería llegar a su casa antes del viernes."},
		{"Por favor dígame el número que aparece en su factura.", "Le devolveremos el importe completo a su tarjeta.", "¿Hay algo más en lo que pueda ayudarle hoy?"},
	},
	"it": {
		{"Grazie per aver chiamato il nostro servizio clienti.", "Il suo ordine è stato spedito lunedì mattina.", "Il pacco dovrebbe arrivare a casa sua entro venerdì."},
		{"Mi può dire il numero che trova sulla fattura?", "Le rimborseremo l'intero importo sulla sua carta.", "Posso aiutarla in qualche altro modo oggi?"},
	},
	"nl": {
		{"Bedankt voor het bellen naar onze klantenservice.", "Uw bestelling is maandagochtend naar u verzonden.", "Het pakket zou voor vrijdag bij u moeten aankomen."},
		{"Kunt u mij het nummer op uw factuur geven?", "Wij betalen het volledige bedrag terug op uw kaart.", "Kan ik u vandaag nog ergens anders mee helpen?"},
	},
	"pl": {
		{"Dziękujemy za telefon do naszego działu obsługi klienta.", "Pana zamówienie zostało wysłane w poniedziałek rano.", "Paczka powinna dotrzeć do pana przed piątkiem."},
		{"Proszę podać mi numer znajdujący się na fakturze.", "Zwrócimy całą kwotę na pana kartę kredytową.", "Czy mogę jeszcze w czymś panu dzisiaj pomóc?"},
	},
	"cs": {
		{"Děkujeme že jste zavolali na naši zákaznickou linku.", "Vaše objednávka byla odeslána v pondělí ráno.", "Balík by měl dorazit na vaši adresu do pátku."},
		{"Prosím řekněte mi číslo uvedené na vaší faktuře.", "Celou částku vám vrátíme na vaši platební kartu.", "Mohu vám ještě s něčím dalším pomoci?"},
	},
}

// evalRates are espeak-ng speeds in words per minute.
var evalRates = []int{120, 160, 210}

// reference MAPE of the Praat "Syllable Nuclei" v3 script on such a corpus
// (from the issue), per condition.
var praatMAPE = map[string]float64{"clean": 4.2, "white 20 dB": 4.4, "white 10 dB": 5.0, "clipped +20 dB": 7.9}

func runEvalAudio(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval audio", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", evalDataDefault(getenv), "shared evaluation data folder (env LANGASSESS_DATA)")
	keep := fs.String("keep", "", "keep the synthesized corpus in this folder instead of a temporary one")
	hold := fs.Float64("hold-spread", 0, "audio.Config.HoldSpread for every table; -1 measures without the pause hysteresis (0: the default)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg := audio.DefaultConfig()
	if *hold != 0 {
		cfg.HoldSpread = *hold
	}
	_, errE := exec.LookPath("espeak-ng")
	_, errS := exec.LookPath("sox")
	if errE != nil || errS != nil {
		fmt.Fprintln(stdout, "eval audio: synthetic corpus skipped: it needs espeak-ng and sox on the PATH")
	} else if err := evalSynthetic(ctx, stdout, *keep, cfg); err != nil {
		return err
	}
	evalLoudness(stdout, cfg)
	soDir := filepath.Join(*data, "speechocean762")
	if _, err := os.Stat(filepath.Join(soDir, "scores.tsv")); err != nil {
		fmt.Fprintf(stdout, "\neval audio: speechocean762 skipped: %s not found (--data)\n", soDir)
		return nil
	}
	return evalSpeechocean(stdout, soDir, cfg)
}

// ipaVowels are the IPA vowel letters espeak-ng writes; a phoneme holding
// one (or the syllabic mark U+0329) is a syllable nucleus.
const ipaVowels = "aeiouyæøœɐɑɒɔəɘɚɛɜɝɞɤɨɪɯɵɶʉʊʌʏɷᵻ\u0329"

// trueSyllables counts the nuclei in espeak-ng's own phoneme output for the
// text: each phoneme (separated with --sep) holding a vowel is one, so a
// diphthong, which espeak-ng writes as one phoneme, counts once.
func trueSyllables(ctx context.Context, lang, text string) (int, error) {
	out, err := exec.CommandContext(ctx, "espeak-ng", "-q", "--ipa", "--sep=_", "-v", lang, text).Output()
	if err != nil {
		return 0, fmt.Errorf("espeak-ng --ipa %s: %w", lang, err)
	}
	n := 0
	for _, ph := range strings.FieldsFunc(string(out), func(r rune) bool { return r == '_' || r == ' ' || r == '\n' }) {
		if strings.ContainsAny(ph, ipaVowels) {
			n++
		}
	}
	return n, nil
}

// synth renders text with espeak-ng at 16 kHz mono.
func synth(ctx context.Context, dir, lang string, rate int, text string) ([]float32, error) {
	raw := filepath.Join(dir, "raw.wav")
	out := filepath.Join(dir, "s16.wav")
	if err := exec.CommandContext(ctx, "espeak-ng", "-v", lang, "-s", strconv.Itoa(rate), "-w", raw, text).Run(); err != nil {
		return nil, fmt.Errorf("espeak-ng: %w", err)
	}
	// -R seeds sox's dither with a fixed number, so reruns are identical
	if err := exec.CommandContext(ctx, "sox", "-R", raw, "-r", "16000", "-b", "16", out).Run(); err != nil {
		return nil, fmt.Errorf("sox: %w", err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	c, err := audio.Decode(b, audio.Limits{})
	if err != nil {
		return nil, fmt.Errorf("decode espeak output: %w", err)
	}
	return c.Samples, nil
}

// sample is one synthesized file.
type sample struct {
	lang      string
	text      int
	rate      int
	sentences int
	syllables int
	x         []float32 // clean, sentences joined by 1 s of silence
	first     []float32 // the first sentence alone, silent edges trimmed
}

func evalSynthetic(ctx context.Context, w io.Writer, keep string, cfg audio.Config) error {
	dir := keep
	if dir == "" {
		d, err := os.MkdirTemp("", "langassess-eval-audio-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	langs := slices.Sorted(func(yield func(string) bool) {
		for l := range evalTexts {
			if !yield(l) {
				return
			}
		}
	})
	var corpus []sample
	var truth strings.Builder // for --keep: file, syllables, sentences
	gap := make([]float32, 16000)
	for _, lang := range langs {
		for ti, text := range evalTexts[lang] {
			syl := 0
			for _, s := range text {
				n, err := trueSyllables(ctx, lang, s)
				if err != nil {
					return err
				}
				syl += n
			}
			for _, rate := range evalRates {
				var x, first []float32
				for si, s := range text {
					y, err := synth(ctx, dir, lang, rate, s)
					if err != nil {
						return err
					}
					if si > 0 {
						x = append(x, gap...)
					} else {
						first = trimSilence(y)
					}
					x = append(x, y...)
				}
				corpus = append(corpus, sample{lang, ti, rate, len(text), syl, x, first})
				if keep != "" {
					name := fmt.Sprintf("%s-%d-%d.wav", lang, ti, rate)
					if err := os.WriteFile(filepath.Join(dir, name), encodeWAV16(x, 16000), 0o644); err != nil {
						return err
					}
					fmt.Fprintf(&truth, "%s\t%d\t%d\n", name, syl, len(text))
				}
			}
		}
	}
	if keep != "" {
		if err := os.WriteFile(filepath.Join(dir, "truth.tsv"), []byte(truth.String()), 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "Synthetic corpus: %d languages x 2 texts x %d rates (%v wpm) = %d files, espeak-ng 16 kHz, 3 sentences joined by 1 s pauses\n",
		len(langs), len(evalRates), evalRates, len(corpus))

	type condition struct {
		name string
		mod  func(x []float32, seed uint64) []float32
	}
	// the telephone band: each file through sox to 8 kHz and back
	narrow := make([][]float32, len(corpus))
	for i, s := range corpus {
		y, err := telephoneBand(ctx, dir, s.x)
		if err != nil {
			return err
		}
		narrow[i] = y
	}
	// the first five are the accuracy conditions; the rest put each check
	// of the audio_degraded flag in its warning band (and two that the flag
	// leaves out), to show what the flag catches and what the measures do
	conds := []condition{
		{"clean", func(x []float32, _ uint64) []float32 { return x }},
		{"white 20 dB", func(x []float32, s uint64) []float32 { return addNoise(x, 20, "white", s) }},
		{"white 10 dB", func(x []float32, s uint64) []float32 { return addNoise(x, 10, "white", s) }},
		{"brown 20 dB", func(x []float32, s uint64) []float32 { return addNoise(x, 20, "brown", s) }},
		{"clipped +20 dB", func(x []float32, _ uint64) []float32 { return gain(x, 20) }},
		{"white 15 dB", func(x []float32, s uint64) []float32 { return addNoise(x, 15, "white", s) }},
		{"white 12 dB", func(x []float32, s uint64) []float32 { return addNoise(x, 12, "white", s) }},
		{"white 5 dB", func(x []float32, s uint64) []float32 { return addNoise(x, 5, "white", s) }},
		{"brown 18.5 dB", func(x []float32, s uint64) []float32 { return addNoise(x, 18.5, "brown", s) }},
		{"brown 15 dB", func(x []float32, s uint64) []float32 { return addNoise(x, 15, "brown", s) }},
		{"brown 10 dB", func(x []float32, s uint64) []float32 { return addNoise(x, 10, "brown", s) }},
		{"clipped, peak +6 dB", func(x []float32, _ uint64) []float32 { return gain(x, 6-peakDB(x)) }},
		{"-42 dBFS RMS", func(x []float32, _ uint64) []float32 { return scaleRMS(x, -42) }},
		{"3 dropouts of 20 ms", func(x []float32, _ uint64) []float32 { return dropouts(x, 3, 320) }},
		{"3 dropouts of 300 ms", func(x []float32, _ uint64) []float32 { return dropouts(x, 3, 4800) }},
		{"6 s leading silence", func(x []float32, _ uint64) []float32 { return append(make([]float32, 6*16000), x...) }},
		{"DC offset 0.1", func(x []float32, _ uint64) []float32 { return dcOffset(x, 0.1) }},
		{"telephone band", nil},
	}
	type result struct {
		est      audio.Fluency
		q        audio.Quality
		lang     string
		text     int
		rate     int
		truth    int
		pausesOK bool
	}
	// pctErr is the signed syllable-count error in percent of the truth
	pctErr := func(r result) float64 { return 100 * float64(r.est.Syllables-r.truth) / float64(r.truth) }
	res := map[string][]result{}
	for _, c := range conds {
		for i, s := range corpus {
			var y []float32
			if c.mod == nil {
				y = narrow[i]
			} else {
				y = c.mod(s.x, uint64(i+1))
			}
			clip := roundTrip(y)
			f, _ := audio.MeasureFluency(clip, cfg)
			q := audio.Analyze(clip, cfg).Quality
			res[c.name] = append(res[c.name], result{f, q, s.lang, s.text, s.rate, s.syllables, f.Pauses == s.sentences-1})
		}
	}

	fmt.Fprintln(w, "\nSyllable count (mean absolute percentage error), speech-rate order and pause count")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "condition\tMAPE all\tMAPE dev\tMAPE held-out\tPraat v3\tmean signed %\trates ordered\tpauses exact\tverdicts ok/degr/unsc\t")
	for _, c := range conds {
		rs := res[c.name]
		var all, dev, held []float64
		var signed float64
		pauses := 0
		verd := map[audio.Verdict]int{}
		for _, r := range rs {
			e := pctErr(r)
			signed += e
			all = append(all, math.Abs(e))
			if r.text == 0 {
				dev = append(dev, math.Abs(e))
			} else {
				held = append(held, math.Abs(e))
			}
			if r.pausesOK {
				pauses++
			}
			verd[r.q.Verdict]++
		}
		// rates ordered: per (lang, text), speech rate strictly increasing
		ordered, groups := 0, 0
		for i := 0; i+len(evalRates) <= len(rs); i += len(evalRates) {
			groups++
			ok := true
			for k := 1; k < len(evalRates); k++ {
				if rs[i+k].est.SpeechRate <= rs[i+k-1].est.SpeechRate {
					ok = false
				}
			}
			if ok {
				ordered++
			}
		}
		ref := "-"
		if v, ok := praatMAPE[c.name]; ok {
			ref = fmt.Sprintf("%.1f%%", v)
		}
		fmt.Fprintf(tw, "%s\t%.1f%%\t%.1f%%\t%.1f%%\t%s\t%+.1f%%\t%d/%d\t%d/%d (%.0f%%)\t%d/%d/%d\t\n", c.name, mean(all), mean(dev), mean(held), ref,
			signed/float64(len(rs)), ordered, groups, pauses, len(rs), 100*float64(pauses)/float64(len(rs)),
			verd[audio.VerdictOK], verd[audio.VerdictDegraded], verd[audio.VerdictUnscorable])
	}
	tw.Flush()

	fmt.Fprintln(w, "\naudio_degraded flag by condition (a scorable recording with a warning check that the flag counts: too_noisy, clipped, too_quiet, dropouts, little_speech, long_silence)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "condition\tflagged\tunscorable\tchecks in the flag\tother warnings\tmedian SNR estimate\tmedian clipped share\t")
	for _, c := range conds {
		rs := res[c.name]
		flagged, uns := 0, 0
		in, other := map[string]int{}, map[string]int{}
		var snr, clipped []float64
		for _, r := range rs {
			snr = append(snr, r.q.SNRdB)
			clipped = append(clipped, r.q.ClippedRatio)
			if r.q.Verdict == audio.VerdictUnscorable {
				uns++
				continue
			}
			deg := r.q.Degraded()
			if len(deg) > 0 {
				flagged++
			}
			for _, ch := range deg {
				in[ch.Code]++
			}
			for _, ch := range r.q.Failed() {
				if !slices.ContainsFunc(deg, func(d audio.Check) bool { return d.Code == ch.Code }) {
					other[ch.Code]++
				}
			}
		}
		fmt.Fprintf(tw, "%s\t%d/%d (%.0f%%)\t%d\t%s\t%s\t%.1f dB\t%.2f%%\t\n", c.name, flagged, len(rs), 100*float64(flagged)/float64(len(rs)), uns,
			countList(in), countList(other), median(snr), 100*median(clipped))
	}
	tw.Flush()

	evalPauseDraws(w, corpus, cfg)

	fmt.Fprintln(w, "\nClean syllable count by espeak-ng rate")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rate\tMAPE\tmean signed %\tmean speech rate (syll/s)\t")
	for _, rate := range evalRates {
		var e, sgn, sr []float64
		for _, r := range res["clean"] {
			if r.rate == rate {
				d := pctErr(r)
				e = append(e, math.Abs(d))
				sgn = append(sgn, d)
				sr = append(sr, r.est.SpeechRate)
			}
		}
		fmt.Fprintf(tw, "%d wpm\t%.1f%%\t%+.1f%%\t%.2f\t\n", rate, mean(e), mean(sgn), mean(sr))
	}
	tw.Flush()

	fmt.Fprintln(w, "\nClean syllable MAPE by language (true syllables per file in brackets)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "language\tMAPE\tmean signed %\ttrue (text 0, 1)\t")
	for _, lang := range langs {
		var e, sgn []float64
		var truth []string
		for _, r := range res["clean"] {
			if r.lang == lang {
				d := pctErr(r)
				e = append(e, math.Abs(d))
				sgn = append(sgn, d)
				if r.rate == evalRates[0] {
					truth = append(truth, strconv.Itoa(r.truth))
				}
			}
		}
		fmt.Fprintf(tw, "%s\t%.1f%%\t%+.1f%%\t%s\t\n", lang, mean(e), mean(sgn), strings.Join(truth, ", "))
	}
	tw.Flush()

	evalQuality(w, corpus, cfg)
	return nil
}

// evalPauseDraws counts exact pause counts over five noise draws per noisy
// condition (draw 0 is the one in the main table), with the hold threshold
// off (HoldSpread < 0, the method before hysteresis) and on: the spread
// between draws is the noise of the measurement.
func evalPauseDraws(w io.Writer, corpus []sample, cfg audio.Config) {
	const draws = 5
	fmt.Fprintf(w, "\nPauses exact over %d noise draws of the %d files (per draw in brackets): hysteresis off (HoldSpread -1) and on (HoldSpread %g)\n", draws, len(corpus), cfg.HoldSpread)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "condition\thold off\thold on\t")
	off := cfg
	off.HoldSpread = -1
	for _, c := range []struct {
		kind string
		snr  float64
	}{{"white", 20}, {"white", 15}, {"white", 12}, {"white", 10}, {"white", 5}, {"brown", 20}, {"brown", 18.5}, {"brown", 15}, {"brown", 10}} {
		var per [2][]int
		for d := range draws {
			var n [2]int
			for i, s := range corpus {
				clip := roundTrip(addNoise(s.x, c.snr, c.kind, uint64(i+1+1000*d)))
				for k, cf := range []audio.Config{off, cfg} {
					if f, _ := audio.MeasureFluency(clip, cf); f.Pauses == s.sentences-1 {
						n[k]++
					}
				}
			}
			per[0], per[1] = append(per[0], n[0]), append(per[1], n[1])
		}
		cell := func(p []int) string {
			t := 0
			for _, v := range p {
				t += v
			}
			return fmt.Sprintf("%.1f%% %v", 100*float64(t)/float64(draws*len(corpus)), p)
		}
		fmt.Fprintf(tw, "%s %g dB\t%s\t%s\t\n", c.kind, c.snr, cell(per[0]), cell(per[1]))
	}
	tw.Flush()
}

// countList formats code counts as "a 3, b 1", sorted by code.
func countList(m map[string]int) string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, fmt.Sprintf("%s %d", k, m[k]))
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, ", ")
}

// evalQuality measures the quality gate on the clean corpus: WADA-SNR with
// white and brown noise, clipping detection, silent and quiet recordings.
func evalQuality(w io.Writer, corpus []sample, cfg audio.Config) {
	fmt.Fprintln(w, "\nSNR estimate (noise floor) with noise mixed at a known SNR (speech power over the whole file); WADA-SNR for comparison")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, snrHeader)
	whole := make([][]float32, len(corpus))
	for i, s := range corpus {
		whole[i] = s.x
	}
	for _, kind := range []string{"white", "brown"} {
		for _, snr := range []float64{5, 10, 15, 20, 25, 30} {
			snrRow(tw, whole, kind, snr, 1000, cfg)
		}
	}
	tw.Flush()

	fmt.Fprintln(w, "\nThe same without pauses: the first sentence alone, silent edges trimmed (the noise floor then has to come from gaps inside speech)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, snrHeader)
	first := make([][]float32, len(corpus))
	for i, s := range corpus {
		first[i] = s.first
	}
	for _, snr := range []float64{10, 20, 30} {
		snrRow(tw, first, "white", snr, 2000, cfg)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nClipping: gain applied then hard-clipped at full scale; caught = the clipped check is not \"pass\"")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "true clipped share\tfiles\tcaught\tunscorable\t")
	type bucket struct {
		lo, hi float64
		name   string
	}
	buckets := []bucket{{0, 1e-9, "0 (peak at -1 dBFS)"}, {1e-9, 0.001, "> 0 and < 0.1%"}, {0.001, 0.01, "0.1% - 1%"}, {0.01, 0.05, "1% - 5%"}, {0.05, 1, ">= 5%"}}
	counts := make([][3]int, len(buckets))
	for _, s := range corpus {
		peak := 0.0
		for _, v := range s.x {
			peak = max(peak, math.Abs(float64(v)))
		}
		for _, g := range []float64{-1, 0.5, 1, 2, 3, 4, 6, 9, 12, 20} {
			k := math.Pow(10, g/20) / peak // gain relative to a peak of 0 dBFS
			y := make([]float32, len(s.x))
			over := 0
			for i, v := range s.x {
				u := float64(v) * k
				if math.Abs(u) >= 1 {
					over++
				}
				y[i] = float32(max(-1, min(1, u)))
			}
			share := float64(over) / float64(len(y))
			q := audio.Analyze(roundTrip(y), cfg).Quality
			var st audio.Status
			for _, c := range q.Checks {
				if c.Code == audio.CodeClipped {
					st = c.Status
				}
			}
			for bi, b := range buckets {
				if share >= b.lo && share < b.hi {
					counts[bi][0]++
					if st != audio.StatusPass {
						counts[bi][1]++
					}
					if st == audio.StatusFail {
						counts[bi][2]++
					}
				}
			}
		}
	}
	for bi, b := range buckets {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t\n", b.name, counts[bi][0], counts[bi][1], counts[bi][2])
	}
	tw.Flush()

	fmt.Fprintln(w, "\nSilent and quiet recordings (verdict unscorable expected below -45 dBFS RMS)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "recording\tfiles\tunscorable\tcodes\t")
	type quiet struct {
		name string
		make func(x []float32, i int) []float32
	}
	cases := []quiet{
		{"digital silence", func(x []float32, _ int) []float32 { return make([]float32, len(x)) }},
		{"room noise only, -60 dBFS", func(x []float32, i int) []float32 { return noiseAt(len(x), -60, uint64(i)) }},
		{"speech at -55 dBFS RMS", func(x []float32, _ int) []float32 { return scaleRMS(x, -55) }},
		{"speech at -48 dBFS RMS", func(x []float32, _ int) []float32 { return scaleRMS(x, -48) }},
		{"speech at -46 dBFS RMS", func(x []float32, _ int) []float32 { return scaleRMS(x, -46) }},
		{"speech at -42 dBFS RMS (scorable)", func(x []float32, _ int) []float32 { return scaleRMS(x, -42) }},
		{"speech at -25 dBFS RMS (scorable)", func(x []float32, _ int) []float32 { return scaleRMS(x, -25) }},
	}
	for _, c := range cases {
		uns := 0
		codes := map[string]int{}
		for i, s := range corpus {
			q := audio.Analyze(roundTrip(c.make(s.x, i)), cfg).Quality
			if q.Verdict == audio.VerdictUnscorable {
				uns++
			}
			for _, ch := range q.Checks {
				if ch.Status == audio.StatusFail {
					codes[ch.Code]++
				}
			}
		}
		var cs []string
		for k, v := range codes {
			cs = append(cs, fmt.Sprintf("%s %d", k, v))
		}
		sort.Strings(cs)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t\n", c.name, len(corpus), uns, strings.Join(cs, ", "))
	}
	tw.Flush()
}

const snrHeader = "noise\ttrue SNR\tmean estimate\tmean abs error\tmax abs error\twithin 3 dB\tWADA mean\t"

// snrRow mixes kind noise at snr dB into every signal (clip i seeded with
// seed0+i, so each table row is reproducible on its own) and writes the
// estimate's mean, mean and max absolute error, the share within 3 dB and
// the WADA-SNR mean.
func snrRow(tw io.Writer, xs [][]float32, kind string, snr float64, seed0 uint64, cfg audio.Config) {
	var est, errs, wada []float64
	within := 0
	for i, x := range xs {
		q := audio.Analyze(roundTrip(addNoise(x, snr, kind, seed0+uint64(i))), cfg).Quality
		est = append(est, q.SNRdB)
		wada = append(wada, q.WADASNRdB)
		d := math.Abs(q.SNRdB - snr)
		errs = append(errs, d)
		if d <= 3 {
			within++
		}
	}
	fmt.Fprintf(tw, "%s\t%.0f dB\t%.1f dB\t%.1f dB\t%.1f dB\t%d/%d\t%.1f dB\t\n", kind, snr, mean(est), mean(errs), slices.Max(errs), within, len(xs), mean(wada))
}

// evalLoudness compares integrated loudness with signals whose BS.1770-4
// loudness is known analytically: a 997 Hz sine of peak A in one channel
// reads 20 log10(A) - 3.01 LKFS (the K-weighting gain at 997 Hz is what the
// -0.691 dB constant cancels), and a loud part followed by a part more than
// 10 LU quieter reads as the loud part alone (relative gate).
func evalLoudness(w io.Writer, cfg audio.Config) {
	fmt.Fprintln(w, "\nIntegrated loudness (ITU-R BS.1770-4) against analytic values")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "signal\trate\texpected LKFS\tmeasured\terror LU\t")
	sine := func(rate int, dbfs, sec float64) []float32 {
		a := math.Pow(10, dbfs/20)
		x := make([]float32, int(sec*float64(rate)))
		for i := range x {
			x[i] = float32(a * math.Sin(2*math.Pi*997*float64(i)/float64(rate)))
		}
		return x
	}
	worst := 0.0
	for _, rate := range []int{8000, 16000, 22050, 44100, 48000} {
		for _, lvl := range []float64{-10, -20, -30, -40} {
			q := audio.Analyze(&audio.Clip{SampleRate: rate, Channels: 1, BitDepth: 32, Encoding: "float", Samples: sine(rate, lvl, 5)}, cfg).Quality
			want := lvl - 3.0103
			worst = max(worst, math.Abs(q.LoudnessLUFS-want))
			if lvl == -20 || rate == 16000 {
				fmt.Fprintf(tw, "997 Hz sine, peak %.0f dBFS\t%d\t%.2f\t%.2f\t%+.2f\t\n", lvl, rate, want, q.LoudnessLUFS, q.LoudnessLUFS-want)
			}
		}
		x := append(sine(rate, -20, 10), sine(rate, -45, 10)...)
		q := audio.Analyze(&audio.Clip{SampleRate: rate, Channels: 1, BitDepth: 32, Encoding: "float", Samples: x}, cfg).Quality
		want := -20 - 3.0103
		worst = max(worst, math.Abs(q.LoudnessLUFS-want))
		fmt.Fprintf(tw, "10 s at -20 + 10 s at -45 dBFS (gated)\t%d\t%.2f\t%.2f\t%+.2f\t\n", rate, want, q.LoudnessLUFS, q.LoudnessLUFS-want)
	}
	tw.Flush()
	fmt.Fprintf(w, "largest loudness error over all 25 signals: %.2f LU\n", worst)
}

// evalSpeechocean correlates each measure with the human fluency score.
func evalSpeechocean(w io.Writer, dir string, cfg audio.Config) error {
	b, err := os.ReadFile(filepath.Join(dir, "scores.tsv"))
	if err != nil {
		return fmt.Errorf("speechocean762: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) < 2 {
		return errors.New("speechocean762: scores.tsv is empty")
	}
	head := strings.Split(lines[0], "\t")
	col := func(name string) int { return slices.Index(head, name) }
	iw, iflu, itot := col("wav"), col("fluency"), col("total")
	if iw < 0 || iflu < 0 || itot < 0 {
		return fmt.Errorf("speechocean762: scores.tsv lacks wav/fluency/total columns: %v", head)
	}
	measures := []struct {
		name string
		get  func(f audio.Fluency) float64
	}{
		{"speech_rate", func(f audio.Fluency) float64 { return f.SpeechRate }},
		{"articulation_rate", func(f audio.Fluency) float64 { return f.ArticulationRate }},
		{"phonation_time_ratio", func(f audio.Fluency) float64 { return f.PhonationTimeRatio }},
		{"avg_syllable_duration_s", func(f audio.Fluency) float64 { return f.AvgSyllableSec }},
		{"pauses_per_minute", func(f audio.Fluency) float64 { return f.PausesPerMinute }},
		{"mean_pause_s", func(f audio.Fluency) float64 { return f.MeanPauseSec }},
		{"long_pauses", func(f audio.Fluency) float64 { return float64(f.LongPauses) }},
		{"mean_length_of_run", func(f audio.Fluency) float64 { return f.MeanLengthOfRun }},
		{"syllables", func(f audio.Fluency) float64 { return float64(f.Syllables) }},
	}
	vals := make([][]float64, len(measures))
	var flu, tot []float64
	verd := map[audio.Verdict]int{}
	var snr []float64
	flagged := map[string]int{}
	nFlagged := 0
	lowSNR, maxClip, lowRMS, maxEdge, lowSpeech := math.Inf(1), 0.0, math.Inf(1), 0.0, math.Inf(1)
	for _, ln := range lines[1:] {
		f := strings.Split(ln, "\t")
		if len(f) <= max(iw, iflu, itot) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, f[iw]))
		if err != nil {
			return fmt.Errorf("speechocean762: %w", err)
		}
		clip, err := audio.Decode(data, audio.Limits{})
		if err != nil {
			return fmt.Errorf("speechocean762 %s: %w", f[iw], err)
		}
		r := audio.Analyze(clip, cfg)
		verd[r.Quality.Verdict]++
		for _, c := range r.Quality.Degraded() {
			flagged[c.Code]++
		}
		if len(r.Quality.Degraded()) > 0 {
			nFlagged++
		}
		lowSNR = min(lowSNR, r.Quality.SNRdB)
		maxClip = max(maxClip, r.Quality.ClippedRatio)
		lowRMS = min(lowRMS, r.Quality.RMSDBFS)
		maxEdge = max(maxEdge, r.Quality.LeadingSilenceSec, r.Quality.TrailingSilenceSec)
		lowSpeech = min(lowSpeech, r.Quality.SpeechShare)
		snr = append(snr, r.Quality.SNRdB)
		fl, _ := audio.MeasureFluency(clip, cfg)
		for i, m := range measures {
			vals[i] = append(vals[i], m.get(fl))
		}
		hf, _ := strconv.ParseFloat(f[iflu], 64)
		ht, _ := strconv.ParseFloat(f[itot], 64)
		flu = append(flu, hf)
		tot = append(tot, ht)
	}
	fmt.Fprintf(w, "\nspeechocean762: %d read-aloud recordings (Mandarin L1 speakers of English), quality verdicts ok %d / degraded %d / unscorable %d, median SNR estimate %.1f dB\n",
		len(flu), verd[audio.VerdictOK], verd[audio.VerdictDegraded], verd[audio.VerdictUnscorable], median(snr))
	fmt.Fprintf(w, "audio_degraded: %d of %d flagged (%s); closest to the warning bands (limit in brackets): lowest SNR %.1f dB (%g), largest clipped share %.3f%% (%g%%), lowest RMS %.1f dBFS (%g), longest edge silence %.2f s (%g), lowest speech share %.2f (%g)\n",
		nFlagged, len(flu), countList(flagged), lowSNR, cfg.NoisyWarnSNR, 100*maxClip, 100*cfg.ClipWarnRatio, lowRMS, cfg.LowRMSDBFS,
		maxEdge, cfg.LongSilenceWarn.Seconds(), lowSpeech, cfg.LowSpeechShare)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "measure\tSpearman vs fluency\tSpearman vs total\tmedian\t")
	for i, m := range measures {
		fmt.Fprintf(tw, "%s\t%+.3f\t%+.3f\t%.3g\t\n", m.name, agreement.Spearman(vals[i], flu), agreement.Spearman(vals[i], tot), median(vals[i]))
	}
	tw.Flush()
	return nil
}

func mean(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func median(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	y := slices.Clone(x)
	slices.Sort(y)
	return y[len(y)/2]
}

// trimSilence drops leading and trailing samples below -50 dBFS.
func trimSilence(x []float32) []float32 {
	const floor = 0.00316
	lo, hi := 0, len(x)
	for lo < hi && math.Abs(float64(x[lo])) < floor {
		lo++
	}
	for hi > lo && math.Abs(float64(x[hi-1])) < floor {
		hi--
	}
	return x[lo:hi]
}

func power(x []float32) float64 {
	s := 0.0
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return s / float64(max(1, len(x)))
}

// brownPole makes brown noise by leaky integration of white noise: a 1/f^2
// spectrum above 20 Hz (exp(-2 pi 20 / 16000)), flat below, so it stays
// bounded and its power is in the audible band.
var brownPole = math.Exp(-2 * math.Pi * 20 / 16000)

// addNoise mixes white or brown Gaussian noise at snr dB below the signal's
// power over the whole file.
func addNoise(x []float32, snr float64, kind string, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	n := make([]float64, len(x))
	var b float64
	for i := range n {
		g := r.NormFloat64()
		if kind == "brown" {
			b = brownPole*b + g
			g = b
		}
		n[i] = g
	}
	var pn float64
	for _, v := range n {
		pn += v * v
	}
	pn /= float64(len(n))
	k := math.Sqrt(power(x) / pn / math.Pow(10, snr/10))
	y := make([]float32, len(x))
	for i := range x {
		y[i] = float32(max(-1, min(1, float64(x[i])+k*n[i])))
	}
	return y
}

// noiseAt is white noise at an RMS of dbfs.
func noiseAt(n int, dbfs float64, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 7))
	a := math.Pow(10, dbfs/20)
	y := make([]float32, n)
	for i := range y {
		y[i] = float32(a * r.NormFloat64())
	}
	return y
}

func scaleRMS(x []float32, dbfs float64) []float32 {
	k := math.Pow(10, dbfs/20) / math.Sqrt(power(x))
	y := make([]float32, len(x))
	for i, v := range x {
		y[i] = float32(float64(v) * k)
	}
	return y
}

// peakDB is the peak level in dBFS.
func peakDB(x []float32) float64 {
	var p float32
	for _, v := range x {
		p = max(p, v, -v)
	}
	return 20 * math.Log10(max(float64(p), 1e-6))
}

// dcOffset adds a constant.
func dcOffset(x []float32, dc float32) []float32 {
	y := make([]float32, len(x))
	for i, v := range x {
		y[i] = max(-1, min(1, v+dc))
	}
	return y
}

// dropouts zeroes n runs of the given number of samples (320 = 20 ms at
// 16 kHz) centred on the loudest sample of each of n equal parts of the
// file: the signal cut in the middle of speech, as a lost packet does.
func dropouts(x []float32, n, samples int) []float32 {
	y := slices.Clone(x)
	half := samples / 2
	for k := range n {
		lo, hi := k*len(x)/n, (k+1)*len(x)/n
		at, best := lo, float32(0)
		for i := lo; i < hi; i++ {
			if a := max(x[i], -x[i]); a > best {
				at, best = i, a
			}
		}
		for i := max(0, at-half); i < min(len(y), at+half); i++ {
			y[i] = 0
		}
	}
	return y
}

// telephoneBand passes x through sox to 8 kHz and back to 16 kHz: the band
// an 8 kHz telephone recording keeps.
func telephoneBand(ctx context.Context, dir string, x []float32) ([]float32, error) {
	in, out := filepath.Join(dir, "wide.wav"), filepath.Join(dir, "narrow.wav")
	if err := os.WriteFile(in, encodeWAV16(x, 16000), 0o644); err != nil {
		return nil, err
	}
	if err := exec.CommandContext(ctx, "sox", "-R", "-V1", in, out, "rate", "8000", "rate", "16000").Run(); err != nil {
		return nil, fmt.Errorf("sox telephone band: %w", err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	c, err := audio.Decode(b, audio.Limits{})
	if err != nil {
		return nil, fmt.Errorf("decode sox output: %w", err)
	}
	return c.Samples, nil
}

// gain amplifies by db and hard-clips at full scale, as sox's gain does.
func gain(x []float32, db float64) []float32 {
	k := float32(math.Pow(10, db/20))
	y := make([]float32, len(x))
	for i, v := range x {
		y[i] = max(-1, min(1, v*k))
	}
	return y
}

// roundTrip writes 16-bit PCM WAV and decodes it, so every evaluated
// signal goes through the same path as an upload.
func roundTrip(x []float32) *audio.Clip {
	c, err := audio.Decode(encodeWAV16(x, 16000), audio.Limits{})
	if err != nil {
		panic(err) // our own encoder's output must decode
	}
	return c
}

func encodeWAV16(x []float32, rate int) []byte {
	b := make([]byte, 44, 44+2*len(x))
	copy(b, "RIFF\x00\x00\x00\x00WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1)
	binary.LittleEndian.PutUint16(b[22:], 1)
	binary.LittleEndian.PutUint32(b[24:], uint32(rate))
	binary.LittleEndian.PutUint32(b[28:], uint32(2*rate))
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(2*len(x)))
	for _, v := range x {
		s := int16(max(-32768, min(32767, math.Round(float64(v)*32768))))
		b = binary.LittleEndian.AppendUint16(b, uint16(s))
	}
	binary.LittleEndian.PutUint32(b[4:], uint32(len(b)-8))
	return b
}
