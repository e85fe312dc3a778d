package pipeline

import (
	"context"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"

	"github.com/digest-ssg/digest"
	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/corpus"
	"github.com/digest-ssg/digest/internal/minify"
	"github.com/digest-ssg/digest/internal/publish"
	"github.com/digest-ssg/digest/internal/render"
	"github.com/digest-ssg/digest/internal/site"
)

// Benchmarks run on generated corpora (package corpus), cached under the
// system's temporary folder so that repeated runs skip generating them:
//
//	go test ./internal/pipeline -run '^$' -bench . -benchmem
//	DIGEST_BENCH_SIZES=1000,10000,100000 go test ./internal/pipeline -run '^$' -bench Build -benchtime 1x
//	DIGEST_BENCH_RICH=1 go test ./internal/pipeline -run '^$' -bench StageSearch   # the corpus of gencorpus -rich
//
// See BENCHMARKS.md for the figures and bench.sh for the whole set.

func benchSizes() []int {
	s := os.Getenv("DIGEST_BENCH_SIZES")
	if s == "" {
		return []int{1000, 10000}
	}
	var sizes []int
	for _, f := range splitComma(s) {
		var n int
		fmt.Sscan(f, &n)
		sizes = append(sizes, n)
	}
	return sizes
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

var corpusMu sync.Mutex

// corpusDir returns a generated site of n articles, making it once: the
// rich corpus (corpus.Options.Rich, a real vocabulary for search) when
// DIGEST_BENCH_RICH is set.
func corpusDir(b *testing.B, n int) string {
	b.Helper()
	corpusMu.Lock()
	defer corpusMu.Unlock()
	rich := os.Getenv("DIGEST_BENCH_RICH") != ""
	name := fmt.Sprintf("digest-bench-corpus-%d", n)
	if rich {
		name += "-rich"
	}
	dir := filepath.Join(os.TempDir(), name)
	if _, err := os.Stat(filepath.Join(dir, "site.toml")); err == nil {
		return dir
	}
	tmp := dir + ".tmp"
	os.RemoveAll(tmp)
	os.MkdirAll(tmp, 0o755)
	if err := corpus.Write(tmp, corpus.Options{Articles: n, Seed: 1, Rich: rich}); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		b.Fatal(err)
	}
	return dir
}

// stages holds a corpus at each step of the pipeline, as "digest build"
// runs it: templates and bodies minified.
type stages struct {
	dir      string
	cfg      *config.Config
	min      *minify.Minifier
	parser   *content.Parser
	articles []*content.Article
	model    *site.Site
	renderer *render.Renderer
	pages    [][]byte
}

func prepare(b *testing.B, n int, upTo string) *stages {
	b.Helper()
	s := &stages{dir: corpusDir(b, n), min: minify.New(true)}
	fsys := os.DirFS(s.dir)
	s.cfg, _ = config.Load(fsys)
	r, problems := render.NewMinified(digest.Theme(), s.cfg, s.min)
	if problems.Err() != nil || !r.Minified() {
		b.Fatal(problems)
	}
	s.renderer = r
	s.parser = content.NewParserWith(s.cfg, content.ParserOptions{Minify: s.min.HTMLTo})
	s.articles, _ = s.parser.Load(fsys)
	if upTo == "parse" {
		return s
	}
	m, problems := site.Build(s.cfg, s.articles, site.Options{Now: now})
	if problems.Err() != nil {
		b.Fatal(problems)
	}
	s.model = m
	if upTo == "model" {
		return s
	}
	var errs []error
	for _, p := range m.Pages {
		html, err := r.Render(p)
		if err != nil {
			errs = append(errs, err)
		}
		s.pages = append(s.pages, html)
	}
	if len(errs) > 0 {
		b.Fatal(errs[0])
	}
	return s
}

func forSizes(b *testing.B, f func(b *testing.B, n int)) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) { f(b, n) })
	}
}

