// Package check finds what a build does not: links and #anchors that lead
// nowhere, images that are missing or have no alt text, the same story
// filed twice on one day, and (with External) outbound links that fail;
// and, as warnings, text copied from the web with mojibake, invisible
// characters, boilerplate and the like (see internal/clean).
// It works on the rendered pages, in memory, so it checks exactly what
// readers would get, and names the article's file, line and column where
// a bad link is used, each time it is.
package check

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/pipeline"
	"github.com/digest-ssg/digest/internal/site"
)

// Options choose the checks.
type Options struct {
	External *External // check outbound links too; nil skips them
}

// Report is what a check found.
type Report struct {
	Problems diag.List // each one makes the check fail
	Warnings diag.List // text copied from the web that needs a look; the check still passes
	Notes    []string  // drafts, scheduled and expired articles, for information
	Pages    int       // pages checked
	Links    int       // internal links checked
	External int       // outbound links checked
}

// page is one rendered HTML page, parsed.
type page struct {
	p     *site.Page
	ids   map[string]bool
	links []link
}

// link is a link or image found in a page.
type link struct {
	href   string
	image  bool
	alt    *string // for images: the alt text, nil when missing
	inBody bool    // inside the article body, written by the author
	nth    int     // in the body: how many links to the same address come before it
}

// Run checks a loaded site.
func Run(ctx context.Context, l *pipeline.Loaded, opt Options) (*Report, error) {
	r := &Report{}
	pages := map[string]*page{}
	var order []*page
	for _, p := range l.Site.Pages {
		if !p.Kind.IsHTML() {
			continue
		}
		out, err := l.Renderer.Render(p)
		if err != nil {
			return nil, err
		}
		pg := parsePage(p, out)
		pages[p.URL] = pg
		order = append(order, pg)
	}
	r.Pages = len(order)
	c := &checker{l: l, pages: pages, sources: map[string][]byte{}, links: map[string][]content.Link{}}
	var external []externalLink
	for _, pg := range order {
		for _, ln := range pg.links {
			ext := c.checkLink(pg, ln, &r.Problems)
			if ext != "" {
				external = append(external, externalLink{ext, func() diag.Pos { return c.origin(pg, ln) }})
			} else {
				r.Links++
			}
		}
	}
	r.Problems.Append(duplicates(l.Site))
	r.Notes = notes(l.Site)
	r.Warnings = textWarnings(l)
	if opt.External != nil {
		r.External = opt.External.check(ctx, external, &r.Problems)
	}
	r.Problems.Sort()
	r.Problems = slices.CompactFunc(r.Problems, func(a, b *diag.Error) bool { return a.Pos == b.Pos && a.Msg == b.Msg })
	return r, nil
}

// parsePage collects the ids, links and images of a rendered page.
func parsePage(p *site.Page, doc []byte) *page {
	pg := &page{p: p, ids: map[string]bool{}}
	type address struct {
		href  string
		image bool
	}
	seen := map[address]int{} // links in the body: how many so far to each
	z := html.NewTokenizer(bytes.NewReader(doc))
	depth, bodyDepth := 0, -1
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return pg
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			if tt == html.StartTagToken && !voidElement(tok.Data) {
				depth++
			}
			attrs := map[string]*string{}
			for i := range tok.Attr {
				attrs[tok.Attr[i].Key] = &tok.Attr[i].Val
			}
			if id := attrs["id"]; id != nil {
				pg.ids[*id] = true
			}
			if tok.Data == "a" && attrs["name"] != nil {
				pg.ids[*attrs["name"]] = true
			}
			if tok.Data == "div" && attrs["class"] != nil && *attrs["class"] == "story-body" && bodyDepth < 0 {
				bodyDepth = depth
			}
			var ln link
			switch {
			case tok.Data == "a" && attrs["href"] != nil:
				ln = link{href: *attrs["href"]}
			case tok.Data == "img" && attrs["src"] != nil:
				ln = link{href: *attrs["src"], image: true}
			default:
				continue
			}
			if bodyDepth >= 0 {
				a := address{ln.href, ln.image}
				ln.inBody, ln.nth = true, seen[a]
				seen[a]++
			}
			if ln.image {
				ln.alt = attrs["alt"]
			}
			pg.links = append(pg.links, ln)
		case html.EndTagToken:
			if depth == bodyDepth && tok.Data == "div" {
				bodyDepth = -1
			}
			depth--
		}
	}
}

