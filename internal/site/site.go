// Package site builds the model of a digest from its configuration and
// articles: which articles are published, topics and tags, the edition of
// each day, the archive, related stories, and the route table that maps
// every URL of the site to the page it shows.
//
// The model is pure: it takes the time "now" as a value and touches no
// files, so the build and the dev server share it.
//
// Every kind of page is described once, in the table kinds (kinds.go):
// its URL pattern, media type, whether a template or Go code makes it,
// whether the sitemap lists it, where its modified time comes from, and
// whether the dev server may patch it in place. The main URLs
// (site-relative; base_url's path is put in front when rendering):
//
//	/                            Home: the latest edition and "Latest stories"
//	/YYYY/MM/DD/                 Edition: one day's articles by topic
//	/YYYY/MM/DD/<slug>/          Article
//	/topics/                     TopicIndex
//	/topics/<topic>/[page/N/]    Topic: newest first, per_page a page
//	/tags/                       TagIndex
//	/tags/<tag>/[page/N/]        Tag
//	/archive/                    Archive: every edition, by month
//	/feeds/                      Feeds, with feed.xml, atom.xml, feed.json
//	/404.html                    NotFound
//	/YYYY/MM/DD/email.html, email.txt, /editions.xml
//	                             the email edition (see email.go)
//	/sitemap.xml, /news-sitemap.xml, /robots.txt, /feeds.opml, /favicon.svg
package site

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/parallel"
)

// Options choose which articles are published.
type Options struct {
	Now     time.Time // articles dated after Now are future ones
	Drafts  bool      // include drafts
	Future  bool      // include articles dated in the future
	Expired bool      // include articles past their expires time
}

// Site is the model of a whole digest.
type Site struct {
	Config   *config.Config
	Articles []*Article // published, newest first
	Topics   []*Term    // site order, then alphabetical
	Tags     []*Term    // alphabetical
	Editions []*Edition // newest first
	Months   []*Month   // newest first
	Skipped  Skipped    // what was left out, and why
	Pages    []*Page    // the route table, in a fixed order
	Now      time.Time  // the time the site was built for
	byURL    map[string]*Page
	byFile   map[string]*Article
	// patchable: every page's kind is Patchable, so Retarget may put a
	// new version of an article in place.
	patchable bool
	// lastChange is the newest change to any article, for the pages
	// that show every article's (set before the pages are described).
	lastChange time.Time
	values     siteMemo  // see Memo
	inputBufs  sync.Pool // the buffers of inputWriters (see Inputs)
}

// siteMemo keeps values made from the whole site, for one version of it.
type siteMemo struct {
	mu    sync.Mutex
	items map[any]any
}

// Memo returns what is kept under key for this version of the site, made
// by make the first time: values made from every article, such as the
// search index, that many pages read. Retarget, which puts a new version
// of an article in place, drops them, but for those that follow it (see
// Follower); a new model starts afresh. Safe for
// concurrent use: callers wait while the first makes the value, so it is
// made once.
func (s *Site) Memo(key any, make func() (any, error)) (any, error) {
	m := &s.values
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.items[key]; ok {
		return v, nil
	}
	v, err := make()
	if err != nil {
		return nil, err
	}
	if m.items == nil {
		m.items = map[any]any{}
	}
	m.items[key] = v
	return v, nil
}

// Forget drops what Memo keeps under key, so that it can be freed; the
// next Memo of key makes it again.
func (s *Site) Forget(key any) {
	m := &s.values
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.items, key)
}

// Skipped counts the articles left out of the site.
type Skipped struct {
	Drafts, Future, Expired int
	// NextScheduled is the earliest future article, if any: when it goes
	// live, the site needs a rebuild.
	NextScheduled *content.Article
	// Articles lists every article left out, in file order, with why.
	Articles []SkippedArticle
}

// SkippedArticle is an article left out of the site.
type SkippedArticle struct {
	*content.Article
	Why string // "draft", "future" or "expired"
}

