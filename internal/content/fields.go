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
	{key: "title", doc: "text", effect: Presentation, article: []string{"Title"},
		set: func(d *decoder, f *meta.Field) { d.fm.title = d.requiredText(f.Value, "title") }},
	{key: "date", aliases: []string{"publishdate", "pubdate", "published"}, doc: "date or date-time", effect: Placement, article: []string{"Date"},
		set: func(d *decoder, f *meta.Field) { d.fm.date = d.time(f.Value, f.Key, true) }},
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
	{key: "authors", aliases: []string{"author", "byline"}, doc: "text or list", effect: Presentation, article: []string{"Authors"},
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

// derived classifies the fields of Article that no key fills directly:
// they come from the file's name and format and from its body.
var derived = map[string]Effect{
	"File":        Placement, // the article's identity in the site
	"Format":      Presentation,
	"Body":        Presentation,
	"WordCount":   Presentation,
	"ReadingTime": Presentation,
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
