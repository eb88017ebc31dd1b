package placement

import (
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/langassess/langassess/rubrics"
)

// Platform ids in the rubric pack's platforms section.
const (
	PlatformAmazonConnect = "amazon-connect"
	PlatformGenesys       = "genesys-cloud"
)

// ErrUnmapped is returned (wrapped) when an export cannot name a language
// or level on the target platform; the message says which.
var ErrUnmapped = errors.New("placement: not mapped for the platform")

// LanguageLevel is the one level a routing platform keeps per language: the
// lowest of the candidate's assessed skills in it, since an agent routed on
// a language meets customers in every skill that was measured.
func LanguageLevel(l Languages) string {
	lowest := ""
	for _, s := range rubrics.Skills {
		sl, ok := l.Skills[s]
		if !ok || sl.Level == "" {
			continue
		}
		if lowest == "" || rubrics.LevelIndex(sl.Level) < rubrics.LevelIndex(lowest) {
			lowest = sl.Level
		}
	}
	return lowest
}

// ConnectAttributeName is the predefined attribute Amazon Connect routes
// languages on.
const ConnectAttributeName = "Language"

// ConnectProficiency is one entry of Amazon Connect's UserProficiencies.
type ConnectProficiency struct {
	AttributeName  string  `json:"AttributeName"`
	AttributeValue string  `json:"AttributeValue"`
	Level          float64 `json:"Level"` // 1.0-5.0
}

// ConnectBody is the request body of Amazon Connect's
// AssociateUserProficiencies (POST /users/{InstanceId}/{UserId}/associate-proficiencies)
// and UpdateUserProficiencies.
type ConnectBody struct {
	UserProficiencies []ConnectProficiency `json:"UserProficiencies"`
}

// LanguageNames are the values of the "Language" predefined attribute an
// Amazon Connect instance usually defines: English language names.
var LanguageNames = map[string]string{
	"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
	"pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "cs": "Czech", "sv": "Swedish",
	"da": "Danish", "fi": "Finnish", "no": "Norwegian", "el": "Greek", "hu": "Hungarian",
	"ro": "Romanian", "tr": "Turkish", "ru": "Russian", "ja": "Japanese", "zh": "Chinese",
	"ar": "Arabic", "ko": "Korean", "sk": "Slovak", "hr": "Croatian", "bg": "Bulgarian",
}

// platform finds a platform's level map in the pack.
func platform(pack *rubrics.Pack, id string) (rubrics.Platform, error) {
	for _, p := range pack.Platforms() {
		if p.ID == id {
			return p, nil
		}
	}
	return rubrics.Platform{}, fmt.Errorf("rubric pack %s has no %q platform: %w", pack.ID, id, ErrUnmapped)
}

// platformLevel is a CEFR level's value on the platform; ErrUnmapped when
// the pack's map lacks it or puts it outside the platform's range.
func platformLevel(pl rubrics.Platform, lvl string) (float64, error) {
	v, ok := pl.Levels[lvl]
	if !ok || v < pl.Min || v > pl.Max {
		return 0, fmt.Errorf("level %s has no %s value: %w", lvl, pl.ID, ErrUnmapped)
	}
	return float64(v), nil
}

// sorted returns the languages with a level, in code order so exports are
// stable.
func sorted(levels []Languages) []Languages {
	out := slices.Clone(levels)
	sort.Slice(out, func(i, j int) bool { return out[i].Language < out[j].Language })
	return out
}

// AmazonConnect builds the AssociateUserProficiencies body: one "Language"
// proficiency per assessed language, its level through the pack's
// amazon-connect CEFR map. names overrides LanguageNames per language code
// (nil uses the defaults).
func AmazonConnect(levels []Languages, pack *rubrics.Pack, names map[string]string) (ConnectBody, error) {
	pl, err := platform(pack, PlatformAmazonConnect)
	if err != nil {
		return ConnectBody{}, err
	}
	body := ConnectBody{UserProficiencies: []ConnectProficiency{}}
	for _, l := range sorted(levels) {
		lvl := LanguageLevel(l)
		if lvl == "" {
			continue
		}
		name := names[l.Language]
		if name == "" {
			name = LanguageNames[l.Language]
		}
		if name == "" {
			return ConnectBody{}, fmt.Errorf("no Amazon Connect attribute value for language %q: %w", l.Language, ErrUnmapped)
		}
		v, err := platformLevel(pl, lvl)
		if err != nil {
			return ConnectBody{}, err
		}
		body.UserProficiencies = append(body.UserProficiencies, ConnectProficiency{
			AttributeName: ConnectAttributeName, AttributeValue: name, Level: v})
	}
	return body, nil
}

// GenesysLanguage is one element of the body of Genesys Cloud's
// PATCH /api/v2/users/{userId}/routinglanguages/bulk (UserRoutingLanguagePost).
type GenesysLanguage struct {
	ID          string  `json:"id"`          // the organisation's routing language id
	Proficiency float64 `json:"proficiency"` // 0.0-5.0
}

// GenesysMaxLanguages is the most languages the bulk PATCH accepts.
const GenesysMaxLanguages = 50

// Genesys builds the routing languages bulk PATCH body. ids maps language
// codes to the organisation's routing language ids (GET
// /api/v2/routing/languages lists them); an assessed language without an
// id is an error, so nothing is silently left out.
func Genesys(levels []Languages, pack *rubrics.Pack, ids map[string]string) ([]GenesysLanguage, error) {
	pl, err := platform(pack, PlatformGenesys)
	if err != nil {
		return nil, err
	}
	body := []GenesysLanguage{}
	var missing []string
	for _, l := range sorted(levels) {
		lvl := LanguageLevel(l)
		if lvl == "" {
			continue
		}
		id := ids[l.Language]
		if id == "" {
			missing = append(missing, l.Language)
			continue
		}
		v, err := platformLevel(pl, lvl)
		if err != nil {
			return nil, err
		}
		body = append(body, GenesysLanguage{ID: id, Proficiency: v})
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("no Genesys Cloud routing language id configured for %v: %w", missing, ErrUnmapped)
	}
	if len(body) > GenesysMaxLanguages {
		return nil, fmt.Errorf("%d languages exceed the bulk limit of %d: %w", len(body), GenesysMaxLanguages, ErrUnmapped)
	}
	return body, nil
}
