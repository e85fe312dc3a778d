package site

import (
	"context"
	"runtime"

	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/parallel"
)

// Retarget puts a new version of a published article in place of the old
// one without rebuilding the model, when content.SamePlace allows it and
// every kind of page the site has is Patchable (see KindInfo), and brings
// the pages' titles, descriptions and modification times up to date. It
// reports whether it did. The model must not be read meanwhile: the dev
// server holds its renders off while it calls this.
func (s *Site) Retarget(next *content.Article) bool {
	a := s.byFile[next.File]
	if a == nil || !s.patchable || !content.SamePlace(a.Article, next) {
		return false
	}
	old := a.Article
	a.Article = next
	a.adopt()
	s.values.mu.Lock()
	for key, v := range s.values.items { // made from the article's old version
		if f, ok := v.(Follower); !ok || !f.Follow(a, old) {
			delete(s.values.items, key)
		}
	}
	s.values.mu.Unlock()
	s.describeAll(s.Pages)
	return true
}

// A Follower is a value kept by Site.Memo that can follow a new version
// of an article put in place by Retarget, at less cost than being made
// again (the search index edits the article's terms alone).
type Follower interface {
	// Follow is told that a now holds a new version of its article, and
	// old is the version it held; it reports whether the value is kept
	// (false: it is dropped, and made again when next asked for). It is
	// called with the model not being read, and must be quick: it may
	// leave the work for when the value is next asked for.
	Follow(a *Article, old *content.Article) bool
}

// describeAll describes pages (see describe), on every CPU: a page per
// article, and the dev server does it again on every edit. The pages
// that list others (sitemaps, the editions feed) take their time from
// those, so they come after, in their order.
func (s *Site) describeAll(pages []*Page) {
	s.lastChange = newestArticle(s.Articles)
	parallel.For(context.Background(), len(pages), runtime.GOMAXPROCS(0), func(i int) {
		if pages[i].Kind.Info().Modified != ModifiedListed {
			s.describe(pages[i])
		}
	})
	for _, p := range pages {
		if p.Kind.Info().Modified == ModifiedListed {
			s.describe(p)
		}
	}
}

// describe sets what a page says about itself that comes from its
// articles: title and description of article and edition pages, the
// home page's description when site.toml has none (every page has one),
// and the time of the newest change it shows.
func (s *Site) describe(p *Page) {
	switch {
	case p.Kind == KindHome:
		p.Description = s.homeDescription(p.Edition)
	case p.Kind == KindArticle:
		a := p.Article
		p.Title, p.Description = a.Title, a.Summary
		if p.Description == "" {
			p.Description = s.Config.Lang.Text("article_description", "title", a.Title, "date", s.Config.Lang.Date(a.Date), "site", s.Config.Title)
		}
	case p.Kind == KindRedirect:
		p.Title = p.Article.Title
	case p.Kind == KindEdition || p.Kind == KindEmail || p.Kind == KindEmailText:
		p.Title, p.Description = s.Config.Lang.Day(p.Edition.Date), editionDescription(s.Config.Lang, p.Edition)
	}
	switch p.Kind.Info().Modified {
	case ModifiedShown:
		p.Modified = s.modified(p)
	case ModifiedListed:
		p.Modified = newest(p.Entries)
	}
}
