package grammar

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf16"
)

// languageTool is a client of a LanguageTool server's /v2/check.
type languageTool struct {
	url    string
	client *http.Client
}

// ltResponse is the part of /v2/check's answer we use.
type ltResponse struct {
	Matches []struct {
		Message      string `json:"message"`
		Offset       int    `json:"offset"` // UTF-16 code units
		Length       int    `json:"length"`
		Replacements []struct {
			Value string `json:"value"`
		} `json:"replacements"`
		Rule struct {
			ID        string `json:"id"`
			IssueType string `json:"issueType"`
			Category  struct {
				ID string `json:"id"`
			} `json:"category"`
		} `json:"rule"`
	} `json:"matches"`
}

// maxLTResponse caps the answer read from the server.
const maxLTResponse = 4 << 20

func (lt *languageTool) check(ctx context.Context, lang, text string) ([]Error, error) {
	form := url.Values{"language": {ltLanguage(lang)}, "text": {text}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, lt.url+"/v2/check", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := lt.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("post: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxLTResponse))
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d: %s", resp.StatusCode, strings.TrimSpace(string(body[:min(len(body), 200)])))
	}
	var r ltResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	// LanguageTool counts UTF-16 code units (Java strings); convert to
	// runes once for the whole text.
	u16ToRune := utf16Index(text)
	var out []Error
	for _, m := range r.Matches {
		// compared without adding, so a huge offset plus a length cannot
		// overflow past the check
		n := len(u16ToRune) - 1
		if m.Offset < 0 || m.Length < 0 || m.Offset > n || m.Length > n-m.Offset {
			continue
		}
		start, end := u16ToRune[m.Offset], u16ToRune[m.Offset+m.Length]
		e := Error{Offset: start, Length: end - start, Category: ltCategory(m.Rule.Category.ID, m.Rule.IssueType),
			Rule: "LT:" + m.Rule.ID, Message: m.Message, Source: "languagetool"}
		for i, rep := range m.Replacements {
			if i == 5 {
				break
			}
			e.Suggestions = append(e.Suggestions, rep.Value)
		}
		out = append(out, e)
	}
	return out, nil
}

// utf16Index maps each UTF-16 offset of text (and the end) to a rune
// offset.
func utf16Index(text string) []int {
	idx := make([]int, 0, len(text)+1)
	ri := 0
	for _, r := range text {
		n := utf16.RuneLen(r)
		if n < 1 {
			n = 1 // invalid UTF-8 arrives as U+FFFD, one unit
		}
		for range n {
			idx = append(idx, ri)
		}
		ri++
	}
	return append(idx, ri)
}

// ltLanguage maps ISO 639-1 codes to the variants LanguageTool checks
// spelling in (a bare "en" or "de" gets grammar rules only).
func ltLanguage(lang string) string {
	switch lang {
	case "en":
		return "en-US"
	case "de":
		return "de-DE"
	case "pt":
		return "pt-PT"
	case "nl":
		return "nl-NL"
	}
	return lang
}

// ltCategory maps LanguageTool's category ids to ours.
func ltCategory(cat, issue string) string {
	switch cat {
	case "TYPOS":
		return Spelling
	case "CASING":
		return Capitalisation
	case "PUNCTUATION", "TYPOGRAPHY":
		return Punctuation
	case "REDUNDANCY", "REPETITIONS", "REPETITIONS_STYLE":
		return Repetition
	case "CONFUSED_WORDS", "SEMANTICS":
		return "confusion"
	case "GRAMMAR":
		return Agreement
	}
	if issue == "misspelling" {
		return Spelling
	}
	return Other
}
