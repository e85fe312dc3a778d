package meta

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/pelletier/go-toml/v2/unstable"
)

// ParseTOML reads a TOML document into a Map node.
func ParseTOML(src []byte) (root *Node, err error) {
	if err := checkChars(src, false); err != nil {
		return nil, err
	}
	t := &tomlReader{lines: lineStarts(src)}
	root = &Node{Kind: Map, Line: 1, Col: 1}
	current := root
	t.p.Reset(src)
	for t.p.NextExpression() {
		e := t.p.Expression()
		switch e.Kind {
		case unstable.KeyValue:
			err = t.keyValue(current, e, 1)
		case unstable.Table:
			current, err = t.table(root, e)
		case unstable.ArrayTable:
			current, err = t.arrayTable(root, e)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := t.p.Error(); err != nil {
		return nil, t.parserError(err)
	}
	return root, nil
}

type tomlReader struct {
	p     unstable.Parser
	lines []int // offset of the start of each line
	b     budget
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// pos converts a byte offset to line and column.
func (t *tomlReader) pos(off int) (line, col int) {
	lo, hi := 0, len(t.lines)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if t.lines[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + 1, off - t.lines[lo] + 1
}

func (t *tomlReader) parserError(err error) error {
	var pe *unstable.ParserError
	if !errors.As(err, &pe) {
		return &SyntaxError{Msg: "TOML: " + err.Error()}
	}
	se := &SyntaxError{Msg: "TOML: " + pe.Message}
	data := t.p.Data()
	if off, ok := subsliceOffset(data, pe.Highlight); ok {
		se.Line, se.Col = t.pos(off)
	}
	return se
}

// subsliceOffset finds where b starts inside data, if it is a part of it.
func subsliceOffset(data, b []byte) (int, bool) {
	if cap(b) == 0 || cap(b) > cap(data) {
		return 0, false
	}
	off := cap(data) - cap(b)
	if off > len(data) || !bytes.Equal(data[off:off+min(len(b), len(data)-off)], b[:min(len(b), len(data)-off)]) {
		return 0, false
	}
	return off, true
}

type keyPart struct {
	name      string
	line, col int
}

func (t *tomlReader) keyParts(it unstable.Iterator) []keyPart {
	var parts []keyPart
	for it.Next() {
		k := it.Node()
		line, col := t.pos(int(k.Raw.Offset))
		parts = append(parts, keyPart{string(k.Data), line, col})
	}
	return parts
}

// descend walks from m along the dotted key parts, creating tables as
// needed, and returns the innermost one.
func (t *tomlReader) descend(m *Node, parts []keyPart, depth int) (*Node, error) {
	for _, k := range parts {
		f := m.Get(k.name)
		if f == nil {
			if err := t.b.take(depth, k.line, k.col); err != nil {
				return nil, err
			}
			f = &Field{Key: k.name, Line: k.line, Col: k.col, Value: &Node{Kind: Map, Line: k.line, Col: k.col}}
			m.Fields = append(m.Fields, f)
		}
		switch f.Value.Kind {
		case Map:
			m = f.Value
		case List:
			if n := len(f.Value.List); n > 0 && f.Value.List[n-1].Kind == Map {
				m = f.Value.List[n-1]
				break
			}
			fallthrough
		default:
			return nil, &SyntaxError{Line: k.line, Col: k.col, Msg: fmt.Sprintf("key %q is already a %s (line %d), not a table", k.name, f.Value.Kind, f.Line)}
		}
		depth++
	}
	return m, nil
}

func (t *tomlReader) keyValue(m *Node, e *unstable.Node, depth int) error {
	parts := t.keyParts(e.Key())
	last := parts[len(parts)-1]
	m, err := t.descend(m, parts[:len(parts)-1], depth)
	if err != nil {
		return err
	}
	v, err := t.value(e.Value(), last, depth+len(parts))
	if err != nil {
		return err
	}
	return addField(m, &Field{Key: last.name, Line: last.line, Col: last.col, Value: v})
}

func (t *tomlReader) table(root *Node, e *unstable.Node) (*Node, error) {
	return t.descend(root, t.keyParts(e.Key()), 1)
}

func (t *tomlReader) arrayTable(root *Node, e *unstable.Node) (*Node, error) {
	parts := t.keyParts(e.Key())
	last := parts[len(parts)-1]
	parent, err := t.descend(root, parts[:len(parts)-1], 1)
	if err != nil {
		return nil, err
	}
	f := parent.Get(last.name)
	if f == nil {
		f = &Field{Key: last.name, Line: last.line, Col: last.col, Value: &Node{Kind: List, Line: last.line, Col: last.col}}
		parent.Fields = append(parent.Fields, f)
	} else if f.Value.Kind != List {
		return nil, &SyntaxError{Line: last.line, Col: last.col, Msg: fmt.Sprintf("key %q is already a %s (line %d), not a list of tables", last.name, f.Value.Kind, f.Line)}
	}
	if err := t.b.take(len(parts)+1, last.line, last.col); err != nil {
		return nil, err
	}
	item := &Node{Kind: Map, Line: last.line, Col: last.col}
	f.Value.List = append(f.Value.List, item)
	return item, nil
}

func (t *tomlReader) value(v *unstable.Node, at keyPart, depth int) (*Node, error) {
	line, col := at.line, at.col
	if v.Raw.Length > 0 {
		line, col = t.pos(int(v.Raw.Offset))
	}
	if err := t.b.take(depth, line, col); err != nil {
		return nil, err
	}
	n := &Node{Line: line, Col: col, Text: string(v.Data)}
	switch v.Kind {
	case unstable.String:
		n.Kind = String
	case unstable.Integer:
		n.Kind = Int
	case unstable.Float:
		n.Kind = Float
	case unstable.Bool:
		n.Kind = Bool
	case unstable.DateTime, unstable.LocalDate, unstable.LocalDateTime, unstable.LocalTime:
		n.Kind = Time
	case unstable.Array:
		n.Kind, n.Text = List, ""
		it := v.Children()
		for it.Next() {
			item, err := t.value(it.Node(), keyPart{line: line, col: col}, depth+1)
			if err != nil {
				return nil, err
			}
			n.List = append(n.List, item)
		}
	case unstable.InlineTable:
		n.Kind, n.Text = Map, ""
		it := v.Children()
		for it.Next() {
			if err := t.keyValue(n, it.Node(), depth+1); err != nil {
				return nil, err
			}
		}
	default:
		return nil, &SyntaxError{Line: line, Col: col, Msg: "unsupported TOML value"}
	}
	return n, nil
}
