package importer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/digest-ssg/digest"
	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/meta"
	"github.com/digest-ssg/digest/internal/pipeline"
)

// fixtureTime is the modification time of every fixture file.
var fixtureTime = time.Date(2024, 12, 1, 10, 0, 0, 0, time.UTC)

// fixture reads testdata/name.txtar as a file system.
func fixture(t testing.TB, name string) fstest.MapFS {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("testdata", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	return archiveFS(a)
}

func archiveFS(a *txtar.Archive) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, f := range a.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644, ModTime: fixtureTime}
	}
	return fsys
}

// importFS plans and writes a site from fsys into a new folder.
func importFS(t testing.TB, fsys fstest.MapFS, opt Options) (*Report, string) {
	t.Helper()
	s, err := Plan(context.Background(), fsys, opt)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "site")
	if err := s.Write(context.Background(), dir); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return s.Report, dir
}

// load loads a written site as digest build does, failing on any error.
func load(t testing.TB, dir string) *pipeline.Loaded {
	t.Helper()
	l, errs := pipeline.Load(os.DirFS(dir), digest.Theme(), pipeline.Options{Source: dir, Now: fixtureTime})
	if err := errs.Err(); err != nil || l == nil {
		t.Fatalf("the imported site does not load:\n%v", err)
	}
	return l
}

// readFront reads a written article's front matter.
func readFront(t testing.TB, dir, file string) (*meta.Node, string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(file)))
	if err != nil {
		t.Fatal(err)
	}
	src, err := readSource(data)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return src.front, src.body
}

// oldURLs are the old URLs an article's front matter lists: under aliases
// when digest knows that key, else under params.old_urls.
func oldURLs(t testing.TB, front *meta.Node) []string {
	t.Helper()
	f := front.Get("aliases")
	if f == nil {
		if p := front.Get("params"); p != nil {
			f = p.Value.Get("old_urls")
		}
	}
	if f == nil {
		return nil
	}
	l, err := f.Value.AsTextList()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func aliasesKnown() bool {
	for _, k := range content.Keys() {
		if k == "aliases" {
			return true
		}
	}
	return false
}

func dump(r *Report) string {
	var b strings.Builder
	for _, w := range r.Warnings {
		b.WriteString(w.Class.Describe(1) + " | " + w.String() + "\n")
	}
	return b.String()
}

func mustConfig(t testing.TB, siteTOML []byte) *config.Config {
	t.Helper()
	cfg, errs := config.Parse(siteTOML)
	if err := errs.Err(); err != nil {
		t.Fatalf("site.toml: %v\n%s", err, siteTOML)
	}
	return cfg
}
