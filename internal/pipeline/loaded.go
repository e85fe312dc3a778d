package pipeline

import (
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/digest-ssg/digest/internal/buildcache"
	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/minify"
	"github.com/digest-ssg/digest/internal/render"
	"github.com/digest-ssg/digest/internal/site"
)

// Loaded is a site read and modelled, ready to render. For the dev server
// it is one version of the site: it looks pages up, renders each once,
// and opens static files, never writing anything.
type Loaded struct {
	Config   *config.Config
	Site     *site.Site
	Renderer *render.Renderer
	Source   fs.FS // the site's own files
	Files    fs.FS // the site's files over the theme's
	Minifier *minify.Minifier
	Warnings diag.List
	// Patches are the new versions of articles that the session put into
	// the model of the version before (see Session), if it did.
	Patches []*content.Article

	copies []copied      // the files of static/ and of bundles, by output path
	model  *sync.RWMutex // the session's: held while the model is patched
	pages  *sync.Map     // URL → []byte, each page rendered once
	cache  *buildcache.Cache
	log    *buildcache.Log
	parser *content.Parser // the session's, which reads the cache
	// pagesKey: what every page is made from besides the model (see
	// pages.go); set with cache.
	pagesKey buildcache.Key
	// ownTemplates: the site has templates of its own, whose pages are
	// all rendered in every build (see Session.ownTemplates).
	ownTemplates bool
}

// again returns a copy of l with no pages rendered yet: a new version of
// the site over the same model.
func (l *Loaded) again() *Loaded {
	next := *l
	next.Patches, next.pages = nil, new(sync.Map)
	return &next
}

// Page returns the page at a site-relative URL, or nil.
func (l *Loaded) Page(url string) *site.Page { return l.Site.Page(url) }

// BasePath is base_url's path, e.g. / or /news/.
func (l *Loaded) BasePath() string { return l.Config.BasePath() }

// Render returns the page, rendered on the first call and kept. Safe for
// concurrent use, also while the session puts articles in place.
func (l *Loaded) Render(p *site.Page) ([]byte, error) {
	if b, ok := l.pages.Load(p.URL); ok {
		return b.([]byte), nil
	}
	l.model.RLock()
	b, err := l.Renderer.Render(p)
	l.model.RUnlock()
	if err != nil {
		return nil, err
	}
	l.pages.Store(p.URL, b)
	return b, nil
}

// verify renders the pages that show the articles read from files, and
// with everyKind a page of every kind made from a template too, so that
// a template that fails on execution keeps the last good site in the dev
// server as one that fails to parse does. The pages are kept for Render.
// The caller holds the model lock, or is the only one to know l.
//
// After an edit put in place (Session.patch) the templates and every
// other article are as they were in a version whose pages rendered, so
// only the pages that show the edited articles are rendered; after any
// other change, a page of every kind as well.
func (l *Loaded) verify(files []string, everyKind bool) *diag.Error {
	var pages []*site.Page
	if everyKind {
		seen := map[site.Kind]bool{}
		for _, p := range l.Site.Pages {
			if p.Kind.IsHTML() && !seen[p.Kind] {
				seen[p.Kind] = true
				pages = append(pages, p)
			}
		}
	}
	for _, f := range files {
		if a := l.Site.ArticleOf(f); a != nil {
			pages = append(pages, l.Site.PagesShowing(a)...)
		}
	}
	for _, p := range pages {
		if _, done := l.pages.Load(p.URL); done {
			continue
		}
		b, err := l.Renderer.Render(p)
		if err != nil {
			return asDiag(err, p)
		}
		l.pages.Store(p.URL, b)
	}
	return nil
}

// asDiag makes err a diag.Error; one without a position names the page.
func asDiag(err error, p *site.Page) *diag.Error {
	if d, ok := err.(*diag.Error); ok {
		return d
	}
	return diag.Errorf(diag.Pos{File: "templates"}, "%s: %v", p.URL, err)
}

// OpenFile opens a file published as it is, by its slash path in the
// output: a file of static/ (the site's over the theme's) or of an
// article's bundle, as the build copies them: no hidden files or editors'
// leftovers, nothing through a symbolic link (which could lead outside the
// site), only regular files. Any other name is fs.ErrNotExist.
func (l *Loaded) OpenFile(name string) (fs.File, error) {
	i, found := slices.BinarySearchFunc(l.copies, name, func(c copied, name string) int { return strings.Compare(c.out, name) })
	if !found {
		return nil, fs.ErrNotExist
	}
	// Listed when the site was loaded; the file, or a folder on its path,
	// may have been replaced by a link since.
	src := l.copies[i].src
	for p := src; p != "." && p != "/"; p = path.Dir(p) {
		if info, err := fs.Lstat(l.Files, p); err != nil || info.Mode()&fs.ModeSymlink != 0 {
			return nil, fs.ErrNotExist
		}
	}
	f, err := l.Files.Open(src)
	if err != nil {
		return nil, fs.ErrNotExist
	}
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		f.Close()
		return nil, fs.ErrNotExist
	}
	return f, nil
}
