package content

import (
	"bytes"
	"html/template"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/util"
	"golang.org/x/net/html"

	"github.com/digest-ssg/digest/internal/config"
)

// Fuzz targets for article parsing and slugs. Run them with e.g.
//
//	go test ./internal/content -run '^$' -fuzz FuzzParseArticle -fuzztime 20s
//
// Under plain go test only the seeds below (and testdata/fuzz) run.

const fuzzFile = "content/x.md"

func articleSeeds() []string {
	return []string{
		// realistic
		"---\ntitle: Floods close the river port\ndate: 2026-03-02T07:00:00+01:00\ntopic: World\ntags: [rivers, weather]\nsummary: The port shut at dawn.\nsource: Harbour Gazette\nsource_url: https://example.com/floods\nauthors: [Ann Lee, Bo Chan]\nfeatured: true\n---\nThe water rose overnight…\n\n## What happens next\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nA footnote.[^1]\n\n[^1]: The note.\n",
		"+++\ntitle = \"Ports\"\ndate = 2026-06-01T09:30:00+02:00\ntags = [\"ports\"]\nslug = \"Port Record\"\n[params]\nscore = 3\n+++\nBody with \"quotes\" -- and... dashes.\n",
		"---\ntitle: T\ndate: 2026-01-01\nimage: /a.png\n---\nBefore.\n\n<!--more-->\n\nAfter.\n",
		"---\ntitle: T\ndate: 2026-01-01\ndescription: d\nauthor: A\nlastmod: 2026-01-02\ncategories: [a]\nkeywords: [b]\n---\nx\n",
		// fences and line endings
		"",
		"\n",
		"---",
		"---\n",
		"---\ntitle: never closed\ndate: 2026-01-01\n",
		"---\ntitle: T\ndate: 2026-01-01\n---",
		"+++\ntitle = \"T\"\ndate = 2026-01-01\n+++",
		"\uFEFF---\ntitle: BOM\ndate: 2026-01-01\n---\nx\n",
		"---\r\ntitle: CRLF\r\ndate: 2026-01-01\r\n---\r\nbody\r\n",
		"--- \t\ntitle: T\ndate: 2026-01-01\n---   \nx",
		"---\n---\n",
		"+++\n+++\n",
		"---\ntitle: T\ndate: 2026-01-01\n+++\n",
		"no front matter at all\n",
		"```\n---\ntitle: T\n---\n",
		"---\ntitle: T\ndate: 2026-01-01\n---\n```go\nunterminated fence\n",
		"---\ntitle: T\ndate: 2026-01-01\n---\n~~~\n",
		// YAML 1.1 traps and bad values
		"---\ntitle: NO\ndate: 2026-01-01\ndraft: yes\nfeatured: on\n---\n",
		"---\ntitle: 0777\ndate: 2026-01-01\nslug: ~\n---\n",
		"---\ntitle: ~\ndate: ~\n---\n",
		"---\ntitle: T\ndate: ~\n---\n",
		"---\ntitle: T\ndate:\n---\n",
		"+++\ntitle = \"T\"\ndate = \"\"\n+++\n",
		"---\ntitle: [a, b]\ndate: {x: 1}\ntags: {a: 1}\n---\n",
		"---\ntitle: T\ndate: 10th Feb\nsource_url: javascript:alert(1)\nimage: ../../etc/passwd\n---\n",
		"---\ntittle: T\ntpoic: x\ndate: 2026-01-01\n---\n",
		"---\ntitle: a\ntitle: b\ndate: 2026-01-01\n---\n",
		"---\ntitle: T\ndate: 2026-01-01\nsummary: a\ndescription: b\n---\n",
		"---\ntitle: T\ndate: 2026-01-01\nparams: 3\n---\n",
		"- a\n",
		"---\n- a\n- b\n---\n",
		"---\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d]\n---\n",
		"---\ntitle: " + strings.Repeat("[", 250) + "\n---\n",
		"+++\ntitle = \"a\"\ntitle = \"b\"\ndate = 2026-01-01\n+++\n",
		"+++\n[params]\n[params]\n+++\n",
		// hostile slugs
		"---\ntitle: T\ndate: 2026-01-01\nslug: ../../../etc/passwd\n---\n",
		"---\ntitle: T\ndate: 2026-01-01\nslug: a/b\\c\n---\n",
		"---\ntitle: T\ndate: 2026-01-01\nslug: \"\\0\\x01\\u202E\"\n---\n",
		"---\ntitle: T\ndate: 2026-01-01\nslug: ..\n---\n",
		"---\ntitle: T\ndate: 2026-01-01\nslug: " + strings.Repeat("é", 100) + "\n---\n",
		"---\ntitle: T\ndate: 2026-01-01\nslug: " + strings.Repeat("a\u0301", 70) + "\n---\n",
		"---\ntitle: \u202Egnp.exe\u202C\ndate: 2026-01-01\n---\n",
		"---\ntitle: \"\\0\"\ndate: 2026-01-01\n---\nNUL in body: \x00 here\n",
		// encodings
		"---\ntitle: caf\xe9 \x93quoted\x94\ndate: 2026-01-01\n---\n", // Windows-1252
		"---\ntitle: T\ndate: 2026-01-01\n---\n\xff\xfe",
		"\xef\xbb",
		// Markdown oddities
		"---\ntitle: T\ndate: 2026-01-01\n---\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b onclick=x>b</b> <!-- c -->\n",
		"---\ntitle: T\ndate: 2026-01-01\n---\n# " + strings.Repeat("é", 200) + "\n",
		"---\ntitle: T\ndate: 2026-01-01\n---\n" + strings.Repeat("> ", 200) + "deep\n",
		"---\ntitle: T\ndate: 2026-01-01\n---\n" + strings.Repeat("[", 200) + "\n",
		"---\ntitle: T\ndate: 2026-01-01\n---\n" + strings.Repeat("word ", 400) + "\n",
		"---\ntitle: T\ndate: 2026-01-01\n---\n[^1]\n\n[^1]: [^1]\n",
		"---\ntitle: T\ndate: 2026-01-01\n---\n- [ ] task\n- [x] done\n\n~~struck~~ www.example.com\n",
		// script URLs and live markup, which the default config must make inert
		"---\ntitle: T\ndate: 2026-01-01\n---\n[a](JaVaScRiPt:alert(1)) [b](&#106;avascript:x) [c](<java\tscript:x>) [d](%6Aavascript:x) <javascript:alert(1)> ![e](javascript:x) [f](\x01javascript:x)\n",
		"---\ntitle: T\ndate: 2026-01-01\n---\n[a]: javascript:alert(1)\n\n[x][a] [y](data:text/html;base64,PHNjcmlwdD4=) [z](vbscript:msgbox)\n",
		"---\ntitle: T\ndate: 2026-01-01\n---\n<div onclick=alert(1)>x</div>\n\n<svg><script>alert(1)</script></svg>\n\n<iframe srcdoc=x>\n\n<a href=\"javascript:x\">a</a> <img src=x onerror=alert(1)>\n",
		"---\ntitle: T\ndate: 2026-01-01\n---\n<!-- <script>alert(1)</script> -->\n<![CDATA[<script>]]>\n<?php x ?>\n<!X>\n",
		"---\ntitle: T\ndate: 2026-01-01\n---\n# Heading {#x onclick=alert(1)}\n\n```html\n<script>alert(1)</script>\n```\n",
		"---\ntitle: T\ndate: 2026-01-01\n---\n## H {style=\"position:fixed\" .c}\n{: #k onclick=x}\n\n* TOC\n{:toc}\n",
		// other generators' ways
		"---\ntitle: Why `go vet` *matters* <script>x</script>\nauthors: \"By [Ann](javascript:x) (AP), [Bo](https://x.org/bo)\"\n---\n{{< youtube ID >}}\n\n[x]({{ site.baseurl }}/a)\n",
	}
}

