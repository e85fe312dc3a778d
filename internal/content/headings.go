package content

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Headings as other generators write them:
//
//   - attributes after a heading, {#id .class} (Hugo, Pandoc, kramdown),
//     are read by goldmark (parser.WithAttribute); unless the site allows
//     raw HTML, only id and class are kept (style, tabindex and the like
//     would let an article change the page around it);
//   - kramdown's attribute lines, {: #id .class} on the line after (or
//     before) a block, are read by ialParser and applied to that block
//     (id and class); its other {:…} and {::…} lines are dropped, and
//     {:toc} with the "* TOC" list it replaces, as digest makes no table
//     of contents;
//   - the article's headline is the page's <h1>, so when the body has a
//     level-1 heading, every body heading goes down one level (# is <h2>,
//     ## is <h3>…, ###### stays <h6>);
//   - a heading keeps the id digest has always given it (goldmark's:
//     ASCII letters and digits, spaces as hyphens, so "What's next" is
//     whats-next), and when the ids other generators give differ, they
//     are there too, as empty elements before the heading's text, so
//     links into pages moved from Hugo (letters of any script, and _ kept:
//     "Zürich_2" is zürich_2), Jekyll (kramdown's: from the first letter
//     on) or Zola and Hugo before 0.60 (every run of other characters a
//     hyphen: what-s-next) still land on the heading.

// kindIAL is a kramdown attribute line ({: .class}).
var kindIAL = ast.NewNodeKind("KramdownAttributes")

// ialNode is a kramdown attribute line, until headingTransformer applies
// and removes it.
type ialNode struct {
	ast.BaseBlock
	text []byte // the line, "{: #id .class}"
}

func (n *ialNode) Kind() ast.NodeKind { return kindIAL }

func (n *ialNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// ialParser reads kramdown's attribute lines: a line that is "{:", then
// anything but a line break, then "}".
type ialParser struct{}

func (ialParser) Trigger() []byte { return []byte{'{'} }

func (ialParser) Open(_ ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, _ := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || pos >= len(line) {
		return nil, parser.NoChildren
	}
	l := bytes.TrimRight(line[pos:], " \t\r\n")
	if len(l) < 3 || l[1] != ':' || l[len(l)-1] != '}' {
		return nil, parser.NoChildren
	}
	reader.AdvanceToEOL()
	return &ialNode{text: bytes.Clone(l)}, parser.NoChildren
}

func (ialParser) Continue(ast.Node, text.Reader, parser.Context) parser.State { return parser.Close }

func (ialParser) Close(ast.Node, text.Reader, parser.Context) {}

// CanInterruptParagraph is true: kramdown writes the line right under the
// paragraph it is for.
func (ialParser) CanInterruptParagraph() bool { return true }

func (ialParser) CanAcceptIndentedLine() bool { return false }

// kindAnchor is an empty element that only carries an id.
var kindAnchor = ast.NewNodeKind("ExtraAnchor")

// anchorNode is another id for a heading: <span id="…"></span>.
type anchorNode struct {
	ast.BaseInline
	id []byte
}

func (n *anchorNode) Kind() ast.NodeKind { return kindAnchor }

func (n *anchorNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// headingRenderer renders the nodes of this file.
type headingRenderer struct{}

func (headingRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindIAL, func(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
		return ast.WalkSkipChildren, nil
	})
	reg.Register(kindAnchor, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<span id="`)
			_, _ = w.Write(util.EscapeHTML(n.(*anchorNode).id))
			_, _ = w.WriteString(`"></span>`)
		}
		return ast.WalkSkipChildren, nil
	})
}

// headingTransformer applies kramdown's attribute lines and does to
// headings what the comment at the top of this file says.
type headingTransformer struct {
	anchors bool // ids, other generators' ids and "#" links
	rawHTML bool // every attribute goldmark allows, not only id and class
}

func (t headingTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var heads []*ast.Heading
	var ials []*ialNode
	top := false
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			heads = append(heads, n)
			top = top || n.Level == 1
			return ast.WalkSkipChildren, nil
		case *ialNode:
			ials = append(ials, n)
		}
		if n.Type() != ast.TypeDocument && n.FirstChild() != nil && n.FirstChild().Type() == ast.TypeInline {
			return ast.WalkSkipChildren, nil // no blocks inside
		}
		return ast.WalkContinue, nil
	})
	explicit := map[ast.Node]bool{}
	for _, n := range ials {
		if target := applyIAL(n); target != nil {
			explicit[target] = true
		}
	}
	var others *otherIDs
	for _, h := range heads {
		if top && h.Level < 6 {
			h.Level++
		}
		if !t.rawHTML {
			keepAttributes(h, "id", "class")
		}
		id, ok := h.AttributeString("id")
		if !t.anchors || !ok {
			continue
		}
		idBytes, _ := id.([]byte)
		if others == nil {
			others = newOtherIDs(heads)
		}
		if !explicit[h] && !attributesWritten(h, src) {
			others.add(h, string(idBytes), plainText(h, src))
		}
		appendAnchorLink(h, idBytes)
	}
}

