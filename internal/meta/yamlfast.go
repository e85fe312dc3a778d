package meta

import (
	"strings"
	"time"
	"unicode/utf8"
)

// parseSimpleYAML reads the front matter most articles have, one
// "key: value" a line, without the YAML library: values plain, quoted
// without escapes, or a list in brackets on one line. It gives exactly
// the tree the library would (FuzzYAMLFastPath checks that), and false
// for anything else (nesting, block lists, comments after a value,
// escapes, anchors, empty values, numbers other than plain integers…),
// which the library then reads, errors included.
func parseSimpleYAML(src []byte) (*Node, bool) {
	if len(src) == 0 || !printable(src) || checkNesting(src) != nil {
		return nil, false // the library reads it, or names the fault
	}
	root := &Node{Kind: Map, Line: 1, Col: 1}
	nodes := 1 // as the library's reading counts them, against MaxNodes
	text := string(src)
	for lineNo := 1; text != ""; lineNo++ {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if strings.TrimLeft(line, " ") == "" || line[0] == '#' {
			continue
		}
		k := 0
		for k < len(line) && isKeyByte(line[k], k == 0) {
			k++
		}
		if k == 0 || k > maxSimpleKey || k >= len(line)-1 || line[k] != ':' || line[k+1] != ' ' {
			return nil, false
		}
		at := k + 1
		for at < len(line) && line[at] == ' ' {
			at++
		}
		value, ok := simpleValue(line, at, lineNo)
		if !ok {
			return nil, false
		}
		if root.Get(line[:k]) != nil {
			return nil, false // the library names the duplicate
		}
		if root.Fields == nil {
			root.Line, root.Col = lineNo, 1
		}
		root.Fields = append(root.Fields, &Field{Key: line[:k], Line: lineNo, Col: 1, Value: value})
		nodes += 1 + len(value.List)
	}
	if len(root.Fields) == 0 || nodes > MaxNodes {
		return nil, false
	}
	return root, true
}

// printable reports whether src is valid UTF-8 of characters YAML allows
// anywhere, lines ending in \n only, and no tabs or byte order marks.
func printable(src []byte) bool {
	for len(src) > 0 {
		r, size := utf8.DecodeRune(src)
		src = src[size:]
		switch {
		case r == utf8.RuneError && size == 1, r < 0x20 && r != '\n', r >= 0x7F && r <= 0x9F,
			r == 0x2028, r == 0x2029, // the library breaks lines there too
			r == 0xFEFF, r >= 0xFFFE && r <= 0xFFFF:
			return false
		}
	}
	return true
}

// maxSimpleKey is the longest key read here; the library refuses keys
// over 1024 characters.
const maxSimpleKey = 1000

func isKeyByte(c byte, first bool) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' ||
		!first && (c >= '0' && c <= '9' || c == '-')
}

// simpleValue reads the value that starts at line[at:] and fills the line.
func simpleValue(line string, at, lineNo int) (*Node, bool) {
	rest := strings.TrimRight(line[at:], " ")
	col := column(line, at)
	if rest == "" {
		return nil, false
	}
	switch rest[0] {
	case '"', '\'':
		s, n, ok := quoted(rest)
		if !ok || n != len(rest) {
			return nil, false
		}
		return &Node{Kind: String, Text: s, Line: lineNo, Col: col}, true
	case '[':
		return flowList(line, at, lineNo)
	}
	return plain(rest, lineNo, col, false)
}

// quoted reads a quoted string without escapes at the start of s, and
// how many bytes it took.
func quoted(s string) (string, int, bool) {
	q := s[0]
	end := strings.IndexByte(s[1:], q)
	if end < 0 || q == '"' && strings.IndexByte(s[1:end+1], '\\') >= 0 {
		return "", 0, false
	}
	if q == '\'' && end+2 < len(s) && s[end+2] == '\'' {
		return "", 0, false // '' is an escaped quote
	}
	return s[1 : end+1], end + 2, true
}

