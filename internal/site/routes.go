package site

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/digest-ssg/digest/internal/i18n"
	"github.com/digest-ssg/digest/internal/search"
)

// maxSitemapURLs is the most URLs one sitemap file may list.
const maxSitemapURLs = 50000

// maxNewsURLs is the most URLs a news sitemap may list.
const maxNewsURLs = 1000

// Page is one entry of the route table: a URL and what it shows.
type Page struct {
	Kind        Kind
	URL         string // site-relative, e.g. / or /topics/world/page/2/
	Title       string // for <title>; the site's title is added by the theme
	Description string // for the meta description
	Site        *Site
	Article     *Article   // KindArticle
	Edition     *Edition   // KindHome, KindEdition
	Term        *Term      // KindTopic, KindTag; feeds of a topic
	Pager       *Pager     // KindTopic, KindTag
	Modified    time.Time  // the newest change to what the page shows
	Items       []*Article // feeds: the newest articles; news sitemap: the last two days'
	Entries     []*Page    // sitemaps: the pages listed
	Shard       Shard      // KindSearchShard: which file of the index
}

// Shard names one file of the search index: its kind (search.ShardHeads,
// …) and number.
type Shard struct {
	Kind string
	N    int
}

// FeedLink names one feed for <link rel="alternate"> and the feeds page.
type FeedLink struct {
	Title, URL, Type string
}

// Feeds lists the feeds that belong to the page: the site's, and on a
// topic's pages and articles, the topic's.
func (p *Page) Feeds() []FeedLink {
	cfg := p.Site.Config
	links := feedLinks(cfg.Title, "/")
	t := p.Term
	if p.Article != nil {
		t = p.Article.TopicTerm
	}
	if t != nil && t.Kind == "topic" {
		links = append(links, feedLinks(cfg.Lang.Text("feed_topic_title", "site", cfg.Title, "topic", t.Name), t.URL)...)
	}
	return links
}

func feedLinks(title, base string) []FeedLink {
	return []FeedLink{
		{title + " (RSS)", base + "feed.xml", "application/rss+xml"},
		{title + " (Atom)", base + "atom.xml", "application/atom+xml"},
		{title + " (JSON Feed)", base + "feed.json", "application/feed+json"},
	}
}

// OutputPath is the slash path of the page's file in the output folder.
func (p *Page) OutputPath() string {
	if strings.HasSuffix(p.URL, "/") {
		return strings.TrimPrefix(p.URL, "/") + "index.html"
	}
	return strings.TrimPrefix(p.URL, "/")
}

// routes lists every page of the site, in a fixed order.
func (s *Site) routes() []*Page {
	cfg, l := s.Config, s.Config.Lang
	home := &Page{Kind: KindHome, URL: "/", Title: "", Description: cfg.Description}
	if len(s.Editions) > 0 {
		home.Edition = s.Editions[0]
	}
	pages := []*Page{
		home,
		{Kind: KindTopicIndex, URL: "/topics/", Title: l.Text("topics"), Description: l.Text("topics_description", "site", cfg.Title)},
		{Kind: KindTagIndex, URL: "/tags/", Title: l.Text("tags"), Description: l.Text("tags_description", "site", cfg.Title)},
		{Kind: KindArchive, URL: "/archive/", Title: l.Text("archive"), Description: l.Text("archive_description", "site", cfg.Title)},
		{Kind: KindNotFound, URL: "/404.html", Title: l.Text("not_found"), Description: l.Text("not_found_description")},
	}
	// The pages of the days and the articles, most of a site's, are made
	// in one block: one allocation, not one each.
	block := make([]Page, len(s.Editions)+len(s.Articles))
	pages = slices.Grow(pages, len(block))
	for i, e := range s.Editions {
		block[i] = Page{Kind: KindEdition, URL: e.URL, Edition: e}
		pages = append(pages, &block[i])
	}
	block = block[len(s.Editions):]
	for i, a := range s.Articles {
		block[i] = Page{Kind: KindArticle, URL: a.URL, Article: a}
		pages = append(pages, &block[i])
	}
	for _, t := range s.Topics {
		pages = append(pages, termPages(l, t, KindTopic, l.Text("topic_description", "topic", t.Name, "site", cfg.Title))...)
	}
	for _, t := range s.Tags {
		pages = append(pages, termPages(l, t, KindTag, l.Text("tag_description", "tag", t.Name, "site", cfg.Title))...)
	}
	pages = append(pages, &Page{Kind: KindFeeds, URL: "/feeds/", Title: l.Text("feeds"), Description: l.Text("feeds_description", "site", cfg.Title)})
	pages = append(pages, s.feedPages(nil)...)
	for _, t := range s.Topics {
		pages = append(pages, s.feedPages(t)...)
	}
	pages = append(pages, s.redirectPages()...)
	pages = append(pages, s.emailPages()...)
	pages = append(pages, s.searchPages()...)
	for _, p := range pages {
		p.Site = s
	}
	s.describeAll(pages)
	pages = append(pages, s.crawlerPages(pages)...)
	for _, p := range pages {
		p.Site = s
	}
	// The order is fixed by the model (no sort: the dev server rebuilds
	// this table on every edit); the sitemap sorts its own list.
	return pages
}

