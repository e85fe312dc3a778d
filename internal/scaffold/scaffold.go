// Package scaffold writes new things into a site: a whole new site
// (digest init) and a new article (digest new, and the drafts of digest
// add and digest pull). It never overwrites a file; the one edit it makes
// is AddAlso, which lists another outlet in a draft it wrote.
package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/i18n"
)

// InitOptions shape a new site.
type InitOptions struct {
	Force     bool      // write into a folder that is not empty, keeping its files
	Templates bool      // copy the built-in theme's templates and stylesheet too
	Theme     fs.FS     // the built-in theme
	Now       time.Time // the sample article's date
	// Language is the new site's language (a built-in one, see
	// i18n.Builtin): its site.toml and sample article are written in it.
	// Empty means English.
	Language string
}

// Init makes a new site in dir: a commented site.toml, a sample article
// and a .gitignore for the output. It refuses a folder that is not empty
// unless Force, and even then keeps every file already there. It returns
// the files written and the ones kept.
func Init(dir string, opt InitOptions) (written, kept []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, err
	}
	if len(entries) > 0 && !opt.Force {
		return nil, nil, fmt.Errorf("%s is not empty (choose a new folder, or add --force to add the site's files and keep the ones there)", dir)
	}
	lang, err := newSiteLanguage(opt.Language)
	if err != nil {
		return nil, nil, err
	}
	files := map[string][]byte{
		"site.toml":  []byte(siteTOMLIn(lang)),
		".gitignore": []byte(GitIgnore),
		"content/" + opt.Now.Format("2006/01/02") + "/welcome.md": []byte(welcomeIn(lang, opt.Now)),
	}
	if opt.Templates {
		err := fs.WalkDir(opt.Theme, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(opt.Theme, p)
			files[p] = data
			return err
		})
		if err != nil {
			return nil, nil, err
		}
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		ok, err := writeNew(filepath.Join(dir, filepath.FromSlash(name)), files[name])
		if err != nil {
			return written, kept, err
		}
		if ok {
			written = append(written, name)
		} else {
			kept = append(kept, name)
		}
	}
	return written, kept, nil
}

// GitIgnore is the .gitignore of a new site: the output, the build
// kept beside it, and digest's working files.
const GitIgnore = "# digest build writes the site here,\n/build/\n# and keeps the build before for the next one to write over\n/.build.prev/\n# digest's working files (the build cache, what digest add and pull drafted); safe to delete\n/.digest/\n"

// writeNew writes a file that must not exist yet; it reports false, and
// leaves the file alone, if it does.
func writeNew(name string, data []byte) (bool, error) {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return false, err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return false, err
	}
	return true, f.Close()
}

// Article describes a new article.
type Article struct {
	Title     string
	Topic     string
	Tags      []string
	Source    string
	SourceURL string

	// For curated stories (digest add and pull):
	Summary  string
	Image    string
	ImageAlt string
	Body     string   // Markdown; empty: a line asking for the story
	Original Original // written under params
	Numbered bool     // take the next free name (slug-2.md, …) instead of failing when slug.md exists
}

// Original is what the original story says of itself, and who else
// covered it. NewArticle writes it under params:
//
//	params:
//	  published: "2026-11-30T07:15:00+01:00"  # where the time was found
//	  authors: ["Ann Lee", "Bo Chan"]
//	  also:
//	    - {name: "Tidewater Times", url: "https://tide.example.net/floods"}
type Original struct {
	Published     time.Time
	PublishedNote string // a comment beside it, e.g. `"4 hours ago" on the page, fetched …`
	Authors       []string
	Also          []Link
}

// Link is another outlet's version of a story.
type Link struct {
	Name string
	URL  string
}

func (o Original) empty() bool {
	return o.Published.IsZero() && len(o.Authors) == 0 && len(o.Also) == 0
}

