package content

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Template calls of other generators in the Markdown of an article:
// Hugo's shortcodes ({{< youtube ID >}}, {{% param x %}}), Liquid's tags
// and output ({% include x.html %}, {{ site.baseurl }}), and the like of
// Nunjucks and Zola. digest runs none of them: each is shown as written,
// and is a warning at its line and column. Outside code, the Markdown
// parser reads each as one piece (callParser), so that nothing inside
// is Markdown or smart punctuation, and summaries and word counts leave
// it out; in a link's address it is left out of the address. kramdown's
// span attributes ({: .class} after a word) are read the same way, and
// dropped.

// callKind is the kind of a template call.
type callKind uint8

const (
	noCall    callKind = iota
	shortcode          // {{< … >}} or {{% … %}}: Hugo
	tag                // {% … %}: Liquid, Nunjucks, Zola
	output             // {{ … }}: Liquid, Zola, Go templates
	spanIAL            // {: … }: kramdown's attributes for a span
	numKinds
)

// callOpen says which call starts s, with the lengths of its opener, and
// its closer.
func callOpen(s []byte) (kind callKind, open int, closer string) {
	if len(s) < 2 || s[0] != '{' {
		return noCall, 0, ""
	}
	switch {
	case len(s) > 2 && s[1] == '{' && s[2] == '<':
		return shortcode, 3, ">}}"
	case len(s) > 2 && s[1] == '{' && s[2] == '%':
		return shortcode, 3, "%}}"
	case s[1] == '{':
		return output, 2, "}}"
	case s[1] == '%':
		return tag, 2, "%}"
	case s[1] == ':':
		return spanIAL, 2, "}"
	}
	return noCall, 0, ""
}

// MatchCall returns the length of the template call at the start of s,
// and its kind, or 0: an opener ({{<, {{%, {{, {%, {:), something other
// than white space, and the first closer after it (>}}, %}}, }}, %}, }).
// A kramdown span attribute stays on one line.
func MatchCall(s []byte) (n int, kind callKind) {
	kind, open, closer := callOpen(s)
	if kind == noCall {
		return 0, noCall
	}
	end := bytes.Index(s[open:], []byte(closer))
	if end < 0 {
		return 0, noCall
	}
	inner := s[open : open+end]
	if len(bytes.TrimSpace(inner)) == 0 || (kind == spanIAL && bytes.ContainsAny(inner, "\n{")) {
		return 0, noCall
	}
	return open + end + len(closer), kind
}

// kindCall is a template call in the AST.
var kindCall = ast.NewNodeKind("TemplateCall")

// callNode is a template call, as written.
type callNode struct {
	ast.BaseInline
	call callKind
	text []byte // the call, lines joined by "\n"
}

func (n *callNode) Kind() ast.NodeKind { return kindCall }

func (n *callNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// callParser reads template calls outside code, each as one node. A
// call may run over the lines of its paragraph. Where no closer follows
// an opener in the rest of the paragraph, it notes so (callMisses), so
// that the openers after it are turned away at once and the work stays
// linear in the size of the paragraph.
type callParser struct{}

// callMissesKey keeps, in the parser's context, the callMisses.
var callMissesKey = parser.NewContextKey()

// callMisses says, for each kind of call, from where to where in the
// source no closer follows.
type callMisses [numKinds]struct{ from, to int }

func (callParser) Trigger() []byte { return []byte{'{'} }

func (callParser) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	kind, open, closer := callOpen(line)
	switch kind {
	case noCall:
		return nil
	case spanIAL:
		return spanAttributes(line, block)
	}
	misses, _ := pc.ComputeIfAbsent(callMissesKey, func() any { return &callMisses{} }).(*callMisses)
	if m := misses[kind]; m.from <= seg.Start && seg.Start < m.to {
		return nil
	}
	savedLine, savedSeg := block.Position()
	var value []byte
	from, stop := open, seg.Stop
	for {
		if i := bytes.Index(line[min(from, len(line)):], []byte(closer)); i >= 0 {
			end := min(from, len(line)) + i + len(closer)
			value = append(value, line[:end]...)
			if n, _ := MatchCall(value); n != len(value) {
				break // nothing inside
			}
			block.Advance(end)
			return &callNode{call: kind, text: value}
		}
		value = append(value, bytes.TrimRight(line, "\r\n")...)
		value = append(value, '\n')
		from = 0
		block.AdvanceLine()
		var next text.Segment
		if line, next = block.PeekLine(); line == nil {
			misses[kind].from, misses[kind].to = seg.Start, stop
			break
		}
		stop = next.Stop
	}
	block.SetPosition(savedLine, savedSeg)
	return nil
}

