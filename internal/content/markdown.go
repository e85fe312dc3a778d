package content

import (
	"bufio"
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	stdhtml "html"

	"github.com/digest-ssg/digest/internal/config"
)

// Markdown converts article bodies to HTML. It is configured once per site
// and is safe for concurrent use.
type Markdown struct {
	md      goldmark.Markdown
	titles  goldmark.Markdown // for headlines: see title
	rawHTML bool
	bufs    sync.Pool // of *buffers
}

// buffers are what one conversion writes into, kept for the next one.
type buffers struct {
	html, small bytes.Buffer
	w           *bufio.Writer
}

// NewMarkdown configures goldmark for a site: CommonMark with GFM tables,
// strikethrough, autolinks and task lists, footnotes, heading attributes
// and kramdown's attribute lines (see headings.go), and as the site asks,
// smart punctuation, heading anchors and raw HTML. Quotes, lists and
// footnotes stop at maxNesting levels (see nestingGuard).
func NewMarkdown(opts config.Markdown) *Markdown {
	exts := append(gfm(), extension.Footnote)
	if opts.SmartPunctuation {
		exts = append(exts, extension.Typographer)
	}
	parserOpts := []parser.Option{
		parser.WithBlockParsers(util.Prioritized(nestingGuard{}, 0), util.Prioritized(ialParser{}, 90), util.Prioritized(callBlockParser{}, 95)),
		parser.WithInlineParsers(util.Prioritized(callParser{}, 90)),
		parser.WithAttribute(),
		parser.WithASTTransformers(
			util.Prioritized(callTransformer{}, 90),
			util.Prioritized(headingTransformer{anchors: opts.HeadingAnchors, rawHTML: opts.RawHTML}, 100)),
	}
	if opts.HeadingAnchors {
		parserOpts = append(parserOpts, parser.WithAutoHeadingID())
	}
	rendererOpts := []renderer.Option{renderer.WithNodeRenderers(
		util.Prioritized(headingRenderer{}, 100), util.Prioritized(callRenderer{}, 100))}
	if opts.RawHTML {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	} else {
		rendererOpts = append(rendererOpts, renderer.WithNodeRenderers(util.Prioritized(escapedHTML{}, 100)))
	}
	return &Markdown{md: goldmark.New(
		goldmark.WithExtensions(exts...),
		goldmark.WithParserOptions(parserOpts...),
		goldmark.WithRendererOptions(rendererOpts...),
	), titles: newTitleMarkdown(opts.RawHTML), rawHTML: opts.RawHTML}
}

// parse parses the Markdown that r reads; tooDeep tells whether the
// nesting guard stopped it.
func (m *Markdown) parse(r text.Reader) ast.Node {
	return m.md.Parser().Parse(r)
}

// parseBody parses an article's body, and lists its template calls
// (see calls.go). When a call stands where a link's address starts, the
// body is parsed again with the call blanked out, so that the link reads
// as the address after it; src is the body that doc was parsed from.
func (m *Markdown) parseBody(body []byte) (doc ast.Node, src []byte, calls []foundCall) {
	doc = m.parse(text.NewReader(body))
	calls = templateCalls(doc)
	blank, blanked := blankAddresses(body, calls)
	if blank == nil {
		return doc, body, calls
	}
	doc = m.parse(text.NewReader(blank))
	return doc, blank, uniqueCalls(append(blanked, templateCalls(doc)...))
}

// templateCalls are the calls callTransformer found in doc.
func templateCalls(doc ast.Node) []foundCall {
	d, ok := doc.(*ast.Document)
	if !ok {
		return nil
	}
	calls, _ := d.Meta()[callsKey].([]foundCall)
	return calls
}

// body is a converted article body and what was learned from it.
type body struct {
	html      template.HTML
	calls     []foundCall // template calls, for warnings
	moreText  string      // plain text before <!--more-->, if the marker is there
	firstPara string      // plain text of the first paragraph
	words     int
	plain     string // the whole text, when asked for (see convert)
}

// A Minify function writes a minified copy of the HTML in from to w.
type Minify func(w io.Writer, from *bytes.Buffer) error

