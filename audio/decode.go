package audio

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/go-audio/wav"
)

// Limits caps what Decode accepts.
type Limits struct {
	MaxBytes    int64         // size of the WAV file; 0 means DefaultLimits
	MaxDuration time.Duration // decoded duration; 0 means DefaultLimits
}

// DefaultLimits: 50 MB and 5 minutes.
func DefaultLimits() Limits { return Limits{MaxBytes: 50 << 20, MaxDuration: 5 * time.Minute} }

// Supported sample rates. Below 8 kHz speech is not intelligible enough to
// measure; above 48 kHz nothing a browser or phone records is expected, and a
// header claiming more is usually corrupt.
const (
	MinSampleRate = 8000
	MaxSampleRate = 48000
	maxChannels   = 32
)

// Clip is a decoded recording mixed down to mono float32 in [-1, 1].
type Clip struct {
	SampleRate int       // Hz
	Channels   int       // channels in the file (before mix-down)
	BitDepth   int       // bits per sample in the file
	Encoding   string    // "pcm" or "float"
	Samples    []float32 // mono
}

// Duration of the clip.
func (c *Clip) Duration() time.Duration {
	if c == nil || c.SampleRate == 0 {
		return 0
	}
	return time.Duration(float64(len(c.Samples)) / float64(c.SampleRate) * float64(time.Second))
}

// FormatError is returned for input that is not a usable WAV file. Code is a
// stable machine-readable reason: "not_wav", "unsupported_encoding",
// "truncated", "too_large", "too_long", "bad_channels", "bad_rate".
// Reason is safe to show to the uploader.
type FormatError struct {
	Code   string
	Reason string
}

func (e *FormatError) Error() string { return "audio: " + e.Reason }

func formatErr(code, format string, args ...any) *FormatError {
	return &FormatError{Code: code, Reason: fmt.Sprintf(format, args...)}
}

// WAVE format tags (RFC 2361 and mmreg.h). The named ones we do not decode
// are listed so the error tells the uploader what they sent.
const (
	tagPCM        = 0x0001
	tagFloat      = 0x0003
	tagExtensible = 0xFFFE
)

var encodingNames = map[uint16]string{
	0x0002: "Microsoft ADPCM",
	0x0006: "A-law",
	0x0007: "mu-law",
	0x0011: "IMA ADPCM",
	0x0031: "GSM 6.10",
	0x0040: "G.721 ADPCM",
	0x0050: "MPEG audio",
	0x0055: "MPEG layer 3 (MP3)",
	0x00FF: "AAC",
	0x1610: "HE-AAC",
	0x6750: "Ogg Vorbis",
	0xF1AC: "FLAC",
}

func encodingName(tag uint16, bits int) string {
	if n, ok := encodingNames[tag]; ok {
		return n
	}
	switch tag {
	case tagPCM:
		return fmt.Sprintf("%d-bit PCM", bits)
	case tagFloat:
		return fmt.Sprintf("%d-bit float", bits)
	}
	return fmt.Sprintf("format tag 0x%04X", tag)
}

// ksdataformatSubtypeBase is the GUID tail shared by every
// KSDATAFORMAT_SUBTYPE_* of a WAVE_FORMAT_EXTENSIBLE file; the first two
// bytes of the GUID hold the plain format tag.
var ksdataformatSubtypeBase = []byte{0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71}

// streamingSize and above is a data size that only a recorder which could
// not seek back wrote (ffmpeg to a pipe writes 0xFFFFFFFF, arecord
// 0x7FFFFFFF-ish values): no real upload is 2 GB.
const streamingSize = 0x7FFF0000

// layout is what Decode learned from the container walk.
type layout struct {
	fmtBody  []byte // body of the fmt chunk
	dataOff  int    // offset of the data chunk body
	dataSize int    // declared size of the data chunk (without pad byte)
}

// walkChunks checks every chunk size against the bytes actually present
// before go-audio sees anything: go-audio allocates whatever a chunk header
// claims (fmt extension, LIST and smpl bodies, LIST INFO entries), so an
// unchecked 4 GB size in a 100-byte upload would be honoured.
func walkChunks(data []byte) (layout, error) {
	var l layout
	if len(data) < 12 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		if len(data) >= 4 && (string(data[0:4]) == "RF64" || string(data[0:4]) == "RIFX") {
			return l, formatErr("not_wav", "%s files are not supported; save the recording as a standard WAV file", data[0:4])
		}
		return l, formatErr("not_wav", "the file is not a WAV recording (no RIFF/WAVE header)")
	}
	l.dataOff = -1
	off := 12
	for off+8 <= len(data) {
		id := string(data[off : off+4])
		size := int(binary.LittleEndian.Uint32(data[off+4 : off+8]))
		body := off + 8
		end := body + size
		if size > len(data)-body {
			if l.fmtBody != nil && l.dataOff >= 0 {
				break // junk after the audio does not matter
			}
			if id == "data" && l.dataOff < 0 && size >= streamingSize {
				// a recorder writing to a pipe cannot seek back to fill in
				// the size and leaves a placeholder: the audio runs to the
				// end of the file
				l.dataOff, l.dataSize = body, len(data)-body
				break
			}
			return l, formatErr("truncated", "the WAV file is cut short: chunk %q claims %d bytes but only %d remain", id, size, len(data)-body)
		}
		switch id {
		case "fmt ":
			if l.fmtBody == nil {
				l.fmtBody = data[body:end]
			}
		case "data":
			if l.dataOff < 0 {
				l.dataOff, l.dataSize = body, size
			}
		}
		off = end + size&1
	}
	if l.fmtBody == nil {
		return l, formatErr("not_wav", "the WAV file has no format chunk")
	}
	if len(l.fmtBody) < 16 {
		return l, formatErr("truncated", "the WAV format chunk is %d bytes, at least 16 needed", len(l.fmtBody))
	}
	if l.dataOff < 0 {
		return l, formatErr("truncated", "the WAV file has no audio data chunk")
	}
	return l, nil
}

