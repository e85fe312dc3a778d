package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/digest-ssg/digest/internal/meta"
)

// fmFormat is the language a source file's front matter is written in.
type fmFormat int

const (
	noFront   fmFormat = iota // no front matter at all
	yamlFront                 // between lines ---
	tomlFront                 // between lines +++
	jsonFront                 // a JSON object at the top (Hugo), or between ---json and --- (Eleventy)
)

// source is a file of the old site cut into front matter and body.
type source struct {
	format   fmFormat
	front    *meta.Node // the front matter's root map; empty without front matter
	body     string     // everything after the front matter, as written
	bodyLine int        // the file's line where body starts
}

// errNoFront is a file whose first line opens no front matter.
var errNoFront = errors.New("no front matter")

// hasFront reports whether a file starts with front matter.
func hasFront(src []byte) bool {
	_, _, _, _, err := cut(src)
	return err == nil
}

// readSource cuts src into front matter and body and parses the front
// matter. A file without front matter has an empty one.
func readSource(src []byte) (*source, error) {
	format, front, body, bodyLine, err := cut(src)
	if errors.Is(err, errNoFront) {
		return &source{front: &meta.Node{Kind: meta.Map}, body: string(bytes.TrimPrefix(src, []byte("\uFEFF"))), bodyLine: 1}, nil
	}
	if err != nil {
		return nil, err
	}
	root, err := parseFront(format, front)
	if err != nil {
		return nil, err
	}
	return &source{format: format, front: root, body: string(body), bodyLine: bodyLine}, nil
}

// cut splits a file at its front matter's fences.
func cut(src []byte) (format fmFormat, front, body []byte, bodyLine int, err error) {
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	fence := string(bytes.TrimRight(first, " \t\r"))
	close := fence
	switch fence {
	case "---":
		format = yamlFront
	case "+++":
		format = tomlFront
	case "---json":
		format, close = jsonFront, "---"
	default:
		if bytes.HasPrefix(src, []byte("{")) {
			return cutJSON(src)
		}
		return noFront, nil, nil, 0, errNoFront
	}
	line := 2
	for {
		cur, after, found := bytes.Cut(rest, []byte("\n"))
		if string(bytes.TrimRight(cur, " \t\r")) == close {
			return format, src[len(first)+1 : len(src)-len(rest)], after, line + 1, nil
		}
		if !found {
			return 0, nil, nil, 0, fmt.Errorf("front matter starts with %s on line 1 but never ends", fence)
		}
		rest = after
		line++
	}
}

// cutJSON splits a file that starts with a JSON object (Hugo's JSON front
// matter) after the object.
func cutJSON(src []byte) (fmFormat, []byte, []byte, int, error) {
	d := json.NewDecoder(bytes.NewReader(src))
	var v json.RawMessage
	if err := d.Decode(&v); err != nil {
		return noFront, nil, nil, 0, errNoFront
	}
	end := int(d.InputOffset())
	body := src[end:]
	if i := bytes.IndexByte(body, '\n'); i >= 0 && len(bytes.TrimSpace(body[:i])) == 0 {
		body = body[i+1:]
	}
	return jsonFront, src[:end], body, bytes.Count(src[:len(src)-len(body)], []byte("\n")) + 1, nil
}

func parseFront(format fmFormat, front []byte) (*meta.Node, error) {
	var root *meta.Node
	var err error
	switch format {
	case tomlFront:
		root, err = meta.ParseTOML(front)
	case jsonFront:
		root, err = parseJSON(front)
	default:
		root, err = meta.ParseYAML(front)
	}
	if err != nil {
		var se *meta.SyntaxError
		if errors.As(err, &se) && se.Line > 0 && format != jsonFront {
			return nil, &lineError{line: se.Line + 1, msg: se.Msg}
		}
		return nil, err
	}
	return root, nil
}

// lineError is a problem at a line of the source file.
type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return e.msg }

// parseJSON reads a JSON object into nodes, keeping the order of keys.
func parseJSON(src []byte) (*meta.Node, error) {
	d := json.NewDecoder(bytes.NewReader(src))
	d.UseNumber()
	n, err := jsonValue(d, 0)
	if err != nil {
		return nil, fmt.Errorf("JSON front matter: %v", err)
	}
	if n.Kind != meta.Map {
		return nil, errors.New("JSON front matter: not an object")
	}
	return n, nil
}

func jsonValue(d *json.Decoder, depth int) (*meta.Node, error) {
	if depth > meta.MaxDepth {
		return nil, errors.New("nested too deep")
	}
	tok, err := d.Token()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	switch v := tok.(type) {
	case json.Delim:
		if v == '[' {
			return jsonList(d, depth)
		}
		if v == '{' {
			return jsonObject(d, depth)
		}
		return nil, fmt.Errorf("unexpected %v", v)
	case string:
		return &meta.Node{Kind: meta.String, Text: v}, nil
	case json.Number:
		kind := meta.Int
		if strings.ContainsAny(string(v), ".eE") {
			kind = meta.Float
		}
		return &meta.Node{Kind: kind, Text: string(v)}, nil
	case bool:
		return &meta.Node{Kind: meta.Bool, Text: fmt.Sprint(v)}, nil
	}
	return &meta.Node{Kind: meta.Null}, nil
}

func jsonList(d *json.Decoder, depth int) (*meta.Node, error) {
	n := &meta.Node{Kind: meta.List}
	for d.More() {
		item, err := jsonValue(d, depth+1)
		if err != nil {
			return nil, err
		}
		n.List = append(n.List, item)
	}
	_, err := d.Token()
	return n, err
}

func jsonObject(d *json.Decoder, depth int) (*meta.Node, error) {
	n := &meta.Node{Kind: meta.Map}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		v, err := jsonValue(d, depth+1)
		if err != nil {
			return nil, err
		}
		if n.Get(key) != nil {
			return nil, fmt.Errorf("duplicate key %q", key)
		}
		n.Fields = append(n.Fields, &meta.Field{Key: key, Value: v})
	}
	_, err := d.Token()
	return n, err
}
