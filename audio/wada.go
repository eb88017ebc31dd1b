package audio

// WADA-SNR (Kim & Stern 2008) lookup range in dB.
const (
	wadaMinSNR = 0
	wadaMaxSNR = 60
)
