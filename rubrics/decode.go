package rubrics

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxFileSize caps one pack file. Packs are hand-written YAML far below
// this; the cap keeps an uploaded file from exhausting memory in the decoder.
const maxFileSize = 4 << 20

// The *Doc types mirror the YAML layout. Every file of a pack has the same
// top-level shape; a pack is the union of its files. Pointers mark optional
// numbers so that an explicit 0 can be told from a missing value.
type fileDoc struct {
	Pack        *packDoc        `yaml:"pack"`
	Assessments []assessmentDoc `yaml:"assessments"`
	Rubrics     []rubricDoc     `yaml:"rubrics"`
	Queues      []queueDoc      `yaml:"queues"`
	// Shared holds YAML anchors (&name) for reuse elsewhere in the file
	// (*name), e.g. phrasings several items accept; it is not read itself.
	Shared yaml.Node `yaml:"shared"`
}

type packDoc struct {
	ID        string        `yaml:"id"`
	Version   string        `yaml:"version"`
	Title     string        `yaml:"title"`
	Languages []string      `yaml:"languages"`
	Platforms []platformDoc `yaml:"platforms"`
}

type platformDoc struct {
	ID     string         `yaml:"id"`
	Title  string         `yaml:"title"`
	Min    *int           `yaml:"min"`
	Max    *int           `yaml:"max"`
	Levels map[string]int `yaml:"levels"`
}

type assessmentDoc struct {
	ID        string                       `yaml:"id"`
	Title     string                       `yaml:"title"`
	Languages []string                     `yaml:"languages"`
	Passages  map[string]map[string]string `yaml:"passages"`
	Items     []itemDoc                    `yaml:"items"`
}

type itemDoc struct {
	ID        string            `yaml:"id"`
	Kind      string            `yaml:"kind"`
	Skill     string            `yaml:"skill"`
	Rubric    string            `yaml:"rubric"`
	Weight    *float64          `yaml:"weight"`
	Passage   string            `yaml:"passage"`
	Length    *lengthDoc        `yaml:"length"`
	Prompts   map[string]string `yaml:"prompts"`
	KeyPoints []keyPointDoc     `yaml:"key_points"`
	Forbidden []forbiddenDoc    `yaml:"forbidden"`
}

type lengthDoc struct {
	MinWords   *int     `yaml:"min_words"`
	MaxWords   *int     `yaml:"max_words"`
	MinSeconds *float64 `yaml:"min_seconds"`
	MaxSeconds *float64 `yaml:"max_seconds"`
}

type keyPointDoc struct {
	ID           string              `yaml:"id"`
	Description  string              `yaml:"description"`
	Weight       *float64            `yaml:"weight"`
	Alternatives map[string][]string `yaml:"alternatives"`
}

type forbiddenDoc struct {
	ID           string              `yaml:"id"`
	Description  string              `yaml:"description"`
	Penalty      *float64            `yaml:"penalty"`
	Alternatives map[string][]string `yaml:"alternatives"`
}

type rubricDoc struct {
	ID        string              `yaml:"id"`
	Title     string              `yaml:"title"`
	Skill     string              `yaml:"skill"`
	Default   bool                `yaml:"default"`
	Length    *lengthDoc          `yaml:"length"`
	Weights   map[string]float64  `yaml:"weights"`
	Cuts      map[string]float64  `yaml:"cuts"`
	Languages map[string]scaleDoc `yaml:"languages"`
}

type scaleDoc struct {
	Weights     map[string]float64 `yaml:"weights"`
	Cuts        map[string]float64 `yaml:"cuts"`
	Calibration *fitDoc            `yaml:"calibration"`
}

type fitDoc struct {
	Data    string             `yaml:"data"`
	N       int                `yaml:"n"`
	Folds   int                `yaml:"folds"`
	Date    string             `yaml:"date"`
	Metrics map[string]float64 `yaml:"metrics"`
	Note    string             `yaml:"note"`
}

type queueDoc struct {
	ID        string            `yaml:"id"`
	Title     string            `yaml:"title"`
	Language  string            `yaml:"language"`
	Channel   string            `yaml:"channel"`
	MinLevels map[string]string `yaml:"min_levels"`
	Audio     *audioDoc         `yaml:"audio"`
	Demand    *int              `yaml:"demand"`
}

type audioDoc struct {
	MinSNRDB        *float64 `yaml:"min_snr_db"`
	MaxClipping     *float64 `yaml:"max_clipping"`
	MinLoudnessLUFS *float64 `yaml:"min_loudness_lufs"`
}

