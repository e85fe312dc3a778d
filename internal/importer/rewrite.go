package importer

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/meta"
)

// article is the front matter an imported article gets, in digest's keys.
type article struct {
	title                  string
	date, updated, expires date
	slug, topic            string
	tags                   []string
	summary                string
	authors                []string
	image, imageAlt        string
	source, sourceURL      string
	draft, featured        bool
	aliases                []string
	params                 []*meta.Field
}

// front is what the rewrite learned from a post's front matter.
type front struct {
	a        article
	slug     string   // the source's own slug
	url      string   // Hugo's url, Jekyll's and Eleventy's permalink, Zola's path
	noOutput bool     // Eleventy's permalink: false: never published
	aliases  []string // the source's aliases and redirect_from, as written
	cats     []string // Jekyll's category and categories, for :categories
	hidden   string   // why the old site never published it as a page (Hugo's headless)
	listing  bool     // a page that lists others (Eleventy's pagination)
	timeWord string   // Eleventy's date: "Last Modified" and the like
}

// digestKey maps every key and alias digest knows, lower-case, to digest's
// key: the table in internal/content.
func digestKey() map[string]string {
	m := map[string]string{}
	for _, k := range content.Keys() {
		m[k] = k
	}
	for k, aliases := range content.Aliases() {
		for _, a := range aliases {
			m[strings.ToLower(a)] = k
		}
	}
	return m
}

// rewriter rewrites one post's front matter.
type rewriter struct {
	gen    Generator
	p      *post
	loc    *time.Location
	keys   map[string]string
	fm     front
	cands  map[string][]*meta.Field // digest key → the fields that could set it, in priority order
	params []*meta.Field
}

// rewrite turns the post's front matter into digest's keys. Keys digest
// has no meaning for, and values it cannot read, go under params.
func rewrite(gen Generator, p *post, loc *time.Location, keys map[string]string) front {
	w := &rewriter{gen: gen, p: p, loc: loc, keys: keys, cands: map[string][]*meta.Field{}}
	for _, f := range p.src.front.Fields {
		w.field(f)
	}
	w.decide()
	w.fm.a.params = w.params
	return w.fm
}

// line is the source file's line of a front-matter field.
func (w *rewriter) line(f *meta.Field) int {
	if f.Line <= 0 || w.p.src.format == jsonFront {
		return 0
	}
	return f.Line + 1
}

// field sorts one field: a key the generator gives a meaning, one of
// digest's keys, or a free-form value for params.
func (w *rewriter) field(f *meta.Field) {
	k := strings.ToLower(f.Key)
	if w.special(k, f) {
		return
	}
	if key, ok := w.keys[k]; ok && key != "params" {
		w.candidate(key, f)
		return
	}
	if k == "params" || (w.gen == Zola && k == "extra") {
		w.flatten(f)
		return
	}
	w.keep(f, "")
}

// candidate offers f for digest's key; digest's own name comes first.
func (w *rewriter) candidate(key string, f *meta.Field) {
	l := w.cands[key]
	if strings.EqualFold(f.Key, key) {
		l = append([]*meta.Field{f}, l...)
	} else {
		l = append(l, f)
	}
	w.cands[key] = l
}

// keep puts a field under params; why, if not empty, is a value digest
// could not read.
func (w *rewriter) keep(f *meta.Field, why string) {
	name := f.Key
	for w.paramNamed(name) {
		name += "_"
	}
	w.params = append(w.params, &meta.Field{Key: name, Value: f.Value})
	if why != "" {
		w.p.warn(ValueMoved, w.line(f), "%s: %s: kept under params.%s", f.Key, why, name)
		return
	}
	w.p.warn(KeptInParams, w.line(f), "%s: kept under params.%s", f.Key, name)
}

func (w *rewriter) paramNamed(name string) bool {
	return slices.ContainsFunc(w.params, func(f *meta.Field) bool { return f.Key == name })
}

// flatten puts the entries of a table of free-form values (Hugo's params,
// Zola's extra) under params.
func (w *rewriter) flatten(f *meta.Field) {
	if f.Value.Kind != meta.Map {
		w.keep(f, "")
		return
	}
	for _, e := range f.Value.Fields {
		name := e.Key
		for w.paramNamed(name) {
			name += "_"
		}
		w.params = append(w.params, &meta.Field{Key: name, Value: e.Value})
	}
}

