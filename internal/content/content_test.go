package content

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/digest-ssg/digest/internal/config"
)

func newParser(t testing.TB, siteTOML string) *Parser {
	t.Helper()
	cfg, errs := config.Parse([]byte(siteTOML))
	if errs != nil {
		t.Fatal(errs)
	}
	return NewParser(cfg)
}

func parseOK(t *testing.T, p *Parser, src string) *Article {
	t.Helper()
	a, errs := p.Parse("content/x.md", []byte(src))
	if a == nil || errs.Err() != nil {
		t.Fatalf("Parse failed: %v", errs)
	}
	return a
}

func TestEveryFrontMatterKey(t *testing.T) {
	p := newParser(t, `timezone = "Europe/London"`)
	for name, src := range map[string]string{
		"yaml": `---
title: "Ports: a record year"
date: 2026-06-01T09:30:00+02:00
topic: Business
tags: [ports, Trade, ports]
summary: The dek.
source: Harbour Gazette
source_url: https://example.com/story
authors: [Ann Lee, Bo Chan]
image: /images/port.jpg
image_alt: Cranes at dawn
updated: 2026-06-02
slug: Port Record
draft: true
expires: 2027-01-01T00:00:00Z
featured: yes
params:
  score: 3
---
Body.
`,
		"toml": `+++
title = "Ports: a record year"
date = 2026-06-01T09:30:00+02:00
topic = "Business"
tags = ["ports", "Trade", "ports"]
summary = "The dek."
source = "Harbour Gazette"
source_url = "https://example.com/story"
authors = ["Ann Lee", "Bo Chan"]
image = "/images/port.jpg"
image_alt = "Cranes at dawn"
updated = 2026-06-02
slug = "Port Record"
draft = true
expires = 2027-01-01T00:00:00Z
featured = true
[params]
score = 3
+++
Body.
`,
	} {
		t.Run(name, func(t *testing.T) {
			a := parseOK(t, p, src)
			london, _ := time.LoadLocation("Europe/London")
			if a.Title != "Ports: a record year" || a.Topic != "Business" || a.Summary != "The dek." ||
				a.Source != "Harbour Gazette" || a.SourceURL != "https://example.com/story" ||
				a.Image != "/images/port.jpg" || a.ImageAlt != "Cranes at dawn" || a.Slug != "port-record" ||
				!a.Draft || !a.Featured {
				t.Errorf("article = %+v", a)
			}
			if !a.Date.Equal(time.Date(2026, 6, 1, 7, 30, 0, 0, time.UTC)) || a.Date.Location().String() != "Europe/London" {
				t.Errorf("date = %v", a.Date)
			}
			if !a.Updated.Equal(time.Date(2026, 6, 2, 0, 0, 0, 0, london)) {
				t.Errorf("updated = %v, want midnight in the site's zone", a.Updated)
			}
			if !a.Expires.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("expires = %v", a.Expires)
			}
			if strings.Join(a.Tags, ",") != "ports,Trade" || strings.Join(a.Authors, ",") != "Ann Lee,Bo Chan" {
				t.Errorf("tags %v authors %v", a.Tags, a.Authors)
			}
			if a.Params["score"] != int64(3) {
				t.Errorf("params = %v", a.Params)
			}
		})
	}
}

func TestAliasesFromOtherGenerators(t *testing.T) {
	p := newParser(t, "")
	a := parseOK(t, p, `---
title: Moved from Hugo
publishDate: 2026-03-01
description: From Hugo.
author: Jo Bloggs
lastmod: 2026-03-02
categories: [a]
tags: [b]
expiryDate: 2030-01-01
---
x
`)
	if a.Summary != "From Hugo." || strings.Join(a.Authors, ",") != "Jo Bloggs" || a.Updated.Day() != 2 ||
		strings.Join(a.Tags, ",") != "a,b" || a.Expires.Year() != 2030 || a.Date.Month() != time.March {
		t.Errorf("article = %+v", a)
	}
}

