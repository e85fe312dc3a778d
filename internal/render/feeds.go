package render

import (
	"bytes"
	"cmp"
	"encoding/json"
	"encoding/xml"
	"html"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/digest-ssg/digest/internal/site"
)

// The feeds are made with encoding/xml and encoding/json, never by
// pasting strings, so every value is escaped for its format.

// links makes absolute URLs for one site.
type links struct{ base string }

func (l links) abs(u string) string { return joinURL(l.base, u) }

func feedTitle(p *site.Page) string {
	if p.Term != nil {
		return p.Site.Config.Lang.Text("feed_topic_title", "site", p.Site.Config.Title, "topic", p.Term.Name)
	}
	return p.Site.Config.Title
}

// feedHome is the page a feed follows: the home page or the topic page.
func feedHome(p *site.Page) string {
	if p.Term != nil {
		return p.Term.URL
	}
	return "/"
}

func feedDescription(p *site.Page) string {
	if p.Term != nil {
		return p.Site.Config.Lang.Text("feed_topic_description", "topic", p.Term.Name, "site", p.Site.Config.Title)
	}
	if d := p.Site.Config.Description; d != "" {
		return d
	}
	return p.Site.Config.Lang.Text("feed_description", "site", p.Site.Config.Title)
}

// itemHTML is an article's content for feeds: the body or the summary,
// with a link to the original story for curated items.
func itemHTML(p *site.Page, a *site.Article) (string, error) {
	// An article goes into up to six feeds (the site's and its topic's, in
	// three formats): its item is made once.
	v, err := a.Memo(feedItem{}, func() (any, error) { return makeItemHTML(p, a) })
	if err != nil {
		return "", err
	}
	return v.(string), nil
}

// feedItem is the Memo key of an article's feed item.
type feedItem struct{}

func makeItemHTML(p *site.Page, a *site.Article) (string, error) {
	var b strings.Builder
	if p.Site.Config.Feeds.FullContent {
		body, err := a.Body()
		if err != nil {
			return "", err
		}
		b.WriteString(absoluteLinks(withoutAnchors(string(body)), p.Site.Config.BaseURL))
	} else {
		b.WriteString("<p>" + html.EscapeString(a.Summary) + "</p>")
	}
	if a.SourceURL != "" {
		name := a.Source
		if name == "" {
			name = "the original story"
		}
		b.WriteString(`<p>Source: <a href="` + html.EscapeString(a.SourceURL) + `">` + html.EscapeString(name) + "</a></p>")
	}
	return b.String(), nil
}

// headingAnchor finds the "#" links the Markdown converter puts in
// headings (class "anchor"), however the body was minified.
var headingAnchor = regexp.MustCompile(`<a\s[^>]*\bclass="?anchor\b"?[^>]*>#</a>`)

// withoutAnchors drops the headings' "#" links from an article body:
// feed readers show them as stray "#" characters.
func withoutAnchors(body string) string {
	if !strings.Contains(body, "anchor") {
		return body
	}
	return headingAnchor.ReplaceAllString(body, "")
}

// rootRelative finds href and src attributes holding root-relative URLs.
var rootRelative = regexp.MustCompile(`(\s(?:href|src)=")/([^/"]|")`)

// absoluteLinks makes root-relative links in an article body absolute, as
// feed readers show the body away from the site. The site's origin is
// put in front; the path is the author's.
func absoluteLinks(body, baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return body
	}
	return rootRelative.ReplaceAllString(body, "${1}"+u.Scheme+"://"+u.Host+"/${2}")
}

func categories(a *site.Article) []string {
	var out []string
	if a.TopicTerm != nil {
		out = append(out, a.TopicTerm.Name)
	}
	for _, t := range a.TagTerms {
		out = append(out, t.Name)
	}
	return out
}

type rssFeed struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Content string     `xml:"xmlns:content,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Media   string     `xml:"xmlns:media,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Self          rssSelf   `xml:"atom:link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Generator     string    `xml:"generator"`
	Items         []rssItem `xml:"item"`
}

type rssSelf struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string     `xml:"title"`
	Link        string     `xml:"link"`
	GUID        rssGUID    `xml:"guid"`
	PubDate     string     `xml:"pubDate"`
	Description string     `xml:"description"`
	Content     string     `xml:"content:encoded"`
	Creators    []string   `xml:"dc:creator"`
	Categories  []string   `xml:"category"`
	Source      *rssSource `xml:"source,omitempty"`
	Image       *rssMedia  `xml:"media:content,omitempty"`
}