// Article is a published article placed in the site.
type Article struct {
	*content.Article

	// Copies of the content's fields that templates read most, for speed:
	// text/template finds a promoted field only by a slow search through
	// the embedded struct (about 0.15 s of CPU in a 10,000-article build).
	// adopt keeps them in step with Article.
	Title, Summary, Source, SourceURL, Image, ImageAlt string
	Date, Updated                                      time.Time
	DateOnly                                           bool
	Authors, Tags                                      []string
	ReadingTime, WordCount                             int
	// Dek is the summary as written (in the front matter): what the
	// article page shows under the headline. It is empty when the
	// summary was taken from the body, which the page shows anyway.
	Dek string

	URL       string // site-relative, e.g. /2026/11/27/story/
	Edition   *Edition
	TopicTerm *Term
	TagTerms  []*Term
	Older     *Article // previous in the same topic
	Newer     *Article // next in the same topic
	Lead      bool     // the lead story of its edition

	index       int   // position in Site.Articles
	tagPos      []int // position in each of TagTerms' article lists
	relatedOnce sync.Once
	related     []*Article
	memo        memo // see Memo
}

// adopt copies the fields templates read most from the article's content.
func (a *Article) adopt() {
	c := a.Article
	a.Title, a.Summary, a.Source, a.SourceURL, a.Image, a.ImageAlt = c.Title, c.Summary, c.Source, c.SourceURL, c.Image, c.ImageAlt
	a.Date, a.Updated, a.DateOnly, a.Authors, a.Tags = c.Date, c.Updated, c.DateOnly, c.Authors, c.Tags
	a.ReadingTime, a.WordCount = c.ReadingTime, c.WordCount
	a.Dek = ""
	if !c.SummaryFromBody {
		a.Dek = c.Summary
	}
}

// memo keeps values made once, by key: a few at most. Safe for
// concurrent use.
type memo struct {
	mu    sync.Mutex
	items []memoItem
}

// memoItem is a value kept for one version of an article's content (nil
// for values that have no versions).
type memoItem struct {
	key     any
	content *content.Article
	value   any
}

// Memo returns what is kept under key for this version of the article,
// made by make the first time. A renderer keeps here what it makes of an
// article for list pages, so that it is made once per build however many
// pages list the article; a new version of the article's content (see
// Retarget) starts afresh, and so does a new model. Safe for concurrent
// use; two first calls at once may both call make, and one result is kept.
func (a *Article) Memo(key any, make func() (any, error)) (any, error) {
	// Retarget changes a.Article only while nothing renders (the dev
	// server holds its model lock for writing), so it is read as it is.
	return a.memo.get(key, a.Article, make)
}

// get finds key for this version of the content, or makes the value and
// keeps it, dropping values kept for other versions.
func (m *memo) get(key any, version *content.Article, makeValue func() (any, error)) (any, error) {
	if v, ok := m.find(key, version); ok {
		return v, nil
	}
	v, err := makeValue()
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.findLocked(key, version); ok {
		return v, nil // made meanwhile by another caller
	}
	// Values for an older version of the content are of no more use.
	m.items = slices.DeleteFunc(m.items, func(it memoItem) bool { return it.content != version })
	m.items = append(m.items, memoItem{key, version, v})
	return v, nil
}

func (m *memo) find(key any, version *content.Article) (any, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.findLocked(key, version)
}

func (m *memo) findLocked(key any, version *content.Article) (any, bool) {
	for _, it := range m.items {
		if it.key == key && it.content == version {
			return it.value, true
		}
	}
	return nil, false
}

// Term is a topic or a tag with its articles.
type Term struct {
	Kind     string // "topic" or "tag"
	Name     string
	Slug     string
	URL      string
	Articles []*Article // newest first
	Pagers   []*Pager

	refs []articleRef // of Articles, for Related
	memo memo         // see Memo
}

// Memo returns what is kept under key for the term, made by make the first
// time: a renderer keeps here the links to the term that many pages show.
// A new model has new terms, so nothing kept outlives the site it was
// made for; what is kept must not depend on the term's articles, which
// Retarget changes in place. Safe for concurrent use, like Article.Memo.
func (t *Term) Memo(key any, make func() (any, error)) (any, error) {
	return t.memo.get(key, nil, make)
}