func voidElement(name string) bool {
	switch name {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr":
		return true
	}
	return false
}

// checker resolves links against the site.
type checker struct {
	l       *pipeline.Loaded
	pages   map[string]*page
	sources map[string][]byte         // article files, read when a problem needs a line
	links   map[string][]content.Link // their links, with where each was written
	parser  *content.Parser
}

// checkLink reports a broken internal link or image, and returns the URL of
// an outbound link for the external check.
func (c *checker) checkLink(pg *page, ln link, problems *diag.List) string {
	if ln.href == c.l.Config.Email.Placeholder {
		return "" // the email's unsubscribe link, for a mail service to fill
	}
	u, err := url.Parse(strings.TrimSpace(ln.href))
	if err != nil {
		problems.Add(c.origin(pg, ln), "link %q cannot be read as a URL", ln.href)
		return ""
	}
	if ln.image && pg.p.Kind == site.KindArticle && ln.inBody && (ln.alt == nil || strings.TrimSpace(*ln.alt) == "") {
		problems.Add(c.origin(pg, ln), "image %s has no alt text (describe it: ![what it shows](%s))", ln.href, ln.href)
	}
	switch u.Scheme {
	case "mailto", "tel", "sms":
		return ""
	case "http", "https":
		if !c.sameSite(u) {
			return u.String()
		}
	case "":
		if u.Host != "" { // protocol-relative: //other.example/x
			if u.Scheme = "https"; !c.sameSite(u) {
				return u.String()
			}
		}
	default:
		return ""
	}
	// Links are resolved as a browser would, against the page's
	// published path (base_url's path in front).
	base := strings.TrimSuffix(c.l.Config.BasePath(), "/")
	here := base + pg.p.URL
	target := u.Path
	if target == "" {
		target = here
	} else if !strings.HasPrefix(target, "/") {
		target = path.Join(path.Dir(here+"x"), target)
		if strings.HasSuffix(u.Path, "/") && !strings.HasSuffix(target, "/") {
			target += "/"
		}
	}
	rel, ok := strings.CutPrefix(target, base)
	if !ok || (rel != "" && !strings.HasPrefix(rel, "/")) {
		problems.Add(c.origin(pg, ln), "link %s points outside the site's base path %s/", ln.href, base)
		return ""
	}
	if rel == "" {
		rel = "/"
	}
	dest := c.pages[rel]
	if dest == nil && !strings.HasSuffix(rel, "/") {
		dest = c.pages[rel+"/"]
	}
	if dest == nil {
		if c.staticExists(rel) || c.l.Site.Page(rel) != nil {
			return ""
		}
		what := "link"
		if ln.image {
			what = "image"
		}
		problems.Add(c.origin(pg, ln), "%s %s leads nowhere: no page or static file %s", what, ln.href, target)
		return ""
	}
	if u.Fragment != "" && !dest.ids[u.Fragment] {
		problems.Add(c.origin(pg, ln), "link %s: page %s has no anchor #%s", ln.href, dest.p.URL, u.Fragment)
	}
	return ""
}

// sameSite reports whether an absolute URL points at the site itself.
func (c *checker) sameSite(u *url.URL) bool {
	base, err := url.Parse(c.l.Config.BaseURL)
	return err == nil && base.Host != "" && strings.EqualFold(base.Host, u.Host)
}

func (c *checker) staticExists(rel string) bool {
	name := strings.TrimPrefix(rel, "/")
	if name == "" || !fs.ValidPath(name) {
		return false
	}
	info, err := fs.Stat(c.l.Files, "static/"+name)
	return err == nil && !info.IsDir()
}

