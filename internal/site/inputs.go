package site

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"runtime"
	"time"

	"github.com/digest-ssg/digest/internal/parallel"
)

// Inputs writes to h what page p is made from in the model: the articles
// it shows, with their places in the site (URL, edition, topic, tags,
// lead), the neighbours, related stories, pagers, counts and lists it
// shows, and the page's own fields. With the templates and settings
// hashed beside it (the caller's part), two pages with the same inputs
// are the same bytes, so a build may keep a page it made before instead
// of rendering it again (see package pipeline's page records).
//
// Articles are known by content.Article.Fingerprint; Inputs reports
// false when one it needs has none, or for a kind it does not know,
// and the page is then rendered.
//
// Inputs is generous: a page is made again when in doubt. The pages that
// list every topic, tag or edition (indexes, archive, feeds, search)
// count the shape of the whole site: every topic, tag and edition with
// its size, lead and newest article; the files of the search index
// count every article. Every page counts the topics, which the menu
// shows. A template that shows more than this (an article page listing
// its whole edition, say) needs its page kind's case here to say so.
func (s *Site) Inputs(p *Page, h hash.Hash) bool {
	w := newInputWriter(h, s)
	defer w.release()
	w.str(string(p.Kind), p.URL, p.Title, p.Description, p.Shard.Kind)
	w.num(p.Shard.N)
	w.time(p.Modified)
	w.part(s.digest(menuKey{}, s.menu))
	switch p.Kind {
	case KindArticle, KindRedirect:
		w.article(p.Article)
		w.article(p.Article.Older)
		w.article(p.Article.Newer)
		if p.Kind == KindArticle {
			w.articles(p.Article.Related())
		}
	case KindEdition, KindEmail, KindEmailText:
		w.edition(p.Edition)
		w.neighbours(p.Edition)
	case KindHome:
		w.edition(p.Edition)
		w.neighbours(p.Edition)
		w.articles(s.Latest())
	case KindTopic, KindTag:
		w.term(p.Term)
		w.pager(p.Pager)
	case KindRSS, KindAtom, KindJSONFeed, KindOPML, KindNewsSitemap:
		w.term(p.Term)
		w.articles(p.Items)
	case KindSitemap, KindSitemapIndex, KindRedirects, KindEditionsFeed:
		for _, e := range p.Entries {
			w.str(string(e.Kind), e.URL)
			w.time(e.Modified)
			if e.Article != nil {
				w.str(e.Article.URL) // a redirect's target
			}
			if p.Kind == KindEditionsFeed {
				w.edition(e.Edition)
			}
		}
	case KindTopicIndex, KindTagIndex, KindArchive, KindFeeds, KindSearch, KindNotFound, KindRobots, KindSearchScript, KindFavicon:
		w.part(s.digest(shapeKey{}, s.shape))
	case KindSearchMeta, KindSearchShard:
		w.part(s.digest(shapeKey{}, s.shape))
		w.part(s.digest(everyArticleKey{}, func(w *inputWriter) {
			s.hashArticles()
			w.articles(s.Articles)
		}))
	default:
		return false
	}
	w.flush()
	return w.ok
}

type (
	menuKey         struct{}
	shapeKey        struct{}
	everyArticleKey struct{}
)

// digest is the hash of what write writes, made once per model (see
// Memo); "" when an article had no fingerprint.
func (s *Site) digest(key any, write func(*inputWriter)) string {
	v, _ := s.Memo(key, func() (any, error) {
		w := newInputWriter(sha256.New(), s)
		defer w.release()
		write(w)
		return w.sum(), nil
	})
	return v.(string)
}

// menu writes what every page shows of the site: its topics, in order.
func (s *Site) menu(w *inputWriter) {
	w.num(len(s.Topics))
	for _, t := range s.Topics {
		w.str(t.Name, t.URL)
	}
}

// shape writes every topic, tag and edition with its size, the first
// article of each topic and the lead of each edition.
func (s *Site) shape(w *inputWriter) {
	w.num(len(s.Articles))
	for _, t := range s.Topics {
		w.term(t)
		if len(t.Articles) > 0 {
			w.article(t.Articles[0])
		}
	}
	w.num(len(s.Tags))
	for _, t := range s.Tags {
		w.term(t)
	}
	w.num(len(s.Editions))
	for _, e := range s.Editions {
		w.str(e.URL)
		w.time(e.Date)
		w.num(len(e.Articles))
		w.article(e.Lead)
	}
	w.num(len(s.Months))
	w.str(boolText(s.HasEmail()))
}

// inputWriter writes values to a hash, each with its length, so that no
// two lists of values write the same bytes. It gathers them in a buffer
// and hands the hash a few kilobytes at a time: a page's inputs are many
// short strings, each a call through hash.Hash otherwise.
type inputWriter struct {
	h    hash.Hash
	site *Site // for the digests kept in its Memo
	b    *[]byte
	ok   bool // false once an article without a fingerprint was written
}

