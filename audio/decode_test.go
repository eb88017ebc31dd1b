package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goaudio "github.com/go-audio/audio"
	"github.com/go-audio/wav"
)

// chunk is one RIFF chunk for building test files.
type chunk struct {
	id   string
	body []byte
}

// buildWAV assembles a RIFF/WAVE file, padding odd chunks as the spec says.
func buildWAV(chunks ...chunk) []byte {
	var b []byte
	b = append(b, "RIFF\x00\x00\x00\x00WAVE"...)
	for _, c := range chunks {
		b = append(b, c.id...)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(c.body)))
		b = append(b, c.body...)
		if len(c.body)%2 == 1 {
			b = append(b, 0)
		}
	}
	binary.LittleEndian.PutUint32(b[4:8], uint32(len(b)-8))
	return b
}

func fmtBody(tag uint16, channels, rate, bits int) []byte {
	b := binary.LittleEndian.AppendUint16(nil, tag)
	b = binary.LittleEndian.AppendUint16(b, uint16(channels))
	b = binary.LittleEndian.AppendUint32(b, uint32(rate))
	b = binary.LittleEndian.AppendUint32(b, uint32(rate*channels*bits/8))
	b = binary.LittleEndian.AppendUint16(b, uint16(channels*bits/8))
	return binary.LittleEndian.AppendUint16(b, uint16(bits))
}

// extensibleBody wraps a plain format tag in WAVE_FORMAT_EXTENSIBLE.
func extensibleBody(tag uint16, channels, rate, bits int) []byte {
	b := fmtBody(tagExtensible, channels, rate, bits)
	b = binary.LittleEndian.AppendUint16(b, 22)           // cbSize
	b = binary.LittleEndian.AppendUint16(b, uint16(bits)) // valid bits
	b = binary.LittleEndian.AppendUint32(b, 0)            // channel mask
	b = binary.LittleEndian.AppendUint16(b, tag)
	return append(b, ksdataformatSubtypeBase...)
}

// parseChunks splits a well-formed fixture into its chunks.
func parseChunks(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for off := 12; off+8 <= len(data); {
		size := int(binary.LittleEndian.Uint32(data[off+4:]))
		out[string(data[off:off+4])] = data[off+8 : off+8+size]
		off += 8 + size + size&1
	}
	return out
}

// soxDecode is the reference: sox's own float decode, mixed down by mean.
func soxDecode(t *testing.T, path string, channels int) []float32 {
	t.Helper()
	out, err := exec.Command("sox", path, "-t", "f32", "-").Output()
	if err != nil {
		t.Fatalf("sox %s: %v", path, err)
	}
	n := len(out) / 4 / channels
	mono := make([]float32, n)
	for i := range mono {
		var s float64
		for c := range channels {
			s += float64(math.Float32frombits(binary.LittleEndian.Uint32(out[4*(i*channels+c):])))
		}
		mono[i] = float32(s / float64(channels))
	}
	return mono
}

func needSox(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("sox"); err != nil {
		t.Skip("sox not installed")
	}
}

