package feed

import (
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"strings"
)

// Namespaces of the elements read.
const (
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsAtom03  = "http://purl.org/atom/ns#"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsMedia   = "http://search.yahoo.com/mrss/"
	nsRDF     = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsXHTML   = "http://www.w3.org/1999/xhtml"
)

// node is an XML element with its mixed content in order.
type node struct {
	name  xml.Name
	attr  []xml.Attr
	parts []any // string or *node
}

// text is the element's character data, its children's included.
func (n *node) text() string {
	var b strings.Builder
	for _, p := range n.parts {
		switch p := p.(type) {
		case string:
			b.WriteString(p)
		case *node:
			b.WriteString(p.text())
		}
	}
	return strings.TrimSpace(b.String())
}

// inner is the element's content as HTML: its text where it is all text
// (an escaped or CDATA description), else its children written out (HTML
// a feed put in unescaped, Atom's xhtml).
func (n *node) inner() string {
	var b strings.Builder
	for _, p := range n.parts {
		switch p := p.(type) {
		case string:
			if n.hasElements() {
				b.WriteString(html.EscapeString(p))
			} else {
				b.WriteString(p)
			}
		case *node:
			p.writeHTML(&b)
		}
	}
	return strings.TrimSpace(b.String())
}

func (n *node) hasElements() bool {
	for _, p := range n.parts {
		if _, ok := p.(*node); ok {
			return true
		}
	}
	return false
}

func (n *node) writeHTML(b *strings.Builder) {
	name := strings.ToLower(n.name.Local)
	b.WriteString("<" + name)
	for _, a := range n.attr {
		if a.Name.Space == "" || a.Name.Space == nsXHTML {
			fmt.Fprintf(b, ` %s="%s"`, a.Name.Local, html.EscapeString(a.Value))
		}
	}
	b.WriteString(">")
	switch name {
	case "br", "img", "hr", "source", "wbr":
		return
	}
	for _, p := range n.parts {
		switch p := p.(type) {
		case string:
			b.WriteString(html.EscapeString(p))
		case *node:
			p.writeHTML(b)
		}
	}
	b.WriteString("</" + name + ">")
}

