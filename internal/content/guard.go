package content

import (
	"bytes"
	"fmt"
)

// Limits on Markdown shapes that make Markdown parsers slow (time growing
// with the square of the input). Real articles stay far below them.
const (
	maxNesting  = 64    // blockquotes and lists inside each other
	maxBrackets = 10000 // [ in one article
	maxLinkOpen = 2000  // "](" in one article
)

// guardError is a body that would take the Markdown parser too long.
type guardError struct {
	line int // relative to the body, from 1
	msg  string
}

func (e *guardError) Error() string { return e.msg }

// guard refuses bodies shaped to make the Markdown parser slow, before it
// runs: deep nesting of quotes and lists, and floods of brackets.
func guard(body []byte) error {
	if n := bytes.Count(body, []byte("[")); n > maxBrackets {
		return &guardError{1, fmt.Sprintf("the article has %d [ characters, more than the %d allowed (split it into several articles)", n, maxBrackets)}
	}
	if n := bytes.Count(body, []byte("](")); n > maxLinkOpen {
		return &guardError{1, fmt.Sprintf("the article has %d links, more than the %d allowed (split it into several articles)", n, maxLinkOpen)}
	}
	line := 0
	for rest := body; len(rest) > 0; {
		line++
		var cur []byte
		cur, rest, _ = bytes.Cut(rest, []byte("\n"))
		if d := nesting(cur); d > maxNesting {
			return &guardError{line, fmt.Sprintf("quotes and lists nested %d levels deep, more than the %d allowed", d, maxNesting)}
		}
	}
	return nil
}

// nesting counts the quote and list markers that open a line.
func nesting(line []byte) int {
	depth := 0
	for i := 0; i < len(line); {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '>':
			depth++
			i++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			depth++
			i += 2
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && (line[j+1] == ' ' || line[j+1] == '\t') {
				depth++
				i = j + 2
				continue
			}
			return depth
		default:
			return depth
		}
	}
	return depth
}
