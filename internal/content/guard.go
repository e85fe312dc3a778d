package content

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Limits on Markdown shapes that make Markdown parsers slow (time growing
// with the square of the input). Real articles stay far below them.
const (
	maxNesting  = 64    // quotes, list items and footnotes inside each other
	maxBrackets = 10000 // [ in one article
	maxLinkOpen = 2000  // "](" in one article
)

// guardError is a body that would take the Markdown parser too long.
type guardError struct {
	line, col int // relative to the body, from 1
	msg       string
}

func (e *guardError) Error() string { return e.msg }

// guard refuses bodies with floods of brackets, before the parser runs.
// Nesting is limited while parsing, by nestingGuard.
func guard(body []byte) error {
	if n := bytes.Count(body, []byte("[")); n > maxBrackets {
		return &guardError{1, 1, fmt.Sprintf("the article has %d [ characters, more than the %d allowed (split it into several articles)", n, maxBrackets)}
	}
	if n := bytes.Count(body, []byte("](")); n > maxLinkOpen {
		return &guardError{1, 1, fmt.Sprintf("the article has %d links, more than the %d allowed (split it into several articles)", n, maxLinkOpen)}
	}
	return nil
}

// nestingGuard is a block parser that goldmark asks first wherever a
// quote, a list item or a footnote could open, and that stops them at
// maxNesting levels, whatever the shape: markers on one line, each level
// on its own line (indentation), lazy lines, tabs, or a mix. The rest of
// a line that would open one level more is not parsed: the place is
// noted in the document's meta data (see tooDeep), the rest of the body
// is skipped, and the article is refused. Goldmark's work on a
// line grows with the levels open, so with them bounded its time is
// linear in the size of the body (FuzzMarkdownLinear checks this).
type nestingGuard struct{}

// tooDeepKey names the document meta data entry where nestingGuard notes
// the first line that went too deep: a nestingStop.
const tooDeepKey = "digest/too-deep"

// nestingStop is where nesting went past maxNesting.
type nestingStop struct {
	offset int // in the body: the marker that would have opened a level more
	depth  int // the levels the line asked for
}

func (nestingGuard) Trigger() []byte {
	return []byte{'>', '-', '+', '*', '[', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'}
}

func (nestingGuard) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	depth := levels(parent)
	if depth < maxNesting {
		return nil, parser.NoChildren
	}
	line, seg := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || pos >= len(line) {
		return nil, parser.NoChildren
	}
	more := nesting(line[pos:])
	if more == 0 {
		return nil, parser.NoChildren
	}
	if doc := parent.OwnerDocument(); doc != nil {
		doc.AddMeta(tooDeepKey, nestingStop{offset: seg.Start + max(pos-seg.Padding, 0), depth: depth + more})
	}
	// The article is refused: skip the rest of the body.
	n, _ := reader.Position()
	end := len(reader.Source())
	reader.SetPosition(n, text.NewSegment(end, end))
	return ast.NewTextBlock(), parser.NoChildren
}

func (nestingGuard) Continue(ast.Node, text.Reader, parser.Context) parser.State { return parser.Close }

func (nestingGuard) Close(ast.Node, text.Reader, parser.Context) {}

// CanInterruptParagraph is true: a quote or list item can interrupt a
// paragraph, so the guard must see those lines too.
func (nestingGuard) CanInterruptParagraph() bool { return true }

func (nestingGuard) CanAcceptIndentedLine() bool { return false }

// levels counts the quotes, list items and footnotes that n is in,
// itself included.
func levels(n ast.Node) int {
	depth := 0
	for ; n != nil; n = n.Parent() {
		switch n.Kind() {
		case ast.KindListItem, ast.KindBlockquote, east.KindFootnote:
			depth++
		}
	}
	return depth
}

// tooDeep turns the place nestingGuard noted in doc, if any, into the
// error that refuses the article: on the line where the nesting went too
// deep, at its first character.
func tooDeep(doc ast.Node, src []byte) error {
	d, ok := doc.(*ast.Document)
	if !ok {
		return nil
	}
	stop, ok := d.Meta()[tooDeepKey].(nestingStop)
	if !ok {
		return nil
	}
	start := bytes.LastIndexByte(src[:stop.offset], '\n') + 1
	line := bytes.Count(src[:start], []byte("\n")) + 1
	col := 1
	for _, c := range src[start:stop.offset] {
		if c != ' ' && c != '\t' {
			break
		}
		col++
	}
	return &guardError{line, col, fmt.Sprintf("quotes and lists nested %d levels deep, more than the %d allowed (use fewer levels)", stop.depth, maxNesting)}
}

// nesting counts the quote, list and footnote markers that open a line.
func nesting(line []byte) int {
	depth := 0
	for i := 0; i < len(line); {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '>':
			depth++
			i++
		case (c == '-' || c == '*' || c == '+') && (i+1 == len(line) || isSpace(line[i+1])):
			depth++
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j < len(line) && (line[j] == '.' || line[j] == ')') && (j+1 == len(line) || isSpace(line[j+1])) {
				depth++
				i = j + 1
				continue
			}
			return depth
		case c == '[' && i+1 < len(line) && line[i+1] == '^':
			end := bytes.Index(line[i:], []byte("]:"))
			if end < 0 {
				return depth
			}
			depth++
			i += end + 2
		default:
			return depth
		}
	}
	return depth
}

// isSpace reports the characters that may follow a list marker: white
// space, or the end of the line.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
