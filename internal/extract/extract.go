// Package extract reads a news story from a web page for digest add: its
// headline, outlet, canonical URL, publication time and authors, lead
// image, description, and its text as clean Markdown.
//
// The main text is found by a maintained readability library
// (codeberg.org/readeck/go-readability/v2, a port of Mozilla's Readability)
// and converted by a maintained HTML-to-Markdown converter
// (github.com/JohannesKaufmann/html-to-markdown/v2); this package adds only
// what those do not: the page's metadata (OpenGraph and other meta tags,
// JSON-LD, <link rel=canonical>, <time>), the text cleaning of
// internal/clean, and a sanitising pass so that nothing but text, links and
// pictures from the page reaches a draft: no script, no markup (the
// converter escapes it), no javascript: or data: links.
//
// Where a page states something in several places, the first found in
// this order wins:
//
//	headline     og:title, twitter:title, JSON-LD headline, readability, <title> (less " | Outlet")
//	outlet       og:site_name, JSON-LD publisher, application-name, readability, the host
//	URL          <link rel=canonical>, og:url, JSON-LD url, the URL fetched; tracking removed
//	published    JSON-LD datePublished, article:published_time and other meta tags,
//	             <time> marked as the publication, the first other <time>, readability,
//	             and last a relative time on the page ("4 hours ago"), resolved against
//	             the time the page was fetched
//	authors      JSON-LD author, author meta tags, readability's byline
//	image        og:image, twitter:image, JSON-LD image, readability; its alt text from
//	             og:image:alt, twitter:image:alt, JSON-LD caption, the <img> that shows it
//	description  og:description, description, twitter:description, JSON-LD, readability
package extract

import (
	"errors"
	"net/url"
	"strings"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/digest-ssg/digest/internal/clean"
)

// Page is a story read from a web page.
type Page struct {
	Title         string
	Source        string // the outlet's name
	URL           string // canonical, tracking parameters removed
	Published     time.Time
	PublishedFrom string // where the time was found, e.g. "JSON-LD", `"4 hours ago" on the page`
	Authors       []string
	Image         string
	ImageAlt      string
	Description   string
	Lead          string // the first paragraph of the text, Markdown
	Markdown      string // the whole text, Markdown
	Removed       []clean.Finding
	LostSpaces    []clean.Finding
	Language      string
}

// Options say where a page came from.
type Options struct {
	URL      *url.URL       // the URL the page was fetched from, after redirects
	Fetched  time.Time      // when, for relative times
	Location *time.Location // for times without a zone; nil: UTC
}

// Extract reads a page's story from its text (already decoded to UTF-8).
func Extract(text string, opt Options) (*Page, error) {
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return nil, err
	}
	cleanText(doc)
	m := readMetadata(doc, opt.URL)
	parser := readability.NewParser()
	art, rerr := parser.ParseDocument(doc, opt.URL)
	p := &Page{Language: m.lang}
	p.fill(m, art, rerr == nil, opt)
	if p.Title == "" {
		return nil, errors.New("the page has no headline (no og:title, JSON-LD headline or <title>)")
	}
	if rerr == nil && art.Node != nil {
		md, err := toMarkdown(art.Node, opt.URL)
		if err != nil {
			return nil, err
		}
		p.Markdown, p.Removed = clean.Markdown(md)
		p.Markdown = dropByline(dropLeadingTitle(p.Markdown, p.Title))
		p.Lead = LeadParagraph(p.Markdown)
		p.LostSpaces = clean.LostSpaces(p.Markdown)
	}
	return p, nil
}

// fill takes each field from the first place that states it.
func (p *Page) fill(m *metadata, art readability.Article, ok bool, opt Options) {
	ld := m.article()
	get := func(key string) any {
		if ld == nil {
			return nil
		}
		return ld[key]
	}
	var rTitle, rSite, rByline, rImage, rExcerpt string
	if ok {
		rTitle, rSite, rByline, rImage, rExcerpt = art.Title(), art.SiteName(), art.Byline(), art.ImageURL(), art.Excerpt()
	}
	p.Source = clean.Text(cmp(m.first("og:site_name"), str(m.byID(get("publisher"))), m.first("application-name"), rSite, host(opt.URL)))
	p.Title = clean.Text(cmp(m.first("og:title", "twitter:title"), str(get("headline")), rTitle, m.title))
	p.Title = withoutOutlet(p.Title, p.Source)
	p.URL = CleanURL(cmp(absolute(opt.URL, m.canonical), absolute(opt.URL, m.first("og:url")),
		absolute(opt.URL, str(get("url"))), absolute(opt.URL, str(get("mainEntityOfPage"))), opt.URL.String()))
	p.published(m, get("datePublished"), art, ok, opt)
	p.authors(m, get("author"), rByline)
	p.image(m, get("image"), rImage, opt.URL)
	p.Description = clean.Text(cmp(m.first("og:description", "description", "twitter:description"), str(get("description")), rExcerpt))
}