func FuzzParseArticle(f *testing.F) {
	for _, s := range articleSeeds() {
		f.Add([]byte(s))
	}
	def := NewParser(config.Default())
	other := config.Default()
	other.Topics = []string{"World", "Business"}
	other.DefaultTopic = "World"
	other.Markdown = config.Markdown{RawHTML: true}
	alt := NewParser(other)
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, p := range []struct {
			name string
			p    *Parser
		}{{"default config", def}, {"raw HTML, topics, no typographer", alt}} {
			a, errs := p.p.Parse(fuzzFile, src)
			for _, e := range errs {
				if e == nil {
					t.Fatalf("%s: nil problem in the list", p.name)
				}
				if e.Pos.File != fuzzFile || e.Pos.Line < 0 || e.Pos.Col < 0 {
					t.Errorf("%s: problem at %q line %d col %d, want %s and line, col >= 0: %s", p.name, e.Pos.File, e.Pos.Line, e.Pos.Col, fuzzFile, e.Msg)
				}
				if e.Msg == "" {
					t.Errorf("%s: problem without a message at %v", p.name, e.Pos)
				}
			}
			if a == nil {
				if len(errs.Errors()) == 0 {
					t.Fatalf("%s: neither an article nor an error (%d warnings)", p.name, len(errs))
				}
				continue
			}
			if n := len(errs.Errors()); n > 0 {
				t.Errorf("%s: an article and %d errors: %v", p.name, n, errs)
			}
			checkSlug(t, p.name+": Slug", a.Slug, 255)
			if !utf8.ValidString(string(a.body)) {
				t.Errorf("%s: Body is not valid UTF-8: %q", p.name, a.body)
			}
			if p.p == def {
				checkInert(t, a.body)
				checkInert(t, a.TitleHTML)
			}
			if !utf8.ValidString(a.Summary) {
				t.Errorf("%s: Summary is not valid UTF-8: %q", p.name, a.Summary)
			}
			if a.Title == "" {
				t.Errorf("%s: an article without a title", p.name)
			}
			if a.ReadingTime < 1 || a.WordCount < 0 {
				t.Errorf("%s: reading time %d, word count %d", p.name, a.ReadingTime, a.WordCount)
			}
			// The zero time comes only from a date written as year 1 (in
			// any of the forms dates take: 0001-01-01, 0001-1-1, ...), not
			// from "date:" or "date: ~" (testdata/fuzz/FuzzParseArticle/f0a388663d2e5cea,
			// a bug found by this target and fixed).
			if a.Date.IsZero() && !yearOne.Match(src) {
				t.Errorf("%s: an article without a date", p.name)
			}
		}
	})
}