func TestFrontMatterErrors(t *testing.T) {
	p := newParser(t, "topics = [\"World\", \"Business\"]")
	tests := []struct{ name, src, want string }{
		{"bad date", "---\ntitle: A\ndate: 10th Feb\n---\n", `content/x.md:3:7: date: cannot read "10th Feb" (use 2026-02-10 or 2026-02-10T09:30:00Z)`},
		{"typo", "---\ntittle: A\ndate: 2026-01-01\n---\n", `content/x.md:2:1: unknown key "tittle" (did you mean "title"?)`},
		{"typo topic key", "---\ntitle: A\ntpoic: World\ndate: 2026-01-01\n---\n", `content/x.md:3:1: unknown key "tpoic" (did you mean "topic"?)`},
		{"missing title", "---\ndate: 2026-01-01\n---\n", `title: missing`},
		{"missing date", "---\ntitle: A\n---\n", `date: missing`},
		{"no front matter", "# Just Markdown\n", `content/x.md:1:1: missing front matter`},
		{"unterminated", "---\ntitle: A\ndate: 2026-01-01\n\nBody\n", `content/x.md:1:1: front matter starts with --- on line 1 but never ends`},
		{"empty file", "", `content/x.md:1:1: the file is empty`},
		{"yaml syntax", "---\ntitle: A\ndate: x: y\n---\n", `content/x.md:3:8: YAML: mapping values are not allowed in this context (put the value in quotes when it holds ": "`},
		{"yaml line separator", "---\ntitle: Floods\u2028close\ndate: 2026-01-01\n---\n", `content/x.md:2:14: a line separator (U+2028), invisible in most editors, which YAML reads as a line break (delete it, or put a space in its place)`},
		{"yaml control character", "---\ntitle: \"Port\x0breopens\"\ndate: 2026-01-01\n---\n", `content/x.md:2:13: a control character (U+000B), invisible in most editors (delete it)`},
		{"toml control character", "+++\ntitle = \"Port\x1breopens\"\ndate = 2026-01-01\n+++\n", `content/x.md:2:14: a control character (U+001B), invisible in most editors (delete it)`},
		{"toml syntax", "+++\ntitle = \"A\"\ndate = \n+++\n", `content/x.md:3:`},
		{"bad url", "---\ntitle: A\ndate: 2026-01-01\nsource_url: javascript:alert(1)\n---\n", `content/x.md:4:13: source_url: "javascript:alert(1)" is not an http(s) URL`},
		{"wrong type", "---\ntitle: A\ndate: 2026-01-01\ndraft: maybe\n---\n", `content/x.md:4:8: draft: want true or false, found text`},
		{"unknown topic", "---\ntitle: A\ndate: 2026-01-01\ntopic: Wordl\n---\n", `content/x.md:4:8: topic: "Wordl" is not one of the site's topics (did you mean "World"?)`},
		{"alias twice", "---\ntitle: A\ndate: 2026-01-01\nsummary: x\ndescription: y\n---\n", `content/x.md:5:1: description: already set by "summary" on line 4`},
		{"invalid utf8", "---\ntitle: A\xff\ndate: 2026-01-01\n---\n", `content/x.md:2:9: the file is not valid UTF-8`},
		{"params not a table", "---\ntitle: A\ndate: 2026-01-01\nparams: 3\n---\n", `content/x.md:4:9: params: want a table`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, errs := p.Parse("content/x.md", []byte(tt.src))
			if a != nil {
				t.Fatalf("Parse succeeded, want error %q", tt.want)
			}
			if got := errs.Error(); !strings.Contains(got, tt.want) {
				t.Errorf("error = %q\nwant it to contain %q", got, tt.want)
			}
		})
	}
}

func TestAllFrontMatterProblemsAtOnce(t *testing.T) {
	p := newParser(t, "")
	_, errs := p.Parse("content/x.md", []byte("---\ntittle: A\ndate: soon\nfeatured: perhaps\n---\n"))
	if len(errs) != 4 { // tittle, date, featured, and title missing
		t.Errorf("got %d problems, want 4: %v", len(errs), errs)
	}
}

func TestBOMAndCRLF(t *testing.T) {
	p := newParser(t, "")
	a := parseOK(t, p, "\uFEFF---\r\ntitle: Windows\r\ndate: 2026-01-01\r\n---\r\nHello *there*.\r\n")
	if a.Title != "Windows" || !strings.Contains(string(a.body), "<em>there</em>") {
		t.Errorf("title %q body %q", a.Title, a.body)
	}
}

