package render

import (
	"net/url"
	"strings"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/search"
	"github.com/digest-ssg/digest/internal/site"
)

// searchKey is the site.Memo key of the search index.
type searchKey struct{}

// searchIndex returns the site's search index, made once per version of
// the site however many of its files are rendered.
func searchIndex(s *site.Site) (*search.Index, error) {
	v, err := s.Memo(searchKey{}, func() (any, error) {
		return search.Build(searchDocs(s), searchOptions(s)), nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*search.Index), nil
}

// BuildSearchIndex makes the site's search index now, if the site has
// one, rather than when the first of its files is rendered. The build
// calls it before rendering, and then lets the articles' plain text go
// (see pipeline.Run), which the index no longer needs.
func BuildSearchIndex(s *site.Site) error {
	if !s.Config.Search.Enabled {
		return nil
	}
	_, err := searchIndex(s)
	return err
}

// searchDocs lists the published articles for the index, oldest first.
func searchDocs(s *site.Site) []search.Doc {
	topic := make(map[*site.Term]int, len(s.Topics))
	for i, t := range s.Topics {
		topic[t] = i
	}
	docs := make([]search.Doc, len(s.Articles))
	for i, a := range s.Articles {
		meta := append(append(append([]string(nil), a.Tags...), a.Authors...), a.Source)
		docs[len(docs)-1-i] = search.Doc{
			URL: a.URL, Title: a.Title, Dek: a.Summary, Meta: strings.Join(meta, " "),
			Text: a.PlainText, Date: a.Date, Topic: topic[a.TopicTerm],
		}
	}
	return docs
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
	return search.MetaFor(searchDocs(p.Site), searchOptions(p.Site)), nil
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