// redirectPages makes a page at each old address of an article (its
// aliases) that sends readers and crawlers on to it, and the _redirects
// file that lists them all for hosts that read one. Aliases are sorted by
// path, so the file does not depend on the order of the articles.
func (s *Site) redirectPages() []*Page {
	var out []*Page
	for _, a := range s.Articles {
		for _, alias := range a.Aliases {
			out = append(out, &Page{Kind: KindRedirect, URL: alias, Article: a})
		}
	}
	if len(out) == 0 {
		return nil
	}
	slices.SortFunc(out, func(a, b *Page) int { return cmp.Compare(a.URL, b.URL) })
	return append(out, &Page{Kind: KindRedirects, URL: "/_redirects", Entries: slices.Clone(out)})
}

// searchPages makes the search page, the script and every file of the
// search index (see package search), when the site searches.
func (s *Site) searchPages() []*Page {
	if !s.Config.Search.Enabled {
		return nil
	}
	out := []*Page{
		{Kind: KindSearch, URL: "/search/", Title: s.Config.Lang.Text("search"), Description: s.Config.Lang.Text("search_description", "site", s.Config.Title)},
		{Kind: KindSearchMeta, URL: "/search/index.json"},
		{Kind: KindSearchScript, URL: "/search/search.js"},
	}
	l := search.LayoutFor(len(s.Articles))
	for _, kind := range search.ShardKinds() {
		for n := range l.Count(kind) {
			out = append(out, &Page{Kind: KindSearchShard, URL: fmt.Sprintf("/search/%s/%d.json", kind, n), Shard: Shard{kind, n}})
		}
	}
	return out
}

// feedPages makes the RSS, Atom and JSON feeds of the site (t == nil) or
// of one topic.
func (s *Site) feedPages(t *Term) []*Page {
	base, articles := "/", s.Articles
	if t != nil {
		base, articles = t.URL, t.Articles
	}
	items := articles[:min(len(articles), s.Config.Feeds.Items)]
	var out []*Page
	for _, k := range []struct {
		kind Kind
		file string
	}{{KindRSS, "feed.xml"}, {KindAtom, "atom.xml"}, {KindJSONFeed, "feed.json"}} {
		out = append(out, &Page{Kind: k.kind, URL: base + k.file, Term: t, Items: items})
	}
	if t == nil {
		out = append(out, &Page{Kind: KindOPML, URL: "/feeds.opml", Items: items})
	}
	return out
}

