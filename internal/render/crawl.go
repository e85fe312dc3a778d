package render

import (
	"encoding/xml"
	"strings"
	"time"

	"github.com/digest-ssg/digest/internal/site"
)

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

func lastmod(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func renderSitemap(p *site.Page) ([]byte, error) {
	l := links{p.Site.Config.BaseURL}
	var u urlset
	for _, e := range p.Entries {
		u.URLs = append(u.URLs, sitemapURL{l.abs(e.URL), lastmod(e.Modified)})
	}
	return marshalXML(u)
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

func renderSitemapIndex(p *site.Page) ([]byte, error) {
	l := links{p.Site.Config.BaseURL}
	var idx sitemapIndex
	for _, e := range p.Entries {
		idx.Sitemaps = append(idx.Sitemaps, sitemapURL{l.abs(e.URL), lastmod(e.Modified)})
	}
	return marshalXML(idx)
}

// The news sitemap follows Google's rules: articles of the last two days,
// at most 1,000, each with the publication's name and language.
type newsURLSet struct {
	XMLName xml.Name  `xml:"urlset"`
	NS      string    `xml:"xmlns,attr"`
	NewsNS  string    `xml:"xmlns:news,attr"`
	URLs    []newsURL `xml:"url"`
}

type newsURL struct {
	Loc  string   `xml:"loc"`
	News newsInfo `xml:"news:news"`
}

type newsInfo struct {
	Publication struct {
		Name     string `xml:"news:name"`
		Language string `xml:"news:language"`
	} `xml:"news:publication"`
	Date  string `xml:"news:publication_date"`
	Title string `xml:"news:title"`
}

func renderNewsSitemap(p *site.Page) ([]byte, error) {
	cfg := p.Site.Config
	l := links{cfg.BaseURL}
	u := newsURLSet{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", NewsNS: "http://www.google.com/schemas/sitemap-news/0.9"}
	for _, a := range p.Items {
		n := newsURL{Loc: l.abs(a.URL)}
		n.News.Publication.Name = cfg.Publisher.Name
		n.News.Publication.Language = newsLanguage(cfg.Language)
		n.News.Date = a.Date.Format(time.RFC3339)
		n.News.Title = a.Title
		u.URLs = append(u.URLs, n)
	}
	return marshalXML(u)
}

// newsLanguage gives the ISO 639 code Google News wants: the language
// subtag, except zh-cn and zh-tw, which keep their region.
func newsLanguage(tag string) string {
	tag = strings.ToLower(tag)
	if tag == "zh-cn" || tag == "zh-tw" {
		return tag
	}
	lang, _, _ := strings.Cut(tag, "-")
	return lang
}

func renderRobots(p *site.Page) ([]byte, error) {
	l := links{p.Site.Config.BaseURL}
	var b strings.Builder
	b.WriteString("User-agent: *\nAllow: /\n\n")
	b.WriteString("Sitemap: " + l.abs("/sitemap.xml") + "\n")
	if p.Site.Page("/news-sitemap.xml") != nil {
		b.WriteString("Sitemap: " + l.abs("/news-sitemap.xml") + "\n")
	}
	return []byte(b.String()), nil
}