// TestDecodeMatchesSox compares every sample with sox's decode of the same
// file: the committed fixtures (make-fixtures.sh) and variants built from
// them with extra chunks and EXTENSIBLE headers.
func TestDecodeMatchesSox(t *testing.T) {
	needSox(t)
	files, _ := filepath.Glob("testdata/formats/*.wav")
	if len(files) < 10 {
		t.Fatalf("fixtures missing: %v (run testdata/make-fixtures.sh)", files)
	}
	type variant struct {
		name     string
		data     []byte
		encoding string
		bits     int
	}
	var vs []variant
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		enc := "pcm"
		if strings.HasPrefix(name, "float") {
			enc = "float"
		}
		bits := 0
		for _, b := range []int{8, 16, 24, 32, 64} {
			if strings.Contains(name, fmt.Sprintf("pcm%d-", b)) || strings.Contains(name, fmt.Sprintf("float%d-", b)) {
				bits = b
			}
		}
		vs = append(vs, variant{name, data, enc, bits})
	}
	read := func(name string) map[string][]byte {
		data, err := os.ReadFile("testdata/formats/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return parseChunks(t, data)
	}
	list := append([]byte("INFOISFT"), 6, 0, 0, 0, 's', 'o', 'x', '!', 0, 0)
	pcm := read("pcm16-mono-16k.wav")
	vs = append(vs, variant{"chunks-around-data", buildWAV(
		chunk{"bext", bytes.Repeat([]byte{1}, 603)}, // odd: padded
		chunk{"LIST", list},
		chunk{"fmt ", pcm["fmt "]},
		chunk{"fact", []byte{0x40, 6, 0, 0}},
		chunk{"data", pcm["data"]},
		chunk{"LIST", list},
		chunk{"junk", []byte("xyz")},
	), "pcm", 16})
	odd := read("pcm8-odd-8k.wav")
	vs = append(vs, variant{"odd-data-then-list", buildWAV(
		chunk{"fmt ", odd["fmt "]}, chunk{"data", odd["data"]}, chunk{"LIST", list}), "pcm", 8})
	fl := read("float32-3ch-16k.wav")
	vs = append(vs, variant{"float32-3ch-extensible", buildWAV(
		chunk{"fmt ", extensibleBody(tagFloat, 3, 16000, 32)}, chunk{"data", fl["data"]}), "float", 32})
	fl64 := read("float64-mono-48k.wav")
	vs = append(vs, variant{"float64-extensible", buildWAV(
		chunk{"fmt ", extensibleBody(tagFloat, 1, 48000, 64)}, chunk{"data", fl64["data"]}), "float", 64})

	// a streaming writer's placeholder size: the data runs to the end
	streamed := buildWAV(chunk{"fmt ", pcm["fmt "]}, chunk{"data", pcm["data"]})
	binary.LittleEndian.PutUint32(streamed[4:8], 0xFFFFFFFF)
	binary.LittleEndian.PutUint32(streamed[len(streamed)-len(pcm["data"])-4:], 0xFFFFFFFF)
	vs = append(vs, variant{"streamed-size-placeholder", streamed, "pcm", 16})

	dir := t.TempDir()
	for _, v := range vs {
		t.Run(v.name, func(t *testing.T) {
			path := filepath.Join(dir, v.name+".wav")
			if err := os.WriteFile(path, v.data, 0o644); err != nil {
				t.Fatal(err)
			}
			c, err := Decode(v.data, Limits{})
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if c.Encoding != v.encoding || c.BitDepth != v.bits {
				t.Errorf("encoding %s/%d, want %s/%d", c.Encoding, c.BitDepth, v.encoding, v.bits)
			}
			want := soxDecode(t, path, c.Channels)
			if len(c.Samples) != len(want) {
				t.Fatalf("%d samples, sox decodes %d", len(c.Samples), len(want))
			}
			worst, at := 0.0, 0
			for i := range want {
				if d := math.Abs(float64(c.Samples[i] - want[i])); d > worst {
					worst, at = d, i
				}
			}
			// sox rounds to float32 per channel before our mean; 24-bit
			// resolution is 1.2e-7
			if worst > 2e-7*float64(c.Channels) {
				t.Errorf("sample %d differs by %.3g (ours %v, sox %v)", at, worst, c.Samples[at], want[at])
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	pcm := make([]byte, 3200)
	ok := func(fmtb []byte) []byte { return buildWAV(chunk{"fmt ", fmtb}, chunk{"data", pcm}) }
	truncated := ok(fmtBody(tagPCM, 1, 16000, 16))
	truncated = truncated[:len(truncated)-100]
	unknownGUID := extensibleBody(tagPCM, 1, 16000, 16)
	unknownGUID[30] ^= 0xFF
	shortExt := fmtBody(tagExtensible, 1, 16000, 16)
	tests := []struct {
		name     string
		data     []byte
		lim      Limits
		code     string
		contains string
	}{
		{"empty", nil, Limits{}, "not_wav", "RIFF"},
		{"mp3 bytes", []byte("ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb"), Limits{}, "not_wav", "RIFF"},
		{"riff not wave", append([]byte("RIFF\x04\x00\x00\x00AVI "), pcm[:8]...), Limits{}, "not_wav", "RIFF"},
		{"rf64", append([]byte("RF64\xff\xff\xff\xffWAVE"), pcm[:8]...), Limits{}, "not_wav", "RF64"},
		{"no fmt", buildWAV(chunk{"data", pcm}), Limits{}, "not_wav", "format chunk"},
		{"short fmt", buildWAV(chunk{"fmt ", make([]byte, 10)}, chunk{"data", pcm}), Limits{}, "truncated", "format chunk"},
		{"no data", buildWAV(chunk{"fmt ", fmtBody(tagPCM, 1, 16000, 16)}), Limits{}, "truncated", "no audio data"},
		{"data cut short", truncated, Limits{}, "truncated", "cut short"},
		{"a-law", ok(fmtBody(6, 1, 8000, 8)), Limits{}, "unsupported_encoding", "A-law"},
		{"mu-law", ok(fmtBody(7, 1, 8000, 8)), Limits{}, "unsupported_encoding", "mu-law"},
		{"mp3 in wav", ok(fmtBody(0x55, 1, 16000, 0)), Limits{}, "unsupported_encoding", "MP3"},
		{"ms adpcm", ok(fmtBody(2, 1, 16000, 4)), Limits{}, "unsupported_encoding", "ADPCM"},
		{"12-bit pcm", ok(fmtBody(tagPCM, 1, 16000, 12)), Limits{}, "unsupported_encoding", "12-bit PCM"},
		{"16-bit float", ok(fmtBody(tagFloat, 1, 16000, 16)), Limits{}, "unsupported_encoding", "16-bit float"},
		{"unknown tag", ok(fmtBody(0x1234, 1, 16000, 16)), Limits{}, "unsupported_encoding", "0x1234"},
		{"extensible unknown guid", ok(unknownGUID), Limits{}, "unsupported_encoding", "GUID"},
		{"extensible without extension", ok(shortExt), Limits{}, "not_wav", "EXTENSIBLE"},
		{"zero channels", ok(fmtBody(tagPCM, 0, 16000, 16)), Limits{}, "bad_channels", "0 channels"},
		{"1000 channels", ok(fmtBody(tagPCM, 1000, 16000, 16)), Limits{}, "bad_channels", "1000"},
		{"rate 1 Hz", ok(fmtBody(tagPCM, 1, 1, 16)), Limits{}, "bad_rate", "1 Hz"},
		{"rate 4 GHz", ok(fmtBody(tagPCM, 1, 4_000_000_000, 16)), Limits{}, "bad_rate", "4000000000"},
		{"too large", ok(fmtBody(tagPCM, 1, 16000, 16)), Limits{MaxBytes: 1000}, "too_large", "1000"},
		{"too long", ok(fmtBody(tagPCM, 1, 16000, 16)), Limits{MaxDuration: 50 * time.Millisecond}, "too_long", "0 s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Decode(tt.data, tt.lim)
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("Decode = %v, %v; want *FormatError %s", c, err, tt.code)
			}
			if fe.Code != tt.code || !strings.Contains(fe.Reason, tt.contains) {
				t.Errorf("got %s %q, want %s containing %q", fe.Code, fe.Reason, tt.code, tt.contains)
			}
		})
	}
}

// countingReader counts Read calls to show go-audio's per-sample reads.
type countingReader struct {
	*bytes.Reader
	reads int
}

func (r *countingReader) Read(p []byte) (int, error) { r.reads++; return r.Reader.Read(p) }

// TestGoAudioBugs documents each go-audio/wav v1.1.0 defect that
// readFormat/decodeSamples work around, by running go-audio on the same
// bytes: if an upgrade fixes one, its case fails and the workaround can go.
func TestGoAudioBugs(t *testing.T) {
	load := func(name string) []byte {
		b, err := os.ReadFile("testdata/formats/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	full := func(data []byte) (*goaudio.IntBuffer, *wav.Decoder, int) {
		r := &countingReader{Reader: bytes.NewReader(data)}
		d := wav.NewDecoder(r)
		buf, err := d.FullPCMBuffer()
		if err != nil {
			t.Fatalf("go-audio: %v", err)
		}
		return buf, d, r.reads
	}
	t.Run("float samples are raw bit patterns", func(t *testing.T) {
		data := load("float32-mono-44k.wav")
		buf, _, _ := full(data)
		ours, err := Decode(data, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		i := 100 // a non-zero sample
		bitsOf := int(int32(math.Float32bits(ours.Samples[i])))
		if buf.Data[i] != bitsOf {
			t.Errorf("go-audio sample %d = %d, expected the raw bits %d of %v", i, buf.Data[i], bitsOf, ours.Samples[i])
		}
		if math.Abs(float64(ours.Samples[i])) > 1 || ours.Samples[i] == 0 {
			t.Errorf("our sample %v not a proper float in [-1, 1]", ours.Samples[i])
		}
	})
	t.Run("extensible sub-format dropped", func(t *testing.T) {
		data := load("pcm24-mono-22k-extensible.wav")
		d := wav.NewDecoder(bytes.NewReader(data))
		d.ReadInfo()
		if d.WavAudioFormat != tagExtensible {
			t.Errorf("go-audio format %#x, expected the unresolved 0xFFFE", d.WavAudioFormat)
		}
		c, err := Decode(data, Limits{})
		if err != nil || c.Encoding != "pcm" || c.BitDepth != 24 {
			t.Errorf("ours: %+v, %v; want pcm 24", c, err)
		}
	})
	t.Run("phantom sample on odd data chunk", func(t *testing.T) {
		data := load("pcm8-odd-8k.wav")
		buf, _, _ := full(data)
		c, err := Decode(data, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Samples) != 799 || len(buf.Data) != 800 {
			t.Errorf("samples: ours %d (want 799), go-audio %d (expected the phantom 800)", len(c.Samples), len(buf.Data))
		}
	})
	t.Run("one read per sample", func(t *testing.T) {
		data := load("pcm16-mono-16k.wav")
		buf, _, reads := full(data)
		if reads < len(buf.Data) {
			t.Errorf("go-audio made %d reads for %d samples; expected at least one per sample", reads, len(buf.Data))
		}
	})
}

// TestReleaseReuse: a buffer given back with Release and reused by a later
// Decode holds that decode's samples, not the earlier clip's.
func TestReleaseReuse(t *testing.T) {
	long := buildWAV(chunk{"fmt ", fmtBody(tagPCM, 1, 16000, 16)}, chunk{"data", bytes.Repeat([]byte{0xff, 0x7f}, 40000)})
	short := buildWAV(chunk{"fmt ", fmtBody(tagPCM, 1, 16000, 16)}, chunk{"data", bytes.Repeat([]byte{0x00, 0xc0}, 20000)})
	for range 3 {
		a, err := Decode(long, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		a.Release()
		if a.Samples != nil {
			t.Fatal("Release left the samples in the clip")
		}
		b, err := Decode(short, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Samples) != 20000 {
			t.Fatalf("%d samples, want 20000", len(b.Samples))
		}
		for i, v := range b.Samples {
			if v != -0.5 {
				t.Fatalf("sample %d = %v, want -0.5", i, v)
			}
		}
		b.Release()
	}
}
