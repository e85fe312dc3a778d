package meta

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// maxYAMLDepth bounds nesting before the YAML parser runs, which recurses
// once per level.
const maxYAMLDepth = 200

// ParseYAML reads a YAML document whose root is a mapping. An empty
// document gives an empty map.
func ParseYAML(src []byte) (*Node, error) {
	if n, ok := parseSimpleYAML(src); ok {
		return n, nil
	}
	return parseYAML(src)
}

// parseYAML reads any YAML document with the YAML library.
func parseYAML(src []byte) (*Node, error) {
	if err := checkChars(src, true); err != nil {
		return nil, err
	}
	if err := checkNesting(src); err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, yamlError(err, src)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return &Node{Kind: Map, Line: 1, Col: 1}, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
			return &Node{Kind: Map, Line: 1, Col: 1}, nil
		}
		return nil, &SyntaxError{Line: root.Line, Col: root.Column, Msg: "expected keys and values (key: value), found a " + yamlKindName(root)}
	}
	var b budget
	return fromYAML(root, 0, &b)
}

// checkNesting refuses documents whose brackets nest deeper than the
// parser can take safely. It counts every bracket but those on comment
// lines, so it may refuse a document with many in quoted text (which the
// fast path then leaves to the library too); a stray closing bracket
// never lowers the count below zero, so it cannot hide deeper nesting.
func checkNesting(src []byte) error {
	depth, line, start := 0, 1, 0
	lineStart := true // only spaces so far on this line
	for i := 0; i < len(src); i++ {
		c := src[i]
		if lineStart && c == '#' {
			// A comment line: skip to its end.
			for i < len(src) && src[i] != '\n' {
				i++
			}
			i-- // the newline is counted below
			continue
		}
		if c != ' ' && c != '\t' {
			lineStart = false
		}
		switch c {
		case '[', '{':
			depth++
			if depth > maxYAMLDepth {
				return &SyntaxError{Line: line, Col: utf8.RuneCount(src[start:i]) + 1, Msg: fmt.Sprintf("document nested more than %d levels deep", MaxDepth)}
			}
		case ']', '}':
			depth = max(depth-1, 0)
		case '\n':
			line++
			start = i + 1
			lineStart = true
		}
	}
	return nil
}

func fromYAML(y *yaml.Node, depth int, b *budget) (*Node, error) {
	if err := b.take(depth, y.Line, y.Column); err != nil {
		return nil, err
	}
	n := &Node{Line: y.Line, Col: y.Column}
	switch y.Kind {
	case yaml.AliasNode:
		if y.Alias == nil {
			return nil, &SyntaxError{Line: y.Line, Col: y.Column, Msg: "unknown alias"}
		}
		m, err := fromYAML(y.Alias, depth+1, b)
		if err != nil {
			return nil, err
		}
		m.Line, m.Col = y.Line, y.Column
		return m, nil
	case yaml.ScalarNode:
		n.Text = y.Value
		n.Kind = yamlScalarKind(y)
	case yaml.SequenceNode:
		n.Kind = List
		for _, c := range y.Content {
			item, err := fromYAML(c, depth+1, b)
			if err != nil {
				return nil, err
			}
			n.List = append(n.List, item)
		}
	case yaml.MappingNode:
		n.Kind = Map
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return nil, &SyntaxError{Line: k.Line, Col: k.Column, Msg: "a key must be plain text"}
			}
			val, err := fromYAML(v, depth+1, b)
			if err != nil {
				return nil, err
			}
			if err := addField(n, &Field{Key: k.Value, Line: k.Line, Col: k.Column, Value: val}); err != nil {
				return nil, err
			}
		}
	default:
		return nil, &SyntaxError{Line: y.Line, Col: y.Column, Msg: "unsupported YAML construct"}
	}
	return n, nil
}

func yamlScalarKind(y *yaml.Node) Kind {
	switch y.Tag {
	case "!!null":
		return Null
	case "!!int":
		return Int
	case "!!float":
		return Float
	case "!!bool":
		return Bool
	case "!!timestamp":
		return Time
	}
	return String
}

func yamlKindName(y *yaml.Node) string {
	switch y.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	}
	return "value"
}

var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// parserErrors are the YAML library's messages from its parser (rather than
// its scanner), whose line numbers count from 0.
var parserErrors = []string{
	"did not find expected node content", "did not find expected key",
	"did not find expected '-' indicator", "did not find expected ',' or ']'",
	"did not find expected ',' or '}'", "did not find expected <document start>",
}

// yamlError turns the library's message ("yaml: line 3: ...") into a
// SyntaxError with the line split out, and a column and a way to fix it
// found in src (see yamlPlace). The library leaves the line out when it
// is the first, and counts from 0 for parser errors: both are put right
// here.
func yamlError(err error, src []byte) error {
	msg := err.Error()
	m := yamlLine.FindStringSubmatch(msg)
	if m == nil {
		m = []string{msg, "", msg}
	}
	line, _ := strconv.Atoi(m[1])
	for _, p := range parserErrors {
		if strings.HasPrefix(m[2], p) {
			line++
			break
		}
	}
	text := m[2]
	if strings.HasPrefix(text, "exceeded max depth of ") {
		text = fmt.Sprintf("document nested more than %d levels deep", MaxDepth)
	}
	p := yamlPlace(src, line, m[2])
	return &SyntaxError{Line: p.line, Col: p.col, Msg: "YAML: " + text + " (" + p.hint + ")"}
}
