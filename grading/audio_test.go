package grading

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"
)

// wav16 encodes mono 16-bit PCM samples as a WAV file.
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
		binary.Write(&b, binary.LittleEndian, int16(math.Max(-1, math.Min(1, s))*32767))
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
