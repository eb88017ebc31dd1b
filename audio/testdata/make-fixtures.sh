#!/bin/sh
# Regenerates the committed WAV fixtures of package audio.
# Needs sox and espeak-ng (Debian: apt-get install sox espeak-ng).
# Run from anywhere: sh audio/testdata/make-fixtures.sh
set -eu
cd "$(dirname "$0")"
mkdir -p formats
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A 0.1 s source with a different tone in each channel, so the mix-down is
# checked too, and content near full scale, so sample scaling is checked.
sox -n -r 48000 -b 32 -e floating-point -c 6 "$tmp/src6.wav" \
	synth 0.1 sine 220 sine 330 sine 440 sine 550 sine 660 square 770 gain -3
sox -n -r 48000 -b 32 -e floating-point -c 1 "$tmp/src1.wav" \
	synth 0.1 sine 300 synth 0.1 sine amod 7 gain -0.5

f=formats
sox "$tmp/src1.wav" -r 8000 -b 8 -e unsigned-integer "$f/pcm8-mono-8k.wav"
sox "$tmp/src1.wav" -r 16000 -b 16 "$f/pcm16-mono-16k.wav"
sox "$tmp/src1.wav" -r 22050 -b 24 "$f/pcm24-mono-22k-extensible.wav"
sox "$tmp/src1.wav" -r 32000 -b 32 -e signed-integer "$f/pcm32-mono-32k-extensible.wav"
sox "$tmp/src1.wav" -r 44100 -b 32 -e floating-point "$f/float32-mono-44k.wav"
sox "$tmp/src1.wav" -r 48000 -b 64 -e floating-point "$f/float64-mono-48k.wav"
sox "$tmp/src6.wav" -r 44100 -b 16 -c 2 "$f/pcm16-stereo-44k.wav" remix 1 2
sox "$tmp/src6.wav" -r 16000 -b 24 "$f/pcm24-6ch-16k-extensible.wav"
sox "$tmp/src6.wav" -r 16000 -b 32 -e floating-point "$f/float32-3ch-16k.wav" remix 1 2 3
# an odd-sized data chunk: 8-bit mono with an odd number of samples
sox "$tmp/src1.wav" -b 8 -e unsigned-integer "$f/pcm8-odd-8k.wav" rate 8000 trim 0 799s
# plain 24-bit written by sox with -t wavpcm (WAVE_FORMAT_PCM even at 24 bit)
sox "$tmp/src1.wav" -r 16000 -b 24 -t wavpcm "$f/pcm24-mono-16k-plain.wav"

# Speech for the analysis golden test: espeak-ng, 16 kHz, with a 1 s pause.
espeak-ng -v en -s 150 -w "$tmp/a.wav" "Good morning, how can I help you?"
espeak-ng -v en -s 150 -w "$tmp/b.wav" "Your parcel has arrived."
sox "$tmp/a.wav" -r 16000 "$tmp/a16.wav" silence 1 0.01 0.1% reverse silence 1 0.01 0.1% reverse
sox "$tmp/b.wav" -r 16000 "$tmp/b16.wav" silence 1 0.01 0.1% reverse silence 1 0.01 0.1% reverse
sox -n -r 16000 -c 1 "$tmp/gap.wav" trim 0 1
sox "$tmp/a16.wav" "$tmp/gap.wav" "$tmp/b16.wav" -b 16 speech-en-16k.wav