// NewArticle writes content/YYYY/MM/DD/<slug>.md under root, dated now in
// the site's timezone, as a draft, with every front matter key present.
// It refuses to overwrite a file, a topic the site does not list, and a
// source URL that is not http(s). It returns the file's slash path.
func NewArticle(root string, cfg *config.Config, a Article, now time.Time) (string, error) {
	title := strings.TrimSpace(a.Title)
	slug := content.Slugify(title)
	if slug == "" {
		return "", fmt.Errorf("the headline %q has no letters or digits to make a file name from", a.Title)
	}
	topic, err := resolveTopic(cfg, a.Topic)
	if err != nil {
		return "", err
	}
	if a.SourceURL != "" && !strings.HasPrefix(a.SourceURL, "https://") && !strings.HasPrefix(a.SourceURL, "http://") {
		return "", fmt.Errorf("--source-url %q is not an http(s) URL", a.SourceURL)
	}
	now = now.In(cfg.Location)
	body := a.Body
	if strings.TrimSpace(body) == "" {
		body = cfg.Lang.Text("new_article_body") // in the site's language
	}
	text := frontMatter(title, topic, a, now) + "\n" + strings.TrimRight(body, "\n") + "\n"
	dir := path.Join(content.Dir, now.Format("2006/01/02"))
	for n := 1; n <= 1000; n++ {
		name := slug
		if n > 1 {
			name = fmt.Sprintf("%s-%d", slug, n)
		}
		rel := path.Join(dir, name+".md")
		ok, err := writeNew(filepath.Join(root, filepath.FromSlash(rel)), []byte(text))
		if err != nil {
			return "", err
		}
		if ok {
			return rel, nil
		}
		if !a.Numbered {
			return "", fmt.Errorf("%s already exists (choose another headline, or edit that file)", rel)
		}
	}
	return "", fmt.Errorf("%s/%s-*.md: a thousand files by that name already (edit them)", dir, slug)
}

// resolveTopic checks a topic against the site's list, if it has one, and
// returns it as spelled there.
func resolveTopic(cfg *config.Config, topic string) (string, error) {
	topic = strings.TrimSpace(topic)
	if topic == "" || len(cfg.Topics) == 0 {
		return topic, nil
	}
	for _, t := range cfg.Topics {
		if strings.EqualFold(t, topic) {
			return t, nil
		}
	}
	if s := diag.Closest(topic, cfg.Topics); s != "" {
		return "", fmt.Errorf("topic %q is not in site.toml's topics (did you mean %q?)", topic, s)
	}
	return "", fmt.Errorf("topic %q is not in site.toml's topics (use one of: %s, or add it to topics)", topic, strings.Join(cfg.Topics, ", "))
}

// frontMatter writes YAML front matter with every key, values quoted.
func frontMatter(title, topic string, a Article, now time.Time) string {
	q := func(s string) string { return fmt.Sprintf("%q", s) }
	tags := make([]string, 0, len(a.Tags))
	for _, t := range a.Tags {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, q(t))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s\ndate: %s\n", q(title), now.Format(time.RFC3339))
	fmt.Fprintf(&b, "topic: %s\ntags: [%s]\nsummary: %s\n", q(topic), strings.Join(tags, ", "), q(a.Summary))
	fmt.Fprintf(&b, "source: %s\nsource_url: %s\n", q(a.Source), q(a.SourceURL))
	fmt.Fprintf(&b, "authors: []\nimage: %s\nimage_alt: %s\nfeatured: false\ndraft: true\n", q(a.Image), q(a.ImageAlt))
	if !a.Original.empty() {
		writeParams(&b, a.Original)
	}
	b.WriteString("---\n")
	return b.String()
}