// convert renders src, minified by min when it is not nil, and with
// plain, keeps its whole text (see Article.PlainText). Quotes and lists
// nested too deep give a *guardError; a panic inside goldmark becomes an
// error.
func (m *Markdown) convert(src []byte, min Minify, plain bool) (b body, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the Markdown converter failed: %v", r)
		}
	}()
	doc, src, calls := m.parseBody(src)
	if err := tooDeep(doc, src); err != nil {
		return b, err
	}
	b.calls = calls
	bufs, _ := m.bufs.Get().(*buffers)
	if bufs == nil {
		bufs = &buffers{w: bufio.NewWriterSize(nil, 8<<10)}
	}
	defer m.bufs.Put(bufs)
	bufs.html.Reset()
	bufs.w.Reset(&bufs.html)
	if err := m.md.Renderer().Render(bufs.w, src, doc); err != nil {
		return b, err
	}
	if err := bufs.w.Flush(); err != nil {
		return b, err
	}
	out := &bufs.html
	if min != nil {
		bufs.small.Reset()
		bufs.small.Grow(out.Len())
		if err := min(&bufs.small, out); err != nil {
			return b, fmt.Errorf("cannot minify the body: %v", err)
		}
		out = &bufs.small
	}
	b.html = template.HTML(out.String())
	var text *plainWriter
	if plain {
		text = &plainWriter{buf: make([]byte, 0, len(src))}
	}
	b.moreText, b.firstPara, b.words = inspect(doc, src, text)
	if text != nil {
		b.plain = text.String()
	}
	return b, nil
}

// inspect finds the summary candidates and counts the words. Text is
// only copied out for the first paragraph and, when the body has a
// <!--more--> marker, for what stands before it; words are counted in
// place. When all is not nil, the whole text goes into it too, in the
// same walk.
func inspect(doc ast.Node, src []byte, all *plainWriter) (moreText, firstPara string, words int) {
	hasMore := containsMore(src)
	var before strings.Builder
	more := false
	var wc wordCounter
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if hasMore && isMoreMarker(n, src) {
			more = true
			moreText = strings.TrimSpace(before.String())
			continue
		}
		if all != nil {
			wc.blockAndText(n, src, all)
		} else {
			wc.block(n, src)
		}
		isFirst := firstPara == "" && n.Kind() == ast.KindParagraph
		if !isFirst && !(hasMore && !more) {
			continue
		}
		t := summaryText(n, src)
		if hasMore && !more {
			before.WriteString(t)
			before.WriteByte(' ')
		}
		if isFirst {
			firstPara = t
		}
	}
	return moreText, firstPara, wc.words
}

// wordCounter counts words across text segments: runs of letters and
// digits, with apostrophes and hyphens inside a word.
type wordCounter struct {
	words int
	in    bool
}

func (c *wordCounter) block(n ast.Node, src []byte) {
	eachText(n, src, c.add, func() { c.in = false })
	c.in = false
}

// blockAndText counts the words of a block as block does, and writes its
// text into all, a block apart from the one before.
func (c *wordCounter) blockAndText(n ast.Node, src []byte, all *plainWriter) {
	all.space()
	eachText(n, src, func(b []byte) { c.add(b); all.buf = append(all.buf, b...) }, func() { c.in = false; all.space() })
	c.in = false
}

// plainWriter collects the whole text of a body: the text as it is, with
// a space where words must not run together (unlike spaceFolder, runs of
// white space inside a line are kept: this is for the search index, whose
// tokens do not care, and it costs a copy, not a look at every byte).
type plainWriter struct{ buf []byte }

func (w *plainWriter) space() {
	if n := len(w.buf); n > 0 && w.buf[n-1] != ' ' {
		w.buf = append(w.buf, ' ')
	}
}

func (w *plainWriter) String() string { return strings.TrimSpace(string(w.buf)) }

// eachText calls text with every piece of text under n, in order, and
// gap where words must not run together: line breaks and block ends. Raw
// HTML is skipped; typographer entities (&rsquo;) come as characters.
func eachText(n ast.Node, src []byte, text func([]byte), gap func()) {
	_ = ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock {
				gap()
			}
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.Text:
			v := t.Segment.Value(src)
			if !t.IsRaw() && bytes.ContainsAny(v, "\\&") {
				// As the HTML renderer does: \* is *, &amp; is &.
				v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
			}
			text(v)
			if t.SoftLineBreak() || t.HardLineBreak() {
				gap()
			}
		case *ast.String:
			if bytes.HasPrefix(t.Value, []byte("&")) {
				text([]byte(stdhtml.UnescapeString(string(t.Value))))
			} else {
				text(t.Value)
			}
		case *ast.AutoLink:
			text(t.Label(src))
		case *ast.RawHTML, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				text(seg.Value(src))
			}
		}
		return ast.WalkContinue, nil
	})
}

// asciiClass sorts ASCII bytes for counting words: 1 a letter or digit,
// 2 a joiner inside a word (' and -), 0 anything else.
var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := range t {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			t[c] = 1
		case c == '\'', c == '-':
			t[c] = 2
		}
	}
	return t
}()

