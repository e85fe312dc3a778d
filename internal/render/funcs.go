package render

import (
	"fmt"
	"html/template"
	"io/fs"
	"strings"
	"time"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/site"
)

// funcs returns the template functions for a site whose files (templates
// and static/) are fsys.
func funcs(cfg *config.Config, fsys fs.FS, ts *templateSet) template.FuncMap {
	base := cfg.BasePath()
	return template.FuncMap{
		"emailImage":      func(a *site.Article) *EmailImage { return emailImage(fsys, cfg, a) },
		"outlookOnly":     outlookOnly,
		"unsubscribeHref": func() template.HTMLAttr { return unsubscribeHref(cfg) },
		"relURL":          func(u string) string { return joinURL(base, u) },
		"absURL":          func(u string) string { return joinURL(cfg.BaseURL, u) },
		"date": func(layout string, t time.Time) string {
			return t.Format(layout)
		},
		"isoTime":       func(t time.Time) string { return t.Format(time.RFC3339) },
		"plural":        Plural,
		"join":          func(sep string, items []string) string { return strings.Join(items, sep) },
		"authorURL":     cfg.AuthorURL,
		"jsonLD":        jsonLD,
		"cached":        ts.fragments.cached,
		"cachedArticle": ts.cachedArticle,
		"cachedTerm":    ts.cachedTerm,
		"navKey":        navKey,
		"feedKey":       feedKey,
		"webSearch":     func() string { return webSearch(cfg) },
	}
}

// joinURL puts a site-relative URL under base. URLs with a scheme are
// returned unchanged.
func joinURL(base, u string) string {
	if strings.Contains(u, "://") || strings.HasPrefix(u, "//") {
		return u
	}
	return strings.TrimSuffix(base, "/") + "/" + strings.TrimPrefix(u, "/")
}

// navKey names the menu item of the page's section: "/" on the home page,
// "/archive/" on the archive, the topic's URL on its pages, else "".
func navKey(p *site.Page) string {
	switch {
	case p.URL == "/" || p.URL == "/archive/":
		return p.URL
	case p.Term != nil && p.Term.Kind == "topic":
		return p.Term.URL
	}
	return ""
}

// feedKey names the set of feeds a page links to: its topic's URL on topic
// pages and articles, else "".
func feedKey(p *site.Page) string {
	switch {
	case p.Article != nil && p.Article.TopicTerm != nil:
		return p.Article.TopicTerm.URL
	case p.Term != nil && p.Term.Kind == "topic":
		return p.Term.URL
	}
	return ""
}

// Plural writes a count with the noun that fits it: "1 story", "3 stories".
func Plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
