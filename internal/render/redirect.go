package render

import (
	"bytes"
	"html/template"
	"net/url"
	"strings"

	"github.com/digest-ssg/digest/internal/site"
)

// redirectPage is the page at an old address of an article: any static
// host serves it, browsers follow the refresh at once, and search engines
// take the canonical link as the page's new address.
var redirectPage = template.Must(template.New("redirect").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title><link rel="canonical" href="{{.To}}"><meta name="robots" content="noindex"><meta http-equiv="refresh" content="0; url={{.To}}"></head>
<body><p>This story has moved: <a href="{{.To}}">{{.Title}}</a></p></body></html>
`))

// renderRedirect makes the page at an alias of an article.
func renderRedirect(p *site.Page) ([]byte, error) {
	cfg := p.Site.Config
	var b bytes.Buffer
	err := redirectPage.Execute(&b, struct{ Lang, Title, To string }{
		cfg.Language, p.Article.Title, links{cfg.BaseURL}.abs(p.Article.URL),
	})
	return b.Bytes(), err
}

// renderRedirects makes _redirects, which Netlify and Cloudflare Pages
// read: one permanent redirect a line, "old new 301", paths with the
// site's base path.
func renderRedirects(p *site.Page) ([]byte, error) {
	base := strings.TrimSuffix(p.Site.Config.BasePath(), "/")
	var b strings.Builder
	b.WriteString("# Old addresses of articles (their aliases), written by digest build.\n")
	for _, e := range p.Entries {
		b.WriteString(escapePath(base+e.URL) + " " + escapePath(base+e.Article.URL) + " 301\n")
	}
	return []byte(b.String()), nil
}

// escapePath percent-encodes what a path may not hold as it is (spaces,
// among others), so that each line of _redirects has three fields.
func escapePath(p string) string { return (&url.URL{Path: p}).EscapedPath() }