// spanAttributes reads kramdown's attributes for the span just before
// them ("*word*{: .class}"), on one line, with nothing inside but
// attributes. The search stops at the next brace, so that a line of
// openers costs no more than its length.
func spanAttributes(line []byte, block text.Reader) ast.Node {
	if r := block.PrecendingCharacter(); r == ' ' || r == '\t' || r == '\n' {
		return nil
	}
	i := bytes.IndexAny(line[2:], "{}\n")
	if i < 0 || line[2+i] != '}' || len(bytes.TrimSpace(line[2:2+i])) == 0 {
		return nil
	}
	n := &callNode{call: spanIAL, text: bytes.Clone(line[:3+i])}
	block.Advance(3 + i)
	return n
}

// kindCallBlock is a template call that opens a block and runs over
// lines.
var kindCallBlock = ast.NewNodeKind("TemplateCallBlock")

// callBlock is a template call over lines, as written: Hugo's
//
//	{{< figure
//	  src="port.jpg"
//	>}}
//
// whose last line would otherwise open a quote.
type callBlock struct {
	ast.BaseBlock
	call   callKind
	closer string
}

func (n *callBlock) Kind() ast.NodeKind { return kindCallBlock }

// IsRaw is true: the lines are the call, not Markdown.
func (n *callBlock) IsRaw() bool { return true }

func (n *callBlock) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// text is the call as written, its lines joined by "\n".
func (n *callBlock) text(src []byte) []byte {
	var b []byte
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		b = append(b, bytes.TrimRight(seg.Value(src), "\r\n")...)
		b = append(b, '\n')
	}
	return bytes.TrimRight(b, "\n")
}

// callBlockParser reads a template call that starts a line and does not
// end on it, up to the line that closes it (or a blank line).
type callBlockParser struct{}

func (callBlockParser) Trigger() []byte { return []byte{'{'} }

func (callBlockParser) Open(_ ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || pos >= len(line) {
		return nil, parser.NoChildren
	}
	kind, open, closer := callOpen(line[pos:])
	if kind == noCall || kind == spanIAL || bytes.Contains(line[pos+open:], []byte(closer)) {
		return nil, parser.NoChildren // on one line: callParser's
	}
	n := &callBlock{call: kind, closer: closer}
	n.Lines().Append(text.NewSegment(seg.Start+pos, seg.Stop))
	reader.AdvanceToEOL()
	return n, parser.NoChildren
}

func (callBlockParser) Continue(node ast.Node, reader text.Reader, _ parser.Context) parser.State {
	n := node.(*callBlock)
	line, seg := reader.PeekLine()
	if line == nil || util.IsBlank(line) {
		return parser.Close
	}
	if i := bytes.Index(line, []byte(n.closer)); i >= 0 {
		n.Lines().Append(text.NewSegment(seg.Start, seg.Start+i+len(n.closer)))
		reader.AdvanceToEOL()
		return parser.Close
	}
	n.Lines().Append(seg)
	reader.AdvanceToEOL()
	return parser.Continue | parser.NoChildren
}

func (callBlockParser) Close(ast.Node, text.Reader, parser.Context) {}

// CanInterruptParagraph is true: a call that opens a line ends the
// paragraph before it, or its closing line (">}}") would open a quote.
func (callBlockParser) CanInterruptParagraph() bool { return true }

func (callBlockParser) CanAcceptIndentedLine() bool { return false }

// callRenderer shows template calls as written, and drops kramdown's
// span attributes.
type callRenderer struct{}

func (callRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindCall, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if c := n.(*callNode); entering && c.call != spanIAL {
			_, _ = w.Write(util.EscapeHTML(c.text))
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(kindCallBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString("<p>")
			_, _ = w.Write(util.EscapeHTML(n.(*callBlock).text(src)))
			_, _ = w.WriteString("</p>\n")
		}
		return ast.WalkSkipChildren, nil
	})
}

// foundCall is a template call found in a body: where, what, and whether
// it was left out of a link's address.
type foundCall struct {
	offset int // in the body
	text   []byte
	kind   callKind
	inLink bool
}

// callsKey names the document meta data entry where callTransformer
// lists the calls of a body: a []foundCall.
const callsKey = "digest/calls"

// callTransformer lists the template calls of a body in its meta data,
// and takes those in links' addresses out of the addresses.
type callTransformer struct{}

