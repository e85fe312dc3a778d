package content

import (
	"reflect"
	"strings"
	"time"

	"github.com/digest-ssg/digest/internal/meta"
)

// Effect says what a change to a value of an article does to the site.
type Effect int

// The effects of a change.
const (
	// Placement: the article may move: its URL, day, topic, tags, order,
	// or whether it is published at all. The site's model must be built
	// again.
	Placement Effect = iota + 1
	// Presentation: only what the article's pages show changes (headline,
	// dek, body, byline, source, image, correction time, params); the
	// article keeps its place, so the dev server can put the new version
	// in place of the old one.
	Presentation
)

// field is one front-matter key: its names, how it is read, and which
// fields of Article it fills. Adding a key is one entry here (and a line
// in the package comment and the README, which tests check).
type field struct {
	key     string   // digest's name, as README documents it
	aliases []string // other generators' names for it, lower-case
	doc     string   // the kind of value, for messages and docs
	effect  Effect
	merge   bool     // the values of all its aliases are taken together
	article []string // the Article fields it fills
	set     func(d *decoder, f *meta.Field)
}

// fields lists the front matter keys in the order README documents them.
var fields = []field{
	{key: "title", doc: "text", effect: Presentation, article: []string{"Title", "TitleHTML"},
		set: func(d *decoder, f *meta.Field) { d.fm.title = d.requiredText(f.Value, "title") }},
	{key: "date", aliases: []string{"publishdate", "pubdate"}, doc: "date or date-time", effect: Placement, article: []string{"Date"},
		set: func(d *decoder, f *meta.Field) { d.pubDate(f) }},
	// published is Jekyll's flag (published: false is a draft) or, with a
	// date, the publication time.
	{key: "published", doc: "true/false, or a date", effect: Placement, article: []string{"Draft", "Date"},
		set: (*decoder).published},
	{key: "topic", aliases: []string{"category", "section"}, doc: "text", effect: Placement, article: []string{"Topic"},
		set: func(d *decoder, f *meta.Field) { d.fm.topic = d.text(f.Value, "topic") }},
	{key: "tags", aliases: []string{"categories", "keywords"}, doc: "list of text", effect: Placement, merge: true, article: []string{"Tags"},
		set: func(d *decoder, f *meta.Field) { d.fm.tags = append(d.fm.tags, d.textList(f.Value, f.Key)...) }},
	{key: "summary", aliases: []string{"description", "excerpt", "dek"}, doc: "text", effect: Presentation, article: []string{"Summary"},
		set: func(d *decoder, f *meta.Field) { d.fm.summary = d.text(f.Value, "summary") }},
	{key: "source", doc: "text", effect: Presentation, article: []string{"Source"},
		set: func(d *decoder, f *meta.Field) { d.fm.source = d.text(f.Value, "source") }},
	{key: "source_url", aliases: []string{"sourceurl"}, doc: "http(s) URL", effect: Presentation, article: []string{"SourceURL"},
		set: func(d *decoder, f *meta.Field) { d.fm.sourceURL = d.url(f.Value, "source_url") }},
	{key: "authors", aliases: []string{"author", "byline"}, doc: "text or list", effect: Presentation, article: []string{"Authors", "AuthorURLs"},
		set: func(d *decoder, f *meta.Field) { d.fm.authors = d.textList(f.Value, f.Key) }},
	{key: "image", aliases: []string{"cover", "featured_image"}, doc: "path or http(s) URL", effect: Presentation, article: []string{"Image"},
		set: func(d *decoder, f *meta.Field) { d.fm.image = d.imageRef(f.Value, "image") }},
	{key: "image_alt", aliases: []string{"imagealt"}, doc: "text", effect: Presentation, article: []string{"ImageAlt"},
		set: func(d *decoder, f *meta.Field) { d.fm.imageAlt = d.text(f.Value, "image_alt") }},
	{key: "updated", aliases: []string{"lastmod", "modified", "last_modified"}, doc: "date-time", effect: Presentation, article: []string{"Updated"},
		set: func(d *decoder, f *meta.Field) { d.fm.updated = d.time(f.Value, f.Key, false) }},
	{key: "slug", doc: "text", effect: Placement, article: []string{"Slug"},
		set: func(d *decoder, f *meta.Field) { d.fm.slug = d.text(f.Value, "slug") }},
	{key: "aliases", aliases: []string{"redirect_from"}, doc: "list of paths", effect: Placement, merge: true, article: []string{"Aliases"},
		set: func(d *decoder, f *meta.Field) { d.fm.aliases = append(d.fm.aliases, d.paths(f.Value, f.Key)...) }},
	{key: "draft", doc: "true/false", effect: Placement, article: []string{"Draft"},
		set: func(d *decoder, f *meta.Field) { d.fm.draft = d.flag(f.Value, "draft") }},
	{key: "expires", aliases: []string{"expirydate", "expiry_date", "expiry"}, doc: "date-time", effect: Placement, article: []string{"Expires"},
		set: func(d *decoder, f *meta.Field) { d.fm.expires = d.time(f.Value, f.Key, false) }},
	{key: "featured", doc: "true/false", effect: Placement, article: []string{"Featured"},
		set: func(d *decoder, f *meta.Field) { d.fm.featured = d.flag(f.Value, "featured") }},
	{key: "params", doc: "table", effect: Presentation, article: []string{"Params"},
		set: func(d *decoder, f *meta.Field) { d.fm.params = d.table(f.Value, "params") }},
}

