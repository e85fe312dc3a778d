// Package config reads site.toml: defaults first, then the file decoded over
// them, then validation. Every key is optional, so an empty file builds a
// site. Unknown keys and bad values are errors naming site.toml:line:col.
//
// The keys:
//
//	title          the site's name                        "My Digest"
//	description    one sentence for meta descriptions     ""
//	base_url       where the site is published: an absolute http(s) URL,
//	               or a path such as "/" or "/news/"       "/"
//	language       the pages' language (BCP 47)          "en"
//	timezone       IANA zone that decides each article's day  "UTC"
//	topics         topic order on pages; when set, only these topics are allowed   []
//	default_topic  the topic of an article that names none   "News"
//	per_page       articles per topic and tag page        20
//	latest         stories in the home page's "Latest stories" list   10
//	top_stories    stories after the lead that an edition shows with their
//	               summaries, before each topic's list of headlines (0 to 12)   3
//	output         the output folder, relative to the site root   "build"
//	minify         minify HTML, CSS, JS, SVG, JSON and XML   true
//	[markdown]
//	raw_html           let raw HTML in articles through (escaped otherwise)   false
//	smart_punctuation  curly quotes, dashes and ellipses      true
//	heading_anchors    ids and "#" links on headings          true
//	[feeds]
//	items          articles in each feed                  20
//	full_content   whole articles in feeds, not just summaries   true
//	[search]       the site's own search page and index (/search/)
//	enabled        write them, and the search box on every page   true
//	[publisher]    who publishes, for structured data and the news sitemap
//	name           the publication's name                 the site's title
//	logo           path or URL of its logo                the site's favicon.svg
//	[authors]      bylines' own pages: "Ann Lee" = "https://example.org/ann"
//	               (a URL or a path), for links and structured data   none
//	[params]       free-form values for custom templates
//	[[sources]]    a feed digest pull reads (one table per feed)
//	name           the outlet's name, written as each draft's source   required
//	url            the feed's http(s) URL: RSS, Atom or JSON Feed   required
//	topic          the drafts' topic                      the default topic
//	tags           the drafts' tags                       []
//	include        keywords: only items with one of them in the headline or summary   []
//	exclude        keywords: items with any of them are left out   []
//	[email]        each edition as a newsletter, and digest send
//	enabled        write email.html and email.txt for every edition, and
//	               /editions.xml (only with an absolute base_url)   true
//	from           the sender: "Name <address>" or an address   ""
//	reply_to       where replies go                       ""
//	server         the SMTP server's host name            ""
//	port           its port                               587 (465 with tls = "implicit")
//	tls            "starttls" or "implicit" (TLS from the first byte);
//	               a server on loopback may go without    "starttls"
//	username       the SMTP login                         the from address
//	password_env   the environment variable holding the password   "DIGEST_SMTP_PASSWORD"
//	rate           how fast to send: "N/s", "N/min" or "N/h"   "5/s"
//	unsubscribe_url  an https URL with {address} or {id} for the recipient   ""
//	unsubscribe_placeholder  what the built email links to for
//	               unsubscribing, for a mail service (or digest send) to fill   "{{unsubscribe_url}}"
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/meta"
)

// File is the name of the configuration file at the site root.
const File = "site.toml"

// Config is a site's configuration.
type Config struct {
	Title        string
	Description  string
	BaseURL      string // always ends in "/"
	Language     string
	Timezone     string
	Location     *time.Location
	Topics       []string // the declared topic order; empty when not set
	DefaultTopic string
	PerPage      int
	Latest       int
	TopStories   int
	Output       string
	Minify       bool
	Markdown     Markdown
	Feeds        Feeds
	Publisher    Publisher
	Search       Search
	// Authors maps a byline, as written in articles, to the author's
	// page (an http(s) URL or a site path); see AuthorURL.
	Authors map[string]string
	Params  map[string]any
	Sources []Source // the feeds digest pull reads, in site.toml's order
	Email   Email
}

// Source is a feed that digest pull reads.
type Source struct {
	Name    string
	URL     string
	Topic   string
	Tags    []string
	Include []string // keywords, any of which an item must have; empty: all items
	Exclude []string // keywords none of which an item may have
	Line    int      // where its table starts in site.toml
}

// Search holds the options of the site's search.
type Search struct {
	Enabled bool // a /search/ page, its index, and a search box on every page
}

