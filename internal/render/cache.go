package render

import (
	"bytes"
	"fmt"
	"html/template"
	"sync"

	"github.com/digest-ssg/digest/internal/site"
)

// fragments caches the output of shared templates that are the same on
// many pages (the menu, the feed links), so a 10,000-page build renders
// each once per variant instead of once per page. The cache holds the
// fragments of one version of the site only: a new model starts it afresh,
// so nothing stale is ever served.
type fragments struct {
	mu    sync.Mutex
	site  *site.Site
	items map[string]template.HTML
	exec  func(name string, data any) (template.HTML, error)
}

// Fragment is what a cached template receives as ".".
type Fragment struct {
	Key  string     // what makes this variant different, e.g. the current topic's URL
	Page *site.Page // the first page it was rendered for: use only what Key and the site decide
}

// cached returns template name rendered for page, once per site and key.
// The template must depend on nothing but the key and site-wide data.
func (f *fragments) cached(name, key string, p *site.Page) (template.HTML, error) {
	id := name + "\x00" + key
	f.mu.Lock()
	if f.site != p.Site {
		f.site, f.items = p.Site, map[string]template.HTML{}
	}
	if out, ok := f.items[id]; ok {
		f.mu.Unlock()
		return out, nil
	}
	f.mu.Unlock()
	out, err := f.exec(name, Fragment{Key: key, Page: p})
	if err != nil {
		return "", err
	}
	f.mu.Lock()
	if f.site == p.Site {
		f.items[id] = out
	}
	f.mu.Unlock()
	return out, nil
}

// executor runs a shared template of the set t into HTML.
func executor(t **template.Template) func(name string, data any) (template.HTML, error) {
	return func(name string, data any) (template.HTML, error) {
		var b bytes.Buffer
		if *t == nil {
			return "", fmt.Errorf("cached %q: templates not ready", name)
		}
		if err := (*t).ExecuteTemplate(&b, name, data); err != nil {
			return "", err
		}
		return template.HTML(b.String()), nil
	}
}

// memoKey is the Memo key of a shared template of one template set.
type memoKey struct {
	set  *templateSet
	name string
}

// cachedArticle returns the shared template name rendered for a, once per
// version of the article: list items such as the theme's cards, which go
// into the article's day, topic and tag pages alike. The template must
// depend on nothing but the article and site-wide data.
func (ts *templateSet) cachedArticle(name string, a *site.Article) (template.HTML, error) {
	return ts.memoized(a, name, func() any { return a })
}

// cachedTerm returns the shared template name rendered for t, once per
// model: links to a topic or tag, which many pages show. The template gets
// a TermLink, so it cannot depend on the term's articles, which change
// when the dev server puts a new version of one in place.
func (ts *templateSet) cachedTerm(name string, t *site.Term) (template.HTML, error) {
	if t == nil {
		return "", fmt.Errorf("cachedTerm %q: no topic or tag to link to (when there may be none, call it inside {{with .TopicTerm}})", name)
	}
	return ts.memoized(t, name, func() any { return TermLink{Kind: t.Kind, Name: t.Name, Slug: t.Slug, URL: t.URL} })
}

// TermLink is what a template rendered by cachedTerm receives as ".":
// what a link to a topic or tag needs, and nothing that can change while
// the term stays.
type TermLink struct {
	Kind string // "topic" or "tag"
	Name string
	Slug string
	URL  string // site-relative, e.g. /topics/world/
}

// memoizer keeps values made once, by key: a *site.Article or a
// *site.Term.
type memoizer interface {
	Memo(key any, make func() (any, error)) (any, error)
}

// memoized renders the shared template name once for what data gives
// (called only then), keeping the result in m.
func (ts *templateSet) memoized(m memoizer, name string, data func() any) (template.HTML, error) {
	v, err := m.Memo(memoKey{ts, name}, func() (any, error) {
		var b bytes.Buffer
		if err := ts.shared.ExecuteTemplate(&b, name, data()); err != nil {
			return nil, err
		}
		return template.HTML(b.String()), nil
	})
	if err != nil {
		return "", err
	}
	return v.(template.HTML), nil
}