// flowList reads "[a, "b", c]", which must end the line.
func flowList(line string, at, lineNo int) (*Node, bool) {
	list := &Node{Kind: List, Line: lineNo, Col: column(line, at)}
	i := at + 1
	for {
		for i < len(line) && line[i] == ' ' {
			i++
		}
		if i >= len(line) {
			return nil, false
		}
		if line[i] == ']' {
			if len(list.List) > 0 || strings.TrimRight(line[i+1:], " ") != "" {
				return nil, false // "[a, ]", or something after the list
			}
			return list, true
		}
		col := column(line, i)
		var item *Node
		if line[i] == '"' || line[i] == '\'' {
			s, n, ok := quoted(line[i:])
			if !ok {
				return nil, false
			}
			item = &Node{Kind: String, Text: s, Line: lineNo, Col: col}
			i += n
		} else {
			end := i
			for end < len(line) && line[end] != ',' && line[end] != ']' {
				end++
			}
			var ok bool
			if item, ok = plain(strings.TrimRight(line[i:end], " "), lineNo, col, true); !ok {
				return nil, false
			}
			i = end
		}
		list.List = append(list.List, item)
		for i < len(line) && line[i] == ' ' {
			i++
		}
		switch {
		case i < len(line) && line[i] == ',':
			i++
		case i < len(line) && line[i] == ']':
			if strings.TrimRight(line[i+1:], " ") != "" {
				return nil, false
			}
			return list, true
		default:
			return nil, false
		}
	}
}

// plain reads an unquoted value, as the library resolves it: true and
// false, null and ~, plain integers, dates and date-times are what they
// say, and other text starting with a letter is text. Anything that could
// be read otherwise (numbers in other forms, indicators, ": " and " #")
// is left to the library.
func plain(s string, lineNo, col int, inList bool) (*Node, bool) {
	if s == "" || strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") ||
		strings.ContainsAny(s, "[]{}") || inList && !listSafe(s) {
		return nil, false
	}
	n := &Node{Text: s, Line: lineNo, Col: col}
	switch s {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		n.Kind = Bool
		return n, true
	case "null", "Null", "NULL", "~":
		n.Kind = Null
		return n, true
	}
	c, _ := utf8.DecodeRuneInString(s)
	switch {
	case c >= '0' && c <= '9':
		switch {
		case isPlainInt(s):
			n.Kind = Int
		case isTimestamp(s):
			n.Kind = Time
		default:
			return nil, false
		}
		return n, true
	case c < utf8.RuneSelf && !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'):
		return nil, false // an indicator, a sign, a dot, a symbol
	}
	n.Kind = String
	return n, true
}

// listSafe reports whether s has only letters, digits, spaces and - _ . /
// (or any character past ASCII): what a plain item of a one-line list may
// hold here, leaving the library the indicators that mean something in a
// list ("?", ":", "#", quotes…).
func listSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= utf8.RuneSelf || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == ' ' || c == '-' || c == '_' || c == '.' || c == '/') {
			return false
		}
	}
	return true
}

// isPlainInt reports whether s is a decimal integer without a sign or
// leading zeros that fits in 18 digits.
func isPlainInt(s string) bool {
	if len(s) > 18 || s[0] == '0' && len(s) > 1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isTimestamp reports whether s is 2006-01-02 or 2006-01-02T15:04:05
// with Z or an offset, a real date the library reads as a timestamp.
func isTimestamp(s string) bool {
	const date, dateTime = "2006-01-02", "2006-01-02T15:04:05"
	switch {
	case len(s) == len(date):
		_, err := time.Parse("2006-1-2", s)
		return err == nil && digitsAt(s, 0, 1, 2, 3, 5, 6, 8, 9)
	case len(s) == len(dateTime)+1 && s[len(s)-1] == 'Z', len(s) == len(dateTime)+6:
		_, err := time.Parse("2006-1-2T15:4:5Z07:00", s)
		return err == nil && digitsAt(s, 0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18)
	}
	return false
}

func digitsAt(s string, at ...int) bool {
	for _, i := range at {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// column is the library's column of line[i]: characters, from 1.
func column(line string, i int) int {
	return utf8.RuneCountInString(line[:i]) + 1
}
