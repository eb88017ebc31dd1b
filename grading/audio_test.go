package grading

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/langassess/langassess/audio"
)

// wav16 encodes mono 16-bit PCM samples (full scale 1) as a WAV file.
func wav16(rate int, samples []float64) []byte {
	var b bytes.Buffer
	data := len(samples) * 2
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+data))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(rate), uint32(rate * 2), uint16(2), uint16(16)} {
		binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(data))
	for _, s := range samples {
		// rounded, so a clip decoded from 16-bit PCM is written back unchanged
		binary.Write(&b, binary.LittleEndian, int16(math.Max(-32768, math.Min(32767, math.Round(s*32768)))))
	}
	return b.Bytes()
}

// speechLike is a 140 Hz harmonic voice switched on and off four times a
// second (syllable-like bursts) with a pause every 2 s.
func speechLike(rate int, seconds float64) []float64 {
	n := int(float64(rate) * seconds)
	out := make([]float64, n)
	for i := range out {
		t := float64(i) / float64(rate)
		if math.Mod(t, 2) > 1.6 {
			continue // pause
		}
		env := math.Max(0, math.Sin(2*math.Pi*4*t))
		var v float64
		for h := 1; h <= 5; h++ {
			v += math.Sin(2*math.Pi*140*float64(h)*t) / float64(h)
		}
		out[i] = 0.25 * env * v
	}
	return out
}

func TestSpokenAnswer(t *testing.T) {
	e := testEngine(t, nil)
	t.Run("silence is unscorable", func(t *testing.T) {
		r := gradeOK(t, e, Input{ID: "s", Language: "en", Audio: wav16(16000, make([]float64, 16000*3))})
		if !r.HasFlag(FlagAudioUnscorable) || r.Scores.Fluency != nil || r.Audio == nil {
			t.Fatalf("silent recording: flags %v fluency %v", r.Flags, r.Scores.Fluency)
		}
		for _, f := range r.Flags {
			if f.Code == FlagAudioUnscorable {
				if reasons, _ := f.Evidence["reasons"].([]string); len(reasons) == 0 {
					t.Errorf("no reason codes in %v", f.Evidence)
				}
			}
		}
		if r.Level != "" {
			t.Errorf("an unscorable recording without transcript got level %s", r.Level)
		}
	})
	t.Run("speech with transcript", func(t *testing.T) {
		r := gradeOK(t, e, Input{ID: "v", Language: "en", Audio: wav16(16000, speechLike(16000, 12)),
			Transcript: "Hello, thank you for calling. We are sorry about the double charge and we will refund the second payment within five working days."})
		if r.Audio == nil || r.Skill != "speaking" {
			t.Fatalf("no audio report or wrong skill: %+v", r)
		}
		if r.HasFlag(FlagAudioUnscorable) {
			t.Skipf("synthetic voice judged unscorable by the quality gate: %+v", r.Audio.Quality.Failed())
		}
		if r.Scores.Fluency == nil || *r.Scores.Fluency < 0 || *r.Scores.Fluency > 100 || r.Evidence["fluency"] == nil {
			t.Errorf("fluency %v evidence %v", r.Scores.Fluency, r.Evidence["fluency"])
		}
		if r.Scores.Grammar == nil || r.Level == "" {
			t.Errorf("transcript not graded: %+v", r.Scores)
		}
	})
}

func TestSpokenItemTooShort(t *testing.T) {
	e := testEngine(t, nil)
	// speak-intro expects at least 45 s; this recording lasts 12 s.
	r := gradeOK(t, e, Input{ID: "short", Language: "en", AssessmentID: "customer-support", ItemID: "speak-intro", Audio: wav16(16000, speechLike(16000, 12))})
	if !r.HasFlag(FlagTooShort) {
		t.Errorf("12 s answer to a 45 s item not flagged: %+v", r.Flags)
	}
}