// Edition is the set of articles of one day, in the site's timezone. Its
// page reads like a front page: the lead, the top stories with their
// summaries, then each topic's headlines.
type Edition struct {
	Date time.Time // midnight of the day in the site's timezone
	URL  string
	Lead *Article // the featured story, or nil
	// Top are the top stories after the lead (top_stories of them): the
	// day's other featured stories, then the newest of each topic in
	// topic order, then the next of each.
	Top      []*Article
	Sections []*Section // by topic, in topic order
	Articles []*Article // every article of the day, newest first
	Older    *Edition
	Newer    *Edition
}

// Section is one topic's articles within an edition.
type Section struct {
	Topic    *Term
	Articles []*Article // newest first, without the edition's lead
	// Headlines are Articles without the edition's top stories: what
	// the edition lists under the topic (none when all are top stories).
	Headlines []*Article
}

// Month groups the editions of one month for the archive.
type Month struct {
	Date     time.Time // the first of the month
	Editions []*Edition
}

// Pager is one page of a paginated list.
type Pager struct {
	Number, Total int
	URL           string
	Articles      []*Article
	Prev, Next    *Pager
	First         *Pager
}

// Build makes the model. Articles that cannot be placed (two claiming one
// URL, two topics sharing a URL) are reported with the files involved.
func Build(cfg *config.Config, articles []*content.Article, opt Options) (*Site, diag.List) {
	s := &Site{Config: cfg, Now: opt.Now}
	var errs diag.List
	s.Articles = s.publish(articles, opt)
	s.checkURLs(&errs)
	// Tags touch only the articles' tag fields, so they are grouped on a
	// second core while topics and editions are: the dev server rebuilds
	// the model on every edit.
	var tags sync.WaitGroup
	tags.Go(func() {
		s.Tags = s.groupTags()
		for _, t := range s.Tags {
			t.Pagers = paginate(t.URL, t.Articles, cfg.PerPage)
		}
	})
	s.Topics = s.groupTopics(&errs)
	s.Editions = s.groupEditions()
	s.Months = groupMonths(s.Editions)
	linkInTopic(s.Topics)
	for _, t := range s.Topics {
		t.Pagers = paginate(t.URL, t.Articles, cfg.PerPage)
	}
	tags.Wait()
	for _, t := range s.Tags {
		t.refs = refsOf(t.Articles)
	}
	s.Pages = s.routes()
	s.byURL = make(map[string]*Page, len(s.Pages))
	s.patchable = true
	for _, p := range s.Pages {
		s.patchable = s.patchable && p.Kind.Info().Patchable
		if prev, ok := s.byURL[p.URL]; ok {
			if p.Kind == KindRedirect {
				errs.Add(diag.Pos{File: pageFile(p)}, "two pages claim %s (%s and the redirect of an alias of this article); remove it from aliases", p.URL, prev.Kind)
				continue
			}
			errs.Add(diag.Pos{File: pageFile(p)}, "two pages claim %s (%s and %s); rename one of them", p.URL, prev.Kind, p.Kind)
		}
		s.byURL[p.URL] = p
	}
	return s, errs
}

// publish selects the articles to publish and sorts them newest first.
func (s *Site) publish(all []*content.Article, opt Options) []*Article {
	var out []*Article
	for _, a := range all {
		switch {
		case a.Draft && !opt.Drafts:
			s.Skipped.Drafts++
			s.Skipped.Articles = append(s.Skipped.Articles, SkippedArticle{a, "draft"})
			continue
		case a.Date.After(opt.Now) && !opt.Future:
			s.Skipped.Future++
			s.Skipped.Articles = append(s.Skipped.Articles, SkippedArticle{a, "future"})
			if n := s.Skipped.NextScheduled; n == nil || a.Date.Before(n.Date) {
				s.Skipped.NextScheduled = a
			}
			continue
		case !a.Expires.IsZero() && !a.Expires.After(opt.Now) && !opt.Expired:
			s.Skipped.Expired++
			s.Skipped.Articles = append(s.Skipped.Articles, SkippedArticle{a, "expired"})
			continue
		}
		sa := &Article{Article: a, URL: dayURL(a.Date, a.Slug)}
		sa.adopt()
		out = append(out, sa)
	}
	slices.SortFunc(out, newestFirst)
	s.byFile = make(map[string]*Article, len(out))
	for i, a := range out {
		a.index = i
		s.byFile[a.File] = a
	}
	return out
}

