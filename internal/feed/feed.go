// Package feed reads the news feeds of digest pull's sources: RSS 0.90 to
// 0.94 and 2.0, RSS 1.0 (RDF), Atom 1.0 (and 0.3) and JSON Feed 1.0 and
// 1.1, with the extensions feeds use for bylines, dates, full text and
// pictures (Dublin Core, content:encoded, Media RSS).
//
// No feed module fits this machine's approved list, so it is written on
// encoding/xml and encoding/json, and made for the broken feeds found in
// the wild: HTML entities XML does not declare (&nbsp;, &rsquo;), bare
// ampersands, unescaped HTML in descriptions, an encoding declaration that
// contradicts the bytes (the caller decodes the bytes first, see
// internal/fetch, and the declaration is ignored), a byte-order mark or
// blank lines before the declaration, and dates in a dozen formats or as
// "4 hours ago" (internal/clean).
package feed

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Feed is a parsed feed.
type Feed struct {
	Format string // "RSS 2.0", "RSS 1.0", "Atom", "JSON Feed", …
	Title  string
	Link   string
	Items  []Item
}

// Item is one entry of a feed. Text fields are as the feed gives them:
// Title plain text, Summary and Content HTML.
type Item struct {
	GUID       string
	Title      string
	Link       string // absolute, resolved against the feed's URL
	Published  time.Time
	Updated    time.Time
	DateText   string // the date as written, when it could not be read
	Authors    []string
	Summary    string // HTML
	Content    string // HTML: the full text, when the feed carries it
	Image      string // absolute URL
	ImageAlt   string
	Categories []string
}

// Options say how to read a feed's relative parts.
type Options struct {
	URL      *url.URL       // the feed's own URL, for relative links
	Now      time.Time      // when it was fetched, for relative dates
	Location *time.Location // for dates without a zone; nil: UTC
}

// Parse reads a feed from text already decoded to UTF-8.
func Parse(text string, opt Options) (*Feed, error) {
	if opt.Location == nil {
		opt.Location = time.UTC
	}
	body := strings.TrimLeft(text, "\uFEFF \t\r\n")
	if body == "" {
		return nil, errors.New("the feed is empty")
	}
	var f *Feed
	var err error
	if body[0] == '{' {
		f, err = parseJSON([]byte(body), opt)
	} else {
		f, err = parseXML(body, opt)
	}
	if err != nil {
		return nil, err
	}
	for i := range f.Items {
		it := &f.Items[i]
		it.Link = resolve(opt.URL, it.Link)
		it.Image = resolve(opt.URL, it.Image)
		it.Title = strings.TrimSpace(it.Title)
	}
	return f, nil
}

// resolve makes a link absolute against the feed's URL.
func resolve(base *url.URL, link string) string {
	link = strings.TrimSpace(link)
	if link == "" || base == nil {
		return link
	}
	u, err := base.Parse(link)
	if err != nil {
		return link
	}
	return u.String()
}

// date reads a feed's date, or keeps the text when it cannot.
func (o Options) date(s string, into *time.Time, text *string) {
	s = strings.TrimSpace(s)
	if s == "" || !into.IsZero() {
		return
	}
	if t, ok := parseDate(s, o); ok {
		*into = t
		return
	}
	*text = s
}

// notAFeed describes a document that is no feed.
func notAFeed(root string) error {
	if strings.EqualFold(root, "html") {
		return errors.New("not a feed but a web page (find the feed's own URL: a link to RSS or Atom on the site)")
	}
	return fmt.Errorf("not an RSS, Atom or JSON feed (the document is <%s>)", root)
}
