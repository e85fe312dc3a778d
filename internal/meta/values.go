package meta

import (
	"fmt"
	"strconv"
	"strings"
)

// TypeError is a value of the wrong kind for its key.
type TypeError struct {
	Want string
	Got  *Node
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("want %s, found %s", e.Want, e.Got.Kind)
}

// AsText returns a scalar as text. Numbers, dates and flags are accepted as
// the text they were written as, so `title: 2026` is the headline "2026".
func (n *Node) AsText() (string, error) {
	switch n.Kind {
	case List, Map, Null:
		return "", &TypeError{Want: "text", Got: n}
	}
	return n.Text, nil
}

// AsBool returns a flag: true or false (yes/no and on/off are accepted too).
func (n *Node) AsBool() (bool, error) {
	switch strings.ToLower(n.Text) {
	case "true", "yes", "on":
		if n.Kind == Bool || n.Kind == String {
			return true, nil
		}
	case "false", "no", "off":
		if n.Kind == Bool || n.Kind == String {
			return false, nil
		}
	}
	return false, &TypeError{Want: "true or false", Got: n}
}

// AsInt returns a whole number.
func (n *Node) AsInt() (int, error) {
	if n.Kind == Int || n.Kind == String {
		if v, err := strconv.Atoi(strings.ReplaceAll(n.Text, "_", "")); err == nil {
			return v, nil
		}
	}
	return 0, &TypeError{Want: "a whole number", Got: n}
}

// AsTextList returns a list of text. A single scalar is a list of one.
func (n *Node) AsTextList() ([]string, error) {
	if n.Kind != List {
		s, err := n.AsText()
		if err != nil {
			return nil, &TypeError{Want: "a list of text", Got: n}
		}
		return []string{s}, nil
	}
	out := make([]string, 0, len(n.List))
	for _, item := range n.List {
		s, err := item.AsText()
		if err != nil {
			return nil, &TypeError{Want: "a list of text", Got: item}
		}
		out = append(out, s)
	}
	return out, nil
}
