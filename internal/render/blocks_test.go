package render

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/minify"
)

// Issue "Nothing published by mistake", item 2: an article.html that
// defines no "main" block, or a block the layout does not use, built with
// exit 0 and every article page had an empty <main>. Each is now an error
// at the template's line, found when the templates are parsed.
func TestPageTemplateBlocksTheLayoutDoesNotShow(t *testing.T) {
	for _, tc := range []struct {
		name, article, want string
	}{{
		name:    "typo",
		article: "{{define \"head\"}}<meta name=x>{{end}}\n\n{{define \"mian\"}}\n<h1>{{.Title}}</h1>\n{{end}}",
		want:    `templates/article.html:3:1: defines block "mian", which base.html never uses, so it never shows (did you mean "main"? the layout uses: head, main)`,
	}, {
		name:    "typo with trim markers",
		article: "  {{- define \"mian\" -}}\n<h1>{{.Title}}</h1>\n{{- end}}",
		want:    `templates/article.html:1:3: defines block "mian", which base.html never uses, so it never shows (did you mean "main"? the layout uses: head, main)`,
	}, {
		name:    "a block of another layout",
		article: "{{define \"main\"}}<h1>{{.Title}}</h1>{{end}}\n{{block `sidebar` .}}<aside></aside>{{end}}",
		want:    `templates/article.html:2:1: defines block "sidebar", which base.html never uses, so it never shows (the layout uses: head, main; remove it, or show it from one of them with {{template "sidebar" .}})`,
	}, {
		name:    "no main",
		article: "{{define \"head\"}}<meta name=x>{{end}}",
		want:    `templates/article.html:1:1: defines no "main" block, so every page it makes would have an empty main (define it: {{define "main"}}…{{end}})`,
	}, {
		name:    "empty main",
		article: "{{define \"head\"}}<meta name=x>{{end}}\n{{define \"main\"}}\n  \n{{end}}",
		want:    `templates/article.html:2:1: defines an empty "main" block, so every page it makes would have an empty main (fill it: {{define "main"}}…{{end}})`,
	}, {
		name:    "a whole page without define",
		article: "<!DOCTYPE html>\n<h1>{{.Title}}</h1>",
		want:    `templates/article.html:1:1: has no "main" block, so its text outside {{define}} is never shown and every page it makes would have an empty main (wrap the page's content in {{define "main"}}…{{end}})`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := theme()
			fsys["templates/base.html"] = &fstest.MapFile{Data: []byte(`<head>{{block "head" .}}{{end}}</head><main>{{block "main" .}}{{end}}</main>`)}
			fsys["templates/article.html"] = &fstest.MapFile{Data: []byte(tc.article)}
			_, errs := New(fsys, config.Default())
			if errs.Error() != tc.want {
				t.Errorf("got  %v\nwant %s", errs, tc.want)
			}
			// The minified parse reports it alike, with the lines as written.
			_, errs = NewMinified(fsys, config.Default(), minify.New(true))
			if errs.Error() != tc.want {
				t.Errorf("minified: got  %v\nwant %s", errs, tc.want)
			}
		})
	}
}

