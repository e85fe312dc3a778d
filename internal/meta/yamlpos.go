package meta

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// The YAML library names the line of a syntax error but not the column,
// and for a few errors not the line where the mistake is (a quote never
// closed is reported where the document ends). yamlPlace finds both
// from the document, for the errors front matter gets, and says how to
// fix each.

// yamlProblem is a syntax error placed in the document: where, and the
// hint that goes after the library's message.
type yamlProblem struct {
	line, col int
	hint      string
}

const (
	hintGeneral = "check the quoting and indentation on and just before this line; quote values that contain a colon"
	hintColon   = `put the value in quotes when it holds ": ", e.g. title: "Breaking: floods close the port"; else check the indentation`
	hintTab     = "indent with spaces, not tabs"
	hintReserve = "put the value in quotes: YAML keeps @ and ` for itself at the start of a value"
	hintQuote   = "this quote is never closed: end the value with the same quote, or write a quote inside it as \\\" (in \"...\") or '' (in '...')"
	hintEscape  = `in "..." a backslash starts an escape: write \\ for a backslash, or put the value in single quotes`
	hintFlow    = "this bracket is never closed: close it, or check for a missing comma between the items"
	hintAfter   = "text after a quoted value: put the whole value in the quotes"
	hintAlias   = "* starts an alias to a value named with & earlier: put the value in quotes to use * as text"
)

// yamlPlace places the library's message msg, which it gave for line
// (counting from 1; 0 when it gave none).
func yamlPlace(src []byte, line int, msg string) yamlProblem {
	spots := scanYAML(src)
	at := func(off int, hint string) yamlProblem {
		l, c := position(src, off)
		return yamlProblem{l, c, hint}
	}
	text := lineText(src, line)
	switch {
	case strings.HasPrefix(msg, "found unexpected end of stream") && spots.openQuote >= 0:
		return at(spots.openQuote, hintQuote)
	case (strings.HasPrefix(msg, "found unknown escape character") || strings.Contains(msg, "hexdecimal number") ||
		strings.HasPrefix(msg, "found invalid Unicode character escape code")) && spots.badEscape >= 0:
		return at(spots.badEscape, hintEscape)
	case strings.HasPrefix(msg, "did not find expected ',' or ") && len(spots.openBrackets) > 0:
		return at(spots.openBrackets[len(spots.openBrackets)-1], hintFlow)
	case strings.HasPrefix(msg, "unknown anchor '"):
		name, _, _ := strings.Cut(strings.TrimPrefix(msg, "unknown anchor '"), "'")
		if off := findAlias(src, name); off >= 0 {
			return at(off, hintAlias)
		}
	}
	line = max(line, 1)
	switch {
	case strings.HasPrefix(msg, "mapping values are not allowed"):
		if colons := mappingColons(text); len(colons) > 0 {
			return yamlProblem{line, column(text, colons[min(1, len(colons)-1)]), hintColon}
		}
	case strings.Contains(msg, "tab character"):
		if i := strings.IndexByte(text, '\t'); i >= 0 {
			return yamlProblem{line, column(text, i), hintTab}
		}
	case strings.HasPrefix(msg, "found character that cannot start any token"):
		indent := len(text) - len(strings.TrimLeft(text, " \t"))
		if i := strings.IndexByte(text[:indent], '\t'); i >= 0 {
			return yamlProblem{line, column(text, i), hintTab}
		}
		if i := reservedStart(text); i >= 0 {
			return yamlProblem{line, column(text, i), hintReserve}
		}
	case strings.HasPrefix(msg, "did not find expected key"):
		if i := afterQuoted(text); i >= 0 {
			return yamlProblem{line, column(text, i), hintAfter}
		}
	}
	indent := len(text) - len(strings.TrimLeft(text, " \t"))
	return yamlProblem{line, column(text, indent), hintGeneral}
}

// yamlSpots are the places in a document that the library's errors are
// about: offsets, or -1.
type yamlSpots struct {
	openQuote    int   // the quote that starts a scalar never closed
	badEscape    int   // the first bad escape in a "..." scalar
	openBrackets []int // the [ and { never closed
}

// scanYAML finds the spots, reading quoted scalars, comments and flow
// brackets as the library's scanner does, near enough for errors.
func scanYAML(src []byte) yamlSpots {
	s := yamlSpots{openQuote: -1, badEscape: -1}
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '#' && (i == 0 || isBlank(src[i-1])):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case (c == '"' || c == '\'') && tokenStart(src, i):
			end := closeQuote(src, i, &s)
			if end < 0 {
				s.openQuote = i
				return s
			}
			i = end
		case (c == '[' || c == '{') && (len(s.openBrackets) > 0 || tokenStart(src, i)):
			s.openBrackets = append(s.openBrackets, i)
		case (c == ']' || c == '}') && len(s.openBrackets) > 0:
			s.openBrackets = s.openBrackets[:len(s.openBrackets)-1]
		}
	}
	return s
}