// dayURL is the address of a day, /YYYY/MM/DD/, or with a slug of an
// article that day, /YYYY/MM/DD/slug/.
func dayURL(t time.Time, slug string) string {
	y, m, d := t.Date()
	b := make([]byte, 0, len("/2006/01/02//")+len(slug))
	b = append(b, '/')
	b = appendPadded(b, y, 4)
	b = append(b, '/')
	b = appendPadded(b, int(m), 2)
	b = append(b, '/')
	b = appendPadded(b, d, 2)
	b = append(b, '/')
	if slug != "" {
		b = append(b, slug...)
		b = append(b, '/')
	}
	return string(b)
}

// appendPadded appends n in decimal, with zeros before it to width
// digits, as fmt's %0*d does.
func appendPadded(b []byte, n, width int) []byte {
	if n < 0 {
		b, n, width = append(b, '-'), -n, width-1
	}
	digits := strconv.AppendInt(nil, int64(n), 10)
	for range width - len(digits) {
		b = append(b, '0')
	}
	return append(b, digits...)
}

// newestFirst orders articles by date, newest first, then by URL and file
// so that the order never depends on the input order.
func newestFirst(a, b *Article) int {
	// Not cmp.Or, which compares the URLs and files of every pair, of
	// different days too: 0.13 s of sorting 100,000 articles.
	if c := b.Date.Compare(a.Date); c != 0 {
		return c
	}
	if c := cmp.Compare(a.URL, b.URL); c != 0 {
		return c
	}
	return cmp.Compare(a.File, b.File)
}

// checkURLs reports articles that claim the same URL.
func (s *Site) checkURLs(errs *diag.List) {
	first := make(map[string]*Article, len(s.Articles))
	kept := s.Articles[:0]
	for _, a := range s.Articles {
		key := strings.ToLower(a.URL)
		if prev, ok := first[key]; ok {
			one, two := prev, a
			if two.File < one.File {
				one, two = two, one
			}
			errs.Add(diag.Pos{File: two.File, Line: 1, Col: 1},
				"URL %s is also claimed by %s (give one of them another slug: in its front matter)", a.URL, diag.File(one.File))
			continue
		}
		first[key] = a
		kept = append(kept, a)
	}
	s.Articles = kept
}

// groupTopics collects the articles of each topic, in site order then
// alphabetically.
func (s *Site) groupTopics(errs *diag.List) []*Term {
	slugs := slugCache{}
	bySlug := map[string]*Term{}
	var terms []*Term
	for _, a := range s.Articles {
		slug := slugs.of(a.Topic)
		t := bySlug[slug]
		switch {
		case slug == "":
			errs.Add(diag.Pos{File: a.File, Line: 1, Col: 1}, "topic %q has no letters or digits to make a URL from (rename the topic)", a.Topic)
			continue
		case t == nil:
			t = &Term{Kind: "topic", Name: a.Topic, Slug: slug, URL: "/topics/" + slug + "/"}
			bySlug[slug] = t
			terms = append(terms, t)
		case t.Name != a.Topic:
			errs.Add(diag.Pos{File: a.File, Line: 1, Col: 1}, "topic %q and topic %q (in %s) share the URL %s (spell the topic the same way in both)", a.Topic, t.Name, diag.File(t.Articles[0].File), t.URL)
		}
		t.Articles = append(t.Articles, a)
		a.TopicTerm = t
	}
	order := map[string]int{}
	for i, name := range s.Config.Topics {
		order[content.Slugify(name)] = i + 1
	}
	slices.SortFunc(terms, func(a, b *Term) int {
		oa, ob := order[a.Slug], order[b.Slug]
		switch {
		case oa > 0 && ob > 0:
			return cmp.Compare(oa, ob)
		case oa > 0:
			return -1
		case ob > 0:
			return 1
		}
		return cmp.Compare(a.Slug, b.Slug)
	})
	return terms
}