func TestDatesInSiteTimezone(t *testing.T) {
	p := newParser(t, `timezone = "America/New_York"`)
	ny, _ := time.LoadLocation("America/New_York")
	for in, want := range map[string]time.Time{
		"2026-02-10":                time.Date(2026, 2, 10, 0, 0, 0, 0, ny),
		"2026-02-10 09:30":          time.Date(2026, 2, 10, 9, 30, 0, 0, ny),
		"2026-02-10T09:30:15":       time.Date(2026, 2, 10, 9, 30, 15, 0, ny),
		"2026-02-10T09:30:00Z":      time.Date(2026, 2, 10, 9, 30, 0, 0, time.UTC),
		"2026-02-10T09:30:00+05:30": time.Date(2026, 2, 10, 4, 0, 0, 0, time.UTC),
	} {
		a := parseOK(t, p, "---\ntitle: T\ndate: "+in+"\n---\n")
		if !a.Date.Equal(want) {
			t.Errorf("date %q = %v, want %v", in, a.Date, want)
		}
	}
}

func TestMarkdownFeatures(t *testing.T) {
	p := newParser(t, "")
	a := parseOK(t, p, `---
title: T
date: 2026-01-01
---
## A heading

"Quotes" -- and dashes...

| a | b |
|---|---|
| 1 | 2 |

~~gone~~ and https://example.com and a note[^1].

- [x] done

[^1]: The note.
`)
	body := string(a.body)
	for _, want := range []string{
		`<h2 id="a-heading">A heading<a href="#a-heading" class="anchor" title="Link to this section">#</a></h2>`,
		"&ldquo;Quotes&rdquo; &ndash; and dashes&hellip;",
		"<table>", "<del>gone</del>", `<a href="https://example.com">https://example.com</a>`,
		`<sup id="fnref:1">`, `class="footnotes"`, `<input checked="" disabled="" type="checkbox"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q\n%s", want, body)
		}
	}
}

func TestMarkdownOptionsOff(t *testing.T) {
	p := newParser(t, "[markdown]\nsmart_punctuation = false\nheading_anchors = false\n")
	a := parseOK(t, p, "---\ntitle: T\ndate: 2026-01-01\n---\n## Head\n\n\"q\"\n")
	if body := string(a.body); !strings.Contains(body, "<h2>Head</h2>") || !strings.Contains(body, "&quot;q&quot;") {
		t.Errorf("body = %s", body)
	}
}

func TestRawHTMLEscapedUnlessOptedIn(t *testing.T) {
	src := "---\ntitle: T\ndate: 2026-01-01\n---\n<script>alert(1)</script>\n\nHi <b onclick=\"x()\">there</b> [x](javascript:alert(2))\n"
	a := parseOK(t, newParser(t, ""), src)
	body := string(a.body)
	if strings.Contains(body, "<script") || strings.Contains(body, "<b ") || strings.Contains(body, "javascript:") {
		t.Errorf("raw HTML got through:\n%s", body)
	}
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(body, "&lt;b onclick=&quot;x()&quot;&gt;") {
		t.Errorf("raw HTML not shown escaped:\n%s", body)
	}
	b := parseOK(t, newParser(t, "[markdown]\nraw_html = true\n"), src)
	if !strings.Contains(string(b.body), "<script>alert(1)</script>") {
		t.Errorf("raw_html = true did not let HTML through:\n%s", b.body)
	}
}

func TestSummaries(t *testing.T) {
	p := newParser(t, "")
	head := "---\ntitle: T\ndate: 2026-01-01\n"
	long := strings.Repeat("word ", 100)
	for name, tt := range map[string]struct {
		src, want string
		fromBody  bool
	}{
		"explicit":  {head + "summary: Given.\n---\nFirst para.\n", "Given.", false},
		"more":      {head + "---\nIntro *one*.\n\nIntro two.\n\n<!--more-->\n\nRest.\n", "Intro one. Intro two.", true},
		"first":     {head + "---\n## Heading\n\nFirst [para](https://x.org).\n\nSecond.\n", "First para.", true},
		"shortened": {head + "---\n" + long + "\n", strings.TrimSpace(strings.Repeat("word ", 60)) + "…", true},
		"none":      {head + "---\n## Only a heading\n", "", false},
		// A link alone in brackets means nothing away from the page
		// (generated corpora have "([details](…))" in their paragraphs).
		"asides": {head + "---\nFarmers met ([details](https://x.org/1)). Talks went on [[source](https://x.org/2)], said [the council](https://x.org/3) (<https://x.org/4>), and (see [here](https://x.org/5)).\n",
			"Farmers met. Talks went on, said the council, and (see here).", true},
		"aside in more": {head + "---\nIntro ([details](https://x.org/1)).\n\n<!--more-->\n\nRest.\n", "Intro.", true},
	} {
		a := parseOK(t, p, tt.src)
		if a.Summary != tt.want || a.SummaryFromBody != tt.fromBody {
			t.Errorf("%s: summary = %q (from the body: %v), want %q (%v)", name, a.Summary, a.SummaryFromBody, tt.want, tt.fromBody)
		}
	}
	a := parseOK(t, p, head+"---\nIntro.\n\n<!--more-->\n\nRest.\n")
	if strings.Contains(string(a.body), "more") {
		t.Errorf("the more marker shows in the body: %s", a.body)
	}
}

func TestWordCountAndReadingTime(t *testing.T) {
	p := newParser(t, "")
	a := parseOK(t, p, "---\ntitle: T\ndate: 2026-01-01\n---\n"+strings.Repeat("one two three four five. ", 100)+"\n\n- don't count-me twice\n")
	if a.WordCount != 503 || a.ReadingTime != 2 {
		t.Errorf("words %d, minutes %d; want 503 and 2", a.WordCount, a.ReadingTime)
	}
}

func TestSlugs(t *testing.T) {
	for in, want := range map[string]string{
		"Hello, World!":          "hello-world",
		"Don't Panic":            "dont-panic",
		"Zürich übernimmt":       "zürich-übernimmt",
		"東京 オリンピック":              "東京-オリンピック",
		"../../etc/passwd":       "etc-passwd",
		"a\x00b\u202Ec":          "a-b-c",
		"  --  ":                 "",
		"Cafe\u0301":             "café",
		strings.Repeat("é", 200): strings.Repeat("é", 60),
	} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSlugFromFileName(t *testing.T) {
	p := newParser(t, "")
	src := []byte("---\ntitle: A Title\ndate: 2026-01-01\n---\n")
	for file, want := range map[string]string{
		"content/2026/My Story.md":       "my-story",
		"content/2026/big-news/index.md": "big-news",
		"content/---.md":                 "a-title",
	} {
		a, errs := p.Parse(file, src)
		if a == nil || a.Slug != want {
			t.Errorf("slug of %s = %v (%v), want %q", file, a, errs, want)
		}
	}
}

func TestLoadSkipsHiddenAndOrders(t *testing.T) {
	art := &fstest.MapFile{Data: []byte("---\ntitle: T\ndate: 2026-01-01\n---\n")}
	fsys := fstest.MapFS{
		"content/b.md":         art,
		"content/a/c.md":       art,
		"content/.hidden.md":   art,
		"content/_drafts/x.md": art,
		"content/b.md~":        art,
		"content/.#b.md":       art,
		"content/notes.txt":    art,
	}
	arts, errs := newParser(t, "").Load(fsys)
	if len(errs) != 1 || errs[0].Pos.File != "content/notes.txt" || !errs[0].Warning {
		t.Fatalf("problems: %v, want a warning for content/notes.txt alone", errs)
	}
	var got []string
	for _, a := range arts {
		got = append(got, a.File)
	}
	if strings.Join(got, " ") != "content/a/c.md content/b.md" {
		t.Errorf("loaded %v", got)
	}
}

func TestSummaryHasNoHTMLEntities(t *testing.T) {
	a := parseOK(t, newParser(t, ""), "---\ntitle: T\ndate: 2026-01-01\n---\nIt's \"quoted\" -- and <b>bold</b> & more: fish &amp; chips \\$5 \\*today\\* &mdash; 5 &lt; 6 &#x41; `a\\*b`.\n")
	if want := "It’s “quoted” – and bold & more: fish & chips $5 *today* — 5 < 6 A a\\*b."; a.Summary != want {
		t.Errorf("summary = %q, want %q", a.Summary, want)
	}
}

func TestImageWithoutAltIsAWarning(t *testing.T) {
	a, errs := newParser(t, "").Parse("content/x.md", []byte("---\ntitle: T\ndate: 2026-01-01\nimage: /a.png\n---\n"))
	if a == nil || errs.Err() != nil {
		t.Fatalf("an image without alt text failed the article: %v", errs)
	}
	w := errs.Warnings()
	if len(w) != 1 || w[0].Error() != `content/x.md:4:1: image: no image_alt (describe the image for readers who cannot see it)` {
		t.Errorf("warnings = %v", w)
	}
}

// TestPathologicalMarkdownIsRefused covers inputs known to make Markdown
// parsers take time growing with the square of their size: each is
// refused before the parser runs, with the line, and real structure of
// the same kinds passes.
func TestPathologicalMarkdownIsRefused(t *testing.T) {
	p := newParser(t, "")
	head := "---\ntitle: T\ndate: 2026-01-01\n---\nIntro.\n"
	for name, tt := range map[string]struct{ body, want string }{
		"deep quotes":   {strings.Repeat(">", 5000) + " x\n", "content/x.md:6:1: quotes and lists nested 5000 levels deep"},
		"deep lists":    {"ok\n" + strings.Repeat("- ", 3000) + "x\n", "content/x.md:7:1: quotes and lists nested 3000 levels deep"},
		"link openers":  {strings.Repeat("[a](", 50000), "content/x.md:5:1: the article has 50000 [ characters"},
		"link openers2": {strings.Repeat("[a](x) ", 2500), "the article has 2500 links, more than the 2000 allowed"},
		"brackets":      {strings.Repeat("[", 20000), "the article has 20000 [ characters"},
	} {
		a, errs := p.Parse("content/x.md", []byte(head+tt.body))
		if a != nil || !strings.Contains(errs.Error(), tt.want) {
			t.Errorf("%s: article %v, errors %q; want %q", name, a != nil, errs.Error(), tt.want)
		}
	}
	fine := head + strings.Repeat("> > - 1. quoted list item with [a link](https://example.com)\n", 1500)
	if a, errs := p.Parse("content/x.md", []byte(fine)); a == nil {
		t.Errorf("a long but ordinary article was refused: %v", errs)
	}
}

func TestControlCharactersAreDroppedFromText(t *testing.T) {
	a := parseOK(t, newParser(t, ""), "---\ntitle: \"Bad\\0 \\e[31mred\\e[0m\\u202Etxt.exe\"\ndate: 2026-01-01\nsource: \"Wire\\x07\"\n---\n")
	if a.Title != "Bad [31mred[0m\u202Etxt.exe" || a.Source != "Wire" {
		t.Errorf("title %q source %q", a.Title, a.Source)
	}
	if a.Slug != "x" {
		t.Errorf("slug %q", a.Slug)
	}
}

// TestUnpaddedDates: a month or day of one digit (as some generators write
// them) is read; other forms are not changed.
func TestUnpaddedDates(t *testing.T) {
	for in, want := range map[string]string{
		"2024-4-09":           "2024-04-09T00:00:00Z",
		"2024-4-9":            "2024-04-09T00:00:00Z",
		"2024-12-9 08:30":     "2024-12-09T08:30:00Z",
		"2024-1-05T07:00:00Z": "2024-01-05T07:00:00Z",
		"2024-04-09":          "2024-04-09T00:00:00Z",
	} {
		got, err := ParseTime(in, time.UTC)
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("ParseTime(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"2024-123-09", "2024-4-", "24-4-9", "2024-x-9"} {
		if _, err := ParseTime(bad, time.UTC); err == nil {
			t.Errorf("ParseTime(%q) read a date", bad)
		}
	}
}
