package content

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// newTitleMarkdown configures goldmark for headlines: inline Markdown
// alone (code, emphasis, strikethrough; links and pictures as their
// text), so that a title is never a list or a heading ("1. Intro", "#1
// seed"), with raw HTML as the site says. Smart punctuation is left out:
// a headline keeps the quotes it was written with.
func newTitleMarkdown(rawHTML bool) goldmark.Markdown {
	p := parser.NewParser(
		parser.WithBlockParsers(util.Prioritized(parser.NewParagraphParser(), 100)),
		parser.WithInlineParsers(append(parser.DefaultInlineParsers(),
			util.Prioritized(extension.NewStrikethroughParser(), 500))...),
	)
	opts := []renderer.Option{renderer.WithNodeRenderers(
		util.Prioritized(html.NewRenderer(), 1000),
		util.Prioritized(extension.NewStrikethroughHTMLRenderer(), 500),
		util.Prioritized(titleRenderer{}, 50))}
	if rawHTML {
		opts = append(opts, html.WithUnsafe())
	} else {
		opts = append(opts, renderer.WithNodeRenderers(util.Prioritized(escapedHTML{}, 100)))
	}
	return goldmark.New(goldmark.WithParser(p), goldmark.WithRenderer(renderer.NewRenderer(opts...)))
}

// titleMarkup are the bytes without which a title holds no Markdown.
const titleMarkup = "`*_~[<&\\"

// title renders a headline: as HTML for headings, inline Markdown
// rendered, and as plain text for everything else (the page's <title>,
// feeds, structured data, lists): "Why `go vet` *matters*" is
// "Why <code>go vet</code> <em>matters</em>" and "Why go vet matters".
func (m *Markdown) title(s string) (plain string, h template.HTML) {
	if !strings.ContainsAny(s, titleMarkup) {
		return s, template.HTML(template.HTMLEscapeString(s))
	}
	src := []byte(s)
	doc := m.titles.Parser().Parse(text.NewReader(src))
	var buf bytes.Buffer
	if err := m.titles.Renderer().Render(&buf, src, doc); err != nil {
		return s, template.HTML(template.HTMLEscapeString(s))
	}
	plain = titleText(doc, src, m.rawHTML)
	if plain == "" {
		plain = s // nothing but markup: show it as written
	}
	return plain, template.HTML(strings.TrimSpace(buf.String()))
}

// titleText is the plain text of a parsed headline. Raw HTML that the
// page shows as text is kept as text.
func titleText(doc ast.Node, src []byte, rawHTML bool) string {
	var b spaceFolder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.RawHTML:
			for i := 0; !rawHTML && i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				b.write(seg.Value(src))
			}
			return ast.WalkSkipChildren, nil
		case *ast.Text, *ast.String, *ast.AutoLink:
			eachText(n, src, b.write, b.space)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// titleRenderer renders a headline's paragraph as its content alone, and
// links and pictures as their text: a headline is often a link itself.
type titleRenderer struct{}

func (titleRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindParagraph, renderChildrenOnly)
	reg.Register(ast.KindLink, renderChildrenOnly)
	reg.Register(ast.KindImage, renderChildrenOnly)
	reg.Register(ast.KindAutoLink, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.Write(util.EscapeHTML(n.(*ast.AutoLink).Label(src)))
		}
		return ast.WalkSkipChildren, nil
	})
}

func renderChildrenOnly(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
	return ast.WalkContinue, nil
}
