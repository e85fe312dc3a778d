// Package pipeline runs the pipeline from a site folder to its output:
//
//	config   site.toml → Config
//	content  content/**/*.md → Articles
//	site     Config + Articles → model and route table
//	render   every page → HTML, in parallel
//	publish  minify, copy static/, write to a temporary folder, swap it in
//
// A build refuses a content/ that is there but cannot be read, and one
// that would publish far fewer articles than the output's build did (see
// guard.go).
//
// Load runs the first three steps (and parses the templates) and is shared
// with the dev server; Run does all of them.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"time"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/minify"
	"github.com/digest-ssg/digest/internal/overlay"
	"github.com/digest-ssg/digest/internal/parallel"
	"github.com/digest-ssg/digest/internal/publish"
	"github.com/digest-ssg/digest/internal/render"
	"github.com/digest-ssg/digest/internal/site"
)

// Options say what to build and how.
type Options struct {
	Source                  string // the site root
	Out                     string // the output folder; "" means site.toml's output, under Source
	BaseURL                 string // overrides site.toml's base_url when set
	NoMinify                bool
	Drafts, Future, Expired bool
	Now                     time.Time // "now" for drafts and scheduling; zero means the clock
	Theme                   fs.FS     // the built-in theme
	// AllowShrink lets a build replace an output with far fewer articles
	// than the previous build published (see ShrinkError).
	AllowShrink bool
}

// Loaded is a site read and modelled, ready to render.
type Loaded struct {
	Config   *config.Config
	Site     *site.Site
	Renderer *render.Renderer
	Source   fs.FS // the site's own files
	Files    fs.FS // the site's files over the theme's
	Minifier *minify.Minifier
	Warnings diag.List
	// Patches are new versions of articles to put in place in Site (with
	// Site.Retarget) instead of a new model; only Session makes them.
	Patches []*content.Article
}

// Apply puts Patches in place in Site (see site.Site.Retarget). Nothing
// may read the model meanwhile.
func (l *Loaded) Apply() {
	for _, a := range l.Patches {
		l.Site.Retarget(a)
	}
}

// Load reads the site at fsys: configuration, articles, model, templates.
// Every problem found is returned; the result is nil if any is an error.
func Load(fsys, theme fs.FS, opt Options) (*Loaded, diag.List) {
	cfg, errs := config.Load(fsys)
	if opt.BaseURL != "" {
		if err := cfg.SetBaseURL(opt.BaseURL); err != nil {
			return nil, diag.List{diag.Errorf(diag.Pos{File: "--base-url"}, "%v", err)}
		}
	}
	files := overlay.FS{Top: fsys, Bottom: theme}
	// The templates first: when they can be minified, so are the bodies,
	// once each, as they are converted.
	min := minify.New(cfg.Minify && !opt.NoMinify)
	r, renderProblems := render.NewMinified(files, cfg, min)
	var popt content.ParserOptions
	if r != nil && r.Minified() {
		popt.Minify = min.HTMLTo
	}
	articles, problems := content.NewParserWith(cfg, popt).Load(fsys)
	errs.Append(problems)
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	s, problems := site.Build(cfg, articles, site.Options{Now: now, Drafts: opt.Drafts, Future: opt.Future, Expired: opt.Expired})
	errs.Append(problems)
	errs.Append(renderProblems)
	errs.Sort()
	if errs.Err() != nil {
		return nil, errs
	}
	return &Loaded{Config: cfg, Site: s, Renderer: r, Source: fsys, Files: files, Minifier: min, Warnings: errs.Warnings()}, nil
}

// CheckSource makes sure the site folder exists and is a folder, so that a
// mistyped -s fails instead of building an empty site, and that its
// content/ folder, if there is one, can be read (see checkContent).
func CheckSource(dir string) error {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("the site folder %s does not exist (check -s/--source)", dir)
	case err != nil:
		return err
	case !info.IsDir():
		return fmt.Errorf("%s is a file, not a site folder (give -s the folder that holds site.toml and content/)", dir)
	}
	if err := checkContent(filepath.Join(dir, content.Dir)); err != nil {
		return err
	}
	_, errToml := os.Stat(filepath.Join(dir, config.File))
	_, errContent := os.Stat(filepath.Join(dir, content.Dir))
	if errToml != nil && errContent != nil {
		return fmt.Errorf("%s has neither site.toml nor content/, so it is not a site (run digest init to make one, or give -s the site's folder)", dir)
	}
	return nil
}

// Summary tells what a build did.
type Summary struct {
	Articles int
	Pages    int // HTML pages
	Files    int64
	Bytes    int64
	Skipped  site.Skipped
	Out      string
	Elapsed  time.Duration
	Warnings diag.List
}