// groupTags collects the articles of each tag, alphabetically. Tags that
// differ only in case or punctuation are one tag, named as first seen.
func (s *Site) groupTags() []*Term {
	slugs := slugCache{}
	bySlug := map[string]*Term{}
	var terms []*Term
	for i := len(s.Articles) - 1; i >= 0; i-- { // oldest first: the first spelling wins
		a := s.Articles[i]
		for _, name := range a.Tags {
			slug := slugs.of(name)
			t := bySlug[slug]
			if t == nil {
				t = &Term{Kind: "tag", Name: name, Slug: slug, URL: "/tags/" + slug + "/"}
				bySlug[slug] = t
				terms = append(terms, t)
			}
			t.Articles = append(t.Articles, a)
			a.TagTerms = append(a.TagTerms, t)
		}
	}
	for _, t := range terms {
		slices.Reverse(t.Articles)
	}
	for _, a := range s.Articles {
		slices.SortStableFunc(a.TagTerms, func(x, y *Term) int { return cmp.Compare(x.Slug, y.Slug) })
		a.tagPos = make([]int, len(a.TagTerms))
	}
	for _, t := range terms {
		for i, a := range t.Articles {
			a.tagPos[slices.Index(a.TagTerms, t)] = i
		}
	}
	slices.SortFunc(terms, func(a, b *Term) int { return cmp.Compare(a.Slug, b.Slug) })
	return terms
}

// slugCache keeps the slugs of the names of topics or tags: a site has
// few, each written on many articles.
type slugCache map[string]string

func (c slugCache) of(name string) string {
	slug, ok := c[name]
	if !ok {
		slug = content.Slugify(name)
		c[name] = slug
	}
	return slug
}

// groupEditions makes one edition per day, newest first.
func (s *Site) groupEditions() []*Edition {
	var eds []*Edition
	var cur *Edition
	for _, a := range s.Articles { // newest first, so days arrive in order
		y, m, d := a.Date.Date()
		day := time.Date(y, m, d, 0, 0, 0, 0, s.Config.Location)
		if cur == nil || !cur.Date.Equal(day) {
			cur = &Edition{Date: day, URL: dayURL(day, "")}
			eds = append(eds, cur)
		}
		cur.Articles = append(cur.Articles, a)
		a.Edition = cur
	}
	rank := s.topicRank()
	// Each day's sections are its own (and its articles' Lead): made on
	// every CPU.
	parallel.For(context.Background(), len(eds), runtime.GOMAXPROCS(0), func(i int) {
		e := eds[i]
		if i > 0 {
			e.Newer = eds[i-1]
		}
		if i+1 < len(eds) {
			e.Older = eds[i+1]
		}
		e.Sections = sections(e, rank)
		e.Top = topStories(e, s.Config.TopStories)
	})
	return eds
}

// topicRank gives each topic term its position in topic order.
func (s *Site) topicRank() map[*Term]int {
	rank := make(map[*Term]int, len(s.Topics))
	for i, t := range s.Topics {
		rank[t] = i
	}
	return rank
}

// sections picks the edition's lead (its newest featured article) and
// groups the others by topic.
func sections(e *Edition, rank map[*Term]int) []*Section {
	for _, a := range e.Articles {
		if a.Featured {
			e.Lead = a
			a.Lead = true
			break
		}
	}
	byTopic := map[*Term]*Section{}
	var out []*Section
	for _, a := range e.Articles {
		if a == e.Lead || a.TopicTerm == nil {
			continue
		}
		sec := byTopic[a.TopicTerm]
		if sec == nil {
			sec = &Section{Topic: a.TopicTerm}
			byTopic[a.TopicTerm] = sec
			out = append(out, sec)
		}
		sec.Articles = append(sec.Articles, a)
	}
	slices.SortFunc(out, func(x, y *Section) int { return cmp.Compare(rank[x.Topic], rank[y.Topic]) })
	return out
}