// fixtureSpeech is the audio package's espeak-ng fixture (two sentences,
// 4.5 s, 1 s apart, about 45 dB SNR): a clean recording.
func fixtureSpeech(t *testing.T) []float64 {
	t.Helper()
	b, err := os.ReadFile("../audio/testdata/speech-en-16k.wav")
	if err != nil {
		t.Fatal(err)
	}
	c, err := audio.Decode(b, audio.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float64, len(c.Samples))
	for i, v := range c.Samples {
		x[i] = float64(v)
	}
	return x
}

// TestAudioDegradedFlag: a clean recording raises no audio_degraded flag;
// white noise at 12 dB SNR (inside the 5-20 dB warning band) and light
// clipping (0.3% of samples, inside 0.1-5%) raise it, still scored, with
// the checks and their values in the evidence.
func TestAudioDegradedFlag(t *testing.T) {
	e := testEngine(t, nil)
	clean := fixtureSpeech(t)
	var p float64
	for _, v := range clean {
		p += v * v
	}
	p /= float64(len(clean))
	noisy := slices.Clone(clean)
	r := rand.New(rand.NewPCG(12, 12))
	sd := math.Sqrt(p / math.Pow(10, 12.0/10))
	for i := range noisy {
		noisy[i] += sd * r.NormFloat64()
	}
	abs := make([]float64, len(clean))
	for i, v := range clean {
		abs[i] = math.Abs(v)
	}
	slices.Sort(abs)
	k := 1 / abs[int(0.997*float64(len(abs)-1))] // the loudest 0.3% reach full scale
	clipped := make([]float64, len(clean))
	for i, v := range clean {
		clipped[i] = max(-1, min(1, v*k))
	}

	tests := []struct {
		name    string
		x       []float64
		flagged bool
		code    string // the check the evidence must name
		inBand  func(v float64) bool
	}{
		{"clean", clean, false, "", nil},
		{"white noise at 12 dB SNR", noisy, true, audio.CodeTooNoisy, func(v float64) bool { return v > 5 && v < 20 }},
		{"clipped 0.3%", clipped, true, audio.CodeClipped, func(v float64) bool { return v >= 0.001 && v < 0.05 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := gradeOK(t, e, Input{ID: tt.name, Language: "en", Audio: wav16(16000, tt.x)})
			if res.Audio == nil || res.Scores.Fluency == nil || res.HasFlag(FlagAudioUnscorable) {
				t.Fatalf("not scored: flags %v audio %v", res.Flags, res.Audio)
			}
			if res.HasFlag(FlagAudioDegraded) != tt.flagged {
				t.Fatalf("audio_degraded = %v, want %v; flags %v, checks %v", !tt.flagged, tt.flagged, res.Flags, res.Audio.Quality.Failed())
			}
			if !tt.flagged {
				return
			}
			var f Flag
			for _, g := range res.Flags {
				if g.Code == FlagAudioDegraded {
					f = g
				}
			}
			reasons, _ := f.Evidence["reasons"].([]string)
			checks, _ := f.Evidence["checks"].([]map[string]any)
			if !slices.Contains(reasons, tt.code) || len(checks) != len(reasons) || f.Message == "" {
				t.Fatalf("evidence %v message %q: want %s among the reasons, one check each", f.Evidence, f.Message, tt.code)
			}
			for _, c := range checks {
				if c["code"] != tt.code {
					continue
				}
				v, _ := c["value"].(float64)
				if !tt.inBand(v) {
					t.Errorf("%s value %v outside its warning band", tt.code, c["value"])
				}
				if _, ok := c["threshold"].(float64); !ok {
					t.Errorf("%s without threshold: %v", tt.code, c)
				}
				return
			}
			t.Errorf("checks %v do not name %s", checks, tt.code)
		})
	}
	t.Run("unscorable is not also degraded", func(t *testing.T) {
		res := gradeOK(t, e, Input{ID: "silent", Language: "en", Audio: wav16(16000, make([]float64, 3*16000))})
		if !res.HasFlag(FlagAudioUnscorable) || res.HasFlag(FlagAudioDegraded) {
			t.Errorf("flags %v", res.Flags)
		}
	})
}