// spillAt is how full a buffer gets before it is written to the hash.
const spillAt = 4 << 10

func newInputWriter(h hash.Hash, s *Site) *inputWriter {
	b, _ := s.inputBufs.Get().(*[]byte)
	if b == nil {
		b = new([]byte)
		*b = make([]byte, 0, 2*spillAt)
	}
	*b = (*b)[:0]
	return &inputWriter{h: h, site: s, b: b, ok: true}
}

// release gives the buffer back; the writer is not used after.
func (w *inputWriter) release() {
	w.site.inputBufs.Put(w.b)
	w.b = nil
}

// flush writes what the buffer holds to the hash.
func (w *inputWriter) flush() {
	w.h.Write(*w.b)
	*w.b = (*w.b)[:0]
}

// sum is the hash of all written, or "" when an article had no
// fingerprint.
func (w *inputWriter) sum() string {
	w.flush()
	if !w.ok {
		return ""
	}
	return string(w.h.Sum(nil))
}

func (w *inputWriter) num(n int) {
	*w.b = binary.AppendVarint(*w.b, int64(n))
}

func (w *inputWriter) str(ss ...string) {
	for _, s := range ss {
		*w.b = append(binary.AppendVarint(*w.b, int64(len(s))), s...)
	}
	if len(*w.b) >= spillAt {
		w.flush()
	}
}

// part writes a digest; "" (see Site.digest) makes the inputs unknown.
func (w *inputWriter) part(d string) {
	if d == "" {
		w.ok = false
	}
	w.str(d)
}

func (w *inputWriter) time(t time.Time) {
	w.num(int(t.Unix()))
	w.num(t.Nanosecond())
	_, off := t.Zone()
	w.num(off)
}

// article writes one article: its content's fingerprint and its place,
// hashed once per model.
func (w *inputWriter) article(a *Article) {
	if a == nil {
		w.str("-")
		return
	}
	w.part(a.inputs(w.site))
}

type articleInputsKey struct{}

// inputs is the hash of the article's content and place in s; "" when
// its content has no fingerprint.
func (a *Article) inputs(s *Site) string {
	if a.Fingerprint == "" {
		return ""
	}
	v, _ := a.Memo(articleInputsKey{}, func() (any, error) {
		w := newInputWriter(sha256.New(), s)
		defer w.release()
		w.str(a.Fingerprint, a.URL, boolText(a.Lead))
		if a.Edition != nil {
			w.str(a.Edition.URL)
		}
		if a.TopicTerm != nil {
			w.str(a.TopicTerm.Name, a.TopicTerm.URL)
		}
		w.num(len(a.TagTerms))
		for _, t := range a.TagTerms {
			w.str(t.Name, t.URL)
		}
		return w.sum(), nil
	})
	return v.(string)
}

// hashArticles works out the inputs of every article on every CPU, for
// the files of the search index, which count them all: the first pages
// a build looks at, before the others are rendered in parallel.
func (s *Site) hashArticles() {
	parallel.For(context.Background(), len(s.Articles), runtime.GOMAXPROCS(0), func(i int) {
		s.Articles[i].inputs(s)
	})
}

func (w *inputWriter) articles(list []*Article) {
	w.num(len(list))
	for _, a := range list {
		w.article(a)
	}
}

type editionInputsKey struct{ e *Edition }

// edition writes an edition: its day, its articles and how its page
// groups them, hashed once per model.
func (w *inputWriter) edition(e *Edition) {
	if e == nil {
		w.str("-")
		return
	}
	w.part(w.site.digest(editionInputsKey{e}, func(w *inputWriter) {
		w.str(e.URL)
		w.time(e.Date)
		w.article(e.Lead)
		w.articles(e.Articles)
		w.num(len(e.Sections))
		for _, sec := range e.Sections {
			w.str(sec.Topic.URL)
			w.articles(sec.Articles)
		}
	}))
}

// neighbours writes the days of the editions before and after e, which
// its page links to.
func (w *inputWriter) neighbours(e *Edition) {
	if e == nil {
		return
	}
	for _, n := range []*Edition{e.Older, e.Newer} {
		if n == nil {
			w.str("-")
			continue
		}
		w.str(n.URL)
		w.time(n.Date)
	}
}

func (w *inputWriter) term(t *Term) {
	if t == nil {
		w.str("-")
		return
	}
	w.str(t.Kind, t.Name, t.Slug, t.URL)
	w.num(len(t.Articles))
	w.num(len(t.Pagers))
}

func (w *inputWriter) pager(p *Pager) {
	if p == nil {
		w.str("-")
		return
	}
	w.num(p.Number)
	w.num(p.Total)
	w.str(p.URL)
	for _, q := range []*Pager{p.Prev, p.Next, p.First} {
		if q != nil {
			w.str(q.URL)
		} else {
			w.str("-")
		}
	}
	w.articles(p.Articles)
}

func boolText(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
