// Package render turns pages of the site model into HTML with html/template.
//
// Templates live in templates/: the built-in theme's, with the site's own
// files replacing them by name. Every page kind has a template of its own
// name, which fills the blocks of base.html:
//
//	home.html  edition.html  article.html  topics.html  topic.html
//	tags.html  tag.html  archive.html  404.html
//
// Every other file in templates/ (base.html, partials.html, your own) is
// shared by all pages. Each page template gets a *site.Page as "." — see
// package site for its fields — and may use these functions:
//
//	relURL "/topics/"           → "/news/topics/" (base_url's path in front)
//	absURL "/topics/"           → "https://example.com/news/topics/"
//	date "2 Jan 2006" .Date     → "27 Nov 2026" (any Go time layout)
//	isoTime .Date               → "2026-11-27T08:30:00Z" (RFC 3339, for <time datetime>)
//	plural 3 "story" "stories"  → "3 stories"
//	join ", " .Authors          → "Ann Lee, Bo Chan"
//	jsonLD .                    → the page's schema.org JSON-LD (NewsArticle, …)
//	cached "nav" $key .         → shared template "nav" rendered once per key
//	                              and version of the site; it gets a Fragment
//	                              {Key, Page} and must depend on nothing else
//	                              than Key and site-wide data
//
// Templates are parsed once; each page is executed into a buffer, so a
// failing page writes nothing.
package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/site"
)

// Dir is the templates folder, in the theme and in a site.
const Dir = "templates"

// pageKinds are the page templates every theme must provide.
var pageKinds = []site.Kind{
	site.KindHome, site.KindEdition, site.KindArticle, site.KindTopicIndex,
	site.KindTopic, site.KindTagIndex, site.KindTag, site.KindArchive, site.KindNotFound,
	site.KindFeeds,
}

// generators make the pages that are not HTML.
var generators = map[site.Kind]func(*site.Page) ([]byte, error){
	site.KindRSS:          renderRSS,
	site.KindAtom:         renderAtom,
	site.KindJSONFeed:     renderJSONFeed,
	site.KindOPML:         renderOPML,
	site.KindSitemap:      renderSitemap,
	site.KindSitemapIndex: renderSitemapIndex,
	site.KindNewsSitemap:  renderNewsSitemap,
	site.KindRobots:       renderRobots,
}

// Renderer renders pages with parsed templates.
type Renderer struct {
	pages     map[site.Kind]*template.Template
	bufs      sync.Pool
	shared    *template.Template // the shared templates, for cached fragments
	fragments fragments
}

// New parses the templates in the templates/ folder of fsys (a site's
// files over the built-in theme's).
func New(fsys fs.FS, cfg *config.Config) (*Renderer, diag.List) {
	entries, err := fs.ReadDir(fsys, Dir)
	if err != nil {
		return nil, diag.List{diag.Errorf(diag.Pos{File: Dir}, "cannot read the templates: %v", err)}
	}
	isPage := map[string]bool{}
	for _, k := range pageKinds {
		isPage[string(k)+".html"] = true
	}
	var errs diag.List
	r := &Renderer{pages: map[site.Kind]*template.Template{}}
	r.fragments.exec = executor(&r.shared)
	shared := template.New("").Funcs(funcs(cfg, &r.fragments))
	for _, e := range entries {
		if e.Type()&fs.ModeSymlink != 0 {
			errs.Add(diag.Pos{File: Dir + "/" + e.Name()}, "is a symbolic link, which digest does not follow (copy the file into templates/)")
			continue
		}
		if e.IsDir() || path.Ext(e.Name()) != ".html" || isPage[e.Name()] || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if err := parseFile(shared, fsys, e.Name()); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if shared.Lookup("base.html") == nil {
		errs.Add(diag.Pos{File: Dir + "/base.html"}, "missing: every theme needs base.html")
		return nil, errs
	}
	r.bufs.New = func() any { return new(bytes.Buffer) }
	for _, k := range pageKinds {
		t, err := shared.Clone()
		if err != nil {
			errs.Add(diag.Pos{File: Dir}, "%v", err)
			continue
		}
		if err := parseFile(t, fsys, string(k)+".html"); err != nil {
			errs = append(errs, err)
			continue
		}
		r.pages[k] = t
	}
	if len(errs) > 0 {
		return nil, errs
	}
	r.shared = r.pages[site.KindHome]
	return r, nil
}

// parseFile adds one file to t under its base name.
func parseFile(t *template.Template, fsys fs.FS, name string) *diag.Error {
	file := Dir + "/" + name
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return diag.Errorf(diag.Pos{File: file}, "missing: the theme needs this template")
		}
		return diag.Errorf(diag.Pos{File: file}, "cannot read: %v", err)
	}
	if _, err := t.New(name).Parse(string(src)); err != nil {
		return templateError(err)
	}
	return nil
}

// Render executes the page's template and returns the HTML.
func (r *Renderer) Render(p *site.Page) ([]byte, error) {
	if gen := generators[p.Kind]; gen != nil {
		return gen(p)
	}
	t := r.pages[p.Kind]
	if t == nil {
		return nil, fmt.Errorf("no template for page kind %q", p.Kind)
	}
	buf := r.bufs.Get().(*bytes.Buffer)
	defer r.bufs.Put(buf)
	buf.Reset()
	if err := t.ExecuteTemplate(buf, "base.html", p); err != nil {
		return nil, templateError(err)
	}
	return bytes.Clone(buf.Bytes()), nil
}

// templateMsg matches html/template's "template: name:line:col: message".
var templateMsg = regexp.MustCompile(`^(?:html/)?template: ([^:]+):(\d+):(?:(\d+):)? ?(.*)$`)

// templateError turns an html/template error into file:line:col form.
func templateError(err error) *diag.Error {
	var te *template.Error
	if errors.As(err, &te) && te.Name != "" && te.Line > 0 {
		return diag.Errorf(diag.Pos{File: Dir + "/" + te.Name, Line: te.Line}, "%s", te.Description)
	}
	msg := err.Error()
	if m := templateMsg.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		return diag.Errorf(diag.Pos{File: Dir + "/" + m[1], Line: line, Col: col}, "%s", m[4])
	}
	return diag.Errorf(diag.Pos{File: Dir}, "%s", strings.TrimPrefix(msg, "template: "))
}