// rssSource is the outlet a curated item came from: RSS 2.0's <source>,
// whose url is required.
type rssSource struct {
	URL  string `xml:"url,attr"`
	Name string `xml:",chardata"`
}

// rssMedia is an item's image, as Media RSS's <media:content>, which,
// unlike <enclosure>, needs no length in bytes.
type rssMedia struct {
	URL    string `xml:"url,attr"`
	Medium string `xml:"medium,attr"`
	Type   string `xml:"type,attr,omitempty"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

func renderRSS(p *site.Page) ([]byte, error) {
	l := links{p.Site.Config.BaseURL}
	ch := rssChannel{
		Title: feedTitle(p), Link: l.abs(feedHome(p)), Description: feedDescription(p),
		Self:      rssSelf{Href: l.abs(p.URL), Rel: "self", Type: "application/rss+xml"},
		Language:  p.Site.Config.Language,
		Generator: "digest",
	}
	if !p.Modified.IsZero() {
		ch.LastBuildDate = p.Modified.Format(time.RFC1123Z)
	}
	for _, a := range p.Items {
		content, err := itemHTML(p, a)
		if err != nil {
			return nil, err
		}
		item := rssItem{
			Title: a.Title, Link: l.abs(a.URL), GUID: rssGUID{"true", l.abs(a.URL)},
			// RSS readers take description as HTML: the plain-text summary is
			// escaped for HTML, then for XML by the encoder.
			PubDate: a.Date.Format(time.RFC1123Z), Description: html.EscapeString(a.Summary),
			Creators: a.Authors, Categories: categories(a),
		}
		item.Content = content
		if a.SourceURL != "" {
			item.Source = &rssSource{URL: a.SourceURL, Name: cmp.Or(a.Source, a.SourceURL)}
		}
		if a.Image != "" {
			item.Image = &rssMedia{URL: l.abs(a.Image), Medium: "image", Type: imageType(a.Image)}
		}
		ch.Items = append(ch.Items, item)
	}
	return marshalXML(rssFeed{Version: "2.0", Content: "http://purl.org/rss/1.0/modules/content/",
		DC: "http://purl.org/dc/elements/1.1/", Atom: "http://www.w3.org/2005/Atom",
		Media: "http://search.yahoo.com/mrss/", Channel: ch})
}

// imageType is the media type of an image, by its name's extension, or
// "" when the name does not say.
func imageType(name string) string {
	if u, err := url.Parse(name); err == nil {
		name = u.Path
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".avif":
		return "image/avif"
	case ".svg":
		return "image/svg+xml"
	}
	return ""
}

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Gen      string      `xml:"generator"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href  string `xml:"href,attr"`
	Rel   string `xml:"rel,attr,omitempty"`
	Type  string `xml:"type,attr,omitempty"`
	Title string `xml:"title,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Summary    atomText       `xml:"summary"`
	Content    atomText       `xml:"content"`
	Categories []atomCategory `xml:"category"`
}

func renderAtom(p *site.Page) ([]byte, error) {
	l := links{p.Site.Config.BaseURL}
	f := atomFeed{
		Lang: p.Site.Config.Language, Title: feedTitle(p), Subtitle: feedDescription(p),
		ID: l.abs(p.URL), Updated: rfc3339(p.Modified, time.Unix(0, 0).UTC()), // a feed with no entries: a fixed date, so builds stay identical
		Links: []atomLink{
			{Href: l.abs(p.URL), Rel: "self", Type: "application/atom+xml"},
			{Href: l.abs(feedHome(p)), Rel: "alternate", Type: "text/html"},
		},
		Author: atomPerson{Name: p.Site.Config.Publisher.Name},
		Gen:    "digest",
	}
	for _, a := range p.Items {
		content, err := itemHTML(p, a)
		if err != nil {
			return nil, err
		}
		e := atomEntry{
			Title: a.Title, ID: l.abs(a.URL),
			Links:     []atomLink{{Href: l.abs(a.URL), Rel: "alternate", Type: "text/html"}},
			Published: rfc3339(a.Date, a.Date), Updated: rfc3339(a.Modified(), a.Date),
			Summary: atomText{"text", a.Summary}, Content: atomText{"html", content},
		}
		if a.SourceURL != "" {
			e.Links = append(e.Links, atomLink{Href: a.SourceURL, Rel: "related", Type: "text/html", Title: a.Source})
		}
		for i, name := range a.Authors {
			e.Authors = append(e.Authors, atomPerson{Name: name, URI: bylineURL(p.Site.Config, a, i)})
		}
		for _, c := range categories(a) {
			e.Categories = append(e.Categories, atomCategory{c})
		}
		f.Entries = append(f.Entries, e)
	}
	return marshalXML(f)
}

func rfc3339(t, fallback time.Time) string {
	if t.IsZero() {
		t = fallback
	}
	return t.Format(time.RFC3339)
}

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url"`
	FeedURL     string       `json:"feed_url"`
	Description string       `json:"description,omitempty"`
	Language    string       `json:"language"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	ExternalURL   string       `json:"external_url,omitempty"`
	Title         string       `json:"title"`
	ContentHTML   string       `json:"content_html"`
	Summary       string       `json:"summary,omitempty"`
	Image         string       `json:"image,omitempty"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified,omitempty"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
}

