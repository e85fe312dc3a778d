package extract

import (
	"net/url"
	"strings"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// toMarkdown sanitises a node and converts it to Markdown.
func toMarkdown(n *html.Node, base *url.URL) (string, error) {
	sanitize(n, base)
	conv := converter.NewConverter(converter.WithPlugins(
		basePlugin(),
		commonmark.NewCommonmarkPlugin(commonmark.WithListEndComment(false)),
		strikethrough.NewStrikethroughPlugin(),
		table.NewTablePlugin(),
	))
	var opts []converter.ConvertOptionFunc
	if base != nil {
		opts = append(opts, converter.WithDomain(base.String()))
	}
	out, err := conv.ConvertNode(n, opts...)
	return string(out), err
}

func basePlugin() converter.Plugin { return base.NewBasePlugin() }

// HTMLToMarkdown converts an HTML fragment, such as a feed item's content,
// to Markdown as Extract converts a page's text (without cleaning it).
func HTMLToMarkdown(fragment string, pageURL *url.URL) (string, error) {
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return "", err
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, c := range nodes {
		root.AppendChild(c)
	}
	cleanText(root)
	return toMarkdown(root, pageURL)
}

// HTMLToText is the text of an HTML fragment, such as a feed item's
// description: tags dropped, entities decoded, white space collapsed.
func HTMLToText(fragment string) string {
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return ""
	}
	var parts []string
	for _, n := range nodes {
		parts = append(parts, textOf(n))
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// dropped are elements whose content is never part of a story's text.
var dropped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Iframe: true, atom.Object: true,
	atom.Embed: true, atom.Form: true, atom.Input: true, atom.Button: true, atom.Select: true,
	atom.Textarea: true, atom.Svg: true, atom.Math: true, atom.Template: true, atom.Canvas: true,
	atom.Video: true, atom.Audio: true, atom.Source: true, atom.Track: true, atom.Link: true,
	atom.Meta: true, atom.Dialog: true,
}

// sanitize leaves only what Markdown can say safely: elements that hold
// text, links to http(s) or mail addresses (tracking removed), and
// pictures at http(s) URLs with alt text (from their caption if they have
// none; a picture with neither is dropped, as digest check would refuse
// it). Every attribute but href, src, alt and title goes.
func sanitize(n *html.Node, base *url.URL) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.CommentNode || c.Type == html.ElementNode && dropped[c.DataAtom] {
			n.RemoveChild(c)
			c = next
			continue
		}
		if c.Type == html.ElementNode {
			sanitize(c, base)
			switch c.DataAtom {
			case atom.A:
				href := attr(c, "href")
				if strings.HasPrefix(strings.ToLower(strings.TrimSpace(href)), "mailto:") {
					c.Attr = []html.Attribute{{Key: "href", Val: strings.TrimSpace(href)}}
				} else if abs := absolute(base, href); abs != "" {
					c.Attr = []html.Attribute{{Key: "href", Val: CleanURL(abs)}}
				} else {
					unwrap(c)
				}
			case atom.Img:
				src := absolute(base, cmp(attr(c, "src"), attr(c, "data-src")))
				alt := cmp(attr(c, "alt"), caption(c))
				if src == "" || alt == "" {
					n.RemoveChild(c)
				} else {
					c.Attr = []html.Attribute{{Key: "src", Val: src}, {Key: "alt", Val: alt}}
				}
			default:
				var keep []html.Attribute
				for _, a := range c.Attr {
					if a.Key == "title" {
						keep = append(keep, a)
					}
				}
				c.Attr = keep
			}
		}
		c = next
	}
}

// caption is the text of the <figcaption> of the <figure> an image is in.
func caption(img *html.Node) string {
	for p := img.Parent; p != nil; p = p.Parent {
		if p.DataAtom == atom.Figure {
			for c := p.FirstChild; c != nil; c = c.NextSibling {
				if c.DataAtom == atom.Figcaption {
					return textOf(c)
				}
			}
			return ""
		}
	}
	return ""
}

// unwrap replaces an element by its children.
func unwrap(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		n.RemoveChild(c)
		n.Parent.InsertBefore(c, n)
		c = next
	}
	n.Parent.RemoveChild(n)
}
