package site

import (
	"slices"

	"github.com/digest-ssg/digest/internal/content"
)

// SamePlace reports whether a new version of an article leaves its place
// in the site as it was: the same URL, topic, tags, day and order, and the
// same publishing decisions. Its headline, summary, body, byline, source,
// image and correction time may differ.
func SamePlace(old, next *content.Article) bool {
	return old.File == next.File && old.Slug == next.Slug && old.Date.Equal(next.Date) &&
		old.Topic == next.Topic && slices.Equal(old.Tags, next.Tags) &&
		old.Draft == next.Draft && old.Featured == next.Featured && old.Expires.Equal(next.Expires)
}

// Retarget puts a new version of a published article in place of the old
// one without rebuilding the model, when SamePlace allows it, and brings
// the pages' titles, descriptions and modification times up to date. It
// reports whether it did. The model must not be read meanwhile: the dev
// server holds its renders off while it calls this.
func (s *Site) Retarget(next *content.Article) bool {
	a := s.byFile[next.File]
	if a == nil || !SamePlace(a.Article, next) {
		return false
	}
	a.Article = next
	a.adopt()
	for _, p := range s.Pages {
		s.describe(p)
	}
	return true
}

// describe sets what a page says about itself that comes from its
// articles: title and description of article and edition pages, and the
// time of the newest change it shows.
func (s *Site) describe(p *Page) {
	switch {
	case p.Kind == KindArticle:
		p.Title, p.Description = p.Article.Title, p.Article.Summary
	case p.Kind == KindEdition:
		day := p.Edition.Date.Format("Monday 2 January 2006")
		p.Title, p.Description = day, editionDescription(p.Edition, day)
	}
	switch {
	case p.Kind.IsHTML() || p.Kind == KindRSS || p.Kind == KindAtom || p.Kind == KindJSONFeed || p.Kind == KindOPML:
		p.Modified = s.modified(p)
	case p.Kind == KindSitemap && len(p.Entries) > 0 && p.URL != "/sitemap.xml":
		p.Modified = newest(p.Entries)
	}
}
