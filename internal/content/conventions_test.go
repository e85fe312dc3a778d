package content

import (
	"strings"
	"testing"
	"time"

	"github.com/digest-ssg/digest/internal/config"
)

// The conventions of other generators that digest reads natively
// (issue 13, item 2), one table test each.

// TestDatedFileNames: a Jekyll post named 2020-10-02-ruby-2-7-2-released.md
// failed without a date in its front matter, and built at
// /2020/10/02/2020-10-02-ruby-2-7-2-released/ with one. The day of the
// name is the date when the front matter has none, and never in the slug.
func TestDatedFileNames(t *testing.T) {
	p := newParser(t, `timezone = "Europe/London"`)
	london, _ := time.LoadLocation("Europe/London")
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, london) }
	for _, tt := range []struct {
		file, front string
		slug        string
		date        time.Time
		dateOnly    bool
	}{
		{"content/2020-10-02-ruby-2-7-2-released.md", "", "ruby-2-7-2-released", day(2020, 10, 2), true},
		{"content/posts/2020-10-02-ruby.markdown", "", "ruby", day(2020, 10, 2), true},
		{"content/2024-4-9-one-digit.md", "", "one-digit", day(2024, 4, 9), true},
		{"content/2020-10-02-ruby/index.md", "", "ruby", day(2020, 10, 2), true},
		{"content/2020-10-02-ruby.md", "date: 2020-10-03T09:30:00Z\n", "ruby", time.Date(2020, 10, 3, 9, 30, 0, 0, time.UTC), false},
		{"content/2020-10-02-ruby.md", "date: 2020-10-03\n", "ruby", day(2020, 10, 3), true},
		{"content/2020-10-02-ruby.md", "slug: Own Slug\n", "own-slug", day(2020, 10, 2), true},
		{"content/2020-10-02-.md", "", "headline", day(2020, 10, 2), true},
		{"content/2020-10-02.md", "date: 2020-10-02T08:00:00Z\n", "2020-10-02", time.Date(2020, 10, 2, 8, 0, 0, 0, time.UTC), false},
		{"content/20201002-x.md", "date: 2020-10-02T08:00:00Z\n", "20201002-x", time.Date(2020, 10, 2, 8, 0, 0, 0, time.UTC), false},
	} {
		a, errs := p.Parse(tt.file, []byte("---\ntitle: Headline\n"+tt.front+"---\nBody.\n"))
		if a == nil {
			t.Errorf("%s with %q: %v", tt.file, tt.front, errs)
			continue
		}
		if a.Slug != tt.slug || !a.Date.Equal(tt.date) || a.DateOnly != tt.dateOnly {
			t.Errorf("%s with %q: slug %q, date %v (date alone: %v); want %q, %v (%v)", tt.file, tt.front, a.Slug, a.Date, a.DateOnly, tt.slug, tt.date, tt.dateOnly)
		}
	}
	for _, file := range []string{"content/2020-02-30-no-such-day.md", "content/2020-13-01-x.md", "content/202-10-02-x.md", "content/story.md"} {
		_, errs := p.Parse(file, []byte("---\ntitle: Headline\n---\n"))
		want := file + ":2:1: date: missing (add the publication time, e.g. date: 2026-02-10T09:30:00Z, or start the file name with the day: 2026-02-10-" + file[len("content/"):] + ")"
		if errs.Error() != want {
			t.Errorf("%s: %v, want %s", file, errs, want)
		}
	}
	_, errs := p.Parse("content/port/index.md", []byte("---\ntitle: Headline\n---\n"))
	if want := "content/port/index.md:2:1: date: missing (add the publication time, e.g. date: 2026-02-10T09:30:00Z, or start the folder's name with the day: 2026-02-10-port)"; errs.Error() != want {
		t.Errorf("a bundle: %v, want %s", errs, want)
	}
}

