package site

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Kind names what a page shows. It is also the name of the template that
// renders it, without ".html".
type Kind string

// The kinds of page.
const (
	KindHome       Kind = "home"
	KindEdition    Kind = "edition"
	KindArticle    Kind = "article"
	KindTopicIndex Kind = "topics"
	KindTopic      Kind = "topic"
	KindTagIndex   Kind = "tags"
	KindTag        Kind = "tag"
	KindArchive    Kind = "archive"
	KindNotFound   Kind = "404"
)

// Page is one entry of the route table: a URL and what it shows.
type Page struct {
	Kind        Kind
	URL         string // site-relative, e.g. / or /topics/world/page/2/
	Title       string // for <title>; the site's title is added by the theme
	Description string // for the meta description
	Site        *Site
	Article     *Article // KindArticle
	Edition     *Edition // KindHome, KindEdition
	Term        *Term    // KindTopic, KindTag
	Pager       *Pager   // KindTopic, KindTag
}

// OutputPath is the slash path of the page's file in the output folder.
func (p *Page) OutputPath() string {
	if strings.HasSuffix(p.URL, "/") {
		return strings.TrimPrefix(p.URL, "/") + "index.html"
	}
	return strings.TrimPrefix(p.URL, "/")
}

// routes lists every page of the site, sorted by URL.
func (s *Site) routes() []*Page {
	cfg := s.Config
	home := &Page{Kind: KindHome, URL: "/", Title: "", Description: cfg.Description}
	if len(s.Editions) > 0 {
		home.Edition = s.Editions[0]
	}
	pages := []*Page{
		home,
		{Kind: KindTopicIndex, URL: "/topics/", Title: "Topics", Description: "Every topic of " + cfg.Title + "."},
		{Kind: KindTagIndex, URL: "/tags/", Title: "Tags", Description: "Every tag of " + cfg.Title + "."},
		{Kind: KindArchive, URL: "/archive/", Title: "Archive", Description: "Every edition of " + cfg.Title + ", by month."},
		{Kind: KindNotFound, URL: "/404.html", Title: "Page not found", Description: "This page does not exist."},
	}
	for _, e := range s.Editions {
		day := e.Date.Format("Monday 2 January 2006")
		pages = append(pages, &Page{Kind: KindEdition, URL: e.URL, Edition: e,
			Title: day, Description: editionDescription(e, day)})
	}
	for _, a := range s.Articles {
		pages = append(pages, &Page{Kind: KindArticle, URL: a.URL, Article: a, Title: a.Title, Description: a.Summary})
	}
	for _, t := range s.Topics {
		pages = append(pages, termPages(t, KindTopic, "Latest %s news from "+cfg.Title+".")...)
	}
	for _, t := range s.Tags {
		pages = append(pages, termPages(t, KindTag, "Stories tagged %s in "+cfg.Title+".")...)
	}
	for _, p := range pages {
		p.Site = s
	}
	slices.SortFunc(pages, func(a, b *Page) int { return cmp.Compare(a.URL, b.URL) })
	return pages
}

func termPages(t *Term, kind Kind, desc string) []*Page {
	var out []*Page
	for _, pg := range t.Pagers {
		title := t.Name
		if pg.Number > 1 {
			title = fmt.Sprintf("%s (page %d of %d)", t.Name, pg.Number, pg.Total)
		}
		out = append(out, &Page{Kind: kind, URL: pg.URL, Term: t, Pager: pg,
			Title: title, Description: fmt.Sprintf(desc, t.Name)})
	}
	return out
}

func editionDescription(e *Edition, day string) string {
	if e.Lead != nil {
		return fmt.Sprintf("The edition of %s: %s, and %d more stories.", day, e.Lead.Title, len(e.Articles)-1)
	}
	return fmt.Sprintf("The edition of %s: %d stories.", day, len(e.Articles))
}