// docNames turns the Go type names in yaml.v3 messages into the words a
// pack author knows.
var docNames = map[string]string{
	"fileDoc": "file", "packDoc": "pack", "platformDoc": "platform",
	"assessmentDoc": "assessment", "itemDoc": "item", "lengthDoc": "length",
	"keyPointDoc": "key point", "forbiddenDoc": "forbidden statement",
	"rubricDoc": "rubric", "scaleDoc": "rubric language", "fitDoc": "calibration",
	"queueDoc": "queue", "audioDoc": "audio requirements",
}

// source is one decoded file: its name for messages and its node tree for
// line numbers.
type source struct {
	name string
	root *yaml.Node // the document's top node; nil for an empty file
}

// decodeFile decodes one file strictly. Unknown fields and type mismatches
// come back as errors with the file's line numbers.
func decodeFile(name string, data []byte) (*fileDoc, *source, ErrorList) {
	if len(data) > maxFileSize {
		return nil, nil, ErrorList{{File: name, Msg: fmt.Sprintf("file is larger than %d bytes", maxFileSize)}}
	}
	// The node tree gives line numbers for validation; the typed decode
	// with KnownFields turns typos into errors. Node.Decode would skip the
	// KnownFields check, hence two passes over the bytes.
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, nil, yamlErrors(name, err)
	}
	src := &source{name: name}
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		src.root = root.Content[0]
	}
	doc := &fileDoc{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, yamlErrors(name, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, nil, ErrorList{{File: name, Line: extra.Line, Msg: "more than one YAML document in the file"}}
	}
	if src.root != nil && src.root.Kind != yaml.MappingNode {
		return nil, nil, ErrorList{{File: name, Line: src.root.Line, Msg: "the file must be a mapping (pack:, assessments:, rubrics:, queues:)"}}
	}
	return doc, src, nil
}

var (
	reLine     = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	reUnknown  = regexp.MustCompile(`^field (\S+) not found in type \S*\.(\w+)$`)
	reMismatch = regexp.MustCompile("^cannot unmarshal !!(\\w+) (?:`(.*)` )?into (.+)$")
)

// yamlErrors converts yaml.v3 errors to file:line errors with plain messages.
func yamlErrors(name string, err error) ErrorList {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	out := make(ErrorList, 0, len(msgs))
	for _, m := range msgs {
		e := &Error{File: name, Msg: strings.TrimPrefix(m, "yaml: ")}
		if sm := reLine.FindStringSubmatch(m); sm != nil {
			e.Line, _ = strconv.Atoi(sm[1])
			e.Msg = sm[2]
		}
		if sm := reUnknown.FindStringSubmatch(e.Msg); sm != nil {
			what := docNames[sm[2]]
			if what == "" {
				what = sm[2]
			}
			e.Msg = fmt.Sprintf("unknown field %q in %s", sm[1], what)
		} else if sm := reMismatch.FindStringSubmatch(e.Msg); sm != nil {
			e.Msg = fmt.Sprintf("expected %s, got %s", goTypeWords(sm[3]), yamlTagWords(sm[1], sm[2]))
		}
		out = append(out, e)
	}
	out.sort()
	return out
}

func goTypeWords(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["), strings.HasPrefix(t, "rubrics."):
		return "a mapping"
	case strings.Contains(t, "float"), strings.Contains(t, "int"):
		return "a number"
	case t == "bool":
		return "true or false"
	case t == "string":
		return "text"
	}
	return t
}

func yamlTagWords(tag, val string) string {
	switch tag {
	case "seq":
		return "a list"
	case "map":
		return "a mapping"
	}
	if val != "" {
		return strconv.Quote(val)
	}
	return tag
}

// loc points into a source's node tree: keys (string) and indexes (int)
// from the top. Validation messages carry a loc and resolve it to a line
// only when reported.
type loc struct {
	src  *source
	path []any
}

func (l loc) at(p ...any) loc {
	path := make([]any, 0, len(l.path)+len(p))
	return loc{src: l.src, path: append(append(path, l.path...), p...)}
}

// line is the line of the deepest node on the path that exists: the key's
// line for a mapping entry (the value of a block mapping starts below it),
// the element's line for a list entry.
func (l loc) line() int {
	n := l.src.root
	if n == nil {
		return 0
	}
	line := n.Line
	for _, p := range l.path {
		for n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		switch key := p.(type) {
		case string:
			if n.Kind != yaml.MappingNode {
				return line
			}
			found := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == key {
					line, n, found = n.Content[i].Line, n.Content[i+1], true
					break
				}
			}
			if !found {
				return line
			}
		case int:
			if n.Kind != yaml.SequenceNode || key < 0 || key >= len(n.Content) {
				return line
			}
			n = n.Content[key]
			line = n.Line
		}
	}
	return line
}
