package extract

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/digest-ssg/digest/internal/clean"
)

// metadata is what a page says about itself in its <head> and markup.
type metadata struct {
	title     string
	metas     map[string]string // property, name or itemprop (lower-case) → first content
	canonical string
	ld        []map[string]any // JSON-LD objects, @graph flattened
	times     []timeElement
	images    map[string]string // <img> src (absolute) → alt
	relatives []string          // texts that are only a relative time, outside lists and asides
	lang      string
}

// timeElement is a <time> element, or an element whose text is only a
// relative time, with where it stands.
type timeElement struct {
	datetime string // the datetime attribute, or the text
	text     string
	publish  bool // marked as the publication time (itemprop, pubdate, class)
	aside    bool // inside a list, aside, nav or footer: another story's time
}

func readMetadata(doc *html.Node, base *url.URL) *metadata {
	m := &metadata{metas: map[string]string{}, images: map[string]string{}}
	var walk func(n *html.Node, aside bool)
	walk = func(n *html.Node, aside bool) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html:
				m.lang = attr(n, "lang")
			case atom.Title:
				if m.title == "" {
					m.title = textOf(n)
				}
			case atom.Meta:
				m.meta(n)
			case atom.Link:
				if strings.EqualFold(attr(n, "rel"), "canonical") && m.canonical == "" {
					m.canonical = attr(n, "href")
				}
			case atom.Script:
				if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") {
					if n.FirstChild != nil {
						m.jsonLD(n.FirstChild.Data)
					}
				}
				return
			case atom.Time:
				m.times = append(m.times, timeElement{datetime: attr(n, "datetime"), text: textOf(n), publish: marksPublication(n), aside: aside})
			case atom.Img:
				if src := absolute(base, attr(n, "src")); src != "" {
					if _, ok := m.images[src]; !ok {
						m.images[src] = attr(n, "alt")
					}
				}
			case atom.Li, atom.Aside, atom.Nav, atom.Footer:
				aside = true
			}
			if !aside && n.FirstChild != nil && n.FirstChild == n.LastChild && n.FirstChild.Type == html.TextNode {
				if t := textOf(n); clean.IsRelativeTime(t) {
					m.relatives = append(m.relatives, t)
				}
			}
			if attr(n, "itemprop") == "datePublished" && n.DataAtom != atom.Meta && n.DataAtom != atom.Time {
				m.times = append(m.times, timeElement{datetime: attr(n, "content"), text: textOf(n), publish: true, aside: aside})
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, aside)
		}
	}
	walk(doc, false)
	return m
}

func marksPublication(n *html.Node) bool {
	if attr(n, "itemprop") == "datePublished" || hasAttr(n, "pubdate") {
		return true
	}
	class := strings.ToLower(attr(n, "class"))
	return strings.Contains(class, "publish") || strings.Contains(class, "posted")
}

func (m *metadata) meta(n *html.Node) {
	content, ok := attrOK(n, "content")
	if !ok {
		return
	}
	for _, k := range []string{"property", "name", "itemprop"} {
		if key := strings.ToLower(strings.TrimSpace(attr(n, k))); key != "" {
			if _, seen := m.metas[key]; !seen {
				m.metas[key] = strings.TrimSpace(content)
			}
		}
	}
}

// first is the first non-empty meta value among keys.
func (m *metadata) first(keys ...string) string {
	for _, k := range keys {
		if v := m.metas[k]; v != "" {
			return v
		}
	}
	return ""
}

// jsonLD keeps the objects of a JSON-LD script, @graph flattened. A script
// that is not valid JSON is ignored.
func (m *metadata) jsonLD(src string) {
	var v any
	if json.Unmarshal([]byte(strings.TrimSpace(src)), &v) != nil {
		return
	}
	var add func(v any)
	add = func(v any) {
		switch v := v.(type) {
		case []any:
			for _, x := range v {
				add(x)
			}
		case map[string]any:
			if g, ok := v["@graph"]; ok {
				add(g)
			}
			if _, ok := v["@type"]; ok {
				m.ld = append(m.ld, v)
			}
		}
	}
	add(v)
}

// article is the JSON-LD object describing the story, if any.
func (m *metadata) article() map[string]any {
	for _, o := range m.ld {
		for _, t := range types(o) {
			if strings.Contains(t, "Article") || t == "BlogPosting" || t == "LiveBlogPosting" || t == "Report" {
				return o
			}
		}
	}
	return nil
}

// byID finds a JSON-LD object by its @id, for references such as
// "publisher": {"@id": "#org"}.
func (m *metadata) byID(v any) map[string]any {
	o, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	if _, named := o["name"]; named {
		return o
	}
	id, _ := o["@id"].(string)
	for _, x := range m.ld {
		if x["@id"] == id && id != "" {
			return x
		}
	}
	return o
}

func types(o map[string]any) []string {
	switch t := o["@type"].(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// str reads a JSON-LD value as text: a string, the first of a list, or an
// object's name, url or @id.
func str(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case []any:
		if len(v) > 0 {
			return str(v[0])
		}
	case map[string]any:
		for _, k := range []string{"name", "url", "@id"} {
			if s := str(v[k]); s != "" {
				return s
			}
		}
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// names reads JSON-LD authors: a name, a person, or a list of either.
func names(v any) []string {
	var out []string
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			out = append(out, names(x)...)
		}
	case map[string]any:
		if s := str(v["name"]); s != "" {
			out = append(out, s)
		}
	case string:
		if s := strings.TrimSpace(v); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// ldImage reads a JSON-LD image: a URL, an ImageObject, or a list.
func ldImage(v any) (src, alt string) {
	switch v := v.(type) {
	case string:
		return v, ""
	case []any:
		if len(v) > 0 {
			return ldImage(v[0])
		}
	case map[string]any:
		return str(v["url"]), cmp(str(v["caption"]), str(v["description"]))
	}
	return "", ""
}

func cmp(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

func hasAttr(n *html.Node, key string) bool {
	_, ok := attrOK(n, key)
	return ok
}

// textOf is the text of a node and its children, white space collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			b.WriteByte(' ')
		case html.ElementNode:
			if n.DataAtom == atom.Style {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
