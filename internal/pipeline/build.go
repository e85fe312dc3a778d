// Package pipeline runs the pipeline from a site folder to its output:
//
//	config   site.toml → Config
//	content  content/**/*.md → Articles
//	site     Config + Articles → model and route table
//	render   every page → HTML, in parallel
//	publish  minify, copy static/, write to a temporary folder, swap it in
//
// A Session runs the first three steps (and parses the templates), once
// for a build or check (Load) and again after every change for the dev
// server; Run does all of them.
//
// A build refuses a content/ that is there but cannot be read, and one
// that would publish far fewer articles than the output's build did (see
// guard.go).
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

	"github.com/digest-ssg/digest/internal/buildcache"
	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/minify"
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
	// Serve: the site is served while it is edited (see Session): pages
	// are not minified, and a new version of the site is accepted only
	// once a page of every kind made from a template has rendered.
	Serve bool
	// AllowShrink lets a build replace an output with far fewer articles
	// than the previous build published (see ShrinkError).
	AllowShrink bool
	// Cache is the folder of the build cache (see cache.go); "" builds
	// without one.
	Cache string
	// Settle is how long an article file must have been unchanged when
	// read for the cache to find it by its stamp later, without reading
	// it (see content.ParserOptions); 0 means two seconds. Tests shorten
	// it.
	Settle time.Duration
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
	// Kept counts the pages kept as the build before made them, not
	// rendered again, as nothing they are made from changed (see
	// pages.go).
	Kept int
	// SearchEdited is how many articles were edited into the search
	// index of the build before, kept in the cache (see searchcache.go);
	// -1 when the index was made anew or not at all.
	SearchEdited int
	// SearchKept counts the files of the search index kept without being
	// made again, as the edits of the index did not touch them (see
	// pagePlan.keepUntouchedShard); they count among Kept.
	SearchKept int
	Out        string
	Elapsed    time.Duration
	Warnings   diag.List
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
		Listings: l.folderListings(),
	})
	if err != nil {
		return nil, err
	}
	// With the build cache, pages made from what they were made from in
	// the build before are kept (see pages.go): the search index's files
	// first, as the index need not be made when all of them are.
	plan := l.newPagePlan(out)
	index := !plan.keepSearch(o, l.Site)
	if !index && l.cache != nil {
		l.cache.Unfetch(searchSnapshotKey) // every file of the index kept: not edited
	}
	// A search index made anew is made and written under a limit of what
	// loading left live (see boundIndexHeap); the pages are rendered under
	// one of what is live once the index and the articles' text are gone.
	// An index edited from its snapshot reads the text of the edited
	// articles alone: it is edited under boundHeap's limit, which needs
	// no collection to measure (a collection of a large site's whole
	// heap), and a large site's limit is made tight, after that
	// collection, only when the edit gives up and the index is made anew.
	large := l.Config.Search.Enabled && index && heapObjects() >= 512<<20
	restore := boundHeap()
	anew := func() {
		restore()
		restore = boundIndexHeap(large)
	}
	edited, saved, err := writeSearch(ctx, l, o, plan, index, large, anew)
	defer saved()
	restore()
	if err != nil {
		o.Abort()
		return nil, err
	}
	switch {
	case large && edited < 0:
		// The memory the text and the index held goes back to the
		// system: otherwise the process keeps it while rendering adds
		// its own (100,000 articles: 2.03 GiB at peak instead of 1.9).
		debug.FreeOSMemory()
	case l.Config.Search.Enabled && index && (edited < 0 || heapObjects() >= 256<<20):
		// The index made anew read every article's text, now garbage;
		// an index edited from the snapshot read only the changed
		// articles', and on a small site collecting costs more than it
		// frees (20 ms at 10,000 articles). On a large one, the pages
		// would otherwise be rendered in a heap let grow to twice what
		// the index and snapshot left (100,000 articles: 1.3 GiB at
		// peak instead of 1.1).
		runtime.GC()
	}
	defer boundHeap()()
	err = writeAll(ctx, l, o, plan, func(p *site.Page) bool { return !isSearchFile(p) }, true)
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
	if plan != nil {
		saveRecord(l.cache, out, plan.after)
	}
	saved()
	l.PruneCache()
	kept, searchKept := 0, 0
	if plan != nil {
		kept, searchKept = plan.kept, plan.searchKept
	}
	return &Summary{
		Articles: articles, Pages: len(l.Site.Pages), Kept: kept, SearchEdited: edited, SearchKept: searchKept,
		Files: o.Files(), Bytes: o.Bytes(), Skipped: l.Site.Skipped,
		Out: out, Elapsed: time.Since(start), Warnings: l.Warnings,
	}, nil
}