// special handles the keys a generator gives a meaning digest's table
// does not: URLs, redirects, Jekyll's published, Zola's taxonomies.
func (w *rewriter) special(k string, f *meta.Field) bool {
	v := f.Value
	switch {
	case k == "aliases" || k == "redirect_from":
		list, err := v.AsTextList()
		if err != nil {
			w.keep(f, "not a list of paths")
			return true
		}
		w.fm.aliases = append(w.fm.aliases, list...)
	case k == "slug":
		s, err := v.AsText()
		if err != nil {
			w.keep(f, "not text")
			return true
		}
		w.fm.slug = strings.TrimSpace(s)
	case (k == "url" && (w.gen == Hugo || w.gen == Folder)) || (k == "permalink" && w.gen != Hugo && w.gen != Zola) || (k == "path" && (w.gen == Zola || w.gen == Folder)):
		w.urlKey(f)
	case k == "published":
		if v.Kind != meta.Bool {
			w.candidate("date", f) // other generators' name for the date
		} else if b, _ := v.AsBool(); !b {
			w.fm.a.draft = true
		}
	case k == "last_modified_at" && w.gen == Jekyll:
		w.candidate("updated", f)
	case k == "images" && w.gen == Hugo && v.Kind == meta.List:
		if len(v.List) > 0 {
			w.candidate("image", &meta.Field{Key: f.Key, Line: f.Line, Col: f.Col, Value: v.List[0]})
		}
		w.params = append(w.params, f)
	case k == "taxonomies" && w.gen == Zola && v.Kind == meta.Map:
		w.taxonomies(f)
	case (k == "headless" || k == "_build" || k == "build") && w.gen == Hugo:
		if hugoHidden(k, v) {
			w.fm.hidden = "never published as a page by Hugo (" + f.Key + ")"
		}
		w.params = append(w.params, f)
	case (k == "render") && w.gen == Zola && v.Kind == meta.Bool && v.Text == "false":
		w.fm.hidden = "never published as a page by Zola (render = false)"
		w.params = append(w.params, f)
	case (k == "pagination" || k == "eleventyimport") && w.gen == Eleventy:
		w.fm.listing = true
		w.params = append(w.params, f)
	default:
		return false
	}
	return true
}

// urlKey reads the key that sets a post's whole URL; it is kept under
// params too, as the old site's template may need it.
func (w *rewriter) urlKey(f *meta.Field) {
	if f.Value.Kind == meta.Bool && f.Value.Text == "false" {
		w.fm.noOutput = true
	} else if s, err := f.Value.AsText(); err == nil {
		w.fm.url = strings.TrimSpace(s)
	}
	if f.Line >= 0 { // not one a data file set (Eleventy's directory data)
		w.params = append(w.params, f)
	}
}

// hugoHidden reports whether Hugo's headless or build options keep the
// page from being published on its own.
func hugoHidden(k string, v *meta.Node) bool {
	if k == "headless" {
		b, _ := v.AsBool()
		return b
	}
	if v.Kind != meta.Map {
		return false
	}
	for _, f := range v.Fields {
		if strings.EqualFold(f.Key, "render") {
			return f.Value.Text == "never" || f.Value.Text == "false"
		}
	}
	return false
}

// taxonomies reads Zola's [taxonomies]: tags and categories become tags,
// other taxonomies go under params.taxonomies.
func (w *rewriter) taxonomies(f *meta.Field) {
	rest := &meta.Node{Kind: meta.Map, Line: f.Value.Line, Col: f.Value.Col}
	for _, e := range f.Value.Fields {
		if k := strings.ToLower(e.Key); k == "tags" || k == "categories" {
			w.candidate("tags", e)
			continue
		}
		rest.Fields = append(rest.Fields, e)
	}
	if len(rest.Fields) > 0 {
		w.keep(&meta.Field{Key: f.Key, Line: f.Line, Col: f.Col, Value: rest}, "")
	}
}

// decide takes, for each of digest's keys, the first candidate whose
// value digest can read; the others go under params.
func (w *rewriter) decide() {
	for _, key := range content.Keys() {
		cands := w.cands[key]
		if key == "tags" {
			for _, f := range cands {
				w.tags(f)
			}
			continue
		}
		taken := false
		for _, f := range cands {
			if f.Value.Kind == meta.Null {
				continue // a key with no value (an archetype's description:) says nothing
			}
			if taken {
				w.keep(f, "")
				continue
			}
			taken = w.set(key, f)
		}
	}
}

// set stores f's value under digest's key, or keeps f under params with
// the reason digest cannot read it. It reports whether it stored it.
func (w *rewriter) set(key string, f *meta.Field) bool {
	a := &w.fm.a
	v := f.Value
	var why string
	switch key {
	case "title":
		a.title, why = w.text(v, true)
	case "date":
		a.date, why = w.date(v)
	case "updated":
		a.updated, why = w.date(v)
	case "expires":
		a.expires, why = w.date(v)
	case "topic":
		a.topic, why = w.text(v, true)
		w.fm.cats = append(w.fm.cats, a.topic)
	case "summary":
		a.summary, why = w.text(v, false)
	case "source":
		a.source, why = w.text(v, false)
	case "source_url":
		a.sourceURL, why = w.httpURL(v)
	case "authors":
		a.authors, why = w.authors(f)
	case "image":
		a.image, why = w.image(f)
	case "image_alt":
		a.imageAlt, why = w.text(v, false)
	case "draft":
		a.draft, why = w.flag(v, a.draft)
	case "featured":
		a.featured, why = w.flag(v, a.featured)
	default:
		why = "not read by the importer"
	}
	if why != "" {
		w.keep(f, why)
		return false
	}
	return true
}

