package render

import (
	"encoding/json"
	"html/template"
	"time"

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

type ldThing = map[string]any

func publisher(p *site.Page) ldThing {
	cfg := p.Site.Config
	org := ldThing{"@type": "Organization", "name": cfg.Publisher.Name, "url": cfg.BaseURL}
	if cfg.Publisher.Logo != "" {
		org["logo"] = ldThing{"@type": "ImageObject", "url": joinURL(cfg.BaseURL, cfg.Publisher.Logo)}
	}
	return org
}

func newsArticle(p *site.Page) ldThing {
	a, cfg := p.Article, p.Site.Config
	url := joinURL(cfg.BaseURL, a.URL)
	v := ldThing{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         a.Title,
		"url":              url,
		"mainEntityOfPage": url,
		"datePublished":    a.Date.Format(time.RFC3339),
		"dateModified":     a.Modified().Format(time.RFC3339),
		"inLanguage":       cfg.Language,
		"publisher":        publisher(p),
		"wordCount":        a.WordCount,
	}
	if a.Summary != "" {
		v["description"] = a.Summary
	}
	if a.TopicTerm != nil {
		v["articleSection"] = a.TopicTerm.Name
	}
	if len(a.Tags) > 0 {
		v["keywords"] = a.Tags
	}
	if a.Image != "" {
		v["image"] = []string{joinURL(cfg.BaseURL, a.Image)}
	}
	var authors []ldThing
	for _, name := range a.Authors {
		authors = append(authors, ldThing{"@type": "Person", "name": name})
	}
	if len(authors) > 0 {
		v["author"] = authors
	} else {
		v["author"] = publisher(p)
	}
	if a.SourceURL != "" {
		v["isBasedOn"] = a.SourceURL
	}
	return v
}

func webSite(p *site.Page) ldThing {
	cfg := p.Site.Config
	v := ldThing{
		"@context":   "https://schema.org",
		"@type":      "WebSite",
		"name":       cfg.Title,
		"url":        cfg.BaseURL,
		"inLanguage": cfg.Language,
		"publisher":  publisher(p),
	}
	if cfg.Description != "" {
		v["description"] = cfg.Description
	}
	return v
}

func collectionPage(p *site.Page) ldThing {
	cfg := p.Site.Config
	var articles []*site.Article
	switch {
	case p.Pager != nil:
		articles = p.Pager.Articles
	case p.Edition != nil:
		articles = editionOrder(p.Edition)
	}
	var items []ldThing
	for i, a := range articles {
		items = append(items, ldThing{"@type": "ListItem", "position": i + 1, "url": joinURL(cfg.BaseURL, a.URL), "name": a.Title})
	}
	return ldThing{
		"@context":    "https://schema.org",
		"@type":       "CollectionPage",
		"name":        p.Title,
		"url":         joinURL(cfg.BaseURL, p.URL),
		"description": p.Description,
		"inLanguage":  cfg.Language,
		"mainEntity":  ldThing{"@type": "ItemList", "itemListElement": items},
	}
}

// editionOrder lists an edition's articles as its page shows them: the
// lead, then each topic's section.
func editionOrder(e *site.Edition) []*site.Article {
	var out []*site.Article
	if e.Lead != nil {
		out = append(out, e.Lead)
	}
	for _, sec := range e.Sections {
		out = append(out, sec.Articles...)
	}
	return out
}