// Feeds holds the feed options.
type Feeds struct {
	Items       int
	FullContent bool
}

// Publisher names who publishes the site.
type Publisher struct {
	Name string // defaults to the site's title
	Logo string
}

// Markdown holds the Markdown options.
type Markdown struct {
	RawHTML          bool
	SmartPunctuation bool
	HeadingAnchors   bool
}

// Default returns the configuration of a site whose site.toml is empty.
func Default() *Config {
	return &Config{
		Title:        "My Digest",
		BaseURL:      "/",
		Language:     "en",
		Timezone:     "UTC",
		Location:     time.UTC,
		DefaultTopic: "News",
		PerPage:      20,
		Latest:       10,
		TopStories:   3,
		Output:       "build",
		Minify:       true,
		Markdown:     Markdown{SmartPunctuation: true, HeadingAnchors: true},
		Feeds:        Feeds{Items: 20, FullContent: true},
		Search:       Search{Enabled: true},
		Params:       map[string]any{},
		Email:        defaultEmail(),
	}
}

// Load reads site.toml from the root of fsys. A missing file is the
// default configuration. With errors, the configuration returned is a best
// effort (the defaults where a value was bad), so that the rest of the site
// can still be checked and every problem reported at once.
func Load(fsys fs.FS) (*Config, diag.List) {
	src, err := fs.ReadFile(fsys, File)
	if errors.Is(err, fs.ErrNotExist) {
		return Default(), nil
	}
	if err != nil {
		return Default(), diag.List{diag.Errorf(diag.Pos{File: File}, "%v", err)}
	}
	return Parse(src)
}

// Parse decodes the text of site.toml over the defaults and validates it.
// With errors it returns a best-effort configuration too (see Load).
func Parse(src []byte) (*Config, diag.List) {
	c := Default()
	root, err := meta.ParseTOML(src)
	if err != nil {
		var se *meta.SyntaxError
		errors.As(err, &se)
		return c, diag.List{diag.Errorf(diag.Pos{File: File, Line: se.Line, Col: se.Col}, "%s", se.Msg)}
	}
	var errs diag.List
	decodeKeys(root, c.topLevel(), "", &errs)
	c.validate(root, &errs)
	errs.Sort()
	return c, errs
}

// setter stores one key's value, or says why it cannot.
type setter func(n *meta.Node) error

func (c *Config) topLevel() map[string]setter {
	return map[string]setter{
		"title":         text(&c.Title),
		"description":   text(&c.Description),
		"base_url":      text(&c.BaseURL),
		"language":      text(&c.Language),
		"timezone":      text(&c.Timezone),
		"topics":        textList(&c.Topics),
		"default_topic": text(&c.DefaultTopic),
		"per_page":      whole(&c.PerPage),
		"latest":        whole(&c.Latest),
		"top_stories":   whole(&c.TopStories),
		"output":        text(&c.Output),
		"minify":        flag(&c.Minify),
		"markdown":      nil, // tables, decoded in validate
		"feeds":         nil,
		"publisher":     nil,
		"search":        nil,
		"authors":       nil,
		"params":        nil,
		"sources":       nil,
		"email":         nil,
	}
}

func sourceKeys(s *Source) map[string]setter {
	return map[string]setter{
		"name":    text(&s.Name),
		"url":     text(&s.URL),
		"topic":   text(&s.Topic),
		"tags":    textList(&s.Tags),
		"include": textList(&s.Include),
		"exclude": textList(&s.Exclude),
	}
}

func (c *Config) feedKeys() map[string]setter {
	return map[string]setter{
		"items":        whole(&c.Feeds.Items),
		"full_content": flag(&c.Feeds.FullContent),
	}
}

func (c *Config) publisherKeys() map[string]setter {
	return map[string]setter{
		"name": text(&c.Publisher.Name),
		"logo": text(&c.Publisher.Logo),
	}
}

func (c *Config) searchKeys() map[string]setter {
	return map[string]setter{
		"enabled": flag(&c.Search.Enabled),
	}
}

func (c *Config) markdownKeys() map[string]setter {
	return map[string]setter{
		"raw_html":          flag(&c.Markdown.RawHTML),
		"smart_punctuation": flag(&c.Markdown.SmartPunctuation),
		"heading_anchors":   flag(&c.Markdown.HeadingAnchors),
	}
}

