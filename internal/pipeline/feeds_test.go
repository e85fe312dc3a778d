package pipeline

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/digest-ssg/digest"
)

// buildSite writes files into a temporary site, builds it with a fixed
// "now" and returns the output folder.
func buildSite(t *testing.T, files map[string]string, now time.Time) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		writeFile(t, filepath.Join(dir, name), []byte(data))
	}
	out := filepath.Join(dir, "build")
	if _, err := Run(context.Background(), Options{Source: dir, Theme: digest.Theme(), Now: now}); err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	return out
}

func read(t *testing.T, out, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var feedSite = map[string]string{
	"site.toml": `title = "Feed Test"
base_url = "https://news.example.org/"
timezone = "Asia/Kolkata"
[feeds]
items = 2
`,
	"content/a.md": "---\ntitle: First\ndate: 2026-03-01T09:00:00\ntopic: World\ntags: [x]\nauthors: Ann\nsource: Wire\nsource_url: https://example.com/a\n---\nSee [our page](/about/) and ![pic](/p.png).\n\n## What next\n\nMore.\n",
	"content/b.md": "---\ntitle: Second\ndate: 2026-03-02T09:00:00\nupdated: 2026-03-02T12:00:00\ntopic: World\n---\nBody two.\n",
	"content/c.md": "---\ntitle: Third\ndate: 2026-03-03T09:00:00\ntopic: Sport\nimage: /c.jpg\nimage_alt: A pitch\n---\nBody three.\n",
}

func TestRSS(t *testing.T) {
	out := buildSite(t, feedSite, now)
	var rss struct {
		Version string `xml:"version,attr"`
		Channel struct {
			Title       string   `xml:"title"`
			Links       []string `xml:"link"` // <link> and <atom:link>
			Description string   `xml:"description"`
			Language    string   `xml:"language"`
			Items       []struct {
				Title       string   `xml:"title"`
				Link        string   `xml:"link"`
				PubDate     string   `xml:"pubDate"`
				Description string   `xml:"description"`
				GUID        string   `xml:"guid"`
				Content     string   `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
				Creator     []string `xml:"http://purl.org/dc/elements/1.1/ creator"`
				Category    []string `xml:"category"`
				Image       struct {
					URL    string `xml:"url,attr"`
					Medium string `xml:"medium,attr"`
					Type   string `xml:"type,attr"`
				} `xml:"http://search.yahoo.com/mrss/ content"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal(read(t, out, "feed.xml"), &rss); err != nil {
		t.Fatal(err)
	}
	ch := rss.Channel
	if rss.Version != "2.0" || ch.Title != "Feed Test" || len(ch.Links) != 2 || ch.Links[0] != "https://news.example.org/" || ch.Language != "en" {
		t.Errorf("channel = %+v", ch)
	}
	if len(ch.Items) != 2 || ch.Items[0].Title != "Third" || ch.Items[1].Title != "Second" {
		t.Fatalf("items = %+v (want the newest 2, newest first)", ch.Items)
	}
	it := ch.Items[0]
	if it.Link != "https://news.example.org/2026/03/03/c/" || it.GUID != it.Link {
		t.Errorf("link %q guid %q", it.Link, it.GUID)
	}
	if d, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil || it.PubDate != "Tue, 03 Mar 2026 09:00:00 +0530" || !d.Equal(time.Date(2026, 3, 3, 3, 30, 0, 0, time.UTC)) {
		t.Errorf("pubDate = %q (%v), want the site's offset", it.PubDate, err)
	}
	if !strings.Contains(it.Content, "<p>Body three.</p>") || strings.Join(it.Category, ",") != "Sport" {
		t.Errorf("content %q categories %v", it.Content, it.Category)
	}
	if img := it.Image; img.URL != "https://news.example.org/c.jpg" || img.Medium != "image" || img.Type != "image/jpeg" {
		t.Errorf("media:content = %+v, want the article's image", img)
	}
	var world struct {
		Channel struct {
			Items []struct {
				Title    string   `xml:"title"`
				Content  string   `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
				Creator  []string `xml:"http://purl.org/dc/elements/1.1/ creator"`
				Category []string `xml:"category"`
				Source   struct {
					URL  string `xml:"url,attr"`
					Name string `xml:",chardata"`
				} `xml:"source"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal(read(t, out, "topics/world/feed.xml"), &world); err != nil {
		t.Fatal(err)
	}
	if n := len(world.Channel.Items); n != 2 || world.Channel.Items[1].Title != "First" {
		t.Fatalf("world feed items = %+v", world.Channel.Items)
	}
	first := world.Channel.Items[1]
	for _, want := range []string{`href="https://news.example.org/about/"`, `src="https://news.example.org/p.png"`, `Source: <a href="https://example.com/a">Wire</a>`} {
		if !strings.Contains(first.Content, want) {
			t.Errorf("content lacks %q: %s", want, first.Content)
		}
	}
	if strings.Join(first.Creator, ",") != "Ann" || strings.Join(first.Category, ",") != "World,x" {
		t.Errorf("creator %v categories %v", first.Creator, first.Category)
	}
	if first.Source.URL != "https://example.com/a" || first.Source.Name != "Wire" {
		t.Errorf("source = %+v, want the outlet and its story", first.Source)
	}
	// The headings' "#" links show in feed readers as stray characters.
	if !strings.Contains(first.Content, `What next</h2>`) || strings.Contains(first.Content, "#</a>") {
		t.Errorf("content keeps the heading's # link: %s", first.Content)
	}
}

func TestAtom(t *testing.T) {
	out := buildSite(t, feedSite, now)
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Title   string   `xml:"title"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Links   []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
		Entries []struct {
			Title     string `xml:"title"`
			ID        string `xml:"id"`
			Published string `xml:"published"`
			Updated   string `xml:"updated"`
			Content   struct {
				Type string `xml:"type,attr"`
				Body string `xml:",chardata"`
			} `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(read(t, out, "atom.xml"), &feed); err != nil {
		t.Fatal(err)
	}
	if feed.ID != "https://news.example.org/atom.xml" || feed.Updated != "2026-03-03T09:00:00+05:30" {
		t.Errorf("id %q updated %q", feed.ID, feed.Updated)
	}
	if len(feed.Links) != 2 || feed.Links[0].Rel != "self" || feed.Links[1].Href != "https://news.example.org/" {
		t.Errorf("links = %+v", feed.Links)
	}
	if len(feed.Entries) != 2 {
		t.Fatalf("entries = %d", len(feed.Entries))
	}
	second := feed.Entries[1]
	if second.ID != "https://news.example.org/2026/03/02/b/" || second.Published != "2026-03-02T09:00:00+05:30" || second.Updated != "2026-03-02T12:00:00+05:30" {
		t.Errorf("entry = %+v", second)
	}
	if second.Content.Type != "html" || !strings.Contains(second.Content.Body, "<p>Body two.</p>") {
		t.Errorf("content = %+v", second.Content)
	}
}

func TestJSONFeed(t *testing.T) {
	out := buildSite(t, feedSite, now)
	var f struct {
		Version, Title, HomePageURL, FeedURL, Language string
		Items                                          []map[string]any
	}
	data := read(t, out, "topics/world/feed.json")
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if f.Version != "https://jsonfeed.org/version/1.1" || f.Title != "Feed Test: World" {
		t.Errorf("feed = %+v", f)
	}
	var raw map[string]any
	json.Unmarshal(data, &raw)
	if raw["home_page_url"] != "https://news.example.org/topics/world/" || raw["feed_url"] != "https://news.example.org/topics/world/feed.json" {
		t.Errorf("urls = %v %v", raw["home_page_url"], raw["feed_url"])
	}
	items := raw["items"].([]any)
	first := items[1].(map[string]any)
	if first["id"] != "https://news.example.org/2026/03/01/a/" || first["external_url"] != "https://example.com/a" ||
		first["date_published"] != "2026-03-01T09:00:00+05:30" || first["title"] != "First" {
		t.Errorf("item = %v", first)
	}
	if authors := first["authors"].([]any); authors[0].(map[string]any)["name"] != "Ann" {
		t.Errorf("authors = %v", authors)
	}
	second := items[0].(map[string]any)
	if second["date_modified"] != "2026-03-02T12:00:00+05:30" {
		t.Errorf("date_modified = %v", second["date_modified"])
	}
	var site struct{ Items []map[string]any }
	json.Unmarshal(read(t, out, "feed.json"), &site)
	if site.Items[0]["image"] != "https://news.example.org/c.jpg" {
		t.Errorf("image = %v", site.Items[0]["image"])
	}
}

func TestSitemapsRobotsAndFeedList(t *testing.T) {
	out := buildSite(t, feedSite, now)
	var sm struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(read(t, out, "sitemap.xml"), &sm); err != nil {
		t.Fatal(err)
	}
	locs := map[string]string{}
	for _, u := range sm.URLs {
		locs[u.Loc] = u.LastMod
	}
	for loc, mod := range map[string]string{
		"https://news.example.org/":              "2026-03-03T09:00:00+05:30",
		"https://news.example.org/2026/03/02/b/": "2026-03-02T12:00:00+05:30",
		"https://news.example.org/topics/world/": "2026-03-02T12:00:00+05:30",
		"https://news.example.org/tags/x/":       "2026-03-01T09:00:00+05:30",
		"https://news.example.org/2026/03/01/":   "2026-03-01T09:00:00+05:30",
		"https://news.example.org/archive/":      "2026-03-03T09:00:00+05:30",
	} {
		if got, ok := locs[loc]; !ok || got != mod {
			t.Errorf("sitemap %s lastmod = %q (listed %v), want %q", loc, got, ok, mod)
		}
	}
	if _, ok := locs["https://news.example.org/404.html"]; ok {
		t.Error("the 404 page is in the sitemap")
	}
	robots := string(read(t, out, "robots.txt"))
	for _, want := range []string{"User-agent: *", "Sitemap: https://news.example.org/sitemap.xml"} {
		if !strings.Contains(robots, want) {
			t.Errorf("robots.txt lacks %q:\n%s", want, robots)
		}
	}
	// No article of the last two days: no news sitemap, and robots.txt
	// names none (it used to name an empty one, which fails its schema).
	if strings.Contains(robots, "news-sitemap") {
		t.Errorf("robots.txt names a news sitemap with no article:\n%s", robots)
	}
	if _, err := os.Stat(filepath.Join(out, "news-sitemap.xml")); err == nil {
		t.Error("an empty news-sitemap.xml was written")
	}
	var opml struct {
		Outlines []struct {
			XMLURL string `xml:"xmlUrl,attr"`
		} `xml:"body>outline"`
	}
	if err := xml.Unmarshal(read(t, out, "feeds.opml"), &opml); err != nil || len(opml.Outlines) != 4 || opml.Outlines[3].XMLURL != "https://news.example.org/editions.xml" {
		t.Errorf("opml = %+v, %v (want the site, two topics and the editions)", opml, err)
	}
	feeds := string(read(t, out, "feeds/index.html"))
	for _, want := range []string{`href="/topics/world/feed.xml"`, `href="/feeds.opml"`, `href="/atom.xml"`} {
		if !strings.Contains(feeds, want) {
			t.Errorf("feeds page lacks %q", want)
		}
	}
	// Compared as a browser reads them: html/template writes "+" in an
	// attribute as "&#43;".
	home := html.UnescapeString(string(read(t, out, "index.html")))
	for _, want := range []string{`<link rel="alternate" type="application/rss+xml" title="Feed Test (RSS)" href="/feed.xml">`, `type="application/feed+json"`} {
		if !strings.Contains(home, want) {
			t.Errorf("home page lacks autodiscovery %q", want)
		}
	}
}

func TestNewsSitemapListsTheLastTwoDays(t *testing.T) {
	files := map[string]string{
		"site.toml":        "title = \"Daily\"\nbase_url = \"https://d.example/\"\nlanguage = \"en-GB\"\n[publisher]\nname = \"Daily Ltd\"\n",
		"content/old.md":   "---\ntitle: Three days old\ndate: 2026-11-25T11:00:00Z\n---\n",
		"content/edge.md":  "---\ntitle: Just inside\ndate: 2026-11-26T12:30:00Z\n---\n",
		"content/fresh.md": "---\ntitle: \"Fresh & <new>\"\ndate: 2026-11-28T08:00:00Z\n---\n",
	}
	out := buildSite(t, files, now) // now: 2026-11-28 12:00 UTC
	var ns struct {
		URLs []struct {
			Loc  string `xml:"loc"`
			News struct {
				Name     string `xml:"publication>name"`
				Language string `xml:"publication>language"`
				Date     string `xml:"publication_date"`
				Title    string `xml:"title"`
			} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
		} `xml:"url"`
	}
	data := read(t, out, "news-sitemap.xml")
	if err := xml.Unmarshal(data, &ns); err != nil {
		t.Fatal(err)
	}
	if len(ns.URLs) != 2 {
		t.Fatalf("news sitemap lists %d URLs, want 2:\n%s", len(ns.URLs), data)
	}
	n := ns.URLs[0]
	if n.Loc != "https://d.example/2026/11/28/fresh/" || n.News.Title != "Fresh & <new>" || n.News.Name != "Daily Ltd" ||
		n.News.Language != "en" || n.News.Date != "2026-11-28T08:00:00Z" {
		t.Errorf("entry = %+v", n)
	}
	if ns.URLs[1].News.Title != "Just inside" {
		t.Errorf("second entry = %+v", ns.URLs[1])
	}
	if robots := string(read(t, out, "robots.txt")); !strings.Contains(robots, "Sitemap: https://d.example/news-sitemap.xml\n") {
		t.Errorf("robots.txt does not name the news sitemap:\n%s", robots)
	}
}

func TestArticleMetadata(t *testing.T) {
	out := buildSite(t, feedSite, now)
	page := string(read(t, out, "2026/03/03/c/index.html"))
	decoded := html.UnescapeString(page)
	for _, want := range []string{
		`<link rel="canonical" href="https://news.example.org/2026/03/03/c/">`,
		`<meta property="og:type" content="article">`,
		`<meta property="og:image" content="https://news.example.org/c.jpg">`,
		`<meta property="og:image:alt" content="A pitch">`,
		`<meta name="twitter:card" content="summary_large_image">`,
		`<meta property="article:published_time" content="2026-03-03T09:00:00+05:30">`,
		`<meta property="article:section" content="Sport">`,
	} {
		if !strings.Contains(decoded, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
	ld := jsonLDOf(t, page)
	if ld["@type"] != "NewsArticle" || ld["headline"] != "Third" || ld["datePublished"] != "2026-03-03T09:00:00+05:30" ||
		ld["articleSection"] != "Sport" || ld["image"].([]any)[0] != "https://news.example.org/c.jpg" {
		t.Errorf("JSON-LD = %v", ld)
	}
	if pub := ld["publisher"].(map[string]any); pub["name"] != "Feed Test" {
		t.Errorf("publisher = %v", pub)
	}
	if ld := jsonLDOf(t, string(read(t, out, "topics/world/index.html"))); ld["@type"] != "CollectionPage" {
		t.Errorf("topic JSON-LD = %v", ld)
	}
}

// jsonLDOf extracts and parses the page's JSON-LD.
func jsonLDOf(t *testing.T, page string) map[string]any {
	t.Helper()
	_, rest, ok := strings.Cut(page, `<script type="application/ld+json">`)
	body, _, ok2 := strings.Cut(rest, "</script>")
	if !ok || !ok2 {
		t.Fatalf("no JSON-LD in page")
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, body)
	}
	return v
}