func (callTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	if !bytes.Contains(src, []byte("{{")) && !bytes.Contains(src, []byte("{%")) {
		return
	}
	var calls []foundCall
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *callNode:
			if n.call != spanIAL {
				calls = append(calls, foundCall{offset: n.Pos(), text: n.text, kind: n.call, inLink: inAddress(src, n.Pos())})
			}
		case *callBlock:
			calls = append(calls, foundCall{offset: n.Pos(), text: n.text(src), kind: n.call})
		case *ast.Link:
			n.Destination, calls = dropCalls(n.Destination, src, n.Pos(), calls)
		case *ast.Image:
			n.Destination, calls = dropCalls(n.Destination, src, n.Pos(), calls)
		}
		return ast.WalkContinue, nil
	})
	if len(calls) > 0 {
		doc.AddMeta(callsKey, uniqueCalls(calls))
	}
}

// uniqueCalls sorts calls by their place, each place once: a reference
// link used twice has its address's call once.
func uniqueCalls(calls []foundCall) []foundCall {
	slices.SortStableFunc(calls, func(a, b foundCall) int { return cmp.Compare(a.offset, b.offset) })
	return slices.CompactFunc(calls, func(a, b foundCall) bool { return a.offset == b.offset })
}

// inAddress reports whether the call at offset in src stands where a
// link's address starts: after "](" or a reference's "]:", with white
// space between. There, with spaces in it ({{ site.baseurl }}/about), it
// kept the Markdown parser from reading the link at all.
func inAddress(src []byte, offset int) bool {
	i := offset
	for i > 0 && (src[i-1] == ' ' || src[i-1] == '\t') {
		i--
	}
	if i > 0 && src[i-1] == '\n' {
		i--
		for i > 0 && (src[i-1] == ' ' || src[i-1] == '\t' || src[i-1] == '\r') {
			i--
		}
	}
	return i >= 2 && src[i-2] == ']' && (src[i-1] == '(' || src[i-1] == ':')
}

// dropCalls takes the template calls out of a link's address, noting
// each at its place in src: from the link, which starts at pos, the
// first place that holds it, else (for a reference link, whose address
// is set before it) the first in src. A call that src does not hold as
// written (braces written as entities) is no call.
func dropCalls(dest, src []byte, pos int, calls []foundCall) ([]byte, []foundCall) {
	if !bytes.Contains(dest, []byte("{{")) && !bytes.Contains(dest, []byte("{%")) {
		return dest, calls
	}
	var out []byte
	for i := 0; i < len(dest); {
		n, kind := MatchCall(dest[i:])
		at := -1
		if n > 0 && kind != spanIAL {
			at = findCall(src, pos, dest[i:i+n])
		}
		if at < 0 {
			out = append(out, dest[i])
			i++
			continue
		}
		calls = append(calls, foundCall{offset: at, text: bytes.Clone(dest[i : i+n]), kind: kind, inLink: true})
		i += n
	}
	return bytes.TrimSpace(out), calls
}

// findCall finds call in src: the first after pos, else the first; or -1.
func findCall(src []byte, pos int, call []byte) int {
	if pos >= 0 && pos < len(src) {
		if j := bytes.Index(src[pos:], call); j >= 0 {
			return pos + j
		}
	}
	return bytes.Index(src, call)
}

// blankAddresses returns a copy of body with the calls that stand where
// a link's address starts replaced by spaces (line breaks kept), so that
// the link reads as the address that follows them, and those calls; or
// nil when there is none.
func blankAddresses(body []byte, calls []foundCall) (out []byte, blanked []foundCall) {
	for _, c := range calls {
		if !c.inLink || c.offset < 0 || c.offset+len(c.text) > len(body) || !bytes.Equal(body[c.offset:c.offset+len(c.text)], c.text) {
			continue
		}
		if out == nil {
			out = bytes.Clone(body)
		}
		for i := c.offset; i < c.offset+len(c.text); i++ {
			if out[i] != '\n' && out[i] != '\r' {
				out[i] = ' '
			}
		}
		blanked = append(blanked, c)
	}
	return out, blanked
}

// callMessage is the warning for a template call.
func callMessage(c foundCall) string {
	what := "template code"
	switch c.kind {
	case shortcode:
		what = "Hugo shortcode"
	case tag:
		what = "template tag"
	}
	shown := "shows as text"
	if c.inLink {
		shown = "is left out of the link's address"
	}
	why := "digest does not run Liquid or other templates in articles"
	if c.kind == shortcode {
		why = "digest does not run shortcodes"
	}
	return fmt.Sprintf("%s %s %s: %s (run digest import to convert it, or remove it)", what, quoteCall(c.text), shown, why)
}

// quoteCall shortens a call for a message: on one line, at most 60
// characters.
func quoteCall(call []byte) string {
	s := string(bytes.Join(bytes.Fields(call), []byte(" ")))
	if utf8.RuneCountInString(s) <= 60 {
		return s
	}
	cut := 0
	for i := range s {
		if utf8.RuneCountInString(s[:i]) >= 57 {
			cut = i
			break
		}
	}
	return s[:cut] + "…"
}