// topStories picks up to n top stories after the lead (see Edition.Top)
// and leaves them out of the sections' headlines.
func topStories(e *Edition, n int) []*Article {
	var top []*Article
	picked := map[*Article]bool{}
	pick := func(a *Article) {
		if len(top) < n && !picked[a] {
			top = append(top, a)
			picked[a] = true
		}
	}
	for _, a := range e.Articles {
		if a.Featured && a != e.Lead {
			pick(a)
		}
	}
	for round := 0; len(top) < n && len(top) < len(e.Articles); round++ {
		more := false
		for _, sec := range e.Sections {
			if round < len(sec.Articles) {
				pick(sec.Articles[round])
				more = true
			}
		}
		if !more {
			break
		}
	}
	for _, sec := range e.Sections {
		sec.Headlines = make([]*Article, 0, len(sec.Articles))
		for _, a := range sec.Articles {
			if !picked[a] {
				sec.Headlines = append(sec.Headlines, a)
			}
		}
	}
	return top
}

// groupMonths groups editions (newest first) by month.
func groupMonths(eds []*Edition) []*Month {
	var months []*Month
	for _, e := range eds {
		first := time.Date(e.Date.Year(), e.Date.Month(), 1, 0, 0, 0, 0, e.Date.Location())
		if n := len(months); n == 0 || !months[n-1].Date.Equal(first) {
			months = append(months, &Month{Date: first})
		}
		m := months[len(months)-1]
		m.Editions = append(m.Editions, e)
	}
	return months
}

// linkInTopic sets each article's older and newer neighbours in its topic.
func linkInTopic(topics []*Term) {
	for _, t := range topics {
		for i, a := range t.Articles {
			if i > 0 {
				a.Newer = t.Articles[i-1]
			}
			if i+1 < len(t.Articles) {
				a.Older = t.Articles[i+1]
			}
		}
	}
}

// paginate splits articles into pages of perPage: the first at base, the
// others at base/page/N/.
func paginate(base string, articles []*Article, perPage int) []*Pager {
	total := max(1, (len(articles)+perPage-1)/perPage)
	pagers := make([]*Pager, total)
	for i := range pagers {
		p := &Pager{Number: i + 1, Total: total, URL: base}
		if i > 0 {
			p.URL = fmt.Sprintf("%spage/%d/", base, i+1)
		}
		p.Articles = articles[i*perPage : min(len(articles), (i+1)*perPage)]
		pagers[i] = p
	}
	for i, p := range pagers {
		p.First = pagers[0]
		if i > 0 {
			p.Prev = pagers[i-1]
		}
		if i+1 < total {
			p.Next = pagers[i+1]
		}
	}
	return pagers
}

// Latest returns the newest articles for the "Latest stories" list.
func (s *Site) Latest() []*Article {
	return s.Articles[:min(len(s.Articles), s.Config.Latest)]
}

// Page returns the page at a site-relative URL, or nil.
func (s *Site) Page(url string) *Page { return s.byURL[url] }

// pageFile names the file behind a page, for errors: the article's, or
// site.toml for pages made from its settings.
func pageFile(p *Page) string {
	if p.Article != nil {
		return p.Article.File
	}
	return "site.toml"
}

// ArticleOf returns the published article read from file, or nil.
func (s *Site) ArticleOf(file string) *Article { return s.byFile[file] }

// PagesShowing lists the HTML pages that show the article: its own page,
// its edition's, the home page while it is in the home edition or the
// latest stories, the email of its edition, and the pages of its topic
// and tags that list it.
func (s *Site) PagesShowing(a *Article) []*Page {
	urls := []string{a.URL}
	if a.Edition != nil {
		urls = append(urls, a.Edition.URL, a.Edition.URL+"email.html")
	}
	if (len(s.Editions) > 0 && a.Edition == s.Editions[0]) || a.index < s.Config.Latest {
		urls = append(urls, "/")
	}
	for _, t := range append([]*Term{a.TopicTerm}, a.TagTerms...) {
		if t == nil {
			continue
		}
		for _, pg := range t.Pagers {
			if slices.Contains(pg.Articles, a) {
				urls = append(urls, pg.URL)
				break
			}
		}
	}
	var out []*Page
	for _, u := range urls {
		if p := s.byURL[u]; p != nil {
			out = append(out, p)
		}
	}
	return out
}
