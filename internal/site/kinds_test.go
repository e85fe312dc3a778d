package site

import (
	"github.com/digest-ssg/digest/internal/content"
	"regexp"
	"strings"
	"testing"
)

// TestEveryKindIsDescribedCompletely: an entry of the kind table that
// forgets its route, media type or the source of its modified time fails
// here, and so does a kind constant used by the routes but not described.
func TestEveryKindIsDescribedCompletely(t *testing.T) {
	seen := map[Kind]bool{}
	for _, k := range Kinds() {
		if seen[k.Kind] {
			t.Errorf("kind %q is described twice", k.Kind)
		}
		seen[k.Kind] = true
		if k.Kind == "" || k.Route == "" || k.MediaType == "" || k.Modified == modifiedUnset {
			t.Errorf("kind %q is incomplete: %+v", k.Kind, k)
		}
		if k.Template && !strings.HasPrefix(k.MediaType, "text/html") {
			t.Errorf("kind %q is made from an HTML template but its media type is %s", k.Kind, k.MediaType)
		}
		if _, err := routePattern(k.Route); err != nil {
			t.Errorf("kind %q: route %q: %v", k.Kind, k.Route, err)
		}
	}
	if Kind("nope").Info().Route != "" || Kind("nope").IsHTML() {
		t.Error("an unknown kind has a description")
	}
}

// routePattern turns a KindInfo.Route into a regular expression.
func routePattern(route string) (*regexp.Regexp, error) {
	r := regexp.QuoteMeta(route)
	for from, to := range map[string]string{
		"YYYY": `\d{4}`, "MM": `\d{2}`, "DD": `\d{2}`,
		"<slug>": `[^/]+`, "<n>": `[0-9]+`, "<path>": `/.*`, `\[`: `(?:`, `\]`: `)?`,
	} {
		r = strings.ReplaceAll(r, regexp.QuoteMeta(from), to)
		r = strings.ReplaceAll(r, from, to)
	}
	return regexp.Compile("^" + r + "$")
}

// TestEveryPageMatchesItsKind: each page of a site with every kind of
// page has a URL of its kind's route pattern, the sitemap lists exactly the
// pages whose kind says so, and every described kind occurs but the
// sitemap index (see TestSitemapIndexPast50000URLs).
func TestEveryPageMatchesItsKind(t *testing.T) {
	c := cfg(t, "base_url = \"https://x.example/\"\nper_page = 1\ntopics = [\"World\"]") // absolute: the email edition too
	moved := art(c, "a.md", "A", "2026-11-27T08:00:00Z", "World", "energy")
	moved.Aliases = []string{"/blog/2019/old-a/", "/old-a.html"}
	s := build(t, c,
		moved,
		art(c, "b.md", "B", "2026-11-27T09:00:00Z", "World", "energy"),
		art(c, "c.md", "C", "2026-11-28T07:00:00Z", "Business"),
	)
	occurs := map[Kind]bool{}
	var sitemap *Page
	for _, p := range s.Pages {
		occurs[p.Kind] = true
		re, err := routePattern(p.Kind.Info().Route)
		if err != nil || !re.MatchString(p.URL) {
			t.Errorf("%s (%s) does not match its route %s", p.URL, p.Kind, p.Kind.Info().Route)
		}
		if p.URL == "/sitemap.xml" {
			sitemap = p
		}
	}
	for _, k := range Kinds() {
		if !occurs[k.Kind] && k.Kind != KindSitemapIndex {
			t.Errorf("no page of kind %q", k.Kind)
		}
	}
	listed := map[string]bool{}
	for _, p := range sitemap.Entries {
		listed[p.URL] = true
	}
	for _, p := range s.Pages {
		if listed[p.URL] != p.Kind.Info().Sitemap {
			t.Errorf("%s (%s): in the sitemap %v, its kind says %v", p.URL, p.Kind, listed[p.URL], p.Kind.Info().Sitemap)
		}
	}
}

// TestRetargetDeclinesWhenAKindIsNotPatchable: a site with a page whose
// kind cannot be patched builds a new model for every edit.
func TestRetargetDeclinesWhenAKindIsNotPatchable(t *testing.T) {
	c := cfg(t, `title = "x"`)
	a := art(c, "a.md", "A", "2026-11-27T08:00:00Z", "")
	s := build(t, c, a)
	next := *a
	next.Title = "A2"
	s.patchable = false // as if one of its pages were of such a kind
	if s.Retarget(&next) {
		t.Fatal("Retarget put an article in place in a site that has a kind that is not patchable")
	}
	s.patchable = true
	if !s.Retarget(&next) || s.Articles[0].Title != "A2" {
		t.Fatal("Retarget refused a presentation change")
	}
}

// TestRedirectPages: each alias of an article is a page that points at
// the article, _redirects lists them all sorted, and an alias that claims
// another page's URL is an error naming the article's file.
func TestRedirectPages(t *testing.T) {
	c := cfg(t, `title = "x"`)
	a := art(c, "a.md", "A", "2026-11-27T08:00:00Z", "")
	a.Aliases = []string{"/z/old/", "/a/old.html"}
	b := art(c, "b.md", "B", "2026-11-27T09:00:00Z", "")
	b.Aliases = []string{"/m/"}
	s := build(t, c, a, b)
	p := s.Page("/z/old/")
	if p == nil || p.Kind != KindRedirect || p.Article.URL != "/2026/11/27/a/" || p.Title != "A" || p.OutputPath() != "z/old/index.html" {
		t.Fatalf("redirect page = %+v", p)
	}
	list := s.Page("/_redirects")
	var got []string
	for _, e := range list.Entries {
		got = append(got, e.URL+" "+e.Article.URL)
	}
	if want := "/a/old.html /2026/11/27/a/,/m/ /2026/11/27/b/,/z/old/ /2026/11/27/a/"; strings.Join(got, ",") != want {
		t.Errorf("_redirects entries = %v, want %s", got, want)
	}
	if len(build(t, c, art(c, "c.md", "C", "2026-11-27T09:00:00Z", "")).Pages) == 0 || build(t, c, art(c, "c.md", "C", "2026-11-27T09:00:00Z", "")).Page("/_redirects") != nil {
		t.Error("a site without aliases has a _redirects file")
	}
	clash := art(c, "c.md", "C", "2026-11-27T10:00:00Z", "")
	clash.Aliases = []string{"/topics/"}
	_, errs := Build(c, []*content.Article{clash}, Options{Now: now})
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "content/c.md") || !strings.Contains(errs[0].Error(), "two pages claim /topics/") {
		t.Errorf("an alias over another page: %v", errs)
	}
}
