package importer

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/digest-ssg/digest/internal/meta"
	"github.com/digest-ssg/digest/internal/site"
)

// want is what importing a fixture must give.
type want struct {
	gen                                Generator
	found, imported, drafts, published int
	redirects, static, bundled         int
	classes                            map[Class]int
	converted                          map[string]int
	files                              []string // files the new site must have
	redirectsTo                        map[string]string
	siteTOML                           []string // lines site.toml must have
	person                             []string // prefixes of the warnings for a person, in order
	articles                           map[string]articleWant
}

type articleWant struct {
	format  string // "---" or "+++"
	front   map[string]string
	aliases []string
	params  []string // keys under params
	body    []string // what the body must hold
	notBody []string // what it must not
}

func checkImport(t *testing.T, name string, w want) {
	t.Helper()
	r, dir := importFS(t, fixture(t, name), Options{})
	if r.Generator != w.gen {
		t.Errorf("generator %s, want %s", r.Generator, w.gen)
	}
	got := []int{r.Found, r.Imported, r.Drafts, r.Redirects, r.Static, r.Bundled}
	exp := []int{w.found, w.imported, w.drafts, w.redirects, w.static, w.bundled}
	if !slices.Equal(got, exp) {
		t.Errorf("found, imported, drafts, redirects, static, bundled = %v, want %v\nwarnings:\n%s", got, exp, dump(r))
	}
	if counts := r.Counts(); !mapsEqual(counts, w.classes) {
		t.Errorf("warnings by class = %v, want %v\n%s", counts, w.classes, dump(r))
	}
	if !mapsEqual(r.Converted, w.converted) {
		t.Errorf("converted = %v, want %v", r.Converted, w.converted)
	}
	var person []string
	for _, pw := range r.ForPerson() {
		person = append(person, pw.String())
	}
	if len(person) != len(w.person) {
		t.Errorf("warnings for a person:\n%s\nwant %d:\n%s", strings.Join(person, "\n"), len(w.person), strings.Join(w.person, "\n"))
	} else {
		for i := range person {
			if !strings.HasPrefix(person[i], w.person[i]) {
				t.Errorf("warning %d = %q, want prefix %q", i, person[i], w.person[i])
			}
		}
	}
	for _, f := range w.files {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the new site has no %s", f)
		}
	}
	toml, _ := os.ReadFile(filepath.Join(dir, "site.toml"))
	for _, line := range w.siteTOML {
		if !strings.Contains(string(toml), "\n"+line+"\n") {
			t.Errorf("site.toml has no line %q:\n%s", line, toml)
		}
	}
	for file, aw := range w.articles {
		checkArticle(t, dir, file, aw)
	}
	l := load(t, dir)
	if n := len(l.Site.Articles); n != w.published {
		t.Errorf("the new site publishes %d articles, want %d", n, w.published)
	}
	for from, to := range w.redirectsTo {
		p := l.Site.Page(from)
		if p == nil || p.Kind != site.KindRedirect || p.Article.URL != to {
			t.Errorf("page %s is %+v, want a redirect to %s", from, p, to)
		}
	}
}

func checkArticle(t *testing.T, dir, file string, aw articleWant) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Errorf("%s: %v", file, err)
		return
	}
	if !strings.HasPrefix(string(data), aw.format+"\n") {
		t.Errorf("%s does not start with %s:\n%s", file, aw.format, data)
	}
	front, body := readFront(t, dir, file)
	for k, v := range aw.front {
		f := front.Get(k)
		if got := nodeText(f); got != v {
			t.Errorf("%s: %s = %q, want %q", file, k, got, v)
		}
	}
	if got := oldURLs(t, front); !slices.Equal(got, aw.aliases) {
		t.Errorf("%s: old URLs %q, want %q", file, got, aw.aliases)
	}
	var params []string
	if p := front.Get("params"); p != nil {
		for _, f := range p.Value.Fields {
			params = append(params, f.Key)
		}
	}
	if !slices.Equal(params, aw.params) {
		t.Errorf("%s: params %q, want %q", file, params, aw.params)
	}
	for _, s := range aw.body {
		if !strings.Contains(body, s) {
			t.Errorf("%s: the body has no %q:\n%s", file, s, body)
		}
	}
	for _, s := range aw.notBody {
		if strings.Contains(body, s) {
			t.Errorf("%s: the body still has %q:\n%s", file, s, body)
		}
	}
}

