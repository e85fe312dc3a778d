package wire

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/digest-ssg/digest/internal/clean"
	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/extract"
	"github.com/digest-ssg/digest/internal/feed"
	"github.com/digest-ssg/digest/internal/fetch"
	"github.com/digest-ssg/digest/internal/parallel"
	"github.com/digest-ssg/digest/internal/scaffold"
)

// ErrNoSources is a site.toml that lists no feeds.
var ErrNoSources = errors.New(`site.toml lists no [[sources]] to pull from (add one: [[sources]] name = "Harbour Gazette" url = "https://…/feed.xml")`)

// Pulled is what a pull did.
type Pulled struct {
	Written     []Written // new drafts, in order
	Merged      []Merged  // other outlets' versions listed in drafts from earlier pulls
	Already     int       // items drafted before
	Filtered    int       // items left out by include or exclude
	NotModified int       // feeds unchanged since the last pull
	Feeds       int       // feeds read
	Failed      []error   // feeds and items that failed, each naming its URL
}

// Written is a new draft and the other outlets it lists.
type Written struct {
	Path string
	Also []string
}

// Merged is another outlet's version added to an existing draft.
type Merged struct {
	Path   string
	Source string
}

// candidate is a new item of a feed.
type candidate struct {
	src   config.Source
	item  feed.Item
	title string
	link  string
	keys  []string
	day   string
}

