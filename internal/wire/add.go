package wire

import (
	"context"
	"fmt"
	"strings"

	"github.com/digest-ssg/digest/internal/extract"
	"github.com/digest-ssg/digest/internal/fetch"
	"github.com/digest-ssg/digest/internal/scaffold"
)

// AddOptions shape a draft from a web page.
type AddOptions struct {
	Topic string
	Tags  []string
	Full  bool // the whole text, not an excerpt
}

// Added is a draft Add wrote.
type Added struct {
	Path    string // slash path from the site root
	Page    *extract.Page
	Charset fetch.Charset
}

// AlreadyDrafted is a story drafted before, whose draft is still there.
type AlreadyDrafted struct {
	URL  string
	Path string
}

func (e *AlreadyDrafted) Error() string {
	return fmt.Sprintf("%s: already drafted as %s (edit that file, or delete it and add the story again)", e.URL, e.Path)
}

// Add fetches a web page and writes a draft of its story: dated now in
// the site's timezone, draft: true, never overwriting (a numbered name
// when the headline's file exists).
func Add(ctx context.Context, s *Site, rawURL string, opt AddOptions) (*Added, error) {
	u, err := fetch.CheckURL(rawURL)
	if err != nil {
		return nil, err
	}
	resp, err := s.Client.Get(ctx, fetch.Request{URL: u.String(), Accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"})
	if err != nil {
		return nil, err
	}
	switch mt := fetch.MediaType(resp.ContentType); mt {
	case "", "text/html", "application/xhtml+xml", "text/plain":
	default:
		return nil, &fetch.Error{URL: rawURL, Reason: fmt.Sprintf("not a web page but %s (digest add reads HTML pages)", mt)}
	}
	text, cs, err := resp.Text()
	if err != nil {
		return nil, err
	}
	page, err := extract.Extract(text, extract.Options{URL: parseURL(resp.URL), Fetched: resp.Fetched, Location: s.Config.Location})
	if err != nil {
		return nil, &fetch.Error{URL: rawURL, Reason: err.Error()}
	}
	st := loadState(s)
	for _, link := range []string{page.URL, resp.URL, u.String()} {
		if path := st.draftOf(s, extract.Key(link)); path != "" {
			return nil, &AlreadyDrafted{URL: rawURL, Path: path}
		}
	}
	rel, err := scaffold.NewArticle(s.Root, s.Config, pageDraft(page, resp, opt), s.Now)
	if err != nil {
		return nil, err
	}
	st.remember(rel, page.Title, s.day(page.Published), []string{"url " + extract.Key(page.URL), "url " + extract.Key(resp.URL), "url " + extract.Key(u.String())}, s.Now)
	if err := st.save(s); err != nil {
		s.warn("%v", err)
	}
	for _, f := range page.LostSpaces {
		s.warn("%s: words run together? %q (should it read %q? edit the draft)", rel, f.Text, f.Fix)
	}
	return &Added{Path: rel, Page: page, Charset: cs}, nil
}

// pageDraft is the draft of a page's story.
func pageDraft(p *extract.Page, resp *fetch.Response, opt AddOptions) scaffold.Article {
	a := scaffold.Article{
		Title: p.Title, Topic: opt.Topic, Tags: opt.Tags, Source: p.Source, SourceURL: p.URL,
		Summary: shorten(p.Description, summaryLimit), Image: p.Image, ImageAlt: p.ImageAlt,
		Original: scaffold.Original{Published: p.Published, Authors: p.Authors},
		Numbered: true,
	}
	if strings.HasPrefix(p.PublishedFrom, `"`) {
		a.Original.PublishedNote = fmt.Sprintf("from %s, fetched %s", p.PublishedFrom, resp.Fetched.UTC().Format("2006-01-02T15:04:05Z"))
	}
	switch {
	case opt.Full && strings.TrimSpace(p.Markdown) != "":
		a.Body = strings.TrimSpace(p.Markdown) + "\n\n" + fmt.Sprintf("Originally published by [%s](<%s>).", escapeLinkText(p.Source), p.URL)
	case p.Lead != "":
		a.Body = quote(p.Lead) + "\n\n" + readLink(p.Source, p.URL)
	case p.Description != "":
		a.Body = quote(escapeMarkdown(p.Description)) + "\n\n" + readLink(p.Source, p.URL)
	default:
		a.Body = readLink(p.Source, p.URL)
	}
	return a
}

// escapeMarkdown keeps plain text from being read as Markdown or HTML.
func escapeMarkdown(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `<`, `&lt;`, `*`, `\*`, `_`, `\_`, "`", "\\`", `[`, `\[`, `]`, `\]`, `#`, `\#`)
	return r.Replace(s)
}