// writeSearch makes the search index (when the site has one), which lets
// each article's plain text go once it is indexed, writes its files, and
// lets the index and the rest of the text go: nothing else reads them,
// and the text alone is as large as the Markdown (400 MB at 100,000
// articles). Only a one-shot build does this; the dev server keeps the
// text to edit its index as articles are edited.
//
// Without index, the index is not made: every file of it was kept from
// the build before (see pagePlan.keepSearch).
//
// It returns how many articles were edited into the index kept from the
// build before (see searchcache.go), and what waits for the index kept
// for the next build to be written.
//
// A large site's snapshot is written before the pages are rendered (see
// saveSearchSnapshot).
func writeSearch(ctx context.Context, l *Loaded, o *publish.Output, plan *pagePlan, index, large bool, anew func()) (edited int, wait func(), err error) {
	edited, wait = -1, func() {}
	if index && l.Config.Search.Enabled {
		if edited, err = l.makeSearchIndex(plan, anew); err != nil {
			return edited, wait, err
		}
	}
	for _, a := range l.Site.Articles {
		a.ForgetText()
	}
	for _, a := range l.Site.Skipped.Articles {
		a.ForgetText()
	}
	if !l.Config.Search.Enabled {
		return edited, wait, nil
	}
	if !index {
		return edited, l.saveSearchSnapshot(plan, false, false), nil
	}
	err = writeAll(ctx, l, o, plan, isSearchFile, false)
	if err == nil {
		wait = l.saveSearchSnapshot(plan, true, !large)
	}
	render.ForgetSearchIndex(l.Site)
	plan.forgetSearch()
	return edited, wait, err
}

// isSearchFile reports whether a page is a file of the search index.
func isSearchFile(p *site.Page) bool {
	return p.Kind == site.KindSearchShard || p.Kind == site.KindSearchMeta
}

// boundIndexHeap sets a soft limit on the memory of making and writing
// the search index, and returns what puts the previous limit back. The
// heap then holds the loaded site and the articles' plain text (400 MB
// at 100,000 articles), which the index lets go as it grows by about as
// much: by default the collector would let the heap grow to twice what
// loading left live (2.6 GB at 100,000 articles, where the build without
// search stays under 2 GiB). So for a large site (large: a heap of 512
// MiB or more, with search), after a collection, which makes the live
// heap exact, the limit is a quarter more than it, plus 256 MiB. A
// smaller site has boundHeap's limit, without the collection's cost.
func boundIndexHeap(large bool) (restore func()) {
	if !large || os.Getenv("GOMEMLIMIT") != "" || os.Getenv("GOGC") != "" {
		return boundHeap()
	}
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return func() {}
	}
	live := sample[0].Value.Uint64()
	previous := debug.SetMemoryLimit(int64(min(live*5/4+256<<20, math.MaxInt64)))
	return func() { debug.SetMemoryLimit(previous) }
}

// heapObjects is what the heap holds now, garbage included.
func heapObjects() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return sample[0].Value.Uint64()
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

// writeAll renders the pages want wants and, with copies, copies the
// files of static/ and of page bundles, in parallel.
//
// With a plan, a page whose inputs are as they were is kept (see
// pages.go), and what each page is made from is noted for the next build.
func writeAll(ctx context.Context, l *Loaded, o *publish.Output, plan *pagePlan, want func(*site.Page) bool, copies bool) error {
	// A file in static/ replaces a generated page of the same path (your own
	// robots.txt, say): one file per path, so the output is deterministic.
	isCopied := make(map[string]bool, len(l.copies))
	for _, c := range l.copies {
		isCopied[c.out] = true
	}
	jobs := make([]func() error, 0, len(l.Site.Pages)+len(l.copies))
	for _, p := range l.Site.Pages {
		if isCopied[p.OutputPath()] || !want(p) {
			continue
		}
		jobs = append(jobs, func() error { return writePage(l, o, plan, p) })
	}
	for _, c := range l.copies {
		if !copies {
			break
		}
		jobs = append(jobs, func() error {
			data, err := fs.ReadFile(l.Files, c.src)
			if err != nil {
				return diag.CannotRead(c.src, false, err)
			}
			return write(o, l.Minifier, c.out, data)
		})
	}
	// Writing a file waits on the disk, not the CPU: with more workers than
	// CPUs, some render and minify while others wait for their writes.
	return runAllN(ctx, jobs, ioWorkers*runtime.GOMAXPROCS(0))
}

// ioWorkers is how many workers per CPU render and write pages.
const ioWorkers = 4

// writePage renders p and writes it, unless the plan keeps it.
func writePage(l *Loaded, o *publish.Output, plan *pagePlan, p *site.Page) error {
	name := p.OutputPath()
	var inputs buildcache.Key
	known := false
	if plan != nil {
		if plan.done(name) {
			return nil
		}
		if inputs, known = plan.inputs(l.Site, p); known && (plan.keep(o, name, inputs) || plan.keepUntouchedShard(o, l.Site, p, inputs)) {
			return nil
		}
	}
	return l.Renderer.RenderTo(p, func(out []byte) error {
		if !l.Renderer.MinifiedPage(p) {
			small, err := l.Minifier.File(name, out)
			if err != nil {
				return fmt.Errorf("%s: cannot minify: %w", name, err)
			}
			out = small
		}
		if !known {
			return o.Write(name, out)
		}
		id, err := o.WriteID(name, out)
		plan.note(name, pageEntry{inputs, id})
		return err
	})
}

func write(o *publish.Output, min *minify.Minifier, name string, data []byte) error {
	small, err := min.File(name, data)
	if err != nil {
		return fmt.Errorf("%s: cannot minify: %w", name, err)
	}
	return o.Write(name, small)
}

// runAllN runs jobs on n goroutines and returns every error, in job
// order.
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