// outDir returns a new folder for benchmark output: under
// $DIGEST_BENCH_OUT when set (to measure another file system, such as a
// tmpfs), else the test's temporary folder.
func outDir(b *testing.B) string {
	b.Helper()
	root := os.Getenv("DIGEST_BENCH_OUT")
	if root == "" {
		return b.TempDir()
	}
	dir, err := os.MkdirTemp(root, "digest-bench-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// freshRuns runs write b.N times into out, removed before each run with
// the build kept beside it; the removing is timed neither in wall nor in
// CPU time.
func freshRuns(b *testing.B, out string, write func()) {
	b.ResetTimer()
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		os.RemoveAll(out)
		os.RemoveAll(publish.Kept(out))
		b.StartTimer()
		start := cpuTime()
		write()
		cpu += cpuTime() - start
	}
	b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkBuild is the whole pipeline, as "digest build" runs it, into an
// empty output folder each time.
func BenchmarkBuild(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		dir := corpusDir(b, n)
		out := outDir(b) + "/out"
		freshRuns(b, out, func() {
			if _, err := Run(context.Background(), Options{Source: dir, Out: out, Theme: digest.Theme(), Now: now}); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkRebuild builds again into an output folder that holds the
// same build, as "digest build" run twice does: every page is rendered
// and compared, and the kept build beside the output is written over.
func BenchmarkRebuild(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		dir := corpusDir(b, n)
		out := outDir(b) + "/out"
		opts := Options{Source: dir, Out: out, Theme: digest.Theme(), Now: now}
		for range 2 { // the output and the kept build
			if _, err := Run(context.Background(), opts); err != nil {
				b.Fatal(err)
			}
		}
		b.ResetTimer()
		cpu := cpuTime()
		for b.Loop() {
			if _, err := Run(context.Background(), opts); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu)
	})
}

// BenchmarkStageParse reads and parses every article (front matter,
// Markdown, minifying the body), in parallel.
func BenchmarkStageParse(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		s := prepare(b, n, "parse")
		fsys := os.DirFS(s.dir)
		b.ResetTimer()
		cpu := cpuTime()
		for b.Loop() {
			s.parser.Load(fsys)
		}
		reportCPU(b, cpu)
	})
}

// BenchmarkStageModel builds the model and the route table.
func BenchmarkStageModel(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		s := prepare(b, n, "parse")
		b.ResetTimer()
		cpu := cpuTime()
		for b.Loop() {
			site.Build(s.cfg, s.articles, site.Options{Now: now})
		}
		reportCPU(b, cpu)
	})
}

// BenchmarkStageRender renders every page, in parallel.
func BenchmarkStageRender(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		s := prepare(b, n, "model")
		jobs := make([]func() error, len(s.model.Pages))
		for i, p := range s.model.Pages {
			jobs[i] = func() error { _, err := s.renderer.Render(p); return err }
		}
		b.ResetTimer()
		cpu := cpuTime()
		for b.Loop() {
			if err := runAll(context.Background(), jobs); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu)
	})
}

// BenchmarkStageMinify is the minifying that the parse and render stages
// include: every article body (from the Markdown converter), and the
// pages that are not made from templates (feeds, sitemaps), in parallel.
// Pages from templates need none: the templates are minified once.
func BenchmarkStageMinify(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		s := prepare(b, n, "render")
		articles, _ := content.NewParser(s.cfg).Load(os.DirFS(s.dir))
		var jobs []func() error
		for _, a := range articles {
			jobs = append(jobs, func() error {
				body, err := a.Body()
				if err == nil {
					_, err = s.min.HTML([]byte(body))
				}
				return err
			})
		}
		for i, p := range s.model.Pages {
			if !s.renderer.MinifiedPage(p) {
				jobs = append(jobs, func() error { _, err := s.min.File(p.OutputPath(), s.pages[i]); return err })
			}
		}
		b.ResetTimer()
		cpu := cpuTime()
		for b.Loop() {
			if err := runAll(context.Background(), jobs); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu)
	})
}