// decodeKeys applies the setters to the fields of m; prefix names the
// table in messages.
func decodeKeys(m *meta.Node, setters map[string]setter, prefix string, errs *diag.List) {
	var top map[string]setter
	if prefix != "" {
		top = (&Config{}).topLevel()
	}
	known := make([]string, 0, len(setters))
	for k := range setters {
		known = append(known, k)
	}
	slices.Sort(known)
	for _, f := range m.Fields {
		set, ok := setters[f.Key]
		if !ok {
			pos := diag.Pos{File: File, Line: f.Line, Col: f.Col}
			table := strings.TrimSuffix(prefix, ".")
			if _, isTop := top[f.Key]; isTop {
				errs.Add(pos, "%q is inside [%s]: top-level keys go before the first [table] in site.toml (move it up)", f.Key, table)
				continue
			}
			if s := diag.Closest(f.Key, known); s != "" || top == nil {
				errs.Add(pos, "%s", diag.UnknownKey(prefix+f.Key, prefixed(prefix, known)))
				continue
			}
			if s := diag.Closest(f.Key, slices.Collect(maps.Keys(top))); s != "" {
				errs.Add(pos, "unknown key %q in [%s] (did you mean the top-level %q? top-level keys go before the first [table])", f.Key, table, s)
				continue
			}
			errs.Add(pos, "%s", diag.UnknownKey(prefix+f.Key, prefixed(prefix, known)))
			continue
		}
		if set == nil {
			continue
		}
		if err := set(f.Value); err != nil {
			errs.Add(diag.Pos{File: File, Line: f.Value.Line, Col: f.Value.Col}, "%s%s: %v", prefix, f.Key, err)
		}
	}
}

func prefixed(prefix string, keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = prefix + k
	}
	return out
}

// set returns a setter that stores a decoded value, keeping the default
// when the value cannot be decoded (so it is reported once, not again as
// out of range).
func set[T any](dst *T, decode func(*meta.Node) (T, error)) setter {
	return func(n *meta.Node) error {
		v, err := decode(n)
		if err == nil {
			*dst = v
		}
		return err
	}
}

func text(dst *string) setter       { return set(dst, (*meta.Node).AsText) }
func textList(dst *[]string) setter { return set(dst, (*meta.Node).AsTextList) }
func whole(dst *int) setter         { return set(dst, (*meta.Node).AsInt) }
func flag(dst *bool) setter         { return set(dst, (*meta.Node).AsBool) }

var languageTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// validate checks the decoded values and decodes the nested tables.
func (c *Config) validate(root *meta.Node, errs *diag.List) {
	at := func(key string) diag.Pos {
		if f := root.Get(key); f != nil {
			return diag.Pos{File: File, Line: f.Value.Line, Col: f.Value.Col}
		}
		return diag.Pos{File: File}
	}
	for name, keys := range map[string]map[string]setter{"markdown": c.markdownKeys(), "feeds": c.feedKeys(), "publisher": c.publisherKeys(), "search": c.searchKeys()} {
		if f := root.Get(name); f != nil {
			if f.Value.Kind != meta.Map {
				errs.Add(at(name), "%s: want a table such as [%s], found %s", name, name, f.Value.Kind)
			} else {
				decodeKeys(f.Value, keys, name+".", errs)
			}
		}
	}
	c.decodeAuthors(root, errs)
	if c.Publisher.Name == "" {
		c.Publisher.Name = c.Title
	}
	if c.Feeds.Items < 1 || c.Feeds.Items > 1000 {
		pos := diag.Pos{File: File}
		if f := root.Get("feeds"); f != nil && f.Value.Get("items") != nil {
			v := f.Value.Get("items").Value
			pos.Line, pos.Col = v.Line, v.Col
		}
		errs.Add(pos, "feeds.items: %d is out of range (use 1 to 1000)", c.Feeds.Items)
	}
	if f := root.Get("params"); f != nil {
		if f.Value.Kind != meta.Map {
			errs.Add(at("params"), "params: want a table such as [params], found %s", f.Value.Kind)
		} else {
			c.Params = f.Value.Interface().(map[string]any)
		}
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil || c.Timezone == "" || c.Timezone == "Local" {
		errs.Add(at("timezone"), "timezone: unknown time zone %q (use an IANA name such as \"Europe/London\" or \"UTC\")", c.Timezone)
	} else {
		c.Location = loc
	}
	base, err := normalizeBaseURL(c.BaseURL)
	if err != nil {
		errs.Add(at("base_url"), "base_url: %v", err)
	}
	c.BaseURL = base
	if !languageTag.MatchString(c.Language) {
		errs.Add(at("language"), "language: %q is not a language tag (use e.g. \"en\", \"en-GB\", \"fr\")", c.Language)
	}
	if c.PerPage < 1 || c.PerPage > 1000 {
		errs.Add(at("per_page"), "per_page: %d is out of range (use 1 to 1000)", c.PerPage)
	}
	if c.Latest < 1 || c.Latest > 1000 {
		errs.Add(at("latest"), "latest: %d is out of range (use 1 to 1000)", c.Latest)
	}
	if c.TopStories < 0 || c.TopStories > 12 {
		errs.Add(at("top_stories"), "top_stories: %d is out of range (use 0 to 12)", c.TopStories)
	}
	if strings.TrimSpace(c.DefaultTopic) == "" {
		errs.Add(at("default_topic"), "default_topic: must not be empty")
	}
	c.validateTopics(at("topics"), errs)
	if f := root.Get("sources"); f != nil {
		c.decodeSources(f, errs)
	}
	if f := root.Get("email"); f != nil {
		c.decodeEmail(f, errs)
	}
	switch out := strings.TrimSpace(c.Output); {
	case out == "":
		errs.Add(at("output"), "output: must not be empty (the default is \"build\")")
	case path.IsAbs(out) || filepath.IsAbs(out) || out == ".." || strings.HasPrefix(path.Clean(filepath.ToSlash(out)), "../"):
		errs.Add(at("output"), "output: %q must be a folder inside the site, such as \"build\" (to write elsewhere, use digest build --out)", c.Output)
	}
}

// decodeAuthors reads [authors]: each key a byline, each value the
// author's page.
func (c *Config) decodeAuthors(root *meta.Node, errs *diag.List) {
	f := root.Get("authors")
	if f == nil {
		return
	}
	if f.Value.Kind != meta.Map {
		errs.Add(diag.Pos{File: File, Line: f.Value.Line, Col: f.Value.Col}, "authors: want a table such as [authors], found %s", f.Value.Kind)
		return
	}
	c.Authors = map[string]string{}
	seen := map[string]string{}
	for _, a := range f.Value.Fields {
		pos := diag.Pos{File: File, Line: a.Value.Line, Col: a.Value.Col}
		folded := strings.ToLower(strings.Join(strings.Fields(a.Key), " "))
		if prev, ok := seen[folded]; ok {
			errs.Add(diag.Pos{File: File, Line: a.Line, Col: a.Col}, "authors: %q and %q are one byline (keep one of them)", prev, a.Key)
			continue
		}
		seen[folded] = a.Key
		u, err := a.Value.AsText()
		if err != nil {
			errs.Add(pos, "authors.%q: %v", a.Key, err)
			continue
		}
		if !isPageAddress(u) {
			errs.Add(pos, "authors.%q: %q is neither an http(s) URL nor a path from the site's root (use e.g. \"https://example.org/staff/ann-lee\" or \"/about/ann-lee/\")", a.Key, u)
			continue
		}
		c.Authors[a.Key] = u
	}
}

// isPageAddress reports whether s is an absolute http(s) URL or a path
// from the site's root.
func isPageAddress(s string) bool {
	u, err := url.Parse(s)
	switch {
	case err != nil || s == "":
		return false
	case u.Scheme == "" && u.Host == "":
		return strings.HasPrefix(u.Path, "/") && !strings.HasPrefix(s, "//")
	}
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// AuthorURL is the page of the author of a byline, from [authors]
// (names compared without regard to case or spacing), or "".
func (c *Config) AuthorURL(name string) string {
	if u, ok := c.Authors[name]; ok || len(c.Authors) == 0 {
		return u
	}
	key := strings.Join(strings.Fields(name), " ")
	for n, u := range c.Authors {
		if strings.EqualFold(strings.Join(strings.Fields(n), " "), key) {
			return u
		}
	}
	return ""
}

func (c *Config) validateTopics(pos diag.Pos, errs *diag.List) {
	seen := map[string]bool{}
	for _, t := range c.Topics {
		key := strings.ToLower(strings.TrimSpace(t))
		if key == "" {
			errs.Add(pos, "topics: a topic name must not be empty")
			continue
		}
		if seen[key] {
			errs.Add(pos, "topics: %q is listed twice", t)
		}
		seen[key] = true
	}
	if len(c.Topics) > 0 && !seen[strings.ToLower(c.DefaultTopic)] {
		c.Topics = append(c.Topics, c.DefaultTopic)
	}
}

// normalizeBaseURL checks base_url and gives it a trailing slash.
func normalizeBaseURL(s string) (string, error) {
	if s == "" {
		return "/", nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return "/", fmt.Errorf("cannot read %q as a URL", s)
	}
	switch {
	case u.Scheme == "" && u.Host == "" && strings.HasPrefix(u.Path, "/"):
	case (u.Scheme == "http" || u.Scheme == "https") && u.Host != "":
	default:
		return "/", fmt.Errorf("%q must be an absolute http(s) URL such as \"https://news.example.com/\" or a path such as \"/\"", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "/", fmt.Errorf("%q must not have a query or fragment", s)
	}
	if u.Path == "" {
		u.Path = "/"
	}
	u.Path = path.Clean(u.Path)
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u.String(), nil
}

// IsAbsolute reports whether base_url names a scheme and host, so that
// absolute links (canonical, feeds, sitemaps) can be made.
func (c *Config) IsAbsolute() bool {
	return strings.HasPrefix(c.BaseURL, "http://") || strings.HasPrefix(c.BaseURL, "https://")
}

// BasePath is the path part of base_url, such as "/" or "/news/".
func (c *Config) BasePath() string {
	u, err := url.Parse(c.BaseURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	return u.Path
}

// SetBaseURL replaces base_url, as the --base-url flag does.
func (c *Config) SetBaseURL(s string) error {
	base, err := normalizeBaseURL(s)
	if err != nil {
		return err
	}
	c.BaseURL = base
	return nil
}

// decodeSources reads the [[sources]] tables and checks each.
func (c *Config) decodeSources(f *meta.Field, errs *diag.List) {
	if f.Value.Kind != meta.List {
		errs.Add(diag.Pos{File: File, Line: f.Line, Col: f.Col}, "sources: want one [[sources]] table per feed, found %s", f.Value.Kind)
		return
	}
	seen := map[string]int{}
	for _, n := range f.Value.List {
		pos := diag.Pos{File: File, Line: n.Line, Col: n.Col}
		if n.Kind != meta.Map {
			errs.Add(pos, "sources: want one [[sources]] table per feed, found %s", n.Kind)
			continue
		}
		s := Source{Line: n.Line}
		decodeKeys(n, sourceKeys(&s), "sources.", errs)
		s.Name, s.URL, s.Topic = strings.TrimSpace(s.Name), strings.TrimSpace(s.URL), strings.TrimSpace(s.Topic)
		valuePos := func(key string) diag.Pos {
			if k := n.Get(key); k != nil {
				return diag.Pos{File: File, Line: k.Value.Line, Col: k.Value.Col}
			}
			return pos
		}
		if s.Name == "" {
			errs.Add(valuePos("name"), "sources: a source needs a name (the outlet, e.g. name = \"Harbour Gazette\")")
		}
		u, err := url.Parse(s.URL)
		switch {
		case s.URL == "":
			errs.Add(valuePos("url"), "sources: a source needs the url of its feed (RSS, Atom or JSON Feed)")
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			errs.Add(valuePos("url"), "sources.url: %q is not an http(s) URL", s.URL)
		case seen[s.URL] > 0:
			errs.Add(valuePos("url"), "sources.url: %s is listed twice (the first at line %d)", s.URL, seen[s.URL])
		default:
			seen[s.URL] = n.Line
		}
		if s.Topic != "" && len(c.Topics) > 0 && !slices.ContainsFunc(c.Topics, func(t string) bool { return strings.EqualFold(t, s.Topic) }) {
			hint := " (add it to topics)"
			if m := diag.Closest(s.Topic, c.Topics); m != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", m)
			}
			errs.Add(valuePos("topic"), "sources.topic: %q is not in topics%s", s.Topic, hint)
		}
		c.Sources = append(c.Sources, s)
	}
}
