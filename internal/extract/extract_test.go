package extract

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

var fetched = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func extract(t *testing.T, page, at string) *Page {
	t.Helper()
	u, _ := url.Parse(at)
	p, err := Extract(page, Options{URL: u, Fetched: fetched})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const body = `<p>The harbour reopened on Tuesday after a week of storms closed it to shipping, officials said, and the first ferry left at dawn.</p>
<p>"It was the longest closure in memory," said the harbour master, who has worked at the port for thirty years.</p>
<p>Insurers have sent assessors to the quay, where two cranes were damaged and a warehouse roof was torn away by the wind.</p>`

func TestExtractMetaAndJSONLD(t *testing.T) {
	page := `<!DOCTYPE html><html lang="en"><head>
<title>Port reopens after storm | Harbour Gazette</title>
<link rel="canonical" href="/news/port-reopens?utm_source=feed&amp;id=7&amp;fbclid=abc#top">
<meta property="og:site_name" content="Harbour Gazette">
<meta property="og:image" content="/img/port.jpg"><meta property="og:image:alt" content="Cranes at dawn">
<meta name="description" content="The harbour is open again.">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"Organization","@id":"#org","name":"Harbour Gazette Ltd"},
 {"@type":"NewsArticle","headline":"Port reopens after storm","datePublished":"2026-11-30T07:15:00+01:00",
  "author":[{"@type":"Person","name":"Ann Lee"},{"@type":"Person","name":"Bo Chan"}],"publisher":{"@id":"#org"}}]}</script>
</head><body><nav><a href="/">Home</a></nav><article><h1>Port reopens after storm</h1>` + body + `</article></body></html>`
	p := extract(t, page, "https://www.gazette.example.com/news/port-reopens?utm_medium=x")
	want := Page{Title: "Port reopens after storm", Source: "Harbour Gazette", URL: "https://www.gazette.example.com/news/port-reopens?id=7",
		Image: "https://www.gazette.example.com/img/port.jpg", ImageAlt: "Cranes at dawn", Description: "The harbour is open again.", PublishedFrom: "JSON-LD"}
	if p.Title != want.Title || p.Source != want.Source || p.URL != want.URL || p.Image != want.Image || p.ImageAlt != want.ImageAlt || p.Description != want.Description || p.PublishedFrom != want.PublishedFrom {
		t.Errorf("got  %+v\nwant %+v", *p, want)
	}
	if !p.Published.Equal(time.Date(2026, 11, 30, 6, 15, 0, 0, time.UTC)) || strings.Join(p.Authors, ";") != "Ann Lee;Bo Chan" {
		t.Errorf("published %v authors %v", p.Published, p.Authors)
	}
	if !strings.HasPrefix(p.Lead, "The harbour reopened on Tuesday") || !strings.Contains(p.Markdown, "Insurers have sent") || strings.Contains(p.Markdown, "# Port reopens") {
		t.Errorf("lead %q\nmarkdown %q", p.Lead, p.Markdown)
	}
}

func TestExtractRelativeTimeAndTitleFallbacks(t *testing.T) {
	page := `<html><head><title>Floods close river port - Tidewater Times</title>
<meta name="application-name" content="Tidewater Times"><meta name="author" content="By Cy Dee and Eve Fox"></head>
<body><div class="byline"><span>Updated 4 hours ago</span></div><article>` + body + `
<aside><ul><li>Other story <span>2 hours ago</span></li></ul></aside></article></body></html>`
	p := extract(t, page, "https://tide.example.net/floods")
	if p.Title != "Floods close river port" || p.Source != "Tidewater Times" || p.URL != "https://tide.example.net/floods" {
		t.Errorf("%+v", p)
	}
	if !p.Published.Equal(fetched.Add(-4*time.Hour)) || p.PublishedFrom != `"Updated 4 hours ago" on the page` {
		t.Errorf("published %v from %q", p.Published, p.PublishedFrom)
	}
	if strings.Join(p.Authors, ";") != "Cy Dee;Eve Fox" {
		t.Errorf("authors %v", p.Authors)
	}
}

func TestExtractOutletFromHost(t *testing.T) {
	p := extract(t, `<html><head><title>Bare page</title></head><body><article>`+body+`</article></body></html>`, "https://www.bare.example.org/x")
	if p.Source != "bare.example.org" || !p.Published.IsZero() {
		t.Errorf("%+v", p)
	}
}

func TestSanitize(t *testing.T) {
	page := `<html><head><title>Safe</title></head><body><article>` + body + `
<p>A <a href="javascript:alert(1)">bad link</a>, a <a href="/ok?utm_campaign=x">good one</a> and <a href="mailto:desk@example.com">mail</a>.
<img src="/no-alt.png"> <img src="data:image/png;base64,AAAA" alt="data"> <script>alert(2)</script>
&lt;script&gt;alert(3)&lt;/script&gt; <iframe src="https://evil.example/"></iframe> <span onclick="x()">clicks</span></p>
<figure><img src="/chart.png"><figcaption>Freight volumes by month</figcaption></figure></article></body></html>`
	p := extract(t, page, "https://safe.example.com/a")
	for _, bad := range []string{"javascript:", "alert(1)", "alert(2)", "<script", "no-alt.png", "data:image", "evil.example", "onclick", "utm_campaign"} {
		if strings.Contains(p.Markdown, bad) {
			t.Errorf("%q reached the Markdown:\n%s", bad, p.Markdown)
		}
	}
	for _, good := range []string{"bad link", "[good one](https://safe.example.com/ok)", "[mail](mailto:desk@example.com)", "&lt;script&gt;alert(3)", "![Freight volumes by month](https://safe.example.com/chart.png)"} {
		if !strings.Contains(p.Markdown, good) {
			t.Errorf("%q missing from the Markdown:\n%s", good, p.Markdown)
		}
	}
}

func TestExtractNoHeadline(t *testing.T) {
	u, _ := url.Parse("https://x.example/")
	if _, err := Extract("<html><body><p>hi</p></body></html>", Options{URL: u}); err == nil {
		t.Error("no error for a page without a headline")
	}
}

func TestCleanURLAndKey(t *testing.T) {
	tests := []struct{ in, clean, key string }{
		{"https://www.Example.com/a/b/?utm_source=x&id=7&fbclid=y#frag", "https://www.Example.com/a/b/?id=7", "example.com/a/b?id=7"},
		{"http://example.com:80/a?b=2&a=1", "http://example.com:80/a?b=2&a=1", "example.com/a?a=1&b=2"},
		{"https://example.com/?utm_medium=rss", "https://example.com/", "example.com"},
		{"ftp://example.com/x", "ftp://example.com/x", ""},
	}
	for _, tt := range tests {
		if got := CleanURL(tt.in); got != tt.clean {
			t.Errorf("CleanURL(%q) = %q, want %q", tt.in, got, tt.clean)
		}
		if got := Key(tt.in); got != tt.key {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.key)
		}
	}
}

func TestHTMLToTextAndMarkdown(t *testing.T) {
	if got := HTMLToText("<p>The port <b>reopened</b>&nbsp;today.</p><p>AT&amp;T said so.</p>"); got != "The port reopened today. AT&T said so." {
		t.Errorf("HTMLToText = %q", got)
	}
	u, _ := url.Parse("https://feed.example.com/")
	md, err := HTMLToMarkdown(`<p>Itâ€™s <a href="/a">here</a>.</p><script>x()</script>`, u)
	if err != nil || strings.TrimSpace(md) != "It’s [here](https://feed.example.com/a)." {
		t.Errorf("HTMLToMarkdown = %q, %v", md, err)
	}
}