// BenchmarkStageWrite writes every page to a fresh output folder and
// swaps it in.
func BenchmarkStageWrite(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		s := prepare(b, n, "render")
		root := outDir(b)
		out := filepath.Join(root, "out")
		freshRuns(b, out, func() {
			o, err := publish.Begin(root, out)
			if err != nil {
				b.Fatal(err)
			}
			jobs := make([]func() error, len(s.pages))
			for i, p := range s.model.Pages {
				jobs[i] = func() error { return o.Write(p.OutputPath(), s.pages[i]) }
			}
			// As many writers as the build has.
			if err := runAllN(context.Background(), jobs, ioWorkers*runtime.GOMAXPROCS(0)); err != nil {
				b.Fatal(err)
			}
			if err := o.Commit(); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkGoldmarkAlone is the yardstick: goldmark converting the same
// bodies (GFM, typographer, heading ids) on GOMAXPROCS goroutines.
func BenchmarkGoldmarkAlone(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		dir := corpusDir(b, n)
		files, _ := content.List(os.DirFS(dir))
		var bodies [][]byte
		for _, f := range files {
			data, _ := os.ReadFile(filepath.Join(dir, f))
			bodies = append(bodies, data)
		}
		md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Typographer),
			goldmark.WithParserOptions(parser.WithAutoHeadingID()))
		jobs := make([]func() error, len(bodies))
		for i := range bodies {
			jobs[i] = func() error {
				var buf discard
				return md.Convert(bodies[i], &buf)
			}
		}
		b.ResetTimer()
		cpu := cpuTime()
		for b.Loop() {
			runAll(context.Background(), jobs)
		}
		reportCPU(b, cpu)
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// cpuTime is the CPU time the process has used so far, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds the CPU time per operation since start to the results:
// with GOMAXPROCS goroutines, wall time is less.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
}

// runAll runs jobs on up to GOMAXPROCS goroutines, as a build does.
func runAll(ctx context.Context, jobs []func() error) error {
	return runAllN(ctx, jobs, runtime.GOMAXPROCS(0))
}

// BenchmarkSessionEdit measures what the dev server does after a save that
// keeps the article's place: read and parse the file again, put it into
// the model, and render the pages that show it (see Session.patch),
// without the watcher's and the browser's share of edit-to-reload.
func BenchmarkSessionEdit(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		dir := b.TempDir()
		if err := os.CopyFS(dir, os.DirFS(corpusDir(b, n))); err != nil {
			b.Fatal(err)
		}
		s := NewSession(os.DirFS(dir), digest.Theme(), Options{Now: now, Serve: true})
		if l, errs := s.Load(Changes{}); l == nil {
			b.Fatal(errs)
		}
		files, _ := content.List(os.DirFS(dir))
		file := files[len(files)/2]
		src, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			b.Fatal(err)
		}
		i := 0
		b.ResetTimer()
		cpu := cpuTime()
		for b.Loop() {
			i++
			os.WriteFile(filepath.Join(dir, file), append(src, fmt.Sprintf("\nEdit %d.\n", i)...), 0o644)
			l, errs := s.Load(Changes{Content: []string{file}})
			if l == nil || len(l.Patches) != 1 {
				b.Fatalf("the edit was not put in place: %v", errs)
			}
			// The page the browser asks for when it reloads.
			if _, err := l.Render(l.Page(l.Site.ArticleOf(file).URL)); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu)
	})
}

