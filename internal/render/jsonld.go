package render

import (
	"cmp"
	"encoding/json"
	"html/template"
	"time"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/site"
)

// jsonLD returns the schema.org structured data of a page, for
// <script type="application/ld+json">: NewsArticle on articles, WebSite on
// the home page, CollectionPage with an ItemList on editions, topics and
// tags, and nothing elsewhere. It is built with encoding/json, which
// escapes <, > and &, so no value can end the script element.
func jsonLD(p *site.Page) (template.JS, error) {
	var v any
	switch p.Kind {
	case site.KindArticle:
		v = newsArticle(p)
	case site.KindHome:
		v = webSite(p)
	case site.KindEdition, site.KindTopic, site.KindTag:
		v = collectionPage(p)
	default:
		return "", nil
	}
	b, err := json.Marshal(v)
	return template.JS(b), err
}

// The schema.org types below are structs, not maps, for speed; their
// fields are in the order of their JSON names, as a map's would be, and
// omitempty where a value is left out when empty.

type ldOrganization struct {
	Type string   `json:"@type"`
	Logo *ldImage `json:"logo,omitempty"`
	Name string   `json:"name"`
	URL  string   `json:"url"`
}

type ldImage struct {
	Type string `json:"@type"`
	URL  string `json:"url"`
}

type ldPerson struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type ldNewsArticle struct {
	Context          string         `json:"@context"`
	Type             string         `json:"@type"`
	ArticleSection   string         `json:"articleSection,omitempty"`
	Author           any            `json:"author"` // []ldPerson, or the publisher
	DateModified     string         `json:"dateModified"`
	DatePublished    string         `json:"datePublished"`
	Description      string         `json:"description,omitempty"`
	Headline         string         `json:"headline"`
	Image            []string       `json:"image,omitempty"`
	InLanguage       string         `json:"inLanguage"`
	IsBasedOn        string         `json:"isBasedOn,omitempty"`
	Keywords         []string       `json:"keywords,omitempty"`
	MainEntityOfPage string         `json:"mainEntityOfPage"`
	Publisher        ldOrganization `json:"publisher"`
	URL              string         `json:"url"`
	WordCount        int            `json:"wordCount"`
}

type ldWebSite struct {
	Context     string         `json:"@context"`
	Type        string         `json:"@type"`
	Description string         `json:"description,omitempty"`
	InLanguage  string         `json:"inLanguage"`
	Name        string         `json:"name"`
	Publisher   ldOrganization `json:"publisher"`
	URL         string         `json:"url"`
}

type ldCollectionPage struct {
	Context     string     `json:"@context"`
	Type        string     `json:"@type"`
	Description string     `json:"description"`
	InLanguage  string     `json:"inLanguage"`
	MainEntity  ldItemList `json:"mainEntity"`
	Name        string     `json:"name"`
	URL         string     `json:"url"`
}

type ldItemList struct {
	Type            string       `json:"@type"`
	ItemListElement []ldListItem `json:"itemListElement"`
}

type ldListItem struct {
	Type     string `json:"@type"`
	Name     string `json:"name"`
	Position int    `json:"position"`
	URL      string `json:"url"`
}

// publisher is the site's publisher, with [publisher]'s logo, else the
// site's icon (the generated favicon.svg, or the site's own).
func publisher(p *site.Page) ldOrganization {
	cfg := p.Site.Config
	logo := cmp.Or(cfg.Publisher.Logo, "/favicon.svg")
	return ldOrganization{Type: "Organization", Name: cfg.Publisher.Name, URL: cfg.BaseURL,
		Logo: &ldImage{Type: "ImageObject", URL: joinURL(cfg.BaseURL, logo)}}
}

func newsArticle(p *site.Page) ldNewsArticle {
	a, cfg := p.Article, p.Site.Config
	url := joinURL(cfg.BaseURL, a.URL)
	v := ldNewsArticle{
		Context:          "https://schema.org",
		Type:             "NewsArticle",
		Headline:         a.Title,
		URL:              url,
		MainEntityOfPage: url,
		DatePublished:    a.Date.Format(time.RFC3339),
		DateModified:     a.Modified().Format(time.RFC3339),
		InLanguage:       cfg.Language,
		Publisher:        publisher(p),
		WordCount:        a.WordCount,
		Description:      a.Summary,
		Keywords:         a.Tags,
		IsBasedOn:        a.SourceURL,
	}
	if a.TopicTerm != nil {
		v.ArticleSection = a.TopicTerm.Name
	}
	if a.Image != "" {
		v.Image = []string{joinURL(cfg.BaseURL, a.Image)}
	}
	if len(a.Authors) > 0 {
		authors := make([]ldPerson, len(a.Authors))
		for i, name := range a.Authors {
			authors[i] = ldPerson{Type: "Person", Name: name, URL: bylineURL(cfg, a, i)}
		}
		v.Author = authors
	} else {
		v.Author = v.Publisher
	}
	return v
}

func webSite(p *site.Page) ldWebSite {
	cfg := p.Site.Config
	return ldWebSite{
		Context:     "https://schema.org",
		Type:        "WebSite",
		Name:        cfg.Title,
		URL:         cfg.BaseURL,
		InLanguage:  cfg.Language,
		Publisher:   publisher(p),
		Description: cfg.Description,
	}
}

func collectionPage(p *site.Page) ldCollectionPage {
	cfg := p.Site.Config
	var articles []*site.Article
	switch {
	case p.Pager != nil:
		articles = p.Pager.Articles
	case p.Edition != nil:
		articles = editionOrder(p.Edition)
	}
	var items []ldListItem
	for i, a := range articles {
		items = append(items, ldListItem{Type: "ListItem", Position: i + 1, URL: joinURL(cfg.BaseURL, a.URL), Name: a.Title})
	}
	return ldCollectionPage{
		Context:     "https://schema.org",
		Type:        "CollectionPage",
		Name:        p.Title,
		URL:         joinURL(cfg.BaseURL, p.URL),
		Description: p.Description,
		InLanguage:  cfg.Language,
		MainEntity:  ldItemList{Type: "ItemList", ItemListElement: items},
	}
}

// editionOrder lists an edition's articles as its page shows them: the
// lead, the top stories, then each topic's headlines.
func editionOrder(e *site.Edition) []*site.Article {
	var out []*site.Article
	if e.Lead != nil {
		out = append(out, e.Lead)
	}
	out = append(out, e.Top...)
	for _, sec := range e.Sections {
		out = append(out, sec.Headlines...)
	}
	return out
}

// bylineURL is the absolute address of the page of a's i-th author: the
// link written in its byline, else site.toml's [authors] entry for the
// name; "" when it has none. Structured data and feeds name it alike.
func bylineURL(cfg *config.Config, a *site.Article, i int) string {
	u := a.AuthorURL(i)
	if u == "" {
		u = cfg.AuthorURL(a.Authors[i])
	}
	if u == "" {
		return ""
	}
	return joinURL(cfg.BaseURL, u)
}