func (c *wordCounter) add(b []byte) {
	words := c.words
	var in uint8 // 1 inside a word
	if c.in {
		in = 1
	}
	for i := 0; i < len(b); {
		var class uint8 // 1 letter or digit, 2 apostrophe, 0 else
		if b[i] < utf8.RuneSelf {
			class = asciiClass[b[i]]
			i++
		} else {
			r, size := utf8.DecodeRune(b[i:])
			i += size
			switch {
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				class = 1
			case r == '’':
				class = 2
			}
		}
		// Without branches, as this runs once a byte: a letter after no
		// letter starts a word; an apostrophe inside a word goes on with it.
		letter := class & 1
		words += int(letter &^ in)
		in = letter | in&(class>>1)
	}
	c.words, c.in = words, in == 1
}

// containsMore reports whether src has a <!--more--> marker, in any case.
func containsMore(src []byte) bool {
	for {
		i := bytes.Index(src, []byte("<!--"))
		if i < 0 {
			return false
		}
		src = src[i+4:]
		if len(src) >= 7 && bytes.EqualFold(src[:7], []byte("more-->")) {
			return true
		}
	}
}

func isMoreMarker(n ast.Node, src []byte) bool {
	h, ok := n.(*ast.HTMLBlock)
	if !ok || h.Lines().Len() == 0 {
		return false
	}
	line := h.Lines().At(0)
	return strings.EqualFold(strings.TrimSpace(string(line.Value(src))), "<!--more-->")
}

// plainText collects the text of a node and its descendants, with single
// spaces between words and blocks.
func plainText(n ast.Node, src []byte) string {
	var b spaceFolder
	eachText(n, src, b.write, b.space)
	return b.String()
}

// summaryText is the plain text of a block for a summary: as plainText,
// without the links that stand alone in brackets, such as "(details)" or
// "[source]", which mean nothing away from the article.
func summaryText(n ast.Node, src []byte) string {
	t := plainText(n, src)
	if !strings.ContainsAny(t, "([") {
		return t
	}
	_ = ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n.(type) {
		case *ast.Link, *ast.AutoLink:
			if label := plainText(n, src); entering && label != "" {
				t = dropAside(t, "("+label+")")
				t = dropAside(t, "["+label+"]")
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(t)
}

// dropAside removes each aside from t, with the space before it:
// "farmers (details)." becomes "farmers.".
func dropAside(t, aside string) string {
	for {
		i := strings.Index(t, aside)
		if i < 0 {
			return t
		}
		j := i
		if j > 0 && t[j-1] == ' ' {
			j--
		}
		t = t[:j] + t[i+len(aside):]
	}
}

// spaceFolder builds text with runs of white space folded to one space
// and none at either end.
type spaceFolder struct {
	buf     []byte
	pending bool
}

func (f *spaceFolder) space() { f.pending = len(f.buf) > 0 }

func (f *spaceFolder) write(p []byte) {
	for len(p) > 0 {
		i := 0
		for i < len(p) && !isSpaceByte[p[i]] {
			i++
		}
		if i > 0 {
			if f.pending {
				f.buf = append(f.buf, ' ')
				f.pending = false
			}
			f.buf = append(f.buf, p[:i]...)
		}
		for i < len(p) && isSpaceByte[p[i]] {
			f.space()
			i++
		}
		p = p[i:]
	}
}

// isSpaceByte tells the bytes that separate words for spaceFolder.
var isSpaceByte = [256]bool{' ': true, '\t': true, '\n': true, '\r': true, '\f': true, '\v': true}

func (f *spaceFolder) String() string { return string(f.buf) }

// escapedHTML renders raw HTML in Markdown as visible, escaped text, and
// drops HTML comments. It is used unless the site opts in to raw HTML.
type escapedHTML struct{}

func (escapedHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHTMLBlock, renderEscapedBlock)
	reg.Register(ast.KindRawHTML, renderEscapedInline)
}

func renderEscapedBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.HTMLBlock)
	if !entering || n.HTMLBlockType == ast.HTMLBlockType2 {
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<p>")
	for i := 0; i < n.Lines().Len(); i++ {
		line := n.Lines().At(i)
		_, _ = w.Write(util.EscapeHTML(line.Value(src)))
	}
	if n.HasClosure() {
		_, _ = w.Write(util.EscapeHTML(n.ClosureLine.Value(src)))
	}
	_, _ = w.WriteString("</p>\n")
	return ast.WalkContinue, nil
}

func renderEscapedInline(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		v := seg.Value(src)
		if bytes.HasPrefix(v, []byte("<!--")) {
			continue
		}
		_, _ = w.Write(util.EscapeHTML(v))
	}
	return ast.WalkSkipChildren, nil
}