// foreignKeys are keys that other generators (or their themes) use and
// digest has no use for, lower-case. Each is still an error, since a typo
// must never pass silently, but the message says what the key meant there
// and what to do instead of guessing at a digest key.
var foreignKeys = map[string]string{
	"layout":             "a Jekyll and Hugo key (the page's layout); digest has one article layout: remove it, or run digest import to convert the whole site",
	"lang":               "a Hugo and Jekyll key (the page's language); digest's language is the site's, set in site.toml (language = \"fr\"): remove it",
	"language":           "a Hugo and Jekyll key (the page's language); digest's language is the site's, set in site.toml (language = \"fr\"): remove it",
	"linktitle":          "a Hugo key (a short title for menus); digest's menus list topics: remove it, or keep it under params:",
	"path":               "a Zola key (the page's address); digest makes the address from the date and slug: set slug:, and list the old address under aliases: so that it redirects",
	"url":                "a Hugo key (the page's address); digest makes the address from the date and slug: set slug:, and list the old address under aliases: so that it redirects",
	"permalink":          "a Jekyll and Eleventy key (the page's address); digest makes the address from the date and slug: set slug:, and list the old address under aliases: so that it redirects",
	"extra":              "a Zola key (free-form values); digest keeps those under params: rename it to params",
	"weight":             "a Hugo and Zola key (the order in lists); digest orders articles by date, and featured: true makes the day's lead story: remove it",
	"toc":                "a key of Hugo themes (a table of contents); digest shows none: remove it",
	"type":               "a Hugo key (the content type, which picks a layout); digest has one kind of article: remove it",
	"images":             "a Hugo key (images for social cards); digest uses image: (one path or URL) with image_alt:",
	"template":           "a Zola key (the template that renders the page); digest renders every article with templates/article.html: remove it",
	"taxonomies":         "a Zola key (tags and categories); digest uses tags: and topic: (digest import converts them)",
	"menu":               "a Hugo key (a menu entry); digest's menus list topics: remove it",
	"sitemap":            "a Hugo and Jekyll key (sitemap settings); digest lists every article in its sitemap: remove it",
	"excerpt_separator":  "a Jekyll key (where the excerpt ends); digest ends the automatic summary at a <!--more--> line: remove it",
	"comments":           "a key of Jekyll themes (comments on the page); digest has none: remove it",
	"eleventynavigation": "an Eleventy key (a navigation entry); digest's menus list topics: remove it (if this file is a listing page rather than an article, move it out of content/)",
	"by":                 "not a digest key; the byline is authors: (rename it)",
}

// listingKeys mark a file as a listing page of another generator (an
// Eleventy blog.md that lists the posts), not an article: such a file is
// left out, with a warning, since digest makes its own lists.
var listingKeys = map[string]string{
	"eleventyimport":                 "Eleventy",
	"eleventyexcludefromcollections": "Eleventy",
	"pagination":                     "Eleventy",
}

// derived classifies the fields of Article that no key fills directly:
// they come from the file's name and format and from its body.
var derived = map[string]Effect{
	"File":        Placement, // the article's identity in the site
	"Format":      Presentation,
	"WordCount":   Presentation,
	"ReadingTime": Presentation,
	// DateOnly: the date was a day without a time (in the front matter
	// or the file name); it changes only how the time is shown.
	"DateOnly": Presentation,
	// The body, its plain text, and where an article read from the
	// build cache finds them (see Article.Body).
	"body":      Presentation,
	"plainText": Presentation,
	"tail":      Presentation,
	// Fingerprint changes with every edit of the file (see Article).
	"Fingerprint": Presentation,
	// SummaryFromBody says where Summary came from: the front matter or
	// the body.
	"SummaryFromBody": Presentation,
}

// fieldFor finds the key (or alias, in any case) name stands for.
func fieldFor(name string) *field {
	name = strings.ToLower(name)
	for i := range fields {
		f := &fields[i]
		if f.key == name {
			return f
		}
		for _, a := range f.aliases {
			if a == name {
				return f
			}
		}
	}
	return nil
}

// Keys lists the front matter keys, in the order README documents them.
func Keys() []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.key
	}
	return out
}

// Aliases maps each key to the other names accepted for it.
func Aliases() map[string][]string {
	out := map[string][]string{}
	for _, f := range fields {
		if len(f.aliases) > 0 {
			out[f.key] = f.aliases
		}
	}
	return out
}

// placementFields are the names of the Article fields whose change moves
// the article (see Placement), from fields and derived.
func placementFields() []string {
	var out []string
	for _, f := range fields {
		if f.effect == Placement {
			out = append(out, f.article...)
		}
	}
	for name, e := range derived {
		if e == Placement {
			out = append(out, name)
		}
	}
	return out
}

// SamePlace reports whether next, a new version of the article old, keeps
// old's place in the site: every value whose effect is Placement is the
// same (times compared as instants, lists by their items). Only the
// article's presentation may differ.
func SamePlace(old, next *Article) bool {
	a, b := reflect.ValueOf(old).Elem(), reflect.ValueOf(next).Elem()
	for _, name := range placementFields() {
		if !sameValue(a.FieldByName(name), b.FieldByName(name)) {
			return false
		}
	}
	return true
}

var timeType = reflect.TypeFor[time.Time]()

// sameValue compares two values of one Article field.
func sameValue(a, b reflect.Value) bool {
	switch {
	case a.Type() == timeType:
		return a.Interface().(time.Time).Equal(b.Interface().(time.Time))
	case a.Kind() == reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !reflect.DeepEqual(a.Index(i).Interface(), b.Index(i).Interface()) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}