// Every page template with the problem is reported, all at once.
func TestEveryPageTemplateWithoutMainIsReported(t *testing.T) {
	fsys := theme()
	fsys["templates/tag.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{end}}`)}
	fsys["templates/topic.html"] = &fstest.MapFile{Data: []byte(`{{define "mian"}}x{{end}}`)}
	_, errs := New(fsys, config.Default())
	got := errs.Error()
	for _, want := range []string{
		`templates/tag.html:1:1: defines an empty "main" block`,
		`templates/topic.html:1:1: defines block "mian", which base.html never uses`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if len(errs) != 2 {
		t.Errorf("%d errors, want 2:\n%s", len(errs), got)
	}
}

// What a page template may rightly define or leave out builds: a block of
// its own that its main calls, an override of a shared template, a
// template it renders with cachedArticle, and no main at all when the
// layout's own main block is not empty.
func TestPageTemplateBlocksTheLayoutShows(t *testing.T) {
	fsys := theme()
	fsys["templates/partials.html"] = &fstest.MapFile{Data: []byte(`{{define "byline"}}by{{end}}{{define "item"}}<li>{{.Title}}</li>{{end}}`)}
	fsys["templates/article.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{template "story" .}}{{end}}
{{define "story"}}{{if .Article}}{{with .Article}}{{template "byline" .}}{{end}}{{end}}{{end}}
{{define "byline"}}by line{{end}}`)}
	fsys["templates/home.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{range .Site.Articles}}{{cachedArticle "home-item" .}}{{end}}{{end}}
{{define "home-item"}}<li>{{.Title}}</li>{{end}}`)}
	fsys["templates/topic.html"] = &fstest.MapFile{Data: []byte(`{{block "main" .}}topic{{end}}`)}
	fsys["templates/tag.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{with .Pager}}{{range .Articles}}{{cachedArticle "item" .}}{{else}}none{{end}}{{end}}{{end}}`)}
	if _, errs := New(fsys, config.Default()); errs != nil {
		t.Fatal(errs)
	}

	withDefault := theme()
	withDefault["templates/base.html"] = &fstest.MapFile{Data: []byte(`<main>{{block "main" .}}<p>Nothing here yet.</p>{{end}}</main>`)}
	withDefault["templates/404.html"] = &fstest.MapFile{Data: []byte(``)}
	if _, errs := New(withDefault, config.Default()); errs != nil {
		t.Fatal(errs)
	}
}

// In home.html, whose set the cached templates run in, a template named
// by something other than a string in cached could be any template, so no
// block is reported as unused.
func TestDynamicCachedNameUsesAnyBlock(t *testing.T) {
	fsys := theme()
	fsys["templates/home.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{cached (printf "%s-box" .Kind) "" .}}{{end}}{{define "home-box"}}box{{end}}`)}
	if _, errs := New(fsys, config.Default()); errs != nil {
		t.Fatal(errs)
	}
}

// The templates cached, cachedArticle and cachedTerm render come from the
// shared templates for every page, so another page template's own version
// of one never shows: an article.html that changed the footer built, and
// its pages had the theme's footer.
func TestPageTemplateOverridingACachedTemplate(t *testing.T) {
	fsys := theme()
	fsys["templates/base.html"] = &fstest.MapFile{Data: []byte(`<main>{{block "main" .}}{{end}}</main>{{cached "footer" "" .}}`)}
	fsys["templates/partials.html"] = &fstest.MapFile{Data: []byte(`{{define "footer"}}<footer>{{template "credits" .}}</footer>{{end}}{{define "credits"}}digest{{end}}`)}
	fsys["templates/article.html"] = &fstest.MapFile{Data: []byte("{{define \"main\"}}story{{end}}\n{{define \"footer\"}}<footer>mine</footer>{{end}}\n{{define \"credits\"}}me{{end}}")}
	_, errs := New(fsys, config.Default())
	want := `templates/article.html:2:1: defines block "footer", which pages get from the shared templates (it is rendered once for all of them, with cached), so this one never shows (to change it on every page, define it in partials.html or a file of your own in templates/)
templates/article.html:3:1: defines block "credits", which pages get from the shared templates (it is rendered once for all of them, with cached), so this one never shows (to change it on every page, define it in partials.html or a file of your own in templates/)`
	if errs.Error() != want {
		t.Errorf("got  %v\nwant %s", errs, want)
	}

	// In home.html they do show, on every page.
	delete(fsys, "templates/article.html")
	fsys["templates/article.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}story{{end}}`)}
	fsys["templates/home.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}home{{end}}{{define "credits"}}me{{end}}`)}
	if _, errs := New(fsys, config.Default()); errs != nil {
		t.Fatal(errs)
	}
}

// The built-in theme (templates/ at the repository's root) passes.
func TestBuiltInThemeFillsTheLayout(t *testing.T) {
	if _, errs := New(os.DirFS("../.."), config.Default()); errs != nil {
		t.Fatal(errs)
	}
}
