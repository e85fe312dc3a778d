package importer

import (
	"strings"
	"testing"
	"time"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/meta"
)

func TestParseDate(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	tests := []struct {
		in, want string // want as date.String(), "" for an error
	}{
		{"2014-12-12", "2014-12-12"},
		{"2014-1-5", "2014-01-05"},
		{"2014-12-12T10:00:00Z", "2014-12-12T10:00:00Z"},
		{"2014-12-12 10:00:00 -0500", "2014-12-12T10:00:00-05:00"},
		{"2014-12-12 10:00", "2014-12-12T10:00:00-05:00"}, // in the site's zone
		{"2014-1-5 9:05:00 +0100", "2014-01-05T09:05:00+01:00"},
		{"2014-12-12 10:00:00 UTC", "2014-12-12T10:00:00Z"},
		{"2014-12-12T10:00:00.5+02:00", "2014-12-12T10:00:00.5+02:00"},
		{"2014-02-30", ""},
		{"12 December 2014", ""},
		{"Last Modified", ""},
	}
	for _, tt := range tests {
		d, err := parseDate(tt.in, ny)
		got := ""
		if err == nil {
			got = d.String()
		}
		if got != tt.want {
			t.Errorf("parseDate(%q) = %q (%v), want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestDateFromNameAndPath(t *testing.T) {
	for _, tt := range []struct{ name, date, rest string }{
		{"2014-12-12-old-title", "2014-12-12", "old-title"},
		{"2024-03-01_spring-tides", "2024-03-01", "spring-tides"},
		{"2023-5-23-harbour-day", "2023-05-23", "harbour-day"},
		{"old-title", "", "old-title"},
		{"2014-12-12", "", "2014-12-12"},
	} {
		d, rest, ok := dateFromName(tt.name, time.UTC)
		got := ""
		if ok {
			got = d.String()
		}
		if got != tt.date || rest != tt.rest {
			t.Errorf("dateFromName(%q) = %q, %q; want %q, %q", tt.name, got, rest, tt.date, tt.rest)
		}
	}
	for _, tt := range []struct{ path, date string }{
		{"2024/01/15/weather", "2024-01-15"},
		{"/blog/2019-05-13-hello/", "2019-05-13"},
		{"/blog/hello/", ""},
		{"/2024/13/40/x/", ""},
	} {
		d, ok := dateFromPath(tt.path, time.UTC)
		got := ""
		if ok {
			got = d.String()
		}
		if got != tt.date {
			t.Errorf("dateFromPath(%q) = %q, want %q", tt.path, got, tt.date)
		}
	}
}

// jekyllPost is a post as Jekyll's permalinks see it.
func jekyllPost(file string, date string, cats []string, fm front) *post {
	d, _ := parseDate(date, time.UTC)
	return &post{file: file, rel: file, stem: stemOf(file), cats: cats, date: d, fm: fm}
}

func TestJekyllPermalinks(t *testing.T) {
	j := &jekyllSite{c: conf{}, loc: time.UTC}
	tests := []struct {
		name   string
		permal string // the site's permalink
		p      *post
		want   string
	}{
		{"date style by default", "", jekyllPost("_posts/2014-12-12-Old-Title.md", "2014-12-12", nil, front{}), "/2014/12/12/Old-Title.html"},
		{"pretty with categories", "pretty", jekyllPost("_posts/2014-12-12-old-title.md", "2014-12-12", []string{"News"}, front{cats: []string{"World", "news"}}), "/news/world/2014/12/12/old-title/"},
		{"none", "none", jekyllPost("_posts/2014-12-12-old-title.md", "2014-12-12", nil, front{}), "/old-title.html"},
		{"ordinal", "ordinal", jekyllPost("_posts/2014-02-01-x.md", "2014-02-01", nil, front{}), "/2014/032/x.html"},
		{"pattern with slug from front matter", "/blog/:year/:i_month/:i_day/:slug/", jekyllPost("_posts/2014-03-05-a.md", "2014-03-05", nil, front{slug: "Hello World"}), "/blog/2014/3/5/hello-world/"},
		{"the post's own permalink wins", "pretty", jekyllPost("_posts/2014-12-12-old-title.md", "2014-12-12", nil, front{url: "/about-the-title/"}), "/about-the-title/"},
		{"pretty slugify keeps some marks", "/:title/", jekyllPost("_posts/2014-12-12-C++ & you!.md", "2014-12-12", nil, front{}), "/C++-&-you!/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j.c = conf{}
			if tt.permal != "" {
				j.c["permalink"] = tt.permal
			}
			if got := j.oldURL(tt.p); got != tt.want {
				t.Errorf("oldURL = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestJekyllDefaultsPermalink(t *testing.T) {
	j := &jekyllSite{root: ".", loc: time.UTC, c: conf{
		"permalink": "pretty",
		"defaults": []any{
			map[string]any{"scope": map[string]any{"path": "_posts", "type": "posts"}, "values": map[string]any{"permalink": "/posters/:title/"}},
		},
	}}
	if got := j.oldURL(jekyllPost("_posts/2014-12-12-x.md", "2014-12-12", nil, front{})); got != "/posters/x/" {
		t.Errorf("oldURL = %q, want the defaults' /posters/x/", got)
	}
}

func TestHugoPermalinks(t *testing.T) {
	d, _ := parseDate("2024-11-04T08:30:00Z", time.UTC)
	mk := func(file, dir, slug, title, url string) *post {
		return &post{file: file, stem: stemOf(file), dir: dir, date: d, fm: front{slug: slug, url: url, a: article{title: title}}}
	}
	tests := []struct {
		name  string
		perms conf
		ugly  bool
		p     *post
		want  string
	}{
		{"section path and file name", nil, false, mk("content/posts/My Post.md", "posts", "", "T", ""), "/posts/my-post/"},
		{"slug replaces the file name", nil, false, mk("content/posts/x.md", "posts", "better-name", "T", ""), "/posts/better-name/"},
		{"url wins", conf{"posts": "/:year/:slug/"}, false, mk("content/posts/x.md", "posts", "", "T", "/special/Place/"), "/special/Place/"},
		{"url without a final slash", nil, false, mk("content/posts/x.md", "posts", "", "T", "articles/first"), "/articles/first/"},
		{"url with an extension", nil, false, mk("content/posts/x.md", "posts", "", "T", "/old/first.html"), "/old/first.html"},
		{"pattern with title", conf{"posts": "/:year/:month/:title/"}, false, mk("content/posts/x.md", "posts", "", "Hello, World!", ""), "/2024/11/hello-world/"},
		{"page table, sections and Go layouts", conf{"page": map[string]any{"posts": "/:sections[1:]/:2006/:filename/"}}, false, mk("content/posts/deep/x.md", "posts/deep", "", "T", ""), "/deep/2024/x/"},
		{"ugly URLs", nil, true, mk("content/posts/x.md", "posts", "", "T", ""), "/posts/x.html"},
		{"a pattern without a final slash", conf{"posts": "/:section/:year/:slug"}, false, mk("content/posts/x.md", "posts", "s", "T", ""), "/posts/2024/s/"},
		{"the same, ugly", conf{"posts": "/:section/:year/:slug"}, true, mk("content/posts/x.md", "posts", "s", "T", ""), "/posts/2024/s.html"},
		{"unknown token", conf{"posts": "/:nope/:slug/"}, false, mk("content/posts/x.md", "posts", "", "T", ""), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &hugoSite{permalinks: tt.perms, lower: true, ugly: tt.ugly}
			if got := h.oldURL(tt.p); got != tt.want {
				t.Errorf("oldURL = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestZolaURLs(t *testing.T) {
	mk := func(stem, section, slug, path string) *post {
		return &post{stem: stem, section: section, fm: front{slug: slug, url: path}}
	}
	tests := []struct {
		paths string
		p     *post
		want  string
	}{
		{"on", mk("2024-03-01_Spring Tides", "blog", "", ""), "/blog/spring-tides/"},
		{"on", mk("x", "blog/Café Notes", "Über uns", ""), "/blog/cafe-notes/uber-uns/"},
		{"safe", mk("Spring Tides", "blog", "", ""), "/blog/Spring Tides/"},
		{"on", mk("x", "blog", "", "/2019/05/13/hello"), "/2019/05/13/hello/"},
		{"on", mk("x", "blog", "", "feed.xml"), "/feed.xml"},
	}
	for _, tt := range tests {
		z := &zolaSite{paths: tt.paths}
		if got := z.oldURL(tt.p); got != tt.want {
			t.Errorf("slugify.paths %s, %+v: oldURL = %q, want %q", tt.paths, tt.p.fm, got, tt.want)
		}
	}
}

func TestEleventyURLs(t *testing.T) {
	d, _ := parseDate("2024-06-03", time.UTC)
	e := &eleventySite{input: "content"}
	tests := []struct {
		rel, permalink, title string
		want                  string
	}{
		{"blog/2024-06-03-first-light.md", "", "", "/blog/2024-06-03-first-light/"},
		{"blog/trip/index.md", "", "", "/blog/trip/"},
		{"blog/trip/trip.md", "", "", "/blog/trip/"},
		{"blog/2024-06-03-first-light.md", "/log/{{ page.fileSlug }}/", "", "/log/first-light/"},
		{"blog/x.md", "{{ page.date | date: \"%Y/%m\" }}/{{ title | slugify }}/index.html", "Hello There", "/2024/06/hello-there/"},
		{"blog/x.md", "{{ page.filePathStem }}.html", "", "/blog/x.html"},
		{"blog/x.md", "/{{ someData.x }}/", "", ""},
	}
	for _, tt := range tests {
		p := &post{rel: tt.rel, stem: stemOf(tt.rel), date: d, fm: front{url: tt.permalink, a: article{title: tt.title}}}
		if got := e.oldURL(p); got != tt.want {
			t.Errorf("%s with permalink %q: oldURL = %q, want %q", tt.rel, tt.permalink, got, tt.want)
		}
	}
}

func TestLastSegmentAndSlug(t *testing.T) {
	for _, tt := range []struct{ url, seg string }{
		{"/2014/12/12/old-title.html", "old-title"},
		{"/posts/my-post/", "my-post"},
		{"/posts/my-post/index.html", "my-post"},
		{"/caf%C3%A9/", "café"},
		{"/", ""},
		{"", ""},
	} {
		if got := lastSegment(tt.url); got != tt.seg {
			t.Errorf("lastSegment(%q) = %q, want %q", tt.url, got, tt.seg)
		}
	}
	cfg := config.Default()
	pl := &planner{cfg: cfg}
	d, _ := parseDate("2014-12-12", time.UTC)
	for _, tt := range []struct {
		old, stem, slug, title, want string
		changed                      bool
	}{
		{"/2014/12/12/old-title.html", "x", "", "T", "old-title", false},
		{"/posts/C++-Tips/", "x", "", "T", "c-tips", true},
		{"/blog/2014-12-12-first/", "x", "", "T", "first", true},
		{"", "2014-12-12-from-the-name", "", "T", "from-the-name", false},
		{"", "x", "Own Slug", "T", "own-slug", false},
		{"/!!!/", "", "", "Title Words", "title-words", false},
		{"/con/", "", "", "", "con-1", true},
	} {
		p := &post{oldURL: tt.old, stem: tt.stem, date: d, fm: front{slug: tt.slug, a: article{title: tt.title}}}
		if got := pl.slug(p); got != tt.want {
			t.Errorf("slug for %q = %q, want %q", tt.old, got, tt.want)
		}
		if changed := len(p.warnings) > 0; changed != tt.changed {
			t.Errorf("slug for %q: warnings %v, want a warning: %v", tt.old, p.warnings, tt.changed)
		}
	}
}

func TestResolveAlias(t *testing.T) {
	pl := &planner{set: settings{baseURL: "https://example.org/"}, r: &Report{Generator: Hugo}}
	p := &post{oldURL: "/2020/01/new-name/", dir: "posts"}
	for _, tt := range []struct{ alias, want string }{
		{"/old/path/", "/old/path/"},
		{"/old/page.html", "/old/page.html"},
		{"old-name", "/posts/old-name/"},
		{"../elsewhere", "/elsewhere/"},
		{"https://example.org/moved/?x=1#a", "/moved/"},
		{"https://other.example/moved/", ""},
		{"/a%20b/", "/a b/"},
		{`/back\slash/`, ""},
	} {
		got, ok := pl.resolveAlias(p, tt.alias)
		if !ok {
			got = ""
		}
		if got != tt.want {
			t.Errorf("resolveAlias(%q) = %q, want %q", tt.alias, got, tt.want)
		}
	}
}

func TestEmitReadsBackAsWritten(t *testing.T) {
	d, _ := parseDate("2024-05-01T10:00:00+02:00", time.UTC)
	params := []*meta.Field{
		{Key: "layout", Value: &meta.Node{Kind: meta.String, Text: "post"}},
		{Key: "weight", Value: &meta.Node{Kind: meta.Int, Text: "10"}},
		{Key: "odd key", Value: &meta.Node{Kind: meta.String, Text: "line\none \"quoted\" \\ \t\x01"}},
		{Key: "nested", Value: &meta.Node{Kind: meta.Map, Fields: []*meta.Field{
			{Key: "list", Value: &meta.Node{Kind: meta.List, List: []*meta.Node{{Kind: meta.String, Text: "a"}, {Kind: meta.Map, Fields: []*meta.Field{{Key: "k", Value: &meta.Node{Kind: meta.Bool, Text: "true"}}}}}}},
		}}},
		{Key: "yes", Value: &meta.Node{Kind: meta.String, Text: "no"}},
	}
	a := &article{title: `Title: with "quotes" and # hash`, date: d, slug: "s", tags: []string{"a, b", "ü"}, summary: "yes",
		authors: []string{"Ann"}, image: "/i.png", imageAlt: "alt", draft: true, aliases: []string{"/old/"}, params: params}
	for _, format := range []fmFormat{yamlFront, tomlFront} {
		text := emit(format, a, "aliases") + "Body.\n"
		art, errs := content.NewParser(config.Default()).Parse("content/x.md", []byte(text))
		if err := errs.Err(); err != nil {
			t.Fatalf("format %d: %v\n%s", format, err, text)
		}
		if art.Title != a.title || art.Summary != "yes" || art.Slug != "s" || !art.Draft || art.Image != "/i.png" ||
			strings.Join(art.Tags, "|") != "a, b|ü" || !art.Date.Equal(d.t) || strings.Join(art.Aliases, "|") != "/old/" {
			t.Errorf("format %d: read back %+v\n%s", format, art, text)
		}
		if art.Params["odd key"] != "line\none \"quoted\" \\ \t\x01" || art.Params["yes"] != "no" || art.Params["weight"] != int64(10) {
			t.Errorf("format %d: params read back %#v\n%s", format, art.Params, text)
		}
	}
}

// Jekyll makes a post's URL from its date in the site's timezone: 02:00
// UTC on the 13th is the 12th in New York.
func TestJekyllURLsUseTheSiteTimezone(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	j := &jekyllSite{c: conf{"permalink": "pretty"}, loc: ny}
	p := jekyllPost("_posts/2014-12-13-late.md", "2014-12-13T02:00:00Z", nil, front{})
	if got := j.oldURL(p); got != "/2014/12/12/late/" {
		t.Errorf("oldURL = %q, want /2014/12/12/late/", got)
	}
}

func TestRelativeLinksLeadWhereTheyLed(t *testing.T) {
	other := &post{oldURL: "/posts/other/", url: "/2024/10/21/other/"}
	rl := newRelinker("/news", []*post{other})
	plain := &post{oldURL: "/posts/x/", url: "/2024/11/04/x/"}
	bundled := &post{oldURL: "/posts/b/", url: "/2024/11/04/b/", bundle: "content/posts/b"}
	tests := []struct {
		name string
		p    *post
		in   string
		want string
	}{
		{"a post by its old address", plain, "See [o](../other/).", "See [o](/news/2024/10/21/other/)."},
		{"a static file", plain, "![i](../../images/a.png)", "![i](/news/images/a.png)"},
		{"fragment and query kept", plain, "[o](../other/#part) [q](../../search/?q=x)", "[o](/news/2024/10/21/other/#part) [q](/news/search/?q=x)"},
		{"a reference definition", plain, "[o]\n\n[o]: ../other/\n", "[o]\n\n[o]: /news/2024/10/21/other/\n"},
		{"angle brackets", plain, "[o](<../other/>)", "[o](</news/2024/10/21/other/>)"},
		{"a bundle file stays", bundled, "![q](quay.svg) ![r](./data/r.csv)", "![q](quay.svg) ![r](./data/r.csv)"},
		{"outside the bundle", bundled, "[o](../other/)", "[o](/news/2024/10/21/other/)"},
		{"absolute, anchors and other schemes stay", plain, "[a](/x/) [b](#top) [c](https://e.org/) [d](mailto:a@e.org) [e](//e.org/x)", "[a](/x/) [b](#top) [c](https://e.org/) [d](mailto:a@e.org) [e](//e.org/x)"},
		{"code stays", plain, "```\n[o](../other/)\n```\n`[o](../other/)` and [o](../other/)", "```\n[o](../other/)\n```\n`[o](../other/)` and [o](/news/2024/10/21/other/)"},
		{"no old address, nothing known", &post{url: "/2024/11/04/y/"}, "[o](../other/)", "[o](../other/)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bundle := map[string]bool{"quay.svg": true, "data/r.csv": true}
			if got, _ := rl.fix(tt.in, tt.p, bundle); got != tt.want {
				t.Errorf("fix(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSplitCode(t *testing.T) {
	in := "a `b` c ``d ` e`` f ` g\n~~~\nh\n~~~\ni"
	var code []string
	var all strings.Builder
	for _, s := range splitCode(in) {
		all.WriteString(s.text)
		if s.code {
			code = append(code, s.text)
		}
	}
	if all.String() != in {
		t.Errorf("the segments do not add up to the text: %q", all.String())
	}
	if want := []string{"`b`", "``d ` e``", "~~~\nh\n~~~\n"}; strings.Join(code, "|") != strings.Join(want, "|") {
		t.Errorf("code = %q, want %q", code, want)
	}
}

func TestRewriteSkipsKeysWithoutValues(t *testing.T) {
	root, err := meta.ParseYAML([]byte("title: T\ndescription:\nimage: ~\ndate: 2020-01-01\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := &post{file: "content/posts/t.md", src: &source{format: yamlFront, front: root}}
	fm := rewrite(Hugo, p, time.UTC, digestKey())
	if fm.a.summary != "" || fm.a.image != "" || len(fm.a.params) != 0 || len(p.warnings) != 0 {
		t.Errorf("empty keys gave summary %q, image %q, params %v, warnings %v", fm.a.summary, fm.a.image, fm.a.params, p.warnings)
	}
}

func TestHasRawHTML(t *testing.T) {
	for _, tt := range []struct {
		md   string
		want bool
	}{
		{"a <br> b", true},
		{"<div class=\"note\">x</div>", true},
		{"<!-- a comment -->", true},
		{"a <!--more--> b <!-- more -->", false},
		{"an autolink <https://example.org/>", false},
		{"`<b>` in code and\n```\n<div>\n```\n", false},
		{"1 < 2 and 3 > 2", false},
	} {
		if got := hasRawHTML(tt.md); got != tt.want {
			t.Errorf("hasRawHTML(%q) = %v, want %v", tt.md, got, tt.want)
		}
	}
}
