package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/digest-ssg/digest"
	"github.com/digest-ssg/digest/internal/testfs"
)

func openedUnder(opened map[string]int, dir string) []string {
	var out []string
	for name := range opened {
		if strings.HasPrefix(name, dir) && strings.HasSuffix(name, ".md") || strings.HasPrefix(name, dir) && strings.HasSuffix(name, ".html") {
			out = append(out, name)
		}
	}
	return out
}

// TestSessionReloadsOnlyWhatChanged: a changed article is read again
// alone; a template change reads the templates, not the articles; a
// site.toml change reads everything.
func TestSessionReloadsOnlyWhatChanged(t *testing.T) {
	files := fstest.MapFS{
		"site.toml":            {Data: []byte("title = \"S\"\n")},
		"content/a.md":         {Data: []byte("---\ntitle: A\ndate: 2026-01-05T08:00:00Z\n---\n")},
		"content/b.md":         {Data: []byte("---\ntitle: B\ndate: 2026-01-05T09:00:00Z\n---\n")},
		"templates/topic.html": {Data: []byte(`{{define "main"}}custom topic{{end}}`)},
	}
	site := testfs.NewCounting(files)
	s := NewSession(site, digest.Theme(), Options{Now: now})
	if l, errs := s.Load(Changes{}); l == nil {
		t.Fatal(errs)
	}
	if got := openedUnder(site.Reset(), "content/"); len(got) != 2 {
		t.Errorf("first load read %v", got)
	}

	files["content/a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: A edited\ndate: 2026-01-05T08:00:00Z\n---\n")}
	l, _ := s.Load(Changes{Content: []string{"content/a.md"}})
	if len(l.Patches) != 1 {
		t.Errorf("an edit that keeps the article's place gave %d patches, want 1 (no model rebuild)", len(l.Patches))
	}
	opened := site.Reset()
	if got := openedUnder(opened, "content/"); len(got) != 1 || got[0] != "content/a.md" {
		t.Errorf("an article edit read %v, want content/a.md alone", got)
	}
	if got := openedUnder(opened, "templates/"); len(got) != 0 {
		t.Errorf("an article edit read the templates %v", got)
	}
	if l.Site.Page("/2026/01/05/a/").Title != "A edited" {
		t.Error("the edit is not in the model")
	}

	files["templates/topic.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}changed topic{{end}}`)}
	l, _ = s.Load(Changes{Templates: true})
	opened = site.Reset()
	if got := openedUnder(opened, "content/"); len(got) != 0 {
		t.Errorf("a template edit read articles %v", got)
	}
	if out, _ := l.Renderer.Render(l.Site.Page("/topics/news/")); !strings.Contains(string(out), "changed topic") {
		t.Error("the template change is not used")
	}

	files["site.toml"] = &fstest.MapFile{Data: []byte("title = \"Renamed\"\n")}
	l, _ = s.Load(Changes{Config: true})
	if got := openedUnder(site.Reset(), "content/"); len(got) != 2 || l.Config.Title != "Renamed" {
		t.Errorf("a site.toml edit read %v, title %q", got, l.Config.Title)
	}

	delete(files, "content/b.md")
	files["content/new/c.md"] = &fstest.MapFile{Data: []byte("---\ntitle: C\ndate: 2026-01-06T08:00:00Z\n---\n")}
	l, _ = s.Load(Changes{Content: []string{"content/b.md", "content/new"}, Rescan: true})
	if l.Site.Page("/2026/01/05/b/") != nil || l.Site.Page("/2026/01/06/c/") == nil {
		t.Error("a rescan missed a removed or an added article")
	}
	if got := openedUnder(site.Reset(), "content/"); len(got) != 1 {
		t.Errorf("a rescan read %v, want the new article alone", got)
	}
}