// crawlerPages makes the sitemaps, robots.txt and the favicon. The sitemap lists the
// pages of every kind whose KindInfo says Sitemap; past maxSitemapURLs it is split into
// sitemap-N.xml files under a sitemap index.
func (s *Site) crawlerPages(pages []*Page) []*Page {
	var listed []*Page
	for _, p := range pages {
		if p.Kind.Info().Sitemap {
			listed = append(listed, p)
		}
	}
	slices.SortFunc(listed, func(a, b *Page) int { return cmp.Compare(a.URL, b.URL) })
	var out []*Page
	if len(listed) <= maxSitemapURLs {
		out = append(out, &Page{Kind: KindSitemap, URL: "/sitemap.xml", Entries: listed})
	} else {
		index := &Page{Kind: KindSitemapIndex, URL: "/sitemap.xml"}
		for i := 0; i < len(listed); i += maxSitemapURLs {
			chunk := listed[i:min(len(listed), i+maxSitemapURLs)]
			part := &Page{Kind: KindSitemap, URL: fmt.Sprintf("/sitemap-%d.xml", i/maxSitemapURLs+1), Entries: chunk}
			s.describe(part)
			index.Entries = append(index.Entries, part)
			out = append(out, part)
		}
		out = append(out, index)
	}
	// A news sitemap must list at least one URL: with no article from the
	// last two days there is none, and robots.txt does not name it.
	if recent := s.recent(); len(recent) > 0 {
		out = append(out, &Page{Kind: KindNewsSitemap, URL: "/news-sitemap.xml", Items: recent})
	}
	return append(out, &Page{Kind: KindRobots, URL: "/robots.txt"}, &Page{Kind: KindFavicon, URL: "/favicon.svg"})
}

// recent lists the articles of the last two days for the news sitemap,
// newest first, at most maxNewsURLs.
func (s *Site) recent() []*Article {
	since := s.Now.Add(-48 * time.Hour)
	var out []*Article
	for _, a := range s.Articles {
		if len(out) == maxNewsURLs || a.Date.Before(since) {
			break
		}
		if !a.Date.After(s.Now) {
			out = append(out, a)
		}
	}
	return out
}

// modified is the newest change to what a page shows.
func (s *Site) modified(p *Page) time.Time {
	switch {
	case p.Article != nil:
		return p.Article.Modified()
	case p.Pager != nil:
		return newestArticle(p.Pager.Articles)
	case p.Edition != nil:
		return newestArticle(p.Edition.Articles)
	case p.Items != nil:
		return newestArticle(p.Items)
	}
	return s.lastChange
}

// newestArticle is the time of the newest change to the articles, read
// from the copies of their dates (see Article.adopt): a site's pages
// count every article several times over (100,000 articles: 0.14 s).
func newestArticle(articles []*Article) time.Time {
	var t time.Time
	for _, a := range articles {
		m := a.Date
		if a.Updated.After(m) {
			m = a.Updated
		}
		if m.After(t) {
			t = m
		}
	}
	return t
}

func newest(pages []*Page) time.Time {
	var t time.Time
	for _, p := range pages {
		if p.Modified.After(t) {
			t = p.Modified
		}
	}
	return t
}

func termPages(l *i18n.Lang, t *Term, kind Kind, desc string) []*Page {
	var out []*Page
	for _, pg := range t.Pagers {
		title := t.Name
		if pg.Number > 1 {
			title = l.Text("page_numbered", "title", t.Name, "page", pg.Number, "total", pg.Total)
		}
		out = append(out, &Page{Kind: kind, URL: pg.URL, Term: t, Pager: pg,
			Title: title, Description: desc})
	}
	return out
}

// homeDescription is site.toml's description, else one made from the
// latest edition.
func (s *Site) homeDescription(e *Edition) string {
	cfg, l := s.Config, s.Config.Lang
	switch {
	case cfg.Description != "":
		return cfg.Description
	case e == nil:
		return l.Text("home_description", "site", cfg.Title)
	}
	lead := cmp.Or(e.Lead, e.Articles[0])
	if more := len(e.Articles) - 1; more > 0 {
		return l.Text("home_description_lead", "site", cfg.Title, "date", l.Day(e.Date), "lead", lead.Title, "n", more)
	}
	return l.Text("home_description_only", "site", cfg.Title, "date", l.Day(e.Date), "lead", lead.Title)
}

// editionDescription says what an edition holds: its lead story and how
// many more, or how many stories.
func editionDescription(l *i18n.Lang, e *Edition) string {
	day := l.Day(e.Date)
	switch more := len(e.Articles) - 1; {
	case e.Lead != nil && more > 0:
		return l.Text("edition_description_lead", "date", day, "lead", e.Lead.Title, "n", more)
	case e.Lead != nil:
		return l.Text("edition_description_only", "date", day, "lead", e.Lead.Title)
	}
	return l.Text("edition_description", "date", day, "n", len(e.Articles))
}
