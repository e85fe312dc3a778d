package render

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/search"
	"github.com/digest-ssg/digest/internal/site"
)

// searchKey is the site.Memo key of the search index.
type searchKey struct{}

// searchIndex returns the site's search index, made once per version of
// the site however many of its files are rendered, and kept up to date
// with the edits the dev server puts in place (see liveIndex).
func searchIndex(s *site.Site) (*search.Index, error) {
	v, err := s.Memo(searchKey{}, func() (any, error) {
		opt := searchOptions(s)
		opt.Editable = true // the dev server's: the build's is made by BuildSearchIndex
		ix := search.Build(searchDocs(s, false), opt)
		if err := ix.Err(); err != nil {
			return nil, err
		}
		return &liveIndex{site: s, ix: ix, editable: true}, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*liveIndex).current(), nil
}

// BuildSearchIndex makes the site's search index now, if the site has
// one, rather than when the first of its files is rendered, and lets the
// published articles' plain text go as it indexes them: the build calls
// it before rendering, as nothing else reads the text (see
// pipeline.Run). The dev server, which indexes the site again after
// edits, never calls it.
//
// With editable, the index is made so that it can be edited and written
// as a snapshot (see search.Index.WriteSnapshot), which costs a little more.
func BuildSearchIndex(s *site.Site, editable bool) error {
	if !s.Config.Search.Enabled {
		return nil
	}
	_, err := s.Memo(searchKey{}, func() (any, error) {
		opt := searchOptions(s)
		opt.Editable = editable
		ix := search.Build(searchDocs(s, true), opt)
		if err := ix.Err(); err != nil {
			return nil, err
		}
		return &liveIndex{site: s, ix: ix}, nil
	})
	return err
}

// UseSearchIndex makes ix the site's search index: one made for an
// earlier version of the site (a snapshot) and edited to this one, whose
// files are rendered from it.
func UseSearchIndex(s *site.Site, ix *search.Index) {
	s.Memo(searchKey{}, func() (any, error) { return &liveIndex{site: s, ix: ix}, nil })
}

// SearchIndexOf is the site's search index, if it was made, else nil.
func SearchIndexOf(s *site.Site) *search.Index {
	v, err := s.Memo(searchKey{}, func() (any, error) { return nil, errNotMade })
	if err != nil {
		return nil
	}
	return v.(*liveIndex).current()
}

var errNotMade = errors.New("not made")

// SearchOptions are the options the site's search index is made with.
func SearchOptions(s *site.Site) search.Options { return searchOptions(s) }

// SearchDoc is version c of the published article a as the index sees
// it, in the topic of that number.
func SearchDoc(a *site.Article, c *content.Article, topic int) search.Doc {
	return searchDoc(a, c, topic)
}

// ForgetSearchIndex lets the site's search index go: the build calls it
// once the index's files are written. A file of the index asked for
// afterwards would index the site again, from the text left.
func ForgetSearchIndex(s *site.Site) { s.Forget(searchKey{}) }

// liveIndex is the search index as the site's memo keeps it. The dev
// server's (editable) follows the edits put in place without a new
// model (site.Site.Retarget): each is noted, and put into the index
// (search.Index.Edit: the article's terms alone) when a file of the
// index is next asked for, so the first search after an edit costs
// milliseconds, not a new index.
type liveIndex struct {
	site     *site.Site
	editable bool
	mu       sync.Mutex
	ix       *search.Index
	pending  []searchEdit
}

// searchEdit is an edit not yet put into the index: doc's version old
// replaced by next.
type searchEdit struct {
	doc       int
	old, next search.Doc
}

// Follow notes a new version of an article (see site.Follower).
func (l *liveIndex) Follow(a *site.Article, old *content.Article) bool {
	if !l.editable {
		return false
	}
	s := l.site
	i := slices.Index(s.Articles, a)
	topic := slices.Index(s.Topics, a.TopicTerm)
	if i < 0 || topic < 0 {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pending = append(l.pending, searchEdit{
		doc: len(s.Articles) - 1 - i,
		old: searchDoc(a, old, topic), next: searchDoc(a, a.Article, topic),
	})
	return true
}

// current puts the pending edits into the index, and returns it. An
// edit whose earlier text could not be read (its cache entry damaged, and
// the file changed since) would leave that text's words in the index:
// the index is then made anew from the site as it is.
func (l *liveIndex) current() *search.Index {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.pending {
		l.ix.Edit(e.doc, e.old, e.next)
	}
	if len(l.pending) > 0 && l.ix.Err() != nil {
		opt := searchOptions(l.site)
		opt.Editable = l.editable
		l.ix = search.Build(searchDocs(l.site, false), opt)
	}
	l.pending = nil
	return l.ix
}

// searchDocs lists the published articles for the index, oldest first.
// Each doc reads its article's text when it is indexed; with forget, the
// article lets it go then.
func searchDocs(s *site.Site, forget bool) []search.Doc {
	topic := make(map[*site.Term]int, len(s.Topics))
	for i, t := range s.Topics {
		topic[t] = i
	}
	docs := make([]search.Doc, len(s.Articles))
	for i, a := range s.Articles {
		docs[len(docs)-1-i] = searchDoc(a, a.Article, topic[a.TopicTerm])
		if forget {
			c := a.Article
			docs[len(docs)-1-i].WithText = func(use func(string)) error {
				err := c.WithPlainText(use)
				c.ForgetText()
				return err
			}
		}
	}
	return docs
}

// searchDoc is version c of article a as the index sees it.
func searchDoc(a *site.Article, c *content.Article, topic int) search.Doc {
	meta := append(append(append([]string(nil), c.Tags...), c.Authors...), c.Source)
	return search.Doc{
		URL: a.URL, Title: c.Title, Dek: c.Summary, Meta: strings.Join(meta, " "),
		WithText: c.WithPlainText, Date: c.Date, Topic: topic,
	}
}

func searchOptions(s *site.Site) search.Options {
	names := make([]string, len(s.Topics))
	for i, t := range s.Topics {
		names[i] = t.Name
	}
	return search.Options{Language: s.Config.Language, Topics: names}
}

// renderSearchMeta makes /search/index.json, which needs no index.
func renderSearchMeta(p *site.Page) ([]byte, error) {
	return search.MetaFor(searchDocs(p.Site, false), searchOptions(p.Site)), nil
}

// renderSearchShard makes one file of the index.
func renderSearchShard(p *site.Page) ([]byte, error) {
	ix, err := searchIndex(p.Site)
	if err != nil {
		return nil, err
	}
	return ix.Shard(p.Shard.Kind, p.Shard.N)
}

func renderSearchScript(*site.Page) ([]byte, error) { return search.Script, nil }

// webSearch is the address of a web search engine's results for the
// site's own pages ("site:" and base_url), for readers without
// JavaScript; "" when base_url names no host.
func webSearch(cfg *config.Config) string {
	if !cfg.IsAbsolute() {
		return ""
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return ""
	}
	site := strings.TrimSuffix(u.Host+u.Path, "/")
	return "https://duckduckgo.com/?q=" + url.QueryEscape("site:"+site)
}