// format is the parsed fmt chunk after our fixes to go-audio's reading.
type format struct {
	tag        uint16 // effective tag (EXTENSIBLE resolved)
	channels   int
	sampleRate int
	bits       int
}

// readFormat lets go-audio/wav parse the fmt chunk, then repairs what
// go-audio v1.1.0 gets wrong, all in this one place:
//
//  1. WAVE_FORMAT_EXTENSIBLE (what sox and ffmpeg write for 24-bit and
//     multichannel) is reported as tag 0xFFFE and the sub-format GUID is
//     dropped; we read the GUID from the extension ourselves.
//  2. IEEE float (tag 3) would be returned as raw integer bit patterns by
//     its sample decoders; decodeSamples converts floats itself.
//  3. An odd-sized data chunk gains a phantom sample because go-audio rounds
//     the chunk size up to the pad byte; we use the declared size (layout).
//  4. FullPCMBuffer does one Read per sample; decodeSamples converts the
//     data chunk in one pass over the bytes we already hold.
//
// go-audio is given a header-only copy (RIFF + fmt + empty data chunk) so
// its allocations are bounded by the fmt chunk we already checked.
func readFormat(l layout) (format, error) {
	var f format
	hdr := make([]byte, 0, 12+8+len(l.fmtBody)+1+8)
	hdr = append(hdr, "RIFF\x00\x00\x00\x00WAVEfmt "...)
	hdr = binary.LittleEndian.AppendUint32(hdr, uint32(len(l.fmtBody)))
	hdr = append(hdr, l.fmtBody...)
	if len(l.fmtBody)&1 == 1 {
		hdr = append(hdr, 0)
	}
	hdr = append(hdr, "data\x00\x00\x00\x00"...)
	binary.LittleEndian.PutUint32(hdr[4:8], uint32(len(hdr)-8))
	d := wav.NewDecoder(bytes.NewReader(hdr))
	d.ReadInfo()
	if err := d.Err(); err != nil {
		return f, &FormatError{Code: "not_wav", Reason: "the WAV format chunk cannot be read: " + err.Error()}
	}
	f.tag = d.WavAudioFormat
	f.channels = int(d.NumChans)
	f.sampleRate = int(d.SampleRate)
	f.bits = int(d.BitDepth)

	if f.tag == tagExtensible { // fix 1
		// WAVEFORMATEXTENSIBLE: cbSize(2) validBits(2) channelMask(4) GUID(16).
		if len(l.fmtBody) < 40 || binary.LittleEndian.Uint16(l.fmtBody[16:18]) < 22 {
			return f, formatErr("not_wav", "the WAV file says WAVE_FORMAT_EXTENSIBLE but its format extension is missing")
		}
		guid := l.fmtBody[24:40]
		if !bytes.Equal(guid[2:], ksdataformatSubtypeBase) {
			return f, formatErr("unsupported_encoding", "the WAV file uses an unknown encoding (sub-format GUID % X)", guid)
		}
		f.tag = binary.LittleEndian.Uint16(guid[0:2])
	}
	return f, nil
}