// BenchmarkSessionEditSearch is the dev server's search after an edit
// that keeps the article's place: the edit put in place, then the first
// file of the index asked for (the head shard of a word of the article),
// which brings the index up to date (search.Index.Edit). The first
// index, made before the loop, is not timed.
func BenchmarkSessionEditSearch(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		dir := b.TempDir()
		if err := os.CopyFS(dir, os.DirFS(corpusDir(b, n))); err != nil {
			b.Fatal(err)
		}
		s := NewSession(os.DirFS(dir), digest.Theme(), Options{Now: now, Serve: true})
		l, errs := s.Load(Changes{})
		if l == nil {
			b.Fatal(errs)
		}
		shard := l.Page(fmt.Sprintf("/search/h/%d.json", 0))
		start := time.Now()
		if _, err := l.Render(shard); err != nil {
			b.Fatal(err)
		}
		first := time.Since(start)
		files, _ := content.List(os.DirFS(dir))
		file := files[len(files)/2]
		src, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			b.Fatal(err)
		}
		i := 0
		b.ResetTimer()
		cpu := cpuTime()
		for b.Loop() {
			i++
			os.WriteFile(filepath.Join(dir, file), append(src, fmt.Sprintf("\nEdit %d, kittiwake%d.\n", i, i)...), 0o644)
			l, errs := s.Load(Changes{Content: []string{file}})
			if l == nil || len(l.Patches) != 1 {
				b.Fatalf("the edit was not put in place: %v", errs)
			}
			if _, err := l.Render(l.Page(shard.URL)); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu)
		b.ReportMetric(float64(first.Milliseconds()), "first-index-ms")
	})
}

// BenchmarkStageSearch makes the search index as a build does (which
// lets the articles' plain text go: it is put back after each run) and
// renders every file of it, with the model it is made from (see
// BenchmarkStageModel for that alone).
func BenchmarkStageSearch(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		s := prepare(b, n, "parse")
		texts := make([]string, len(s.articles))
		bodies := make([]template.HTML, len(s.articles))
		for i, a := range s.articles {
			texts[i], _ = a.PlainText()
			bodies[i], _ = a.Body()
		}
		b.ResetTimer()
		cpu := cpuTime()
		for b.Loop() {
			m, _ := site.Build(s.cfg, s.articles, site.Options{Now: now})
			if err := render.BuildSearchIndex(m, false); err != nil {
				b.Fatal(err)
			}
			var jobs []func() error
			for _, p := range m.Pages {
				if p.Kind == site.KindSearchShard || p.Kind == site.KindSearchMeta {
					jobs = append(jobs, func() error { _, err := s.renderer.Render(p); return err })
				}
			}
			if err := runAll(context.Background(), jobs); err != nil {
				b.Fatal(err)
			}
			for i, a := range s.articles {
				a.SetBody(bodies[i], texts[i])
			}
		}
		reportCPU(b, cpu)
	})
}

// BenchmarkCachedEdit times a build after a one-article edit with a warm
// build cache (see cache.go and pages.go), and reports how many pages it
// rendered (the others are kept from the build before).
func BenchmarkCachedEdit(b *testing.B) {
	forSizes(b, func(b *testing.B, n int) {
		dir := corpusDir(b, n)
		root := outDir(b)
		opts := Options{Source: dir, Out: root + "/out", Theme: digest.Theme(), Now: now, Cache: root + "/cache"}
		files, err := filepath.Glob(filepath.Join(dir, "content", "*", "*", "*", "*.md"))
		if err != nil || len(files) == 0 {
			b.Fatalf("no articles in %s: %v", dir, err)
		}
		slices.Sort(files)
		file := files[len(files)/2]
		src, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		defer os.WriteFile(file, src, 0o644) // the corpus is shared with the other benchmarks
		for range 2 {                        // the output and the kept build
			if _, err := Run(context.Background(), opts); err != nil {
				b.Fatal(err)
			}
		}
		b.ResetTimer()
		cpu := cpuTime()
		rendered := 0
		i := 0
		for b.Loop() {
			b.StopTimer()
			i++
			os.WriteFile(file, fmt.Appendf(slices.Clip(src), "\nA late paragraph, take %d.\n", i), 0o644)
			b.StartTimer()
			sum, err := Run(context.Background(), opts)
			if err != nil {
				b.Fatal(err)
			}
			rendered += sum.Pages - sum.Kept
		}
		reportCPU(b, cpu)
		b.ReportMetric(float64(rendered)/float64(i), "pages-rendered/op")
	})
}
