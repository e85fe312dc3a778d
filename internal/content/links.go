package content

import (
	"bytes"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// Link is a link or an image in an article's body, and where it was
// written.
type Link struct {
	Href  string // the address as the page has it: escaped as in the HTML, "" for a script URL
	Image bool
	Line  int // in the article's file, from 1; 0 for links the parser adds (heading anchors)
	Col   int // in characters, from 1: the [ (or ![, or <) that starts the link
}

// Links returns the links and images of the body of src, an article file
// as Parse reads it, in the order the page shows them. A reference link
// ([text][name]) is placed where it is used, not where its address is
// set, so a link used twice is found twice. Links does not check src: it
// is for articles Parse accepted, and returns nil for others.
func (p *Parser) Links(src []byte) []Link {
	_, _, body, bodyLine, err := split(src)
	if err != nil || guard(body) != nil {
		return nil
	}
	doc, body, _ := p.md.parseBody(body)
	if tooDeep(doc, body) != nil {
		return nil
	}
	var links []Link
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var l Link
		switch n := n.(type) {
		case *ast.Link:
			l.Href = p.href(util.URLEscape(n.Destination, true))
		case *ast.Image:
			l.Href, l.Image = p.href(util.URLEscape(n.Destination, true)), true
		case *ast.AutoLink:
			url := util.URLEscape(n.URL(body), false)
			if n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(url), []byte("mailto:")) {
				url = append([]byte("mailto:"), url...)
			}
			l.Href = p.href(url)
		default:
			return ast.WalkContinue, nil
		}
		if off := n.Pos(); off >= 0 && off < len(body) {
			start := bytes.LastIndexByte(body[:off], '\n') + 1
			l.Line = bodyLine + bytes.Count(body[:start], []byte("\n"))
			l.Col = utf8.RuneCount(body[start:off]) + 1
		}
		links = append(links, l)
		return ast.WalkContinue, nil
	})
	return links
}

// href is an address as the HTML renderer writes it: script URLs are
// left out unless the site allows raw HTML.
func (p *Parser) href(url []byte) string {
	if !p.cfg.Markdown.RawHTML && html.IsDangerousURL(url) {
		return ""
	}
	return string(url)
}