// TestSessionReadsOnlyWhatTheBuildReads: files the build skips (other
// extensions, ignored names, symbolic links) stay out of the dev server's
// site too, even when the watcher names them.
func TestSessionReadsOnlyWhatTheBuildReads(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "content/a.md"), []byte("---\ntitle: A\ndate: 2026-01-05T08:00:00Z\n---\n"))
	outside := filepath.Join(t.TempDir(), "secret.md")
	writeFile(t, outside, []byte("---\ntitle: Secret outside story\ndate: 2026-01-05T09:00:00Z\n---\n"))
	s := NewSession(os.DirFS(dir), digest.Theme(), Options{Now: now})
	if l, errs := s.Load(Changes{}); l == nil {
		t.Fatal(errs)
	}
	writeFile(t, filepath.Join(dir, "content/README"), []byte("notes"))
	writeFile(t, filepath.Join(dir, "content/_draft.md"), []byte("---\ntitle: Underscore\ndate: 2026-01-05T09:00:00Z\n---\n"))
	if err := os.Symlink(outside, filepath.Join(dir, "content/link.md")); err != nil {
		t.Skip(err)
	}
	l, errs := s.Load(Changes{Content: []string{"content/README", "content/_draft.md", "content/link.md"}})
	if l == nil {
		t.Fatalf("ignored files made the site fail: %v", errs)
	}
	if len(l.Site.Articles) != 1 {
		t.Errorf("the site has %d articles, want 1: ignored files were read", len(l.Site.Articles))
	}
}

// TestSessionPatchesOrRebuilds: an edit that keeps an article's place in
// the site is put in place in the same model; one that moves it (a new
// tag, a new date) rebuilds the model.
func TestSessionPatchesOrRebuilds(t *testing.T) {
	fsys := fstest.MapFS{
		"content/a.md": {Data: []byte("---\ntitle: A\ndate: 2026-01-05T08:00:00Z\ntags: [x]\n---\nOld body.\n")},
		"content/b.md": {Data: []byte("---\ntitle: B\ndate: 2026-01-05T09:00:00Z\ntags: [x]\n---\n")},
	}
	s := NewSession(fsys, digest.Theme(), Options{Now: now})
	first, _ := s.Load(Changes{})
	edit := func(src string) *Loaded {
		fsys["content/a.md"] = &fstest.MapFile{Data: []byte(src)}
		l, errs := s.Load(Changes{Content: []string{"content/a.md"}})
		if l == nil {
			t.Fatal(errs)
		}
		return l
	}
	l := edit("---\ntitle: A, corrected\ndate: 2026-01-05T08:00:00Z\ntags: [x]\nupdated: 2026-01-06T10:00:00Z\n---\nNew body.\n")
	if l.Site != first.Site || len(l.Patches) != 1 {
		t.Fatalf("a body and headline edit rebuilt the model")
	}
	p := l.Site.Page("/2026/01/05/a/")
	if body, _ := p.Article.Body(); p.Title != "A, corrected" || !strings.Contains(string(body), "New body") || p.Modified.Day() != 6 {
		t.Errorf("patched page: title %q, modified %v", p.Title, p.Modified)
	}
	if out, _ := l.Renderer.Render(l.Site.Page("/tags/x/")); !strings.Contains(string(out), "A, corrected") {
		t.Error("the tag page does not show the new headline")
	}
	l = edit("---\ntitle: A\ndate: 2026-01-05T08:00:00Z\ntags: [x, y]\n---\n")
	if l.Site == first.Site || len(l.Patches) != 0 || l.Site.Page("/tags/y/") == nil {
		t.Error("a new tag did not rebuild the model")
	}
}