func (p *Page) published(m *metadata, ldDate any, art readability.Article, ok bool, opt Options) {
	try := func(s, from string) bool {
		if s == "" || !p.Published.IsZero() {
			return !p.Published.IsZero()
		}
		if t, ok := clean.ParseDate(s, opt.Fetched, opt.Location); ok && !clean.IsRelativeTime(s) {
			p.Published, p.PublishedFrom = t, from
		}
		return !p.Published.IsZero()
	}
	if try(str(ldDate), "JSON-LD") || try(m.first("article:published_time", "og:article:published_time", "og:published_time",
		"datepublished", "pubdate", "publishdate", "publish-date", "publication_date", "date", "dc.date", "dc.date.issued",
		"dcterms.created", "dcterms.date", "parsely-pub-date", "sailthru.date", "article.published"), "meta tag") {
		return
	}
	for _, pass := range []func(timeElement) bool{
		func(t timeElement) bool { return t.publish },
		func(t timeElement) bool { return !t.aside },
	} {
		for _, t := range m.times {
			if pass(t) && try(cmp(t.datetime, t.text), "<time>") {
				return
			}
		}
	}
	if ok {
		if t, err := art.PublishedTime(); err == nil && !t.IsZero() {
			p.Published, p.PublishedFrom = t, "the page"
			return
		}
	}
	for _, t := range m.relatives {
		if rt, ok := clean.RelativeTime(t, opt.Fetched); ok {
			p.Published, p.PublishedFrom = rt, `"`+t+`" on the page`
			return
		}
	}
}

func (p *Page) authors(m *metadata, ldAuthor any, byline string) {
	list := names(ldAuthor)
	if len(list) == 0 {
		for _, k := range []string{"author", "article:author", "byl", "byline", "parsely-author", "sailthru.author", "dc.creator"} {
			if v := m.metas[k]; v != "" && !strings.Contains(v, "://") {
				list = []string{v}
				break
			}
		}
	}
	if len(list) == 0 && byline != "" && len(byline) < 120 {
		list = []string{byline}
	}
	seen := map[string]bool{}
	for _, a := range list {
		for _, name := range splitNames(clean.Text(a)) {
			if !seen[strings.ToLower(name)] {
				seen[strings.ToLower(name)] = true
				p.Authors = append(p.Authors, name)
			}
		}
	}
}

// splitNames reads "By Ann Lee and Bo Chan" as two names.
func splitNames(s string) []string {
	s = strings.TrimSpace(s)
	for _, by := range []string{"By ", "by ", "BY "} {
		s = strings.TrimPrefix(s, by)
	}
	var out []string
	for _, part := range strings.Split(strings.ReplaceAll(s, " and ", ", "), ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func (p *Page) image(m *metadata, ldImg any, rImage string, base *url.URL) {
	ldSrc, ldAlt := ldImage(ldImg)
	p.Image = CleanURL(cmp(absolute(base, m.first("og:image", "og:image:url", "og:image:secure_url")),
		absolute(base, m.first("twitter:image", "twitter:image:src")), absolute(base, ldSrc), absolute(base, rImage)))
	if p.Image == "" {
		return
	}
	p.ImageAlt = clean.Text(cmp(m.first("og:image:alt", "twitter:image:alt"), ldAlt, m.images[p.Image]))
}

// host is a URL's host without "www.", the outlet's name of last resort.
func host(u *url.URL) string {
	if u == nil {
		return ""
	}
	return strings.TrimPrefix(u.Hostname(), "www.")
}

// withoutOutlet removes the outlet's name that pages add to their title:
// "Port reopens | Harbour Gazette".
func withoutOutlet(title, outlet string) string {
	if outlet == "" {
		return title
	}
	for _, sep := range []string{" | ", " - ", " – ", " — ", " :: ", " · "} {
		if head, tail, ok := cutLast(title, sep); ok && strings.EqualFold(strings.TrimSpace(tail), outlet) && head != "" {
			return strings.TrimSpace(head)
		}
	}
	return title
}

func cutLast(s, sep string) (string, string, bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// cleanText repairs the text of every text node and of the attributes
// that hold text, before anything reads the page: mojibake and invisible
// characters. A no-break space that mojibake left is repaired here,
// before conversion could turn it into a plain space.
func cleanText(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		n.Data = clean.Invisible(clean.Mojibake(n.Data))
	case html.ElementNode:
		if n.DataAtom == atom.Script || n.DataAtom == atom.Style {
			if n.DataAtom == atom.Script && strings.Contains(attr(n, "type"), "ld+json") && n.FirstChild != nil {
				n.FirstChild.Data = clean.Mojibake(n.FirstChild.Data)
			}
			return
		}
		for i, a := range n.Attr {
			switch a.Key {
			case "content", "alt", "title":
				n.Attr[i].Val = clean.Invisible(clean.Mojibake(a.Val))
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		cleanText(c)
	}
}

// LeadParagraph is the first paragraph of prose in Markdown: not a
// heading, list, quote, picture or byline, and at least twelve words.
func LeadParagraph(md string) string {
	for _, block := range strings.Split(md, "\n\n") {
		block = strings.TrimSpace(block)
		if block == "" || strings.ContainsAny(block[:1], "#>-*+|!`[<0123456789") && !strings.HasPrefix(block, "**") {
			continue
		}
		words := len(strings.Fields(block))
		if words < 12 || strings.HasPrefix(block, "By ") && words < 16 {
			continue
		}
		return block
	}
	return ""
}

// dropByline removes a first paragraph that is only a byline ("By Gus
// Hill · 30 November 2026"): the draft has the authors and time.
func dropByline(md string) string {
	first, rest, _ := strings.Cut(md, "\n\n")
	if (strings.HasPrefix(first, "By ") || strings.HasPrefix(first, "by ")) && len(strings.Fields(first)) <= 12 && !strings.Contains(first, "\n") {
		return strings.TrimLeft(rest, "\n")
	}
	return md
}

// dropLeadingTitle removes a heading at the top of the text that repeats
// the headline.
func dropLeadingTitle(md, title string) string {
	first, rest, _ := strings.Cut(md, "\n\n")
	plain := strings.TrimSpace(strings.TrimLeft(first, "# "))
	if strings.HasPrefix(first, "#") && strings.EqualFold(clean.Text(plain), title) {
		return strings.TrimLeft(rest, "\n")
	}
	return md
}
