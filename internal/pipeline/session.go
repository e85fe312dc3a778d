package pipeline

import (
	"errors"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/overlay"
	"github.com/digest-ssg/digest/internal/render"
	"github.com/digest-ssg/digest/internal/site"
	"github.com/digest-ssg/digest/internal/watch"
)

// Session keeps a site loaded between changes, for the dev server: a
// changed article is parsed again alone, a changed template makes the
// templates parsed again, and site.toml makes everything load again. The
// model, cheap next to parsing, is rebuilt each time, so no page can show
// stale data.
type Session struct {
	fsys, theme fs.FS
	opt         Options
	cfg         *config.Config
	cfgErrs     diag.List
	listErrs    diag.List // from listing content/: names it cannot read
	parser      *content.Parser
	articles    map[string]parsed // by content path
	order       []string          // the keys of articles, sorted; nil when they changed
	last        *Loaded           // the last site built, without errors
	renderer    *render.Renderer
	renderErrs  diag.List
	loaded      bool
}

type parsed struct {
	article *content.Article
	errs    diag.List
}

// NewSession prepares a session over the site in fsys. Nothing is read
// until the first Load.
func NewSession(fsys, theme fs.FS, opt Options) *Session {
	return &Session{fsys: fsys, theme: theme, opt: opt}
}

// Config is the configuration last loaded: a best effort when site.toml
// has errors (see config.Load); nil before the first Load.
func (s *Session) Config() *config.Config { return s.cfg }

// Load brings the site up to date with a batch of changes; the first call
// loads everything. It returns the site, or every problem found.
func (s *Session) Load(b watch.Batch) (*Loaded, diag.List) {
	if !s.loaded || b.Config || s.cfg == nil {
		s.loaded = true
		s.loadConfig()
		if s.cfg == nil {
			return nil, s.cfgErrs
		}
		s.loadAllContent()
		s.loadTemplates()
	} else {
		if b.Templates || s.renderer == nil {
			s.loadTemplates()
		}
		if l := s.patch(b); l != nil {
			return l, l.Warnings
		}
		s.loadContent(b)
	}
	l, errs := s.model()
	s.last = l
	return l, errs
}

// patch handles the most common edit without rebuilding the model: only
// existing articles changed, and each keeps its place in the site (see
// site.SamePlace). It returns the last site with the new versions as
// Patches, for the server to put in place, or nil when the model must be
// rebuilt.
func (s *Session) patch(b watch.Batch) *Loaded {
	if s.last == nil || b.Config || b.Templates || b.Rescan || len(b.Content) == 0 {
		return nil
	}
	type change struct {
		file string
		prev parsed
		next parsed
	}
	var changes []change
	for _, f := range b.Content {
		prev, ok := s.articles[f]
		if !ok || prev.article == nil || prev.errs.Err() != nil {
			return nil
		}
		info, err := fs.Lstat(s.fsys, f)
		if err != nil || !info.Mode().IsRegular() {
			return nil
		}
		a, errs := s.parser.ParseFile(s.fsys, f)
		if a == nil || errs.Err() != nil || !site.SamePlace(prev.article, a) {
			return nil
		}
		changes = append(changes, change{f, prev, parsed{article: a, errs: errs}})
	}
	l := *s.last
	l.Patches = nil
	var warnings diag.List
	for _, c := range changes {
		s.articles[c.file] = c.next
		l.Patches = append(l.Patches, c.next.article)
	}
	for _, f := range s.order {
		warnings.Append(s.articles[f].errs.Warnings())
	}
	l.Warnings = warnings
	return &l
}

func (s *Session) loadConfig() {
	s.cfg, s.cfgErrs = config.Load(s.fsys)
	if s.cfg != nil && s.opt.BaseURL != "" {
		if err := s.cfg.SetBaseURL(s.opt.BaseURL); err != nil {
			s.cfgErrs = diag.List{diag.Errorf(diag.Pos{File: "--base-url"}, "%v", err)}
			s.cfg = nil
		}
	}
	if s.cfg != nil {
		s.parser = content.NewParser(s.cfg)
	}
}

func (s *Session) loadTemplates() {
	s.renderer, s.renderErrs = render.New(overlay.FS{Top: s.fsys, Bottom: s.theme}, s.cfg)
}

func (s *Session) loadAllContent() {
	files, errs := content.List(s.fsys)
	s.listErrs = errs
	s.articles = make(map[string]parsed, len(files))
	s.order = nil
	for _, r := range s.parser.ParseAll(s.fsys, files) {
		s.articles[r.File] = parsed{article: r.Article, errs: r.Errs}
	}
}

// loadContent parses again the changed articles, and with Rescan, finds
// articles that appeared or went away. A name that is not UTF-8, which
// cannot be opened, is left to the listing, which reports it.
func (s *Session) loadContent(b watch.Batch) {
	if b.Rescan || slices.ContainsFunc(b.Content, func(f string) bool { return !utf8.ValidString(f) }) {
		files, errs := content.List(s.fsys)
		s.listErrs = errs
		present := make(map[string]bool, len(files))
		for _, f := range files {
			present[f] = true
			if _, known := s.articles[f]; !known || touched(f, b.Content) {
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
	for _, f := range b.Content {
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
	s.articles[f] = parsed{errs: diag.List{diag.Errorf(diag.Pos{File: f}, "cannot read: %v", err)}}
	s.order = nil
}

// model builds the site from what is loaded.
func (s *Session) model() (*Loaded, diag.List) {
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
	now := s.opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	m, problems := site.Build(s.cfg, articles, site.Options{Now: now, Drafts: s.opt.Drafts, Future: s.opt.Future, Expired: s.opt.Expired})
	errs.Append(problems)
	errs.Append(s.renderErrs)
	errs.Sort()
	if errs.Err() != nil {
		return nil, errs
	}
	return &Loaded{Config: s.cfg, Site: m, Renderer: s.renderer, Source: s.fsys, Files: overlay.FS{Top: s.fsys, Bottom: s.theme}, Warnings: errs.Warnings()}, errs
}