// Decode reads a WAV file and mixes it down to mono. Errors are *FormatError.
func Decode(data []byte, lim Limits) (*Clip, error) {
	def := DefaultLimits()
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = def.MaxBytes
	}
	if lim.MaxDuration <= 0 {
		lim.MaxDuration = def.MaxDuration
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, formatErr("too_large", "the recording is %d bytes, more than the %d allowed", len(data), lim.MaxBytes)
	}
	l, err := walkChunks(data)
	if err != nil {
		return nil, err
	}
	f, err := readFormat(l)
	if err != nil {
		return nil, err
	}
	if f.channels < 1 || f.channels > maxChannels {
		return nil, formatErr("bad_channels", "the WAV file declares %d channels; 1 to %d are supported", f.channels, maxChannels)
	}
	if f.sampleRate < MinSampleRate || f.sampleRate > MaxSampleRate {
		return nil, formatErr("bad_rate", "the sample rate %d Hz is outside the supported %d-%d Hz", f.sampleRate, MinSampleRate, MaxSampleRate)
	}
	enc := ""
	switch {
	case f.tag == tagPCM && (f.bits == 8 || f.bits == 16 || f.bits == 24 || f.bits == 32):
		enc = "pcm"
	case f.tag == tagFloat && (f.bits == 32 || f.bits == 64):
		enc = "float"
	default:
		return nil, formatErr("unsupported_encoding", "%s audio is not supported; record as 16-bit PCM WAV", encodingName(f.tag, f.bits))
	}
	frame := f.bits / 8 * f.channels
	frames := l.dataSize / frame // fix 3: declared size, whole frames only
	if max := lim.MaxDuration.Seconds() * float64(f.sampleRate); float64(frames) > max {
		return nil, formatErr("too_long", "the recording lasts %.0f s, more than the %.0f s allowed",
			float64(frames)/float64(f.sampleRate), lim.MaxDuration.Seconds())
	}
	c := &Clip{SampleRate: f.sampleRate, Channels: f.channels, BitDepth: f.bits, Encoding: enc,
		Samples: getSamples(frames)}
	decodeSamples(c.Samples, data[l.dataOff:l.dataOff+frames*frame], enc, f.bits, f.channels)
	return c, nil
}

// samplePool holds sample buffers given back with Release. A minute at
// 16 kHz is 3.8 MB; a fresh buffer of that size costs more in page faults
// and zeroing than decoding into it (docs/benchmarks.md).
var samplePool sync.Pool // of *[]float32

// minPooled is the smallest buffer worth pooling (one second at 16 kHz).
const minPooled = 16000

func getSamples(n int) []float32 {
	if n >= minPooled {
		if p, ok := samplePool.Get().(*[]float32); ok {
			if cap(*p) >= n {
				return (*p)[:n] // decodeSamples overwrites every element
			}
			samplePool.Put(p)
		}
	}
	return make([]float32, n)
}

// Release gives the clip's sample buffer back for reuse by a later Decode
// and empties the clip. Call it only when nothing holds c.Samples any more
// (a Report does not); not calling it is always safe.
func (c *Clip) Release() {
	if c == nil || cap(c.Samples) < minPooled {
		return
	}
	s := c.Samples[:0]
	c.Samples = nil
	samplePool.Put(&s)
}

// decodeSamples converts interleaved little-endian samples to mono float32
// in one pass (fix 2 and 4 above). Float input is clamped to [-1, 1] (NaN
// becomes 0) so a malformed float file cannot poison the measures.
func decodeSamples(dst []float32, src []byte, enc string, bits, channels int) {
	bps := bits / 8
	mix := float32(1) / float32(channels)
	read := func(b []byte) float32 { return 0 }
	switch {
	case enc == "pcm" && bits == 8:
		read = func(b []byte) float32 { return float32(int(b[0])-128) / 128 }
	case enc == "pcm" && bits == 16:
		if channels == 1 { // the common case: four samples per 64-bit load
			const k = 1.0 / 32768
			i := 0
			for ; i+4 <= len(dst); i += 4 {
				u := binary.LittleEndian.Uint64(src[2*i:])
				d := dst[i : i+4 : i+4]
				d[0] = float32(int16(u)) * k
				d[1] = float32(int16(u>>16)) * k
				d[2] = float32(int16(u>>32)) * k
				d[3] = float32(int16(u>>48)) * k
			}
			for ; i < len(dst); i++ {
				dst[i] = float32(int16(binary.LittleEndian.Uint16(src[2*i:]))) * k
			}
			return
		}
		read = func(b []byte) float32 { return float32(int16(binary.LittleEndian.Uint16(b))) * (1.0 / 32768) }
	case enc == "pcm" && bits == 24:
		read = func(b []byte) float32 {
			return float32(int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24)>>8) * (1.0 / 8388608)
		}
	case enc == "pcm" && bits == 32:
		read = func(b []byte) float32 {
			return float32(float64(int32(binary.LittleEndian.Uint32(b))) * (1.0 / 2147483648))
		}
	case enc == "float" && bits == 32:
		read = func(b []byte) float32 { return clampSample(math.Float32frombits(binary.LittleEndian.Uint32(b))) }
	case enc == "float" && bits == 64:
		read = func(b []byte) float32 {
			return clampSample(float32(math.Float64frombits(binary.LittleEndian.Uint64(b))))
		}
	}
	p := 0
	for i := range dst {
		if channels == 1 {
			dst[i] = read(src[p:])
			p += bps
			continue
		}
		var s float32
		for range channels {
			s += read(src[p:])
			p += bps
		}
		dst[i] = s * mix
	}
}

func clampSample(v float32) float32 {
	switch {
	case v != v:
		return 0
	case v > 1:
		return 1
	case v < -1:
		return -1
	}
	return v
}
