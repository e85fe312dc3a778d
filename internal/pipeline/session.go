package pipeline

import (
	"bytes"
	"errors"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/digest-ssg/digest/internal/buildcache"
	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/minify"
	"github.com/digest-ssg/digest/internal/overlay"
	"github.com/digest-ssg/digest/internal/render"
	"github.com/digest-ssg/digest/internal/site"
)

// Changes says what changed in a site since the last load.
type Changes struct {
	Config    bool     // site.toml: load everything again
	Templates bool     // a template: parse the templates again
	Content   []string // content paths that changed (files or folders)
	Static    bool     // a file under static/
	// Rescan: files may have appeared or gone under content/ without a
	// change of their own (a folder moved): list content/ again.
	Rescan bool
}

// Session keeps a site loaded between changes. The one-shot build and
// check load through it once; the dev server keeps it and loads again
// after every change: a changed article is parsed again alone, a changed
// template makes the templates parsed again, and site.toml makes
// everything load again. After a change that keeps every article in its
// place (content.SamePlace), the new versions are put into the current
// model (site.Site.Retarget) under the session's lock; after any other,
// the model is built anew, so no page can show stale data.
type Session struct {
	fsys, theme fs.FS
	opt         Options
	cfg         *config.Config
	cfgErrs     diag.List
	minifier    *minify.Minifier
	parser      *content.Parser
	articles    map[string]parsed // by content path
	order       []string          // the keys of articles, sorted; nil when they changed
	last        *Loaded           // the last site loaded without errors
	renderer    *render.Renderer
	renderErrs  diag.List
	staticErrs  diag.List // and warnings, of listing static/ and bundles
	listErrs    diag.List // of listing content/: folders that cannot be read
	loaded      bool
	// recheck lists the articles whose pages must render before a new
	// version is accepted (Options.Serve): those changed since the last
	// version that was.
	recheck []string
	// model guards the models this session made against the articles it
	// puts in place: Loaded.Render holds it for reading.
	model sync.RWMutex
	cache *buildcache.Cache // of page records, or nil (see cache.go)
	log   *buildcache.Log   // of parsed articles, in cache's folder
	// program identifies digest's executable, for the cache's keys;
	// made once, when a cache is first opened.
	program    buildcache.Key
	programErr error
	programSet bool
}

type parsed struct {
	article *content.Article
	errs    diag.List
}

// NewSession prepares a session over the site in fsys, with theme under
// it. Nothing is read until the first Load.
func NewSession(fsys, theme fs.FS, opt Options) *Session {
	return &Session{fsys: fsys, theme: theme, opt: opt}
}

// Load reads the site at fsys once: configuration, articles, model,
// templates. Every problem found is returned; the result is nil if any is
// an error.
func Load(fsys, theme fs.FS, opt Options) (*Loaded, diag.List) {
	return NewSession(fsys, theme, opt).Load(Changes{})
}

// Config is the configuration last loaded: a best effort when site.toml
// has errors (see config.Load); nil before the first Load.
func (s *Session) Config() *config.Config { return s.cfg }

// Load brings the site up to date with changes; the first call loads
// everything. It returns the site, or every problem found. With
// Options.Serve, a site is returned only once one page of every kind made
// from a template has rendered; otherwise the last good site stays as it
// was.
func (s *Session) Load(ch Changes) (*Loaded, diag.List) {
	if !s.loaded || ch.Config || s.cfg == nil {
		s.loaded = true
		s.loadConfig()
		if s.cfg == nil {
			return nil, s.cfgErrs
		}
		s.loadTemplates()
		s.loadAllContent()
	} else {
		if ch.Templates || s.renderer == nil {
			s.loadTemplates()
		}
		if l := s.patch(ch); l != nil {
			return l, l.Warnings
		}
		s.loadContent(ch)
	}
	l, errs := s.build()
	if l != nil && s.opt.Serve {
		s.recheck = append(s.recheck, ch.Content...)
		if err := l.verify(s.recheck, true); err != nil {
			errs = append(errs, err)
			errs.Sort()
			return nil, errs
		}
		s.recheck = nil
	}
	if l != nil {
		s.last = l
	}
	return l, errs
}