// TestServeKeepsTheLastGoodSiteOnExecutionErrors: a template that parses
// but fails on a page is an error of the load, as a parse error is, both
// when the model is built anew and when an edit is patched in place; the
// patched model is put back as it was.
func TestServeKeepsTheLastGoodSiteOnExecutionErrors(t *testing.T) {
	fsys := fstest.MapFS{
		"content/a.md":           {Data: []byte("---\ntitle: A\ndate: 2026-01-05T08:00:00Z\n---\nOld body.\n")},
		"templates/article.html": {Data: []byte(`{{define "main"}}<h1>{{.Article.Title}}</h1>{{if .Article.Params.bad}}{{.Nope}}{{end}}{{end}}`)},
	}
	s := NewSession(fsys, digest.Theme(), Options{Now: now, Serve: true})
	good, errs := s.Load(Changes{})
	if good == nil {
		t.Fatal(errs)
	}
	// An edit that keeps the article's place, and breaks its page.
	fsys["content/a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: A2\ndate: 2026-01-05T08:00:00Z\nparams: {bad: true}\n---\nNew body.\n")}
	l, errs := s.Load(Changes{Content: []string{"content/a.md"}})
	if l != nil || len(errs) != 1 || !strings.Contains(errs[0].Error(), "templates/article.html:1:") || !strings.Contains(errs[0].Error(), "can't evaluate field Nope") {
		t.Fatalf("a page that fails after a patch: site %v, errors %v", l, errs)
	}
	page, err := good.Render(good.Page("/2026/01/05/a/"))
	if err != nil || !strings.Contains(string(page), "<h1>A</h1>") || good.Site.Articles[0].Title != "A" {
		t.Fatalf("the last good site changed: %v\n%s", err, page)
	}
	// Fixed: a new model (the failed article's page is rendered until it
	// succeeds), and the next edit is patched in place again.
	for _, title := range []string{"A3", "A4"} {
		fsys["content/a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\ndate: 2026-01-05T08:00:00Z\n---\nNew body.\n")}
		l, errs = s.Load(Changes{Content: []string{"content/a.md"}})
		if l == nil || (title == "A4") != (len(l.Patches) == 1) {
			t.Fatalf("the edit to %s: %v", title, errs)
		}
		if page, _ := l.Render(l.Page("/2026/01/05/a/")); !strings.Contains(string(page), "<h1>"+title+"</h1>") {
			t.Errorf("the fixed page:\n%s", page)
		}
	}
	// A template change that fails on every article page: a new model
	// that is never handed out.
	fsys["templates/article.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{.Nope}}{{end}}`)}
	if l, errs := s.Load(Changes{Templates: true}); l != nil || errs.Err() == nil {
		t.Fatalf("a template failing on execution gave a site")
	}
}

// TestSessionReportsNamesNotUTF8: the dev server reports an article whose
// name is not UTF-8 as the build does, whether it is there at the start
// or appears later, and forgets the problem once the file is renamed. It
// used to say "cannot read: invalid argument", with the name mangled.
func TestSessionReportsNamesNotUTF8(t *testing.T) {
	art := &fstest.MapFile{Data: []byte("---\ntitle: A\ndate: 2026-01-05T08:00:00Z\n---\n")}
	site := fstest.MapFS{"site.toml": {Data: []byte("title = \"S\"\n")}, "content/caf\xe9.md": art}
	want := `"content/caf\xe9.md": the file name is not valid UTF-8 (rename it, e.g. mv $'content/caf\xe9.md' 'content/café.md')`
	s := NewSession(site, digest.Theme(), Options{Now: now})
	if l, errs := s.Load(Changes{}); l != nil || errs.Error() != want {
		t.Errorf("first load: site %v, errors:\n%s\nwant:\n%s", l != nil, errs, want)
	}
	delete(site, "content/caf\xe9.md")
	site["content/café.md"] = art
	if l, errs := s.Load(Changes{Content: []string{"content/caf\xe9.md", "content/café.md"}}); l == nil {
		t.Errorf("renamed, still: %v", errs)
	}
	site["content/d\xe9p\xf4t.md"] = art
	_, errs := s.Load(Changes{Content: []string{"content/d\xe9p\xf4t.md"}})
	if want := `"content/d\xe9p\xf4t.md": the file name is not valid UTF-8 (rename it, e.g. mv $'content/d\xe9p\xf4t.md' 'content/dépôt.md')`; errs.Error() != want {
		t.Errorf("a new file: errors:\n%s\nwant:\n%s", errs, want)
	}
}