// origin names where a link was written: the article's file, line and
// column for links in an article's body (each use of a link on its own),
// else the page and the theme's templates.
func (c *checker) origin(pg *page, ln link) diag.Pos {
	a := pg.p.Article
	if a == nil || !ln.inBody {
		return diag.Pos{File: "templates (page " + pg.p.URL + ")"}
	}
	src := c.source(a.File)
	nth := ln.nth
	for _, l := range c.articleLinks(a.File, src) {
		if l.Href != ln.href || l.Image != ln.image {
			continue
		}
		if nth--; nth < 0 {
			if l.Line > 0 {
				return diag.Pos{File: a.File, Line: l.Line, Col: l.Col}
			}
			break
		}
	}
	line, col := find(src, ln.href, ln.nth)
	return diag.Pos{File: a.File, Line: line, Col: col}
}

// source reads an article's file, once.
func (c *checker) source(file string) []byte {
	src, ok := c.sources[file]
	if !ok {
		src, _ = content.ReadFile(c.l.Source, file)
		c.sources[file] = src
	}
	return src
}

// articleLinks finds the links of an article's body, once.
func (c *checker) articleLinks(file string, src []byte) []content.Link {
	links, ok := c.links[file]
	if !ok {
		if c.parser == nil {
			c.parser = content.NewParser(c.l.Config)
		}
		links = c.parser.Links(src)
		c.links[file] = links
	}
	return links
}

// find is where an address is written in an article's file, for links
// the Markdown did not make (raw HTML): the nth time (from 0) it is, or
// the last. The line and column are 0 when it is not there.
func find(src []byte, href string, nth int) (line, col int) {
	for _, needle := range []string{"(" + href, "<" + href, "]: " + href, "\"" + href, href} {
		at := -1
		for from, n := 0, 0; n <= nth; n++ {
			i := bytes.Index(src[from:], []byte(needle))
			if i < 0 {
				break
			}
			at, from = from+i, from+i+len(needle)
		}
		if at >= 0 {
			at += len(needle) - len(href)
			start := bytes.LastIndexByte(src[:at], '\n') + 1
			return bytes.Count(src[:start], []byte("\n")) + 1, utf8.RuneCount(src[start:at]) + 1
		}
	}
	return 0, 0
}

// duplicates finds stories filed twice on one day: the same headline, or
// the same original story.
func duplicates(s *site.Site) diag.List {
	var problems diag.List
	for _, e := range s.Editions {
		byTitle := map[string]*site.Article{}
		bySource := map[string]*site.Article{}
		for _, a := range slices.Backward(e.Articles) { // oldest first: the later copy is reported
			day := e.Date.Format("2006-01-02")
			key := content.Slugify(a.Title)
			if first, ok := byTitle[key]; ok {
				problems.Add(diag.Pos{File: a.File, Line: 1}, "likely the same story twice on %s: %s has the same headline (%q)", day, diag.File(first.File), a.Title)
				continue
			}
			byTitle[key] = a
			if a.SourceURL == "" {
				continue
			}
			if first, ok := bySource[a.SourceURL]; ok {
				problems.Add(diag.Pos{File: a.File, Line: 1}, "likely the same story twice on %s: %s has the same source_url %s", day, diag.File(first.File), a.SourceURL)
				continue
			}
			bySource[a.SourceURL] = a
		}
	}
	return problems
}

// notes lists the articles left out of the site, with when each goes live
// or went away.
func notes(s *site.Site) []string {
	var out []string
	for _, a := range s.Skipped.Articles {
		switch a.Why {
		case "draft":
			out = append(out, fmt.Sprintf("%s: draft, not published (preview with --drafts; delete draft: true to publish)", diag.File(a.File)))
		case "future":
			out = append(out, fmt.Sprintf("%s: scheduled, goes live %s (rebuild then)", diag.File(a.File), a.Date.Format("2006-01-02 15:04 MST")))
		case "expired":
			out = append(out, fmt.Sprintf("%s: expired %s, no longer published", diag.File(a.File), a.Expires.Format("2006-01-02 15:04 MST")))
		}
	}
	return out
}

// externalLink is an outbound link and where it was written, worked
// out when a problem is reported.
type externalLink struct {
	url string
	at  func() diag.Pos
}
