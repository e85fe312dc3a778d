package feed

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func parse(t *testing.T, text string) *Feed {
	t.Helper()
	base, _ := url.Parse("https://wire.example.org/feeds/main.xml")
	f, err := Parse(text, Options{URL: base, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRSS2WithBrokenBits(t *testing.T) {
	f := parse(t, "\ufeff\n"+`<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Harbour Gazette</title><link>https://gazette.example.com/</link>
<item>
  <title>Port reopens&nbsp;after storm &rsquo;s week &amp; more</title>
  <link>/2026/11/30/port-reopens?utm_source=rss</link>
  <guid isPermaLink="false">gazette-1234</guid>
  <pubDate>Tue, 30 Nov 2026 09:30:00 EST</pubDate>
  <dc:creator>Ann Lee</dc:creator>
  <description>The port <b>reopened</b> today. AT&T said so.<br>More soon.</description>
  <content:encoded><![CDATA[<p>The port reopened today.</p><p>Second paragraph.</p>]]></content:encoded>
  <media:content url="https://img.example.com/port.jpg" medium="image"><media:description>Cranes at dawn</media:description></media:content>
  <category>Ports</category>
</item>
<item>
  <title>Second story</title>
  <guid>https://gazette.example.com/second</guid>
  <pubDate>4 hours ago</pubDate>
  <author>desk@gazette.example.com (Bo Chan)</author>
</item>
</channel></rss>`)
	if f.Format != "RSS 2.0" || f.Title != "Harbour Gazette" || len(f.Items) != 2 {
		t.Fatalf("feed %+v", f)
	}
	it := f.Items[0]
	if it.Title != "Port reopens\u00a0after storm ’s week & more" {
		t.Errorf("title %q", it.Title)
	}
	if it.Link != "https://wire.example.org/2026/11/30/port-reopens?utm_source=rss" || it.GUID != "gazette-1234" {
		t.Errorf("link %q guid %q", it.Link, it.GUID)
	}
	if !it.Published.Equal(time.Date(2026, 11, 30, 14, 30, 0, 0, time.UTC)) {
		t.Errorf("published %v", it.Published)
	}
	if len(it.Authors) != 1 || it.Authors[0] != "Ann Lee" {
		t.Errorf("authors %v", it.Authors)
	}
	if !strings.Contains(it.Summary, "<b>reopened</b>") || !strings.Contains(it.Summary, "AT&amp;T") {
		t.Errorf("summary %q", it.Summary)
	}
	if it.Content != "<p>The port reopened today.</p><p>Second paragraph.</p>" {
		t.Errorf("content %q", it.Content)
	}
	if it.Image != "https://img.example.com/port.jpg" || it.ImageAlt != "Cranes at dawn" {
		t.Errorf("image %q %q", it.Image, it.ImageAlt)
	}
	second := f.Items[1]
	if second.Link != "https://gazette.example.com/second" || !second.Published.Equal(now.Add(-4*time.Hour)) || second.Authors[0] != "Bo Chan" {
		t.Errorf("second %+v", second)
	}
}

func TestRSS091AndRDF(t *testing.T) {
	f := parse(t, `<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title>
<item><title>Old style</title><link>https://old.example.com/a</link><description>Plain &amp; simple</description></item>
</channel></rss>`)
	if f.Format != "RSS 0.91" || f.Items[0].Link != "https://old.example.com/a" || f.Items[0].Summary != "Plain & simple" {
		t.Errorf("0.91: %+v", f)
	}
	f = parse(t, `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example.com/"><title>RDF</title><link>https://rdf.example.com/</link></channel>
<item rdf:about="https://rdf.example.com/b"><title>RDF item</title><link>https://rdf.example.com/b</link><dc:date>2026-11-30T09:30:00+00:00</dc:date><dc:creator>Cy Dee</dc:creator></item>
</rdf:RDF>`)
	if f.Format != "RSS 1.0" || len(f.Items) != 1 || f.Items[0].GUID != "https://rdf.example.com/b" || f.Items[0].Published.IsZero() || f.Items[0].Authors[0] != "Cy Dee" {
		t.Errorf("1.0: %+v", f)
	}
}

func TestAtom(t *testing.T) {
	f := parse(t, `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
<title type="html">Tidewater &lt;i&gt;Times&lt;/i&gt;</title><link href="https://tide.example.net/"/>
<author><name>Desk</name></author>
<entry>
 <id>tag:tide.example.net,2026:1</id>
 <title type="html">Floods close &lt;em&gt;river&lt;/em&gt; port</title>
 <link rel="self" href="https://tide.example.net/self/1"/>
 <link rel="alternate" type="text/html" href="https://tide.example.net/floods"/>
 <link rel="enclosure" type="image/png" href="/img/flood.png"/>
 <published>2026-11-30T08:00:00+01:00</published>
 <updated>2026-11-30T10:00:00+01:00</updated>
 <summary>Water rose overnight.</summary>
 <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Water <strong>rose</strong> overnight &amp; fell.</p></div></content>
 <category term="weather" label="Weather"/>
</entry>
</feed>`)
	if f.Format != "Atom" || f.Title != "Tidewater Times" || len(f.Items) != 1 {
		t.Fatalf("feed %+v", f)
	}
	it := f.Items[0]
	if it.Title != "Floods close river port" || it.Link != "https://tide.example.net/floods" || it.Image != "https://wire.example.org/img/flood.png" {
		t.Errorf("item %+v", it)
	}
	if it.Content != "<p>Water <strong>rose</strong> overnight &amp; fell.</p>" || it.Summary != "Water rose overnight." {
		t.Errorf("content %q summary %q", it.Content, it.Summary)
	}
	if len(it.Authors) != 1 || it.Authors[0] != "Desk" || it.Categories[0] != "Weather" {
		t.Errorf("authors %v categories %v", it.Authors, it.Categories)
	}
	if !it.Published.Equal(time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("published %v", it.Published)
	}
}

func TestJSONFeed(t *testing.T) {
	f := parse(t, `{"version": "https://jsonfeed.org/version/1.1", "title": "Wire JSON", "authors": [{"name": "Desk"}],
"items": [
 {"id": 42, "url": "https://json.example.com/a", "title": "JSON story", "content_html": "<p>Body</p>", "summary": "Short & sweet",
  "date_published": "2026-11-30T09:30:00Z", "authors": [{"name": "Eve Fox"}], "image": "https://json.example.com/a.jpg", "tags": ["x"]},
 {"id": "b", "external_url": "https://other.example.com/b", "content_text": "Text only <not html>", "date_published": "Mon, 30 Nov 2026 09:30:00 +0000", "author": "Gus Hill"}
]}`)
	if f.Format != "JSON Feed" || len(f.Items) != 2 {
		t.Fatalf("%+v", f)
	}
	a, b := f.Items[0], f.Items[1]
	if a.GUID != "42" || a.Summary != "Short &amp; sweet" || a.Authors[0] != "Eve Fox" || a.Published.IsZero() {
		t.Errorf("a %+v", a)
	}
	if b.Link != "https://other.example.com/b" || b.Content != "<p>Text only &lt;not html&gt;</p>" || b.Authors[0] != "Gus Hill" {
		t.Errorf("b %+v", b)
	}
}

func TestBrokenFeeds(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"cut short", `<rss version="2.0"><channel><item><title>A</title>`, "bad XML at line 1: the document ends before </item>"},
		{"a web page", `<!DOCTYPE html><html><head><title>x</title></head><body><p>hi</body></html>`, "not a feed but a web page"},
		{"something else", `<?xml version="1.0"?><svg></svg>`, "not an RSS, Atom or JSON feed (the document is <svg>)"},
		{"bad JSON", "{\"version\": \"https://jsonfeed.org/version/1\",\n \"items\": [}", "bad JSON at line 2"},
		{"JSON, not a feed", `{"hello": "world"}`, "not a JSON Feed"},
		{"empty", "  \n", "the feed is empty"},
		{"garbage", "<<<>>>", "bad XML"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.text, Options{Now: now})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestUnknownDateKeepsText(t *testing.T) {
	f := parse(t, `<rss version="2.0"><channel><item><title>A</title><link>https://a.example/</link><pubDate>the day after tomorrow</pubDate></item></channel></rss>`)
	if it := f.Items[0]; !it.Published.IsZero() || it.DateText != "the day after tomorrow" {
		t.Errorf("%+v", it)
	}
}