// yearOne matches a date of 1 January of year 1, as a front matter may
// write it.
var yearOne = regexp.MustCompile(`(^|[^0-9])0*1-0?1-0?1([^0-9]|$)`)

// checkInert parses an article body as a browser would and fails on
// anything live, which raw HTML (escaped unless the site opts in) or a
// link could have made: active elements, event-handler attributes and
// script URLs. Browsers drop tabs and newlines anywhere in a URL and
// leading controls and spaces, so the check does too.
func checkInert(t *testing.T, body template.HTML) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(string(body)))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script", "iframe", "object", "embed", "style", "form", "base", "meta", "link", "svg", "math", "frame", "frameset", "template", "noscript":
				t.Errorf("a live <%s> element in the body:\n%s", tok.Data, body)
			}
			for _, a := range tok.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") || a.Key == "srcdoc" || a.Key == "formaction" {
					t.Errorf("a live attribute %s=%q in the body:\n%s", a.Key, a.Val, body)
				}
				switch a.Key {
				case "href", "src", "action", "xlink:href", "poster", "background":
				default:
					continue
				}
				v := strings.Map(func(r rune) rune {
					if r == '\t' || r == '\n' || r == '\r' {
						return -1
					}
					return unicode.ToLower(r)
				}, a.Val)
				v = strings.TrimLeftFunc(v, func(r rune) bool { return r <= ' ' })
				for _, scheme := range []string{"javascript:", "vbscript:", "data:text/html", "data:image/svg"} {
					if strings.HasPrefix(v, scheme) {
						t.Errorf("a script URL %s=%q in the body:\n%s", a.Key, a.Val, body)
					}
				}
			}
		}
	}
}

// checkSlug checks that s is a safe, non-empty URL segment of at most max bytes.
func checkSlug(t *testing.T, what, s string, max int) {
	t.Helper()
	switch {
	case s == "":
		t.Errorf("%s is empty", what)
	case len(s) > max:
		t.Errorf("%s is %d bytes, over %d: %q", what, len(s), max, s)
	case !utf8.ValidString(s):
		t.Errorf("%s is not valid UTF-8: %q", what, s)
	case strings.ContainsAny(s, "/\\\x00") || strings.Contains(s, ".."):
		t.Errorf("%s holds a path separator, NUL or '..': %q", what, s)
	case strings.IndexFunc(s, isControl) >= 0:
		t.Errorf("%s holds a control or format character: %q", what, s)
	}
}

// isControl reports control characters and invisible format characters
// such as the bidi override U+202E.
func isControl(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }

func FuzzSlugify(f *testing.F) {
	for _, s := range []string{
		"", "Floods close the river port", "Zürich übernimmt", "Don't panic", "São Paulo’s mayor",
		"  --leading and trailing--  ", "a/b\\c", "../../etc/passwd", "..", ".", "-", "–—",
		"\x00\x01\x1f\x7f", "\u202Eevil\u202C", "a\u200bb", "\uFEFFbom", "caf\xe9", "\xff\xfe\xfd",
		"İstanbul", "ǅ", "ΣΑΣ", "Straße", "ﬁ ligature", "e\u0301", "\u0301\u0301", "Ⅻ",
		"日本語のニュース", "١٢٣ عربي", "🙂 emoji", "x\ty\nz\r\n",
		strings.Repeat("é", 100), strings.Repeat("a\u0301", 70), strings.Repeat("ab-", 60),
		strings.Repeat("a", 119) + "-b", strings.Repeat("a", 119) + "é", strings.Repeat("日", 50),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s := Slugify(in)
		if !utf8.ValidString(s) {
			t.Errorf("Slugify(%q) = %q, not valid UTF-8", in, s)
		}
		if len(s) > maxSlugBytes || len(s) > 120 {
			t.Errorf("Slugify(%q) = %q, %d bytes, over 120", in, s, len(s))
		}
		if strings.ContainsAny(s, "/\\\x00") {
			t.Errorf("Slugify(%q) = %q holds a path separator or NUL", in, s)
		}
		if strings.IndexFunc(s, isControl) >= 0 {
			t.Errorf("Slugify(%q) = %q holds a control or format character", in, s)
		}
		if strings.HasPrefix(s, "-") || strings.HasSuffix(s, "-") {
			t.Errorf("Slugify(%q) = %q starts or ends with '-'", in, s)
		}
		if strings.Contains(s, "--") {
			t.Errorf("Slugify(%q) = %q holds '--'", in, s)
		}
		if strings.Contains(s, "..") {
			t.Errorf("Slugify(%q) = %q holds '..'", in, s)
		}
		if again := Slugify(s); again != s {
			t.Errorf("Slugify is not idempotent: Slugify(%q) = %q, Slugify(%q) = %q", in, s, s, again)
		}
	})
}

// callSeeds are bodies with template calls of other generators.
func callSeeds() []string {
	return []string{
		"Watch {{< youtube ID >}} now, \"quoted\".\n\n{{< figure src=\"a.png\" caption=\"It's\" >}}\n",
		"{% assign x = 1 %}\nFirst *para* with {{ site.baseurl }}.\n",
		"[x]({{ site.baseurl }}/about) [y]({{site.baseurl}}/y) ![i]({{ site.baseurl }}/i.png)\n\n[ref]: {{ site.baseurl }}/ref\n\n[r][ref]\n",
		"`{{< code >}}` and\n\n    {% indented %}\n\n```\n{{ fenced }}\n```\n",
		"{{< figure\n  src=\"a.png\"\n>}}\n\nText.\n",
		"\\{{< escaped >}} and {{ unclosed\n",
		"**word**{: .cls} and text {: x} here {{}} {{ }}\n",
		"> quote {{< x\n> y >}} end\n",
		"- item {{% param x %}}\n  {% include a.html %}\n",
		"| a | {{ b }} |\n|---|---|\n| {% c %} | d |\n",
		"# {{ page.title }} {#id}\n",
		"{{{{{{{{{{{{",
		"{%{%{%{%{%{% %} {:{:{:{:}",
		"[a](<{{ x }}/b>)",
	}
}

// FuzzTemplateCalls checks the reading of other generators' template
// calls (calls.go): MatchCall finds a call only where one starts and ends
// as it says, and every call a body holds is reported at a place in the
// body where that call is written, however the body is made.
func FuzzTemplateCalls(f *testing.F) {
	for _, s := range callSeeds() {
		f.Add([]byte(s))
	}
	md := NewMarkdown(config.Default().Markdown)
	f.Fuzz(func(t *testing.T, body []byte) {
		for i := range body {
			n, kind := MatchCall(body[i:])
			if n == 0 {
				continue
			}
			call := body[i : i+n]
			k, open, closer := callOpen(call)
			if k != kind || n < open+len(closer) || !bytes.HasSuffix(call, []byte(closer)) || len(bytes.TrimSpace(call[open:n-len(closer)])) == 0 {
				t.Fatalf("MatchCall(%q) = %d, %d: not a call", body[i:], n, kind)
			}
			if m, _ := MatchCall(call); m != n {
				t.Fatalf("MatchCall(%q) = %d, but of its call %q, %d", body[i:], n, call, m)
			}
		}
		if guard(body) != nil {
			return
		}
		b, err := md.convert(body, nil, false)
		if err != nil {
			return // too deep: refused
		}
		for _, c := range b.calls {
			first, _, _ := bytes.Cut(c.text, []byte("\n"))
			if c.offset < 0 || c.offset >= len(body) || !bytes.HasPrefix(body[c.offset:], bytes.TrimRight(first, "\r")) {
				t.Fatalf("call %q reported at %d, where the body has %.40q", c.text, c.offset, body[max(0, min(c.offset, len(body))):])
			}
			if kind, _, _ := callOpen(c.text); kind == noCall || kind == spanIAL {
				t.Fatalf("call %q reported, which opens no call", c.text)
			}
			if !c.inLink && !bytes.Contains([]byte(b.html), util.EscapeHTML(first)) && !strings.Contains(string(b.html), "<img") {
				t.Fatalf("call %q is not shown as written:\n%s", c.text, b.html)
			}
		}
	})
}