// nodeText is a field's value as text; a list is joined with ", ".
func nodeText(f *meta.Field) string {
	if f == nil {
		return "<missing>"
	}
	if f.Value.Kind == meta.List {
		l, _ := f.Value.AsTextList()
		return strings.Join(l, ", ")
	}
	return f.Value.Text
}

func mapsEqual[K comparable](a, b map[K]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestImportHugo(t *testing.T) {
	checkImport(t, "hugo", want{
		gen: Hugo, found: 4, imported: 4, drafts: 1, published: 3, redirects: 4, static: 1, bundled: 1,
		classes:   map[Class]int{NotConverted: 1, PageNotImported: 1, LeftOut: 3, KeptInParams: 2},
		converted: map[string]int{"figure": 1, "youtube": 1, "ref": 1, "relref": 1, "highlight": 1, "relative link": 1},
		files:     []string{".gitignore", "static/images/tide-chart.svg", "static/2024/10/01/north-quay-reopens/quay.svg"},
		siteTOML:  []string{`title = "Harbour Notes"`, `description = "Notes from the harbour office."`, `base_url = "https://harbour.example.org/"`, `language = "en-gb"`, `timezone = "Europe/London"`},
		person: []string{
			`content/2024/10/21/dredging-east-basin.md:19:17: {{< param "contact" >}}: shortcode "param" not converted: rewrite it in Markdown (from content/posts/dredging-starts.md)`,
			`content/about.md: a page outside any section: not imported`,
		},
		redirectsTo: map[string]string{
			"/notices/tide-tables/":                    "/2024/11/04/new-tide-tables-for-the-winter/",
			"/2024/11/new-tide-tables-for-the-winter/": "/2024/11/04/new-tide-tables-for-the-winter/",
			"/2024/10/dredging-east-basin/":            "/2024/10/21/dredging-east-basin/",
			"/2024/10/north-quay-reopens/":             "/2024/10/01/north-quay-reopens/",
		},
		articles: map[string]articleWant{
			"content/2024/11/04/new-tide-tables-for-the-winter.md": {
				format: "---",
				front: map[string]string{"title": "New tide tables for the winter", "date": "2024-11-04T08:30:00Z", "slug": "new-tide-tables-for-the-winter",
					"summary": "The harbour office publishes its winter tables.", "tags": "tides, harbour, Notices", "authors": "Ann Lee"},
				aliases: []string{"/2024/11/new-tide-tables-for-the-winter/", "/notices/tide-tables/"},
				params:  []string{"toc"},
				body: []string{"![Tide chart for November](/images/tide-chart.svg)\\\n*High and low water, November*",
					"[▶ Reading the tables (YouTube)](https://www.youtube.com/watch?v=w7Ft2ymGmfc)",
					"[the dredging notice](/2024/10/21/dredging-east-basin/)"},
				notBody: []string{"{{<"},
			},
			"content/2024/10/21/dredging-east-basin.md": {
				format:  "+++",
				front:   map[string]string{"date": "2024-10-21T07:00:00+01:00", "slug": "dredging-east-basin", "tags": "harbour, works"},
				aliases: []string{"/2024/10/dredging-east-basin/"},
				params:  []string{"weight", "pinned"},
				body:    []string{"[north quay](/2024/10/01/north-quay-reopens/)", "```go\ndepth := 4.5 // metres at low water\n```", `{{< param "contact" >}}`},
			},
			"content/2024/10/01/north-quay-reopens.md": {
				format:  "---",
				front:   map[string]string{"date": "2024-10-01", "image": "/2024/10/01/north-quay-reopens/quay.svg", "image_alt": "The rebuilt north quay from the water"},
				aliases: []string{"/2024/10/north-quay-reopens/"},
				params:  []string{"cover"},
				body:    []string{"![The rebuilt north quay](quay.svg)", "[dredging](/2024/10/21/dredging-east-basin/)"},
			},
			"content/2024/11/10/storm-damage-report.md": {
				format: "---", front: map[string]string{"draft": "true"},
			},
		},
	})
}

func TestImportJekyll(t *testing.T) {
	checkImport(t, "jekyll", want{
		gen: Jekyll, found: 6, imported: 6, drafts: 2, published: 4, redirects: 5, static: 2, bundled: 0,
		classes:   map[Class]int{NotConverted: 1, PageNotImported: 1, LeftOut: 1, KeptInParams: 1},
		converted: map[string]int{"highlight": 1, "post_url": 2, "site.baseurl": 2},
		files:     []string{"static/assets/css/extra.css", "static/assets/img/ferry.svg"},
		siteTOML:  []string{`title = "Quayside Weekly"`, `description = "The week on the quay."`, `base_url = "https://quayside.example.net/weekly/"`, `timezone = "America/New_York"`},
		person: []string{
			`content/2023/05/16/market-returns.md:15:1: {% include signup.html %}: Liquid include not converted`,
			`about.md: a page, not a post: not imported`,
		},
		redirectsTo: map[string]string{
			"/news/ferries/2023/05/02/ferry-timetable.html": "/2023/05/02/ferry-timetable/",
			"/ferries/summer-timetable/":                    "/2023/05/02/ferry-timetable/",
			"/2023/05/16/market-returns.html":               "/2023/05/16/market-returns/",
			"/events/2023/06/01/regatta.html":               "/2023/06/01/regatta/",
		},
		articles: map[string]articleWant{
			"content/2023/05/02/ferry-timetable.md": {
				format:  "---",
				front:   map[string]string{"title": "Summer ferry timetable", "date": "2023-05-02T09:15:00-04:00", "tags": "ferries, news"},
				aliases: []string{"/news/ferries/2023/05/02/ferry-timetable.html", "/ferries/summer-timetable/"},
				params:  []string{"layout"},
				body:    []string{"![The morning ferry](/weekly/assets/img/ferry.svg)", "```ruby\nputs \"Departures: 07:00, 08:00\"\n```"},
				notBody: []string{"{%", "{{"},
			},
			"content/2023/05/09/quay-works.md": {
				format: "---", front: map[string]string{"draft": "true", "topic": "works"},
			},
			"content/2023/05/16/market-returns.md": {
				format: "---", front: map[string]string{"date": "2023-05-16", "authors": "Bo Chan"},
				aliases: []string{"/2023/05/16/market-returns.html"},
				params:  []string{"author"},
				body:    []string{"[timetable](/weekly/2023/05/02/ferry-timetable/)", "[harbour day](/weekly/2023/05/23/harbour-day/)", "{% include signup.html %}"},
			},
			"content/2023/05/23/harbour-day.md": {
				format: "---", front: map[string]string{"date": "2023-05-23"}, aliases: []string{"/2023/05/23/harbour-day.html"},
			},
			"content/2023/06/01/regatta.md": {
				format: "---", front: map[string]string{"date": "2023-06-01T18:00:00-04:00"}, aliases: []string{"/events/2023/06/01/regatta.html"},
			},
			"content/2024/12/01/new-crane.md": {
				format: "---", front: map[string]string{"draft": "true", "date": "2024-12-01T05:00:00-05:00"},
			},
		},
	})
}

func TestImportZola(t *testing.T) {
	checkImport(t, "zola", want{
		gen: Zola, found: 3, imported: 3, drafts: 0, published: 3, redirects: 2, static: 1, bundled: 1,
		classes:   map[Class]int{NotConverted: 1, PageNotImported: 1, LeftOut: 2},
		converted: map[string]int{"youtube": 1, "@/ link": 1},
		files:     []string{"static/favicon.svg", "static/2024/02/20/tide-gauge/gauge.svg"},
		siteTOML:  []string{`title = "Tide Watch"`, `base_url = "https://tidewatch.example.com"`, `language = "en"`, `raw_html = false            # raw HTML in articles is shown escaped unless true`},
		person: []string{
			`content/2024/02/20/tide-gauge.md:13:1: {{ gallery(dir="photos") }}: shortcode "gallery" not converted`,
			`content/about.md: a page outside any section: not imported`,
		},
		redirectsTo: map[string]string{
			"/blog/spring-tides/":   "/2024/03/01/spring-tides/",
			"/old/weather-station/": "/2024/01/15/weather/",
		},
		articles: map[string]articleWant{
			"content/2024/03/01/spring-tides.md": {
				format:  "+++",
				front:   map[string]string{"date": "2024-03-01", "summary": "The highest tides of the year.", "tags": "tides", "slug": "spring-tides"},
				aliases: []string{"/blog/spring-tides/"},
				params:  []string{"photo_credit"},
				body:    []string{"\n<!--more-->\n", "[the new gauge](/2024/02/20/tide-gauge/)", "[▶ Watch on YouTube](https://www.youtube.com/watch?v=w7Ft2ymGmfc)"},
			},
			"content/2024/02/20/tide-gauge.md": {
				format: "+++", front: map[string]string{"slug": "tide-gauge"}, params: []string{"path"},
				body: []string{"![The gauge on the pier](gauge.svg)"},
			},
			"content/2024/01/15/weather.md": {
				format: "+++", front: map[string]string{"date": "2024-01-15", "slug": "weather"},
				aliases: []string{"/old/weather-station/"}, params: []string{"path"},
			},
		},
	})
}

func TestImportEleventy(t *testing.T) {
	checkImport(t, "eleventy", want{
		gen: Eleventy, found: 3, imported: 3, drafts: 0, published: 3, redirects: 3, static: 2, bundled: 1,
		classes:   map[Class]int{NotConverted: 1, PageNotImported: 1, LeftOut: 1, KeptInParams: 1},
		converted: map[string]int{"youtube": 1, "image": 1, "highlight": 1},
		files:     []string{"static/favicon.svg", "static/2024/06/15/night-fishing/lamp.svg"},
		siteTOML:  []string{`title = "Pier Log"`, `description = "Daily notes from the pier."`, `base_url = "https://pierlog.example.org/"`},
		person: []string{
			`content/2024/06/10/june-2024.md:16:13: {{ metadata.title }}: Liquid output not converted`,
			`content/about.md: a page, not a post`,
		},
		redirectsTo: map[string]string{
			"/log/first-light/":   "/2024/06/03/first-light/",
			"/tides/june-2024/":   "/2024/06/10/june-2024/",
			"/log/night-fishing/": "/2024/06/15/night-fishing/",
		},
		articles: map[string]articleWant{
			"content/2024/06/03/first-light.md": {
				format: "---", front: map[string]string{"date": "2024-06-03", "tags": "photography"},
				aliases: []string{"/log/first-light/"}, params: []string{"eleventyNavigation", "collections"},
				body: []string{"[▶ Watch on YouTube](https://www.youtube.com/watch?v=w7Ft2ymGmfc)"},
			},
			"content/2024/06/10/june-2024.md": {
				format: "---", front: map[string]string{"date": "2024-06-10T06:00:00Z"},
				aliases: []string{"/tides/june-2024/"}, params: []string{"permalink", "collections"},
				body: []string{"```js\nconst high = \"06:12\";\n```"},
			},
			"content/2024/06/15/night-fishing.md": {
				format: "---", aliases: []string{"/log/night-fishing/"}, params: []string{"collections"},
				body: []string{"![Lamps along the pier at night](lamp.svg)"},
			},
		},
	})
}