// patch handles the most common edit without rebuilding the model: only
// existing articles changed, and each keeps its place in the site (see
// content.SamePlace). It puts the new versions into the last site's model
// and returns that site anew. It returns nil when the model must be
// rebuilt instead, and when a page of the new versions fails to render
// (the old versions are put back: the rebuild reports the error).
func (s *Session) patch(ch Changes) *Loaded {
	if s.last == nil || len(s.recheck) > 0 || ch.Config || ch.Templates || ch.Static || ch.Rescan || len(ch.Content) == 0 {
		return nil
	}
	next := make([]parsed, len(ch.Content))
	for i, f := range ch.Content {
		prev, known := s.articles[f]
		if !known || prev.article == nil || prev.errs.Err() != nil {
			return nil
		}
		a, errs := s.readArticle(f)
		if a == nil || errs.Err() != nil || !content.SamePlace(prev.article, a) {
			return nil
		}
		next[i] = parsed{article: a, errs: errs}
	}
	m := s.last.Site
	s.model.Lock()
	defer s.model.Unlock()
	var prev []*content.Article
	for _, p := range next {
		sa := m.ArticleOf(p.article.File)
		if sa == nil {
			s.retarget(m, prev) // not published: undo
			return nil
		}
		old := sa.Article
		if !m.Retarget(p.article) {
			s.retarget(m, prev) // a kind that cannot be patched: undo
			return nil
		}
		prev = append(prev, old)
	}
	l := s.last.again()
	for _, p := range next {
		l.Patches = append(l.Patches, p.article)
	}
	if s.opt.Serve && l.verify(ch.Content, false) != nil {
		s.retarget(m, prev)
		return nil
	}
	for i, f := range ch.Content {
		s.articles[f] = next[i]
	}
	l.Warnings = s.staticErrs.Warnings()
	l.Warnings.Append(s.listErrs.Warnings())
	for _, f := range s.order {
		l.Warnings.Append(s.articles[f].errs.Warnings())
	}
	l.Warnings.Sort()
	s.last = l
	return l
}

// retarget puts articles back into m, with the model lock held.
func (s *Session) retarget(m *site.Site, articles []*content.Article) {
	for _, a := range articles {
		m.Retarget(a)
	}
}

// readArticle reads and parses one file, which must be a regular file.
func (s *Session) readArticle(f string) (*content.Article, diag.List) {
	info, err := fs.Lstat(s.fsys, f)
	if err != nil || !info.Mode().IsRegular() {
		return nil, nil
	}
	return s.parser.ParseFile(s.fsys, f)
}

func (s *Session) loadConfig() {
	s.cfg, s.cfgErrs = config.Load(s.fsys)
	if s.cfg != nil && s.opt.BaseURL != "" {
		if err := s.cfg.SetBaseURL(s.opt.BaseURL); err != nil {
			s.cfgErrs = diag.List{diag.Errorf(diag.Pos{File: "--base-url"}, "%v", err)}
			s.cfg = nil
		}
	}
	if s.cfg == nil {
		return
	}
	s.minifier = minify.New(s.cfg.Minify && !s.opt.NoMinify && !s.opt.Serve)
}

// loadTemplates parses the templates, and makes the parser of articles:
// when the templates can be minified, so are the bodies, once each, as
// they are converted.
func (s *Session) loadTemplates() {
	s.renderer, s.renderErrs = render.NewMinified(s.files(), s.cfg, s.minifier)
	var popt content.ParserOptions
	if s.renderer != nil && s.renderer.Minified() {
		popt.Minify = s.minifier.HTMLTo
	}
	s.cache, popt.CacheKey = s.openCache(popt.Minify != nil)
	if s.log != nil {
		s.log.Close() // the last settings' log
		s.log = nil
	}
	if s.cache != nil {
		s.log = s.cache.OpenLog()
		popt.Cache = s.log
		popt.Settle = s.opt.Settle
	}
	s.parser = content.NewParserWith(s.cfg, popt)
}

// files are the site's files over the theme's.
func (s *Session) files() fs.FS { return overlay.FS{Top: s.fsys, Bottom: s.theme} }

// ownTemplates tells whether the site has a template of its own: one the
// theme does not have, or has with other bytes. What such a template
// shows is not known (site.Inputs knows the theme's pages), so a build
// renders every page of such a site again; a copy of the theme's own
// file changes nothing.
func (s *Session) ownTemplates() bool {
	own := false
	fs.WalkDir(s.fsys, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || own || d.IsDir() {
			return nil
		}
		mine, err1 := fs.ReadFile(s.fsys, p)
		theirs, err2 := fs.ReadFile(s.theme, p)
		own = err1 != nil || err2 != nil || !bytes.Equal(mine, theirs)
		return nil
	})
	return own
}

