// Package meta reads YAML and TOML documents (front matter and site.toml)
// into a small tree of nodes that remember where they were written, so that
// later checks can name the line and column of a bad value.
//
// Scalars keep the text as written; deciding what a value means (a date, a
// number, a flag) is left to the caller, who knows the key's type. That keeps
// YAML 1.1 surprises out: a title "NO" stays the text "NO".
//
// Parsing is bounded: documents nest at most MaxDepth levels and expand to at
// most MaxNodes nodes (YAML aliases included), so hostile input costs bounded
// time and memory.
package meta

import (
	"fmt"
	"strings"
)

// Kind is the type of a node as written.
type Kind int

// The kinds of node.
const (
	Null Kind = iota
	String
	Int
	Float
	Bool
	Time // a TOML date-time or local date, or a YAML timestamp
	List
	Map
)

var kindNames = [...]string{"nothing", "text", "integer", "number", "true/false", "date", "list", "table"}

// String names the kind for error messages.
func (k Kind) String() string { return kindNames[k] }

// Limits on documents.
const (
	MaxDepth = 64
	MaxNodes = 20000
)

// Node is one value of a document.
type Node struct {
	Kind   Kind
	Text   string   // a scalar's text, with quotes and escapes resolved
	List   []*Node  // a List's items
	Fields []*Field // a Map's entries, in document order
	Line   int      // where the value starts, counting from 1
	Col    int
}

// Field is one key of a map with its value.
type Field struct {
	Key   string
	Line  int // where the key is written
	Col   int
	Value *Node
}

// Get returns the field named key, or nil.
func (n *Node) Get(key string) *Field {
	for _, f := range n.Fields {
		if f.Key == key {
			return f
		}
	}
	return nil
}

// Interface converts the node to plain Go values for templates:
// string, int64, float64, bool, []any and map[string]any.
func (n *Node) Interface() any {
	switch n.Kind {
	case List:
		out := make([]any, len(n.List))
		for i, item := range n.List {
			out[i] = item.Interface()
		}
		return out
	case Map:
		out := make(map[string]any, len(n.Fields))
		for _, f := range n.Fields {
			out[f.Key] = f.Value.Interface()
		}
		return out
	case Null:
		return nil
	case Bool:
		return n.Text == "true"
	case Int:
		var v int64
		if _, err := fmt.Sscan(strings.ReplaceAll(n.Text, "_", ""), &v); err == nil {
			return v
		}
	case Float:
		var v float64
		if _, err := fmt.Sscan(strings.ReplaceAll(n.Text, "_", ""), &v); err == nil {
			return v
		}
	}
	return n.Text
}

// SyntaxError is a document that cannot be parsed.
type SyntaxError struct {
	Line, Col int // 0 when the parser did not say
	Msg       string
}

func (e *SyntaxError) Error() string { return e.Msg }

// budget counts nodes and depth while a tree is built.
type budget struct{ nodes int }

func (b *budget) take(depth, line, col int) error {
	b.nodes++
	if b.nodes > MaxNodes {
		return &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf("document too large: more than %d values (aliases count each time they are used)", MaxNodes)}
	}
	if depth > MaxDepth {
		return &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf("document nested more than %d levels deep", MaxDepth)}
	}
	return nil
}

// addField appends a field to a map node, refusing duplicate keys.
func addField(m *Node, f *Field) error {
	if prev := m.Get(f.Key); prev != nil {
		return &SyntaxError{Line: f.Line, Col: f.Col, Msg: fmt.Sprintf("duplicate key %q (first set on line %d)", f.Key, prev.Line)}
	}
	m.Fields = append(m.Fields, f)
	return nil
}