// Pull fetches every source's feed (a few at a time) and writes a draft
// for each new item, in site.toml's order: a story that several sources
// carry (the same URL, or near-duplicate headlines on the same day) is one
// draft, from the source listed first, that lists the others as also
// covering it. A feed or item that fails is reported in Failed and the
// others go on; nothing is written for it. The error is for what stops the
// whole pull.
func Pull(ctx context.Context, s *Site) (*Pulled, error) {
	if len(s.Config.Sources) == 0 {
		return nil, ErrNoSources
	}
	st := loadState(s)
	res := &Pulled{}
	type fetched struct {
		resp *fetch.Response
		err  error
	}
	got := make([]fetched, len(s.Config.Sources))
	parallel.For(ctx, len(got), 4, func(i int) {
		src := s.Config.Sources[i]
		req := fetch.Request{URL: src.URL, Accept: "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"}
		if fs := st.Feeds[src.URL]; fs != nil {
			req.ETag, req.LastModified = fs.ETag, fs.LastModified
		}
		got[i].resp, got[i].err = s.Client.Get(ctx, req)
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var cands []candidate
	for i, src := range s.Config.Sources {
		items, err := s.readFeed(src, got[i].resp, got[i].err, st, res)
		if err != nil {
			res.Failed = append(res.Failed, err)
			continue
		}
		cands = append(cands, items...)
	}
	for _, g := range group(cands) {
		s.draftGroup(g, st, res)
	}
	if err := st.save(s); err != nil {
		return res, err
	}
	return res, nil
}

// readFeed parses one feed's response and returns its new items.
func (s *Site) readFeed(src config.Source, resp *fetch.Response, err error, st *state, res *Pulled) ([]candidate, error) {
	if err != nil {
		return nil, sourceErr(src, err)
	}
	if resp.NotModified {
		res.NotModified++
		return nil, nil
	}
	text, _, err := resp.Text()
	if err != nil {
		return nil, sourceErr(src, err)
	}
	f, err := feed.Parse(text, feed.Options{URL: parseURL(resp.URL), Now: resp.Fetched, Location: s.Config.Location})
	if err != nil {
		return nil, sourceErr(src, &fetch.Error{URL: src.URL, Reason: err.Error()})
	}
	res.Feeds++
	st.Feeds[src.URL] = &feedState{ETag: resp.ETag, LastModified: resp.LastModified}
	var out []candidate
	for n, it := range f.Items {
		c, err := s.candidate(src, it)
		if err != nil {
			res.Failed = append(res.Failed, sourceErr(src, &fetch.Error{URL: src.URL, Reason: fmt.Sprintf("item %d: %v", n+1, err)}))
			continue
		}
		switch {
		case st.has(s.Now, c.keys...):
			res.Already++
		case !wanted(src, c.title+" "+extract.HTMLToText(it.Summary)):
			res.Filtered++
		default:
			out = append(out, c)
		}
	}
	return out, nil
}

// sourceErr names the source in a feed's failure.
func sourceErr(src config.Source, err error) error {
	return fmt.Errorf("%w (source %q)", err, src.Name)
}

// candidate checks and cleans a feed item.
func (s *Site) candidate(src config.Source, it feed.Item) (candidate, error) {
	title := clean.Text(it.Title)
	if title == "" {
		title = shorten(firstSentence(clean.Text(extract.HTMLToText(cmpOr(it.Summary, it.Content)))), 100)
	}
	if title == "" {
		return candidate{}, errors.New("no headline")
	}
	if it.Link == "" {
		return candidate{}, fmt.Errorf("%q has no link", title)
	}
	if _, err := fetch.CheckURL(it.Link); err != nil {
		return candidate{}, fmt.Errorf("%q links to %q, not an http(s) URL", title, it.Link)
	}
	link := extract.CleanURL(it.Link)
	keys := []string{"url " + extract.Key(link)}
	if it.GUID != "" {
		keys = append(keys, "guid "+src.URL+" "+it.GUID)
	}
	date := it.Published
	if date.IsZero() {
		date = it.Updated
	}
	return candidate{src: src, item: it, title: title, link: link, keys: keys, day: s.day(date)}, nil
}

func cmpOr(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

func firstSentence(s string) string {
	if i := strings.IndexAny(s, ".!?"); i > 0 {
		return s[:i+1]
	}
	return s
}

// wanted applies a source's include and exclude keywords.
func wanted(src config.Source, text string) bool {
	for _, k := range src.Exclude {
		if hasWord(text, k) {
			return false
		}
	}
	if len(src.Include) == 0 {
		return true
	}
	for _, k := range src.Include {
		if hasWord(text, k) {
			return true
		}
	}
	return false
}

// group puts the candidates that are one story together, the first of
// each group from the source listed first.
func group(cands []candidate) [][]candidate {
	var groups [][]candidate
	for _, c := range cands {
		placed := false
		for i, g := range groups {
			if sameStory(g[0].keys[0], g[0].title, g[0].day, c.keys[0], c.title, c.day) {
				groups[i] = append(g, c)
				placed = true
				break
			}
		}
		if !placed {
			groups = append(groups, []candidate{c})
		}
	}
	return groups
}

// draftGroup writes one story's draft, or lists its outlets in the draft
// an earlier pull wrote of it.
func (s *Site) draftGroup(g []candidate, st *state, res *Pulled) {
	var keys []string
	for _, c := range g {
		keys = append(keys, c.keys...)
	}
	if d := st.earlierDraft(s, g[0]); d != nil {
		for _, c := range g {
			err := scaffold.AddAlso(s.Root, d.File, scaffold.Link{Name: c.src.Name, URL: c.link})
			if err != nil {
				s.warn("%s: also covered by %s (%s), not listed: %v", d.File, c.src.Name, c.link, err)
				continue
			}
			res.Merged = append(res.Merged, Merged{Path: d.File, Source: c.src.Name})
		}
		for _, k := range keys {
			st.Items[k] = &itemState{File: d.File, Seen: s.Now}
		}
		return
	}
	primary := g[0]
	a := s.itemDraft(primary)
	var names []string
	for _, c := range g[1:] {
		if c.src.Name == primary.src.Name && extract.Key(c.link) == extract.Key(primary.link) {
			continue
		}
		a.Original.Also = append(a.Original.Also, scaffold.Link{Name: c.src.Name, URL: c.link})
		names = append(names, c.src.Name)
	}
	rel, err := scaffold.NewArticle(s.Root, s.Config, a, s.Now)
	if err != nil {
		res.Failed = append(res.Failed, sourceErr(primary.src, &fetch.Error{URL: primary.link, Reason: err.Error()}))
		return
	}
	st.remember(rel, primary.title, primary.day, keys, s.Now)
	res.Written = append(res.Written, Written{Path: rel, Also: names})
}

// earlierDraft finds the draft an earlier pull (or add) wrote of the same
// story, if its file is still there.
func (st *state) earlierDraft(s *Site, c candidate) *draftState {
	for _, d := range st.Drafts {
		if !sameStory("url "+d.URL, d.Title, d.Day, c.keys[0], c.title, c.day) {
			continue
		}
		if _, err := os.Stat(filepath.Join(s.Root, filepath.FromSlash(d.File))); err == nil {
			return d
		}
	}
	return nil
}

// itemDraft is the draft of a feed item: its summary as the dek, the lead
// paragraph of its full text (when the feed carries it) as a quote, and a
// link to the original.
func (s *Site) itemDraft(c candidate) scaffold.Article {
	it := c.item
	summary := clean.Text(extract.HTMLToText(it.Summary))
	lead := ""
	if it.Content != "" {
		if md, err := extract.HTMLToMarkdown(it.Content, parseURL(c.link)); err == nil {
			md, _ = clean.Markdown(md)
			lead = extract.LeadParagraph(md)
		}
	}
	if summary == "" && lead != "" {
		summary = clean.Text(extract.HTMLToText(it.Content))
	}
	a := scaffold.Article{
		Title: c.title, Topic: c.src.Topic, Tags: c.src.Tags, Source: c.src.Name, SourceURL: c.link,
		Summary: shorten(summary, summaryLimit), Image: extract.CleanURL(it.Image), ImageAlt: clean.Text(it.ImageAlt),
		Original: scaffold.Original{Published: it.Published, Authors: cleanNames(it.Authors)},
		Numbered: true,
	}
	if a.Image != "" {
		if _, err := fetch.CheckURL(a.Image); err != nil {
			a.Image, a.ImageAlt = "", ""
		}
	}
	a.Body = readLink(c.src.Name, c.link)
	if lead != "" && !strings.HasPrefix(summary, strings.TrimSpace(clean.Text(extract.HTMLToText(lead)))) {
		a.Body = quote(lead) + "\n\n" + a.Body
	}
	return a
}
