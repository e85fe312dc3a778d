package render

import (
	"encoding/json"
	"html/template"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/digest-ssg/digest"
	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/minify"
	"github.com/digest-ssg/digest/internal/site"
)

// theme is a minimal theme: base.html and one line per page kind.
func theme() fstest.MapFS {
	fsys := fstest.MapFS{
		"templates/base.html":       {Data: []byte(`<title>{{.Title}}</title>{{block "main" .}}{{end}}`)},
		"templates/email-base.html": {Data: []byte(`<title>{{.Title}}</title>{{block "main" .}}{{end}}`)},
		"templates/email.txt":       {Data: []byte(`{{.Title}}`)},
	}
	for _, k := range pageKinds() {
		fsys["templates/"+string(k)+".html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}` + string(k) + `{{end}}`)}
	}
	return fsys
}

func model(t *testing.T) *site.Site {
	c := config.Default()
	c.BaseURL = "https://x.example/sub/"
	a := &content.Article{File: "content/a.md", Title: "A & B", Slug: "a", Topic: "News", Date: time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)}
	s, errs := site.Build(c, []*content.Article{a}, site.Options{Now: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)})
	if errs != nil {
		t.Fatal(errs)
	}
	return s
}

func TestRenderEveryKindAndFunctions(t *testing.T) {
	fsys := theme()
	fsys["templates/article.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{relURL .URL}}|{{absURL .URL}}|{{date "2006-01-02 15:04" .Article.Date}}|{{isoTime .Article.Date}}|{{plural 1 "story" "stories"}}|{{plural 2 "story" "stories"}}|{{join "+" .Article.Tags}}{{end}}`)}
	s := model(t)
	r, errs := New(fsys, s.Config)
	if errs != nil {
		t.Fatal(errs)
	}
	for _, p := range s.Pages {
		out, err := r.Render(p)
		if err != nil {
			t.Fatalf("%s: %v", p.URL, err)
		}
		if p.Kind.IsHTML() && p.Kind != site.KindArticle && !strings.Contains(string(out), string(p.Kind)) {
			t.Errorf("%s rendered %q", p.URL, out)
		}
	}
	out, _ := r.Render(s.Page("/2026/01/02/a/"))
	want := "<title>A &amp; B</title>/sub/2026/01/02/a/|https://x.example/sub/2026/01/02/a/|2026-01-02 03:04|2026-01-02T03:04:00Z|1 story|2 stories|"
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
}

func TestTemplateErrorsNameFileAndLine(t *testing.T) {
	s := model(t)
	parseErr := theme()
	parseErr["templates/topic.html"] = &fstest.MapFile{Data: []byte("{{define \"main\"}}\n\n{{if}}{{end}}")}
	_, errs := New(parseErr, s.Config)
	if errs == nil || !strings.HasPrefix(errs.Error(), "templates/topic.html:3:") {
		t.Errorf("parse error = %v", errs)
	}

	execErr := theme()
	execErr["templates/article.html"] = &fstest.MapFile{Data: []byte("{{define \"main\"}}\n{{.Article.Titel}}{{end}}")}
	r, errs := New(execErr, s.Config)
	if errs != nil {
		t.Fatal(errs)
	}
	_, err := r.Render(s.Page("/2026/01/02/a/"))
	if err == nil || !strings.HasPrefix(err.Error(), "templates/article.html:2:") || !strings.Contains(err.Error(), "Titel") {
		t.Errorf("execution error = %v", err)
	}

	missing := theme()
	delete(missing, "templates/archive.html")
	if _, errs := New(missing, s.Config); errs == nil || !strings.Contains(errs.Error(), "templates/archive.html: missing") {
		t.Errorf("missing template: %v", errs)
	}
}

// cachedArticle renders a list item once per version of an article: the
// topic page and the day page share it, and a new version of the article
// put in place (as the dev server does) is rendered afresh.
func TestCachedArticleFollowsNewVersions(t *testing.T) {
	fsys := theme()
	fsys["templates/partials.html"] = &fstest.MapFile{Data: []byte(`{{define "item"}}<li>{{.Title}} #{{.WordCount}}</li>{{end}}`)}
	fsys["templates/topic.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{range .Pager.Articles}}{{cachedArticle "item" .}}{{end}}{{end}}`)}
	fsys["templates/edition.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{range .Edition.Articles}}{{cachedArticle "item" .}}{{end}}{{end}}`)}
	s := model(t)
	r, errs := New(fsys, s.Config)
	if errs != nil {
		t.Fatal(errs)
	}
	render := func(url string) string {
		t.Helper()
		out, err := r.Render(s.Page(url))
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	for _, url := range []string{"/topics/news/", "/2026/01/02/", "/topics/news/"} {
		if got := render(url); !strings.Contains(got, "<li>A &amp; B #0</li>") {
			t.Errorf("%s: %s", url, got)
		}
	}
	next := *s.Articles[0].Article
	next.Title, next.WordCount = "A & C", 7
	if !s.Retarget(&next) {
		t.Fatal("Retarget refused a new title")
	}
	for _, url := range []string{"/topics/news/", "/2026/01/02/"} {
		if got := render(url); !strings.Contains(got, "<li>A &amp; C #7</li>") {
			t.Errorf("%s after the edit: %s", url, got)
		}
	}
}

// cachedTerm renders a link to a topic or tag once per model: every page
// showing it gets the first rendering, and a new model renders afresh. A
// page with no term to give it fails at the template's line.
func TestCachedTermOncePerModel(t *testing.T) {
	fsys := theme()
	fsys["templates/partials.html"] = &fstest.MapFile{Data: []byte(`{{define "link"}}<a href="{{relURL .URL}}">{{.Name}}</a>{{end}}`)}
	fsys["templates/article.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{cachedTerm "link" .Article.TopicTerm}}{{end}}`)}
	fsys["templates/topic.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{cachedTerm "link" .Term}}{{end}}`)}
	fsys["templates/edition.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}
{{cachedTerm "link" .Term}}{{end}}`)}
	s := model(t)
	r, errs := New(fsys, s.Config)
	if errs != nil {
		t.Fatal(errs)
	}
	render := func(s *site.Site, url string) string {
		t.Helper()
		out, err := r.Render(s.Page(url))
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	want := `<a href="/sub/topics/news/">News</a>`
	if got := render(s, "/2026/01/02/a/"); !strings.Contains(got, want) {
		t.Errorf("article: %s, want %s", got, want)
	}
	// The term changes behind the cache's back: pages keep the first
	// rendering, which shows that it is made only once.
	s.Topics[0].Name = "Changed"
	if got := render(s, "/topics/news/"); !strings.Contains(got, want) {
		t.Errorf("topic page: %s, want the cached %s", got, want)
	}
	// A new model has new terms, rendered afresh.
	fresh := model(t)
	fresh.Topics[0].Name = "Renamed"
	if got := render(fresh, "/topics/news/"); !strings.Contains(got, `<a href="/sub/topics/news/">Renamed</a>`) {
		t.Errorf("new model: %s", got)
	}
	_, err := r.Render(s.Page("/2026/01/02/"))
	if err == nil || !strings.Contains(err.Error(), "templates/edition.html:2") || !strings.Contains(err.Error(), "no topic or tag") {
		t.Errorf("a page with no term: %v, want an error at templates/edition.html:2", err)
	}
	// The template sees the link's fields only, not the articles, which
	// change under a kept rendering when the dev server patches one.
	fsys["templates/partials.html"] = &fstest.MapFile{Data: []byte(`{{define "link"}}{{len .Articles}}{{end}}`)}
	r, errs = New(fsys, s.Config)
	if errs != nil {
		t.Fatal(errs)
	}
	_, err = r.Render(fresh.Page("/topics/news/"))
	if err == nil || !strings.Contains(err.Error(), "templates/partials.html:1") || !strings.Contains(err.Error(), "Articles") {
		t.Errorf("a term link reading the articles: %v, want an error at templates/partials.html:1", err)
	}
}

// Minified templates render minified pages; a mistake in one is reported
// at its line as written, not the minified line.
func TestMinifiedTemplates(t *testing.T) {
	fsys := theme()
	fsys["templates/base.html"] = &fstest.MapFile{Data: []byte("<!DOCTYPE html>\n<html>\n  <head>\n    <title>{{.Title}}</title>\n  </head>\n  <body>\n    {{block \"main\" .}}{{end}}\n  </body>\n</html>\n")}
	fsys["templates/article.html"] = &fstest.MapFile{Data: []byte("{{define \"main\"}}\n  <p>\n    {{.Article.Title}}\n  </p>\n{{end}}")}
	s := model(t)
	r, errs := NewMinified(fsys, s.Config, minify.New(true))
	if errs != nil {
		t.Fatal(errs)
	}
	if !r.Minified() {
		t.Fatal("templates not minified")
	}
	page := s.Page("/2026/01/02/a/")
	out, err := r.Render(page)
	if err != nil {
		t.Fatal(err)
	}
	if want := "<!doctype html><html><head><title>A &amp; B</title></head><body><p>A &amp; B</p></body></html>"; string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
	if r.MinifiedPage(s.Page("/feed.xml")) || !r.MinifiedPage(page) {
		t.Error("MinifiedPage: feeds are not rendered from templates, pages are")
	}

	fsys["templates/article.html"] = &fstest.MapFile{Data: []byte("{{define \"main\"}}\n  <p>\n    {{.Article.Titel}}\n  </p>\n{{end}}")}
	r, errs = NewMinified(fsys, s.Config, minify.New(true))
	if errs != nil {
		t.Fatal(errs)
	}
	if _, err := r.Render(page); err == nil || !strings.HasPrefix(err.Error(), "templates/article.html:3:") {
		t.Errorf("execution error = %v, want it at line 3", err)
	}
}

func TestJSONLDPublisherLogoAndAuthors(t *testing.T) {
	s := model(t)
	s.Config.Publisher.Name, s.Config.Publisher.Logo = "X News", "/logo.png"
	page := s.Page("/2026/01/02/a/")
	decode := func() map[string]any {
		t.Helper()
		js, err := jsonLD(page)
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(js), &v); err != nil {
			t.Fatalf("%v: %s", err, js)
		}
		return v
	}
	v := decode()
	pub := v["publisher"].(map[string]any)
	if pub["name"] != "X News" || pub["logo"].(map[string]any)["url"] != "https://x.example/sub/logo.png" {
		t.Errorf("publisher = %v", pub)
	}
	if author := v["author"].(map[string]any); author["name"] != "X News" {
		t.Errorf("without authors, the author is the publisher: %v", author)
	}
	if _, ok := v["description"]; ok {
		t.Errorf("an empty summary gives a description: %v", v)
	}
	page.Article.Authors = []string{"Ann Lee", "Bo Chan"}
	s.Config.Authors = map[string]string{"Ann Lee": "/staff/ann/", "Bo Chan": "https://bo.example/"}
	v = decode()
	authors := v["author"].([]any)
	if len(authors) != 2 || authors[1].(map[string]any)["name"] != "Bo Chan" {
		t.Errorf("authors = %v", v["author"])
	}
	for i, want := range []string{"https://x.example/sub/staff/ann/", "https://bo.example/"} {
		if got := authors[i].(map[string]any)["url"]; got != want {
			t.Errorf("author %d: url %v, want %s", i, got, want)
		}
	}
	s.Config.Publisher.Logo = ""
	v = decode()
	if logo := v["publisher"].(map[string]any)["logo"].(map[string]any)["url"]; logo != "https://x.example/sub/favicon.svg" {
		t.Errorf("without [publisher] logo, the logo is %v, want the site's icon", logo)
	}
}

// TestFavicon: the generated icon is the first letter of the title (after
// an English article), in an SVG; a title without letters gets the square
// alone.
func TestFavicon(t *testing.T) {
	for title, want := range map[string]string{
		"The Harbour Digest": ">H</text>",
		"benchmark daily":    ">B</text>",
		"The":                ">T</text>",
		"« ölzeitung »":      ">Ö</text>",
		"<&>":                "",
	} {
		s := model(t)
		s.Config.Title = title
		out, err := renderFavicon(s.Page("/favicon.svg"))
		if err != nil {
			t.Fatal(err)
		}
		got := string(out)
		if !strings.HasPrefix(got, `<svg xmlns="http://www.w3.org/2000/svg"`) || !strings.HasSuffix(got, "</svg>\n") ||
			(want == "") == strings.Contains(got, "<text") || !strings.Contains(got, want) {
			t.Errorf("%q: %s", title, got)
		}
	}
}

// A page that fails only with the minified templates is made from the
// templates as written and minified whole.
func TestPageFailingOnlyMinifiedComesFromTheRawTemplates(t *testing.T) {
	fsys := theme()
	fsys["templates/article.html"] = &fstest.MapFile{Data: []byte("{{define \"main\"}}\n  <p>\n    {{.Article.Title}}\n  </p>\n{{end}}")}
	s := model(t)
	r, errs := NewMinified(fsys, s.Config, minify.New(true))
	if errs != nil || !r.Minified() {
		t.Fatal(errs)
	}
	broken, err := r.run.pages[site.KindArticle].Clone()
	if err != nil {
		t.Fatal(err)
	}
	template.Must(broken.New("article.html").Parse(`{{define "main"}}{{.Nope}}{{end}}`))
	r.run.pages[site.KindArticle] = broken
	out, err := r.Render(s.Page("/2026/01/02/a/"))
	if err != nil {
		t.Fatal(err)
	}
	// Minified whole: the whitespace goes, and "&amp; " may be a bare "& ".
	if want := "<title>A & B</title><p>A & B</p>"; string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
}

// TestEveryKindHasATemplateOrAGenerator: each kind of page in site's kind
// table is made one way, and the built-in theme has the template of every
// kind made from one. A kind added to the table without its template or
// its generator fails here.
func TestEveryKindHasATemplateOrAGenerator(t *testing.T) {
	theme := digest.Theme()
	for _, k := range site.Kinds() {
		hasGen := generated(k.Kind)
		switch {
		case k.Template && hasGen:
			t.Errorf("kind %q is made from a template and has a generator too", k.Kind)
		case k.Template:
			if _, err := fs.Stat(theme, "templates/"+string(k.Kind)+".html"); err != nil {
				t.Errorf("kind %q: the built-in theme has no templates/%s.html: %v", k.Kind, k.Kind, err)
			}
		case !hasGen:
			t.Errorf("kind %q is not made from a template and has no generator in package render", k.Kind)
		}
	}
	for k := range generators {
		if k.Info().Route == "" {
			t.Errorf("generator for %q, a kind that site's kind table does not describe", k)
		}
	}
}

// TestFeedsDropHeadingAnchors: the "#" links of headings, as the Markdown
// converter writes them and as the minifier leaves them, are not in feeds.
func TestFeedsDropHeadingAnchors(t *testing.T) {
	for _, body := range []string{
		`<h2 id="a">A<a href="#a" class="anchor" title="Link to this section">#</a></h2><p>x</p>`,
		`<h2 id=a>A<a href=#a class=anchor title="Link to this section">#</a></h2><p>x</p>`,
		`<h2 id=a>A<a href=#a class=anchor>#</a></h2><p>x</p>`,
	} {
		got := withoutAnchors(body)
		if strings.Contains(got, "#</a>") || !strings.Contains(got, "A</h2><p>x</p>") {
			t.Errorf("withoutAnchors(%s) = %s", body, got)
		}
	}
	keep := `<p><a href="#n" class="anchors">#</a> <a href="#m">#</a></p>`
	if got := withoutAnchors(keep); got != keep {
		t.Errorf("withoutAnchors changed other links: %s", got)
	}
}