// writeParams writes the original's details under params (see Original).
func writeParams(b *strings.Builder, o Original) {
	q := func(s string) string { return fmt.Sprintf("%q", s) }
	b.WriteString("params:\n")
	if !o.Published.IsZero() {
		fmt.Fprintf(b, "  published: %s", q(o.Published.Format(time.RFC3339)))
		if o.PublishedNote != "" {
			fmt.Fprintf(b, "  # %s", strings.ReplaceAll(o.PublishedNote, "\n", " "))
		}
		b.WriteByte('\n')
	}
	if len(o.Authors) > 0 {
		names := make([]string, len(o.Authors))
		for i, a := range o.Authors {
			names[i] = q(a)
		}
		fmt.Fprintf(b, "  authors: [%s]\n", strings.Join(names, ", "))
	}
	if len(o.Also) > 0 {
		b.WriteString("  also:\n")
		for _, l := range o.Also {
			b.WriteString(alsoLine(l))
		}
	}
}

func alsoLine(l Link) string {
	return fmt.Sprintf("    - {name: %q, url: %q}\n", l.Name, l.URL)
}

// newSiteLanguage is the language of a new site: a built-in one, as a
// new site has no tables of its own yet.
func newSiteLanguage(tag string) (*i18n.Lang, error) {
	if tag == "" {
		tag = i18n.Source
	}
	base, _, _ := strings.Cut(strings.ToLower(tag), "-")
	if !slices.Contains(i18n.Builtin(), base) {
		return nil, fmt.Errorf("--language %q: digest has no built-in translation for it (built in: %s); make the site in one of those, then set language in site.toml and write i18n/<language>.toml (see the README's \"Languages\")", tag, strings.Join(i18n.Builtin(), ", "))
	}
	lang, errs := i18n.Load(nil, tag, diag.Pos{File: "--language"})
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return lang, nil
}

// siteTOMLIn is the site.toml of a new site in a language: the values in
// it, the comments (which explain the keys, named in English) in English.
func siteTOMLIn(l *i18n.Lang) string {
	return fmt.Sprintf(siteTOML, quote(l.Text("init_title")), quote(l.Text("init_description")),
		quote(l.Tag()), quote(l.Text("init_default_topic")))
}

// welcomeIn is the sample article of a new site in a language.
func welcomeIn(l *i18n.Lang, now time.Time) string {
	return fmt.Sprintf(welcome, quote(l.Text("init_welcome_title")), now.Format(time.RFC3339),
		quote(l.Text("init_welcome_summary")), strings.TrimLeft(l.Text("init_welcome_body"), "\n"))
}

// quote writes s as a double-quoted string that TOML and YAML read alike,
// escaping only what must be: letters of any script stay as they are.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`, "\r", `\r`).Replace(s) + `"`
}

const siteTOML = `# digest site configuration. Every key is optional: delete what you do not need.
# The full list is in digest's README.

title = %s
description = %s

# Where the site will be published. Feeds, sitemaps and canonical links need
# an absolute URL, e.g. "https://news.example.org/".
base_url = "/"

# The pages' language: the theme's words, dates and direction. A file
# i18n/<language>.toml changes or adds strings (see the README).
language = %s
# The timezone that decides which day's edition an article belongs to.
timezone = "UTC"

# Topic order on pages. When set, articles may use only these topics.
# topics = ["World", "Politics", "Business", "Technology", "Sports"]
default_topic = %s

per_page = 20       # articles per topic and tag page
latest = 10         # stories in the home page's "Latest stories"

[markdown]
raw_html = false            # raw HTML in articles is shown escaped unless true
smart_punctuation = true
heading_anchors = true

[feeds]
items = 20
full_content = true

# Feeds that digest pull drafts stories from, one [[sources]] table each.
# [[sources]]
# name = "Harbour Gazette"
# url = "https://gazette.example.com/feed.xml"
# topic = "World"
# exclude = ["sport"]

# The morning email: each edition as email.html and email.txt (once base_url
# is absolute), and digest send to mail it. The SMTP password goes in the
# environment variable DIGEST_SMTP_PASSWORD, never here.
# [email]
# from = "The Daily <news@example.org>"
# server = "smtp.example.org"
# unsubscribe_url = "https://news.example.org/unsubscribe?id={id}"
`

const welcome = `---
title: %s
date: %s
tags: [digest]
summary: %s
---
%s`