func (s *Session) loadAllContent() {
	if s.log != nil {
		s.log.Prefetch()
	}
	if s.cache != nil && !s.opt.Serve && s.cfg.Search.Enabled {
		s.cache.Prefetch(searchSnapshotKey) // which a build edits
	}
	results, listErrs := s.parser.ListAndParse(s.fsys)
	s.listErrs = listErrs
	s.articles = make(map[string]parsed, len(results))
	s.order = nil
	for _, r := range results {
		s.articles[r.File] = parsed{article: r.Article, errs: r.Errs}
	}
}

// loadContent parses again the changed articles, and with Rescan, finds
// articles that appeared or went away. A name that is not UTF-8, which
// cannot be opened, is left to the listing, which reports it.
func (s *Session) loadContent(ch Changes) {
	if ch.Rescan || slices.ContainsFunc(ch.Content, func(f string) bool { return !utf8.ValidString(f) }) {
		files, listErrs := content.List(s.fsys)
		s.listErrs = listErrs
		present := make(map[string]bool, len(files))
		for _, f := range files {
			present[f] = true
			if _, known := s.articles[f]; !known || touched(f, ch.Content) {
				s.parseFile(f)
			}
		}
		for f := range s.articles {
			if !present[f] {
				delete(s.articles, f)
				s.order = nil
			}
		}
		return
	}
	for _, f := range ch.Content {
		s.parseFile(f)
	}
}

// touched reports whether f is one of the changed paths or inside one.
func touched(f string, changed []string) bool {
	for _, c := range changed {
		if f == c || strings.HasPrefix(f, c+"/") {
			return true
		}
	}
	return false
}

// parseFile reads one article again; a file that is gone, or that the
// build would not read (ignored names, other extensions, symbolic links),
// is forgotten.
func (s *Session) parseFile(f string) {
	info, err := fs.Lstat(s.fsys, f)
	if err == nil && (!content.IsArticle(f) || !info.Mode().IsRegular()) {
		err = fs.ErrNotExist
	}
	if err == nil {
		a, errs := s.parser.ParseFile(s.fsys, f)
		if _, ok := s.articles[f]; !ok {
			s.order = nil
		}
		s.articles[f] = parsed{article: a, errs: errs}
		return
	}
	s.forget(f, err)
}

// forget drops a file that cannot be read as an article.
func (s *Session) forget(f string, err error) {
	if errors.Is(err, fs.ErrNotExist) {
		if _, ok := s.articles[f]; ok {
			delete(s.articles, f)
			s.order = nil
		}
		return
	}
	s.articles[f] = parsed{errs: diag.List{diag.CannotRead(f, false, err)}}
	s.order = nil
}

// build makes the model from what is loaded.
func (s *Session) build() (*Loaded, diag.List) {
	var errs diag.List
	errs.Append(s.cfgErrs)
	errs.Append(s.listErrs)
	if s.order == nil {
		s.order = slices.Sorted(maps.Keys(s.articles))
	}
	articles := make([]*content.Article, 0, len(s.order))
	for _, f := range s.order {
		p := s.articles[f]
		errs.Append(p.errs)
		if p.article != nil {
			articles = append(articles, p.article)
		}
	}
	m, problems := site.Build(s.cfg, articles, site.Options{Now: s.now(), Drafts: s.opt.Drafts, Future: s.opt.Future, Expired: s.opt.Expired})
	errs.Append(problems)
	errs.Append(s.renderErrs)
	statics, staticErrs := staticFiles(s.files())
	copies, bundleErrs := copiedFiles(s.files(), m, statics)
	s.staticErrs = append(staticErrs, bundleErrs...)
	errs.Append(s.staticErrs)
	errs.Sort()
	if errs.Err() != nil {
		return nil, errs
	}
	l := &Loaded{
		Config: s.cfg, Site: m, Renderer: s.renderer, Source: s.fsys, Files: s.files(),
		Minifier: s.minifier, Warnings: errs.Warnings(), copies: copies, model: &s.model, cache: s.cache,
		log: s.log, parser: s.parser,
	}
	if s.cache != nil && !s.opt.Serve {
		l.pagesKey = s.pagesKey()
		l.ownTemplates = s.ownTemplates()
	}
	return l.again(), errs
}

// now is the time the site is built for: Options.Now, or the clock's.
func (s *Session) now() time.Time {
	if s.opt.Now.IsZero() {
		return time.Now()
	}
	return s.opt.Now
}