func renderJSONFeed(p *site.Page) ([]byte, error) {
	l := links{p.Site.Config.BaseURL}
	f := jsonFeed{
		Version: "https://jsonfeed.org/version/1.1", Title: feedTitle(p),
		HomePageURL: l.abs(feedHome(p)), FeedURL: l.abs(p.URL), Description: feedDescription(p),
		Language: p.Site.Config.Language, Authors: []jsonAuthor{{Name: p.Site.Config.Publisher.Name}},
		Items: []jsonItem{},
	}
	for _, a := range p.Items {
		content, err := itemHTML(p, a)
		if err != nil {
			return nil, err
		}
		item := jsonItem{
			ID: l.abs(a.URL), URL: l.abs(a.URL), ExternalURL: a.SourceURL, Title: a.Title,
			ContentHTML: content, Summary: a.Summary, DatePublished: a.Date.Format(time.RFC3339),
			Tags: categories(a),
		}
		if a.Image != "" {
			item.Image = l.abs(a.Image)
		}
		if a.Updated.After(a.Date) {
			item.DateModified = a.Updated.Format(time.RFC3339)
		}
		for i, name := range a.Authors {
			item.Authors = append(item.Authors, jsonAuthor{Name: name, URL: bylineURL(p.Site.Config, a, i)})
		}
		f.Items = append(f.Items, item)
	}
	return json.MarshalIndent(f, "", "  ")
}

type opml struct {
	XMLName xml.Name `xml:"opml"`
	Version string   `xml:"version,attr"`
	Head    struct {
		Title string `xml:"title"`
	} `xml:"head"`
	Body struct {
		Outlines []opmlOutline `xml:"outline"`
	} `xml:"body"`
}

type opmlOutline struct {
	Type    string `xml:"type,attr"`
	Text    string `xml:"text,attr"`
	Title   string `xml:"title,attr"`
	XMLURL  string `xml:"xmlUrl,attr"`
	HTMLURL string `xml:"htmlUrl,attr"`
}

// renderOPML lists the RSS feeds of the site and of every topic, and the
// feed of whole editions, for importing into a feed reader in one go.
func renderOPML(p *site.Page) ([]byte, error) {
	l := links{p.Site.Config.BaseURL}
	var o opml
	o.Version = "2.0"
	o.Head.Title = p.Site.Config.Title + " feeds"
	add := func(title, home string) {
		o.Body.Outlines = append(o.Body.Outlines, opmlOutline{"rss", title, title, l.abs(home + "feed.xml"), l.abs(home)})
	}
	add(p.Site.Config.Title, "/")
	for _, t := range p.Site.Topics {
		add(p.Site.Config.Title+": "+t.Name, t.URL)
	}
	if p.Site.HasEmail() {
		title := p.Site.Config.Title + ": every edition"
		o.Body.Outlines = append(o.Body.Outlines, opmlOutline{"rss", title, title, l.abs("/editions.xml"), l.abs("/")})
	}
	return marshalXML(o)
}

func marshalXML(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