// TestDateOnly: a date without a time is shown as the day alone (it
// used to show an invented "00:00 UTC").
func TestDateOnly(t *testing.T) {
	p := newParser(t, "")
	for front, want := range map[string]bool{
		"---\ndate: 2026-01-05\n":                true,
		"---\ndate: \"2026-1-5\"\n":              true,
		"---\npublished: 2026-01-05\n":           true,
		"---\ndate: 2026-01-05T00:00:00Z\n":      false,
		"---\ndate: 2026-01-05 08:00\n":          false,
		"---\ndate: 2026-01-05 00:00:00 +0000\n": false,
		"+++\ndate = 2026-01-05\n":               true,
		"+++\ndate = 2026-01-05T08:00:00\n":      false,
	} {
		fence := front[:3]
		a := parseOK(t, p, front+titleLine(fence)+fence+"\n")
		if a.DateOnly != want {
			t.Errorf("%q: DateOnly = %v, want %v", front, a.DateOnly, want)
		}
	}
}

func titleLine(fence string) string {
	if fence == "+++" {
		return "title = \"T\"\n"
	}
	return "title: T\n"
}

// TestTitles: a headline with inline code showed its backticks in <h1>,
// <title> and feeds. Inline Markdown is rendered for headings (TitleHTML)
// and stripped for everything else (Title); a headline is never a block
// (a list, a heading), and raw HTML is text unless the site allows it.
func TestTitles(t *testing.T) {
	for _, tt := range []struct {
		in, plain, html string
		rawHTML         bool
	}{
		{"Floods close the port", "Floods close the port", "Floods close the port", false},
		{"Why `go vet` matters", "Why go vet matters", "Why <code>go vet</code> matters", false},
		{"*Breaking*: **floods** and ~~drought~~", "Breaking: floods and drought", "<em>Breaking</em>: <strong>floods</strong> and <del>drought</del>", false},
		{"[Link](https://x.org) title", "Link title", "Link title", false},
		{"<https://x.org> launches", "https://x.org launches", "https://x.org launches", false},
		{"![The logo](x.png) is new", "The logo is new", "The logo is new", false},
		{"1. Introduction", "1. Introduction", "1. Introduction", false},
		{"# Hash tags", "# Hash tags", "# Hash tags", false},
		{"- dash", "- dash", "- dash", false},
		{"5 * 3 = 15", "5 * 3 = 15", "5 * 3 = 15", false},
		{"snake_case_names", "snake_case_names", "snake_case_names", false},
		{`Escaped \*stars\*`, "Escaped *stars*", "Escaped *stars*", false},
		{"Tom &amp; Jerry", "Tom & Jerry", "Tom &amp; Jerry", false},
		{`"Quoted" words`, `"Quoted" words`, "&#34;Quoted&#34; words", false},
		{"AT&T buys <b>x</b>", "AT&T buys <b>x</b>", "AT&amp;T buys &lt;b&gt;x&lt;/b&gt;", false},
		{"<script>alert(1)</script>", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;", false},
		{"AT&T buys <b>x</b>", "AT&T buys x", "AT&amp;T buys <b>x</b>", true},
		{"<b></b>", "<b></b>", "<b></b>", true},
	} {
		md := NewMarkdown(config.Markdown{RawHTML: tt.rawHTML, SmartPunctuation: true, HeadingAnchors: true})
		plain, h := md.title(tt.in)
		if plain != tt.plain || string(h) != tt.html {
			t.Errorf("title %q (raw HTML %v): %q, %q; want %q, %q", tt.in, tt.rawHTML, plain, h, tt.plain, tt.html)
		}
	}
	a := parseOK(t, newParser(t, ""), "---\ntitle: Why `go vet` *matters*\ndate: 2026-01-05\n---\n")
	if a.Title != "Why go vet matters" || a.TitleHTML != "Why <code>go vet</code> <em>matters</em>" {
		t.Errorf("article: %q, %q", a.Title, a.TitleHTML)
	}
}

// TestBylines: "By [Name](https://…) (Org)" printed raw as one author.
// Links in bylines are the authors' names and pages; names outside links
// are authors without one; a plain name is kept whole.
func TestBylines(t *testing.T) {
	for in, want := range map[string]string{
		"Ann Lee":                 "Ann Lee",
		"By Ann Lee":              "Ann Lee",
		"Martin Luther King, Jr.": "Martin Luther King, Jr.",
		"Ann Lee and Bo Chan":     "Ann Lee and Bo Chan",
		"By [Ann Lee](https://x.org/ann) (Reuters)":      "Ann Lee <https://x.org/ann>",
		"[Ann](https://x.org/a) and [Bo](/authors/bo/)":  "Ann <https://x.org/a>|Bo </authors/bo/>",
		"by [Ann](<https://x.org/a>), Bo Chan & Cy (AP)": "Ann <https://x.org/a>|Bo Chan|Cy",
		`[Ann](https://x.org/a "Ann's page")`:            "Ann <https://x.org/a>",
		"[*Ann*](https://x.org/a)":                       "Ann <https://x.org/a>",
		"[Ann](javascript:alert(1))":                     "Ann",
		"[Ann](mailto:ann@x.org)":                        "Ann",
		"[[Ann](https://x.org/a)]":                       "Ann <https://x.org/a>",
		"[not a link] Ann":                               "[not a link] Ann",
	} {
		p := newParser(t, "")
		a, errs := p.Parse("content/x.md", []byte("---\ntitle: T\ndate: 2026-01-05\nauthors: ["+yamlQuote(in)+"]\n---\n"))
		if a == nil {
			t.Fatalf("%q: %v", in, errs)
		}
		var got []string
		for i, name := range a.Authors {
			if u := a.AuthorURL(i); u != "" {
				name += " <" + u + ">"
			}
			got = append(got, name)
		}
		if strings.Join(got, "|") != want {
			t.Errorf("%q: %q, want %q", in, strings.Join(got, "|"), want)
		}
		if strings.Contains(in, "javascript") || strings.Contains(in, "mailto") {
			if len(errs) != 1 || !errs[0].Warning || !strings.Contains(errs[0].Msg, "is not an http(s) URL or a path on the site") {
				t.Errorf("%q: problems %v, want a warning for the link", in, errs)
			}
		} else if errs != nil {
			t.Errorf("%q: %v", in, errs)
		}
	}
}

func yamlQuote(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}

// TestHeadings: {#custom-id} and kramdown's {: .class} showed as text;
// anchors other generators made (#what-s-next) were gone; a body "#
// Heading" made a second <h1>.
func TestHeadings(t *testing.T) {
	for _, tt := range []struct {
		src, want string
		rawHTML   bool
	}{
		{"## What's next {#custom-id .wide}\n", `<h2 id="custom-id" class="wide">What&rsquo;s next<a href="#custom-id" class="anchor" title="Link to this section">#</a></h2>`, false},
		// Only id and class, unless the site allows raw HTML.
		{"## Style {style=\"position:fixed\" tabindex=\"1\" .c}\n", `<h2 class="c" id="style">Style<a`, false},
		{"## Style {style=\"color:red\"}\n", `<h2 style="color:red" id="style">`, true},
		{"## Sets {a}\n", `<h2 id="sets-a">Sets {a}<a`, false},
		// kramdown's attribute lines: applied to the block before (or
		// after) them, never shown.
		{"## Heading\n{: #kram .lead}\n\nPara.\n{: .note}\n", `<h2 id="kram" class="lead">Heading<a href="#kram" class="anchor" title="Link to this section">#</a></h2>` + "\n" + `<p class="note">Para.</p>`, false},
		{"{: .lead}\nPara.\n", `<p class="lead">Para.</p>`, false},
		{"* TOC\n{:toc}\n\nText.\n", "<p>Text.</p>\n", false},
		{"{::options parse_block_html=\"true\" /}\n\nText.\n", "<p>Text.</p>\n", false},
		// A body h1 goes under the headline: every level down one.
		{"# Intro\n\n## Sub\n\n###### Six\n", `<h2 id="intro">Intro<a href="#intro" class="anchor" title="Link to this section">#</a></h2>` + "\n" + `<h3 id="sub">Sub<a href="#sub" class="anchor" title="Link to this section">#</a></h3>` + "\n" + `<h6 id="six">`, false},
		{"## Sub\n", `<h2 id="sub">`, false},
		// Other generators' ids, as empty elements.
		{"## What's next\n", `<h2 id="whats-next"><span id="what-s-next"></span>What&rsquo;s next<a href="#whats-next"`, false},
		{"## Zürich_2 news\n", `<h2 id="zrich-2-news"><span id="zürich_2-news"></span><span id="zrich2-news"></span><span id="zürich-2-news"></span>Zürich_2 news`, false},
		{"## 2024 results\n", `<h2 id="2024-results"><span id="results"></span>2024 results`, false},
		{"## What's next\n\n## What's next\n", `<h2 id="whats-next-1"><span id="what-s-next-1"></span>What&rsquo;s next`, false},
		{"## A\n\n## A\n", `<h2 id="a-1">A<a`, false},
	} {
		md := NewMarkdown(config.Markdown{RawHTML: tt.rawHTML, SmartPunctuation: true, HeadingAnchors: true})
		b, err := md.convert([]byte(tt.src), nil, false)
		if err != nil || !strings.Contains(string(b.html), tt.want) {
			t.Errorf("%q:\n%s\nwant it to hold:\n%s", tt.src, b.html, tt.want)
		}
	}
	md := NewMarkdown(config.Markdown{})
	b, _ := md.convert([]byte("# Intro {#top}\n\n## What's next\n"), nil, false)
	if want := "<h2 id=\"top\">Intro</h2>\n<h3>What's next</h3>\n"; string(b.html) != want {
		t.Errorf("without heading anchors:\n%s\nwant:\n%s", b.html, want)
	}
}

// TestTemplateCalls: Hugo shortcodes and Liquid showed as literal text
// with no warning, leaked into summaries with smart quotes inside, and
// into link targets. Each is now a warning at its line and column, shown
// as written, and left out of summaries and link addresses.
func TestTemplateCalls(t *testing.T) {
	p := newParser(t, "")
	const head = "---\ntitle: T\ndate: 2026-01-05\n---\n" // the body starts on line 5
	const fix = " (run digest import to convert it, or remove it)"
	shortcode := func(at, call string) string {
		return "content/x.md:" + at + ": Hugo shortcode " + call + " shows as text: digest does not run shortcodes" + fix
	}
	liquid := func(at, what, call, shown string) string {
		return "content/x.md:" + at + ": " + what + " " + call + " " + shown + ": digest does not run Liquid or other templates in articles" + fix
	}
	for _, tt := range []struct {
		body     string
		warnings []string
		html     []string // in the body, in order
		summary  string
	}{
		{"Watch {{< youtube ID >}} now, \"quoted\".\n\n{{< figure src=\"a.png\" caption=\"It's here\" >}}\n",
			[]string{shortcode("5:7", "{{< youtube ID >}}"), shortcode("7:1", `{{< figure src="a.png" caption="It's here" >}}`)},
			[]string{"<p>Watch {{&lt; youtube ID &gt;}} now, &ldquo;quoted&rdquo;.</p>", "<p>{{&lt; figure src=&quot;a.png&quot; caption=&quot;It's here&quot; &gt;}}</p>"},
			"Watch now, “quoted”."},
		{"{{% param x %}} and {% assign x = 1 %}\nFirst *para* with {{ site.baseurl }}.\n",
			[]string{shortcode("5:1", "{{% param x %}}"), liquid("5:21", "template tag", "{% assign x = 1 %}", "shows as text"), liquid("6:19", "template code", "{{ site.baseurl }}", "shows as text")},
			[]string{"{{% param x %}} and {% assign x = 1 %}", "<em>para</em> with {{ site.baseurl }}."},
			"and First para with ."},
		{"See [about]({{ site.baseurl }}/about), [y]({{site.baseurl}}/y) and ![i]({{ site.baseurl }}/i.png).\n\n[ref]: {{ site.baseurl }}/ref\n\n[r][ref] [r2][ref]\n",
			[]string{liquid("5:13", "template code", "{{ site.baseurl }}", "is left out of the link's address"),
				liquid("5:44", "template code", "{{site.baseurl}}", "is left out of the link's address"),
				liquid("5:73", "template code", "{{ site.baseurl }}", "is left out of the link's address"),
				liquid("7:8", "template code", "{{ site.baseurl }}", "is left out of the link's address")},
			[]string{`<a href="/about">about</a>`, `<a href="/y">y</a>`, `<img src="/i.png" alt="i">`, `<a href="/ref">r</a> <a href="/ref">r2</a>`},
			"See about, y and i."},
		// In code, a call is code.
		{"`{{< code >}}` and\n\n    {% indented %}\n\n```\n{{ fenced }}\n```\n", nil,
			[]string{"<code>{{&lt; code &gt;}}</code>", "<pre><code>{% indented %}", "<pre><code>{{ fenced }}"}, "{{< code >}} and"},
		// Over lines, Hugo's way, whose last line would open a quote.
		{"Before.\n{{< figure\n  src=\"a.png\"\n>}}\nAfter.\n",
			[]string{shortcode("6:1", `{{< figure src="a.png" >}}`)},
			[]string{"<p>Before.</p>", "<p>{{&lt; figure\n  src=&quot;a.png&quot;\n&gt;}}</p>", "<p>After.</p>"}, "Before."},
		{"> quote {{< x\n> y >}} end\n", []string{shortcode("5:9", "{{< x y >}}")}, []string{"quote {{&lt; x\ny &gt;}} end"}, ""},
		// Not calls: escaped, unclosed, empty; kramdown's span attributes
		// are dropped.
		{"\\{{< escaped >}}, {{}} and {{ }}, {{ unclosed\n", nil, []string{"<p>{{&lt; escaped &gt;}}, {{}} and {{ }}, {{ unclosed</p>"}, "{{< escaped >}}, {{}} and {{ }}, {{ unclosed"},
		{"**word**{: .cls} and text {: x} here\n", nil, []string{"<p><strong>word</strong> and text {: x} here</p>"}, "word and text {: x} here"},
	} {
		a, errs := p.Parse("content/x.md", []byte(head+tt.body))
		if a == nil {
			t.Fatalf("%q: %v", tt.body, errs)
		}
		var got []string
		for _, e := range errs {
			if !e.Warning {
				t.Errorf("%q: an error: %v", tt.body, e)
			}
			got = append(got, e.Error())
		}
		if strings.Join(got, "\n") != strings.Join(tt.warnings, "\n") {
			t.Errorf("%q: warnings\n%s\nwant\n%s", tt.body, strings.Join(got, "\n"), strings.Join(tt.warnings, "\n"))
		}
		rest := string(a.body)
		for _, h := range tt.html {
			i := strings.Index(rest, h)
			if i < 0 {
				t.Errorf("%q: body\n%s\nwant (in order) %s", tt.body, a.body, h)
				break
			}
			rest = rest[i+len(h):]
		}
		if a.Summary != tt.summary {
			t.Errorf("%q: summary %q, want %q", tt.body, a.Summary, tt.summary)
		}
	}
	// digest check sees the links as the page has them.
	links := p.Links([]byte(head + "[about]({{ site.baseurl }}/about)\n"))
	if len(links) != 1 || links[0].Href != "/about" || links[0].Line != 5 || links[0].Col != 1 {
		t.Errorf("links: %+v", links)
	}
}

// TestTemplateCallsTakeLinearTime: openers without closers, a paragraph
// of them, cost no more than their size (each is looked for once).
func TestTemplateCallsTakeLinearTime(t *testing.T) {
	md := NewMarkdown(config.Default().Markdown)
	const size = 256 << 10
	fill := func(s string) []byte { return []byte(strings.Repeat(s, size/len(s))) }
	took := func(body []byte) time.Duration {
		start := time.Now()
		if _, err := md.convert(body, nil, false); err != nil {
			t.Fatal(err)
		}
		return time.Since(start)
	}
	base := took(fill("word word\n"))
	for name, body := range map[string][]byte{
		"{{ on one line":       fill("{{ "),
		"{{< on lines":         fill("x {{< y\n"),
		"{% and {{ on lines":   fill("{% {{ x\n"),
		"{: on one line":       fill("x{:{:"),
		"calls in addresses":   fill("[x]({{ a }}/b) "),
		"openers of lines":     fill("{{< x\n"),
		"{{{{ with one closer": append(fill("{{{{ "), "}}"...),
	} {
		d := took(body)
		t.Logf("%s: %v (plain text %v)", name, d, base)
		if d > 50*base+2*time.Second {
			t.Errorf("%s: %v for %d bytes, where plain text takes %v", name, d, len(body), base)
		}
	}
}