// Run builds the site at opt.Source into its output folder.
func Run(ctx context.Context, opt Options) (*Summary, error) {
	start := time.Now()
	if err := CheckSource(opt.Source); err != nil {
		return nil, err
	}
	l, errs := Load(os.DirFS(opt.Source), opt.Theme, opt)
	if l == nil {
		return nil, errs.Err()
	}
	defer boundHeap()()
	out := opt.Out
	if out == "" {
		out = filepath.Join(opt.Source, filepath.FromSlash(l.Config.Output))
	}
	articles := len(l.Site.Articles)
	o, err := publish.BeginWith(opt.Source, out, publish.Options{
		Record: publish.Record{Articles: articles, Counted: true},
		Accept: func(previous publish.Record) error {
			return checkShrink(previous, articles, opt)
		},
	})
	if err != nil {
		return nil, err
	}
	warnings, err := writeAll(ctx, l, o)
	if err != nil {
		o.Abort()
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		o.Abort()
		return nil, err
	}
	if err := o.Commit(); err != nil {
		return nil, err
	}
	return &Summary{
		Articles: articles, Pages: len(l.Site.Pages),
		Files: o.Files(), Bytes: o.Bytes(), Skipped: l.Site.Skipped,
		Out: out, Elapsed: time.Since(start), Warnings: append(l.Warnings, warnings...),
	}, nil
}

// boundHeap sets a soft limit on the memory of the rest of a build, and
// returns what puts the previous limit back. Once the site is loaded, its
// articles are most of what stays in memory, and rendering adds garbage
// and the list items it keeps. By default the heap may grow to twice
// what was live at the last collection, and rendering keeps raising that
// mark; the limit holds the whole process to two and a quarter times what
// is live after loading, plus 256 MiB, so a large site's build stays lean
// (100,000 articles: 1.7–1.9 GiB at peak instead of 2.3 GiB), and a
// small site's is not touched. The list items rendering keeps raise the
// live heap as it goes, so a tighter limit makes the collector run over
// and over (twice the live heap: 34 s instead of 27–30 s at 100,000 articles,
// most of it collecting and returning memory). The limit is never below
// what the heap holds now, garbage included, plus 256 MiB, in case the
// last collection was long ago. A GOMEMLIMIT or GOGC set by the user is
// left to rule.
func boundHeap() (restore func()) {
	if os.Getenv("GOMEMLIMIT") != "" || os.Getenv("GOGC") != "" {
		return func() {}
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 || sample[1].Value.Kind() != metrics.KindUint64 {
		return func() {}
	}
	live, held := sample[0].Value.Uint64(), sample[1].Value.Uint64()
	limit := max(live*9/4, held) + 256<<20
	previous := debug.SetMemoryLimit(int64(min(limit, math.MaxInt64)))
	return func() { debug.SetMemoryLimit(previous) }
}

// writeAll renders every page and copies static files, in parallel.
func writeAll(ctx context.Context, l *Loaded, o *publish.Output) (diag.List, error) {
	statics, errs := staticFiles(l.Files)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	// A file in static/ replaces a generated page of the same path (your own
	// robots.txt, say): one file per path, so the output is deterministic.
	fromStatic := make(map[string]bool, len(statics))
	for _, name := range statics {
		fromStatic[name[len(staticDir)+1:]] = true
	}
	jobs := make([]func() error, 0, len(l.Site.Pages)+len(statics))
	for _, p := range l.Site.Pages {
		if fromStatic[p.OutputPath()] {
			continue
		}
		jobs = append(jobs, func() error {
			return l.Renderer.RenderTo(p, func(out []byte) error {
				if l.Renderer.MinifiedPage(p) {
					return o.Write(p.OutputPath(), out)
				}
				return write(o, l.Minifier, p.OutputPath(), out)
			})
		})
	}
	for _, name := range statics {
		jobs = append(jobs, func() error {
			data, err := fs.ReadFile(l.Files, name)
			if err != nil {
				return diag.CannotRead(name, false, err)
			}
			return write(o, l.Minifier, name[len(staticDir)+1:], data)
		})
	}
	// Writing a file waits on the disk, not the CPU: with more workers than
	// CPUs, some render and minify while others wait for their writes.
	return errs.Warnings(), runAllN(ctx, jobs, ioWorkers*runtime.GOMAXPROCS(0))
}

// ioWorkers is how many workers per CPU render and write pages.
const ioWorkers = 4

func write(o *publish.Output, min *minify.Minifier, name string, data []byte) error {
	small, err := min.File(name, data)
	if err != nil {
		return fmt.Errorf("%s: cannot minify: %w", name, err)
	}
	return o.Write(name, small)
}

// runAll runs jobs on up to GOMAXPROCS goroutines and returns every error,
// in job order.
func runAll(ctx context.Context, jobs []func() error) error {
	return runAllN(ctx, jobs, runtime.GOMAXPROCS(0))
}

// runAllN runs jobs on n goroutines; see runAll.
func runAllN(ctx context.Context, jobs []func() error, n int) error {
	errs := make([]error, len(jobs))
	parallel.For(ctx, len(jobs), n, func(i int) { errs[i] = jobs[i]() })
	var list diag.List
	var other []error
	for _, err := range errs {
		var de *diag.Error
		switch {
		case err == nil:
		case errors.As(err, &de):
			list = append(list, de)
		default:
			other = append(other, err)
		}
	}
	if len(other) > 0 {
		return errors.Join(other...)
	}
	list.Sort()
	return list.Err()
}