func (n *node) attrValue(local string) string {
	for _, a := range n.attr {
		if a.Name.Local == local {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// kids are the child elements.
func (n *node) kids() []*node {
	var out []*node
	for _, p := range n.parts {
		if k, ok := p.(*node); ok {
			out = append(out, k)
		}
	}
	return out
}

// child is the first child element of that name in one of the spaces
// ("" matches an element in no namespace or in any unknown one).
func (n *node) child(local string, spaces ...string) *node {
	for _, k := range n.kids() {
		if k.is(local, spaces...) {
			return k
		}
	}
	return nil
}

func (n *node) is(local string, spaces ...string) bool {
	if !strings.EqualFold(n.name.Local, local) {
		return false
	}
	if len(spaces) == 0 {
		return true
	}
	for _, s := range spaces {
		if n.name.Space == s {
			return true
		}
	}
	return false
}

// childText is the text of the first such child, or "".
func (n *node) childText(local string, spaces ...string) string {
	if k := n.child(local, spaces...); k != nil {
		return k.text()
	}
	return ""
}

// voidElements are HTML's elements without content, which feeds put
// unescaped in descriptions (<br>, <img …>), less <link>, which RSS uses
// with content.
var voidElements = []string{"area", "base", "br", "col", "embed", "hr", "img", "input", "meta", "param", "source", "track", "wbr"}

// parseTree reads the document into nodes, leniently: HTML's entities are
// known, bare ampersands and unquoted attributes pass, HTML's void
// elements close themselves, and the encoding declaration is ignored (the
// text is UTF-8 already).
func parseTree(text string) (*node, error) {
	d := xml.NewDecoder(strings.NewReader(text))
	d.Strict = false
	d.AutoClose = voidElements
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var root *node
	var stack []*node
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && strings.Contains(err.Error(), "unexpected EOF") && len(stack) > 0 {
			break
		}
		if err != nil {
			line, _ := d.InputPos()
			return nil, fmt.Errorf("bad XML at line %d: %s", line, strings.TrimPrefix(err.Error(), "XML syntax error on line "+fmt.Sprint(line)+": "))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name, attr: t.Attr}
			if len(stack) == 0 {
				if root != nil {
					return nil, fmt.Errorf("bad XML: a second root element <%s> after the feed", t.Name.Local)
				}
				root = n
			} else {
				top := stack[len(stack)-1]
				top.parts = append(top.parts, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.parts = append(top.parts, string(t))
			}
		}
	}
	if root == nil {
		return nil, errors.New("bad XML: no element in the document")
	}
	if len(stack) > 0 {
		line := strings.Count(text, "\n") + 1
		return nil, fmt.Errorf("bad XML at line %d: the document ends before </%s> (cut short?)", line, stack[len(stack)-1].name.Local)
	}
	return root, nil
}

func parseXML(text string, opt Options) (*Feed, error) {
	root, err := parseTree(text)
	if err != nil {
		return nil, err
	}
	switch {
	case root.is("rss"):
		ch := root.child("channel")
		if ch == nil {
			return nil, errors.New("an RSS feed without <channel>")
		}
		f := &Feed{Format: "RSS " + root.attrValue("version"), Title: ch.childText("title"), Link: ch.childText("link", "")}
		if f.Format == "RSS " {
			f.Format = "RSS"
		}
		for _, k := range ch.kids() {
			if k.is("item") {
				f.Items = append(f.Items, rssItem(k, opt))
			}
		}
		return f, nil
	case root.is("RDF"):
		f := &Feed{Format: "RSS 1.0"}
		if ch := root.child("channel"); ch != nil {
			f.Title, f.Link = ch.childText("title"), ch.childText("link")
		}
		for _, k := range root.kids() {
			if k.is("item") {
				it := rssItem(k, opt)
				if it.GUID == "" {
					it.GUID = k.attrValue("about")
				}
				f.Items = append(f.Items, it)
			}
		}
		return f, nil
	case root.is("feed"):
		return atomFeed(root, opt), nil
	}
	return nil, notAFeed(root.name.Local)
}

// rssItem reads an RSS <item>, of any version.
func rssItem(n *node, opt Options) Item {
	it := Item{Title: n.childText("title")}
	permaLink := true
	for _, k := range n.kids() {
		switch {
		case k.is("link") && k.name.Space != nsAtom && it.Link == "":
			it.Link = k.text()
		case k.is("guid"):
			it.GUID = k.text()
			permaLink = k.attrValue("isPermaLink") != "false"
		case k.is("description"):
			it.Summary = k.inner()
		case k.is("encoded", nsContent):
			it.Content = k.inner()
		case k.is("pubDate"), k.is("date", nsDC), k.is("published"):
			opt.date(k.text(), &it.Published, &it.DateText)
		case k.is("updated"), k.is("modified", nsDC):
			opt.date(k.text(), &it.Updated, new(string))
		case k.is("creator", nsDC), k.is("author"):
			name := k.text()
			if n := k.childText("name"); n != "" {
				name = n
			}
			if a := rssAuthor(name); a != "" {
				it.Authors = append(it.Authors, a)
			}
		case k.is("category"), k.is("subject", nsDC):
			if c := k.text(); c != "" {
				it.Categories = append(it.Categories, c)
			}
		case k.is("enclosure"):
			if strings.HasPrefix(k.attrValue("type"), "image/") && it.Image == "" {
				it.Image = k.attrValue("url")
			}
		case k.name.Space == nsMedia:
			media(k, &it)
		}
	}
	if it.Link == "" && permaLink && looksLikeURL(it.GUID) {
		it.Link = it.GUID
	}
	return it
}

// rssAuthor reads "ann@example.com (Ann Lee)", "Ann Lee" or an address.
func rssAuthor(s string) string {
	s = strings.TrimSpace(s)
	if i, j := strings.Index(s, "("), strings.LastIndex(s, ")"); i >= 0 && j > i {
		return strings.TrimSpace(s[i+1 : j])
	}
	if strings.Contains(s, "@") && !strings.Contains(s, " ") {
		return ""
	}
	return s
}

// media reads Media RSS's picture and its description.
func media(k *node, it *Item) {
	switch {
	case k.is("group"):
		for _, g := range k.kids() {
			media(g, it)
		}
	case k.is("content") && (k.attrValue("medium") == "image" || strings.HasPrefix(k.attrValue("type"), "image/")),
		k.is("thumbnail"):
		if it.Image == "" {
			it.Image = k.attrValue("url")
			if d := k.childText("description", nsMedia); d != "" {
				it.ImageAlt = d
			} else if t := k.childText("title", nsMedia); t != "" {
				it.ImageAlt = t
			}
		}
	}
}

func looksLikeURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// atomFeed reads an Atom feed.
func atomFeed(root *node, opt Options) *Feed {
	f := &Feed{Format: "Atom", Title: atomText(root.child("title")), Link: atomLink(root)}
	if root.name.Space == nsAtom03 {
		f.Format = "Atom 0.3"
	}
	var feedAuthors []string
	for _, k := range root.kids() {
		if k.is("author") {
			feedAuthors = append(feedAuthors, k.childText("name"))
		}
	}
	for _, e := range root.kids() {
		if !e.is("entry") {
			continue
		}
		it := Item{GUID: e.childText("id"), Title: atomText(e.child("title")), Link: atomLink(e)}
		for _, k := range e.kids() {
			switch {
			case k.is("published"), k.is("issued"):
				opt.date(k.text(), &it.Published, &it.DateText)
			case k.is("updated"), k.is("modified"):
				opt.date(k.text(), &it.Updated, new(string))
			case k.is("author"):
				if name := k.childText("name"); name != "" {
					it.Authors = append(it.Authors, name)
				}
			case k.is("summary"):
				it.Summary = atomHTML(k)
			case k.is("content"):
				it.Content = atomHTML(k)
			case k.is("category"):
				if c := cmpOr(k.attrValue("label"), k.attrValue("term")); c != "" {
					it.Categories = append(it.Categories, c)
				}
			case k.is("link") && k.attrValue("rel") == "enclosure" && strings.HasPrefix(k.attrValue("type"), "image/"):
				it.Image = k.attrValue("href")
			case k.name.Space == nsMedia:
				media(k, &it)
			}
		}
		if it.Published.IsZero() {
			it.Published = it.Updated
		}
		if len(it.Authors) == 0 {
			it.Authors = feedAuthors
		}
		f.Items = append(f.Items, it)
	}
	return f
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// atomLink is the alternate link of a feed or entry.
func atomLink(n *node) string {
	var first string
	for _, k := range n.kids() {
		if !k.is("link") {
			continue
		}
		rel := k.attrValue("rel")
		href := k.attrValue("href")
		if href == "" {
			href = k.text() // RSS-style <link>URL</link> in a broken Atom feed
		}
		if rel == "" || rel == "alternate" {
			return href
		}
		if first == "" && rel != "self" && rel != "enclosure" && rel != "replies" {
			first = href
		}
	}
	return first
}

// atomText is an Atom text construct as plain text.
func atomText(n *node) string {
	if n == nil {
		return ""
	}
	switch n.attrValue("type") {
	case "html", "text/html":
		return htmlToText(n.text())
	case "xhtml":
		return n.text()
	}
	return n.text()
}

// atomHTML is an Atom text construct as HTML.
func atomHTML(n *node) string {
	switch t := n.attrValue("type"); {
	case t == "xhtml", t == "application/xhtml+xml":
		if div := n.child("div"); div != nil {
			return div.inner()
		}
		return n.inner()
	case t == "html", t == "text/html":
		return n.inner()
	case n.attrValue("src") != "":
		return ""
	case t == "" && n.hasElements():
		return n.inner()
	}
	return html.EscapeString(n.text())
}

// htmlToText strips tags from a short HTML text such as a title.
func htmlToText(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return html.UnescapeString(b.String())
}