func (w *rewriter) text(v *meta.Node, required bool) (string, string) {
	s, err := v.AsText()
	if err != nil {
		return "", "want text, found " + v.Kind.String()
	}
	s = strings.TrimSpace(s)
	if required && s == "" {
		return "", "empty"
	}
	return s, ""
}

func (w *rewriter) date(v *meta.Node) (date, string) {
	if v.Kind == meta.List || v.Kind == meta.Map || v.Kind == meta.Null {
		return date{}, "want a date, found " + v.Kind.String()
	}
	if w.gen == Eleventy && eleventyTimeWord(v.Text) {
		w.fm.timeWord = v.Text
		return date{}, ""
	}
	d, err := parseDate(v.Text, w.loc)
	if err != nil {
		return date{}, "cannot read " + fmt.Sprintf("%q", v.Text) + " as a date"
	}
	return d, ""
}

// eleventyTimeWord reports whether an Eleventy date names a file time.
func eleventyTimeWord(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "created", "last modified", "git created", "git last modified":
		return true
	}
	return false
}

func (w *rewriter) flag(v *meta.Node, already bool) (bool, string) {
	b, err := v.AsBool()
	if err != nil {
		return false, "want true or false, found " + fmt.Sprintf("%q", v.Text)
	}
	return b || already, ""
}

func (w *rewriter) httpURL(v *meta.Node) (string, string) {
	s, why := w.text(v, false)
	if why != "" || s == "" {
		return "", why
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", "not an http(s) URL"
	}
	return s, ""
}

// authors reads a byline, a list of them, or a table with a name (Jekyll's
// author: {name: …}); a table is kept under params too.
func (w *rewriter) authors(f *meta.Field) ([]string, string) {
	v := f.Value
	if v.Kind == meta.Map {
		if name := fieldText(v, "name"); name != "" {
			w.params = append(w.params, f)
			return []string{name}, ""
		}
		return nil, "a table without a name"
	}
	list, err := v.AsTextList()
	if err != nil {
		return nil, "want a name or a list of names"
	}
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out, ""
}

// image reads a lead image: a path or http(s) URL, or a table with one
// and its alt text (jekyll-seo-tag's image: {path: …, alt: …}, a theme's
// cover: {image: …}); a table is kept under params too.
func (w *rewriter) image(f *meta.Field) (string, string) {
	v := f.Value
	s := ""
	if v.Kind == meta.Map {
		for _, k := range []string{"path", "src", "image", "url"} {
			if s = fieldText(v, k); s != "" {
				break
			}
		}
		if alt := fieldText(v, "alt"); alt != "" && w.fm.a.imageAlt == "" {
			w.fm.a.imageAlt = alt
		}
		w.params = append(w.params, f)
	} else {
		var why string
		if s, why = w.text(v, false); why != "" {
			return "", why
		}
	}
	if s == "" {
		return "", "no image path"
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
	case u.Scheme == "http" || u.Scheme == "https":
		if u.Host != "" {
			return s, ""
		}
	case u.Scheme == "" && u.Host == "" && !strings.Contains(u.Path, ".."):
		return s, ""
	}
	return "", "not an image path or http(s) URL"
}

// fieldText is the text of a table's key (in any case), or "".
func fieldText(m *meta.Node, key string) string {
	for _, f := range m.Fields {
		if strings.EqualFold(f.Key, key) {
			if s, err := f.Value.AsText(); err == nil {
				return strings.TrimSpace(s)
			}
		}
	}
	return ""
}

// collectionTags are Eleventy's names for collections rather than subjects.
var collectionTags = []string{"all", "post", "posts"}

// tags reads a list of tags (tags, categories, keywords: all merged).
// Jekyll splits a text of tags at spaces; Eleventy's collection names
// (posts) go under params.collections.
func (w *rewriter) tags(f *meta.Field) {
	list, err := f.Value.AsTextList()
	if err != nil {
		w.keep(f, "want a list of text")
		return
	}
	if w.gen == Jekyll && f.Value.Kind != meta.List && len(list) == 1 {
		list = strings.Fields(list[0])
	}
	k := strings.ToLower(f.Key)
	if w.gen == Jekyll && (k == "categories" || k == "category") {
		w.fm.cats = append(w.fm.cats, list...)
	}
	for _, t := range list {
		t = strings.TrimSpace(t)
		switch {
		case t == "":
		case w.gen == Eleventy && k == "tags" && slices.Contains(collectionTags, strings.ToLower(t)):
			w.collection(t)
		case !slices.Contains(w.fm.a.tags, t):
			w.fm.a.tags = append(w.fm.a.tags, t)
		}
	}
}

// collection keeps an Eleventy collection name under params.collections.
func (w *rewriter) collection(name string) {
	i := slices.IndexFunc(w.params, func(f *meta.Field) bool { return f.Key == "collections" })
	if i < 0 {
		w.params = append(w.params, &meta.Field{Key: "collections", Value: &meta.Node{Kind: meta.List}})
		i = len(w.params) - 1
	}
	l := w.params[i].Value
	l.List = append(l.List, &meta.Node{Kind: meta.String, Text: name})
}