// closeQuote returns the offset of the quote that closes the scalar
// opened at src[open], or -1, noting its first bad escape in s.
func closeQuote(src []byte, open int, s *yamlSpots) int {
	q := src[open]
	for i := open + 1; i < len(src); i++ {
		switch {
		case q == '\'' && src[i] == '\'':
			if i+1 < len(src) && src[i+1] == '\'' {
				i++ // '' is a quote
				continue
			}
			return i
		case q == '"' && src[i] == '"':
			return i
		case q == '"' && src[i] == '\\':
			if n := escapeLen(src[i+1:]); n < 0 {
				if s.badEscape < 0 {
					s.badEscape = i
				}
			} else {
				i += n
			}
		}
	}
	return -1
}

// escapeLen is the length of the escape that follows a backslash in a
// "..." scalar, or -1 when it is not one YAML knows.
func escapeLen(rest []byte) int {
	if len(rest) == 0 {
		return -1
	}
	hex := 0
	switch rest[0] {
	case '0', 'a', 'b', 't', '\t', 'n', 'v', 'f', 'r', 'e', ' ', '"', '/', '\\', 'N', '_', 'L', 'P', '\n':
		return 1
	case '\r':
		if len(rest) > 1 && rest[1] == '\n' {
			return 2
		}
		return 1
	case 'x':
		hex = 2
	case 'u':
		hex = 4
	case 'U':
		hex = 8
	default:
		return -1
	}
	if len(rest) < 1+hex {
		return -1
	}
	for _, c := range rest[1 : 1+hex] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return -1
		}
	}
	return 1 + hex
}

// tokenStart reports whether src[i] starts a token: it opens its line,
// or follows an indicator that a value can follow (": ", "- ", "? ", a
// flow bracket or a comma) with only spaces between.
func tokenStart(src []byte, i int) bool {
	j := i - 1
	for j >= 0 && isBlank(src[j]) {
		j--
	}
	if j < 0 || src[j] == '\n' {
		return true
	}
	switch src[j] {
	case '[', '{', ',':
		return true
	case ':', '-', '?':
		return j+1 < i // the indicator is followed by a space
	}
	return false
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// mappingColons returns the offsets in line of the colons that make a
// key (followed by a space or the end of the line), outside quotes and
// comments.
func mappingColons(text string) []int {
	var out []int
	line := []byte(text)
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '#' && (i == 0 || isBlank(line[i-1])):
			return out
		case (c == '"' || c == '\'') && tokenStart(line, i):
			var s yamlSpots
			end := closeQuote(line, i, &s)
			if end < 0 {
				return out
			}
			i = end
		case c == ':' && (i+1 == len(line) || isBlank(line[i+1]) || line[i+1] == '\r'):
			out = append(out, i)
		}
	}
	return out
}

// reservedStart returns the offset of an @ or ` that starts a token on
// line, or -1.
func reservedStart(text string) int {
	line := []byte(text)
	for i := 0; i < len(line); i++ {
		if (line[i] == '@' || line[i] == '`') && tokenStart(line, i) {
			return i
		}
	}
	return -1
}

// afterQuoted returns the offset of text that follows a closed quoted
// value on line, or -1.
func afterQuoted(line string) int {
	b := []byte(line)
	for i := 0; i < len(b); i++ {
		if (b[i] == '"' || b[i] == '\'') && tokenStart(b, i) {
			var s yamlSpots
			end := closeQuote(b, i, &s)
			if end < 0 {
				return -1
			}
			j := end + 1
			for j < len(b) && isBlank(b[j]) {
				j++
			}
			if j < len(b) && b[j] != '#' && b[j] != '\r' {
				return j
			}
			i = end
		}
	}
	return -1
}

// findAlias returns the offset of the first alias *name that starts a
// token in src, or -1.
func findAlias(src []byte, name string) int {
	needle := []byte("*" + name)
	for from := 0; ; {
		i := bytes.Index(src[from:], needle)
		if i < 0 {
			return -1
		}
		if i += from; tokenStart(src, i) {
			return i
		}
		from = i + 1
	}
}

// lineText returns line n of src (from 1), without its line end, or ""
// past the end.
func lineText(src []byte, n int) string {
	for l := 1; l < n; l++ {
		i := bytes.IndexByte(src, '\n')
		if i < 0 {
			return ""
		}
		src = src[i+1:]
	}
	if i := bytes.IndexByte(src, '\n'); i >= 0 {
		src = src[:i]
	}
	return string(src)
}

// position converts an offset in src to a line and a column, both
// counted from 1, the column in characters as the library counts them.
func position(src []byte, off int) (line, col int) {
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	return bytes.Count(src[:start], []byte("\n")) + 1, utf8.RuneCount(src[start:off]) + 1
}