// attributesWritten reports whether heading h was written with
// attributes ({#id}), which goldmark took off its text.
func attributesWritten(h *ast.Heading, src []byte) bool {
	if h.Lines().Len() == 0 {
		return false
	}
	rest := src[h.Lines().At(h.Lines().Len()-1).Stop:]
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	rest = bytes.TrimSpace(rest)
	return len(rest) > 0 && rest[0] == '{'
}

// applyIAL applies a kramdown attribute line to the block it is for (the
// one just before it, else the one just after it, with no blank line
// between), and removes it. It returns the block it gave attributes, or
// nil.
func applyIAL(n *ialNode) ast.Node {
	parent := n.Parent()
	defer parent.RemoveChild(parent, n)
	inner := bytes.TrimSpace(n.text[2 : len(n.text)-1])
	target := n.PreviousSibling()
	if target == nil || n.HasBlankPreviousLines() {
		target = n.NextSibling()
		if target != nil && target.HasBlankPreviousLines() {
			target = nil
		}
	}
	if target == nil {
		return nil
	}
	if string(inner) == "toc" {
		// "* TOC" then {:toc}: kramdown's table of contents.
		if l, ok := target.(*ast.List); ok && l.ChildCount() == 1 {
			target.Parent().RemoveChild(target.Parent(), target)
		}
		return nil
	}
	attrs, ok := parser.ParseAttributes(text.NewReader(append([]byte{'{'}, append(inner, '}')...)))
	if !ok {
		return nil
	}
	applied := false
	for _, a := range attrs {
		if name := string(a.Name); name == "id" || name == "class" {
			target.SetAttribute(a.Name, a.Value)
			applied = applied || name == "id"
		}
	}
	if !applied {
		return nil
	}
	return target
}

// keepAttributes removes the attributes of n but those named.
func keepAttributes(n ast.Node, names ...string) {
	attrs := n.Attributes()
	if len(attrs) == 0 {
		return
	}
	n.RemoveAttributes()
	for _, a := range attrs {
		for _, name := range names {
			if string(a.Name) == name {
				n.SetAttribute(a.Name, a.Value)
			}
		}
	}
}

// otherIDs gives headings the ids other generators would have given
// them.
type otherIDs struct {
	used map[string]bool
	seen [3]map[string]int // by scheme: how many headings had each id
}

// idSchemes are the ways other generators make ids of headings.
var idSchemes = [3]func(string) string{githubID, kramdownID, dashID}

// newOtherIDs starts with the ids of the headings, which other ids never
// take.
func newOtherIDs(heads []*ast.Heading) *otherIDs {
	o := &otherIDs{used: make(map[string]bool, len(heads))}
	for i := range o.seen {
		o.seen[i] = map[string]int{}
	}
	for _, h := range heads {
		if id, ok := h.AttributeString("id"); ok {
			b, _ := id.([]byte)
			o.used[string(b)] = true
		}
	}
	return o
}

// add gives heading h, whose id is id and whose text is plain, the ids
// other generators would have given it, where they differ from id and
// are not taken: as they do, the second heading of a name gets -1, the
// third -2…
func (o *otherIDs) add(h *ast.Heading, id, plain string) {
	text := h.FirstChild()
	for k, scheme := range idSchemes {
		other := scheme(plain)
		if other == "" {
			continue
		}
		if n := o.seen[k][other]; n > 0 {
			o.seen[k][other] = n + 1
			other += "-" + strconv.Itoa(n)
		} else {
			o.seen[k][other] = 1
		}
		if other == id || o.used[other] {
			continue
		}
		o.used[other] = true
		h.InsertBefore(h, text, &anchorNode{id: []byte(other)})
	}
}

// githubID is the id Hugo (and GitHub) give a heading: lower-case
// letters and digits of any script, - and _, spaces as hyphens.
func githubID(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			return unicode.ToLower(r)
		case r == ' ':
			return '-'
		}
		return -1
	}, strings.TrimSpace(s))
}

// kramdownID is the id Jekyll's kramdown gives a heading: ASCII letters,
// digits, spaces (as hyphens) and hyphens, lower-case, from the first
// letter on.
func kramdownID(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return r < unicode.MaxASCII && unicode.IsLetter(r) })
	if i < 0 {
		return ""
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			return r
		case r == ' ':
			return '-'
		}
		return -1
	}, s[i:])
}

// dashID is the id Zola and Hugo before 0.60 (Blackfriday) give a
// heading: lower-case letters and digits of any script, every other run
// of characters one hyphen.
func dashID(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		dash = true
	}
	return b.String()
}

// appendAnchorLink adds the "#" link to a heading with an id.
func appendAnchorLink(h *ast.Heading, id []byte) {
	link := ast.NewLink()
	link.Destination = append([]byte("#"), id...)
	link.SetAttributeString("class", []byte("anchor"))
	link.SetAttributeString("title", []byte("Link to this section"))
	link.AppendChild(link, ast.NewString([]byte("#")))
	h.AppendChild(h, link)
}
