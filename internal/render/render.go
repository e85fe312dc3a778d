// Package render turns pages of the site model into HTML with html/template.
//
// Templates live in templates/: the built-in theme's, with the site's own
// files replacing them by name. Every kind of page that site's kind table
// marks Template has a template of its own name, which fills the blocks of
// the kind's layout (site.KindInfo's Layout): base.html for the web pages,
//
//	home.html  edition.html  article.html  topics.html  topic.html
//	tags.html  tag.html  archive.html  feeds.html  404.html  search.html
//
// and email-base.html for the email edition's email.html, which is made for
// mail clients: a page executed as email-base.html has the rules of its
// <style> inlined onto the elements they select (inline.go), keeping only
// what no style attribute can say (@media rules).
//
// The other kinds (feeds, sitemaps, robots.txt, the favicon, the search
// index and its script) are made by Go code, one generator per kind (see
// generators); two of them from what templates make (see composer): the email's plain text, from templates/email.txt
// (a text/template, so nothing in it is escaped; its functions are
// listed in email.go), and /editions.xml, whose items are the emails.
//
// Every other .html file in templates/ (base.html, email-base.html,
// partials.html, fragments.html, front.html, links.html, dates.html,
// times.html, your own) is shared by all pages, read in name order (a later
// definition replaces an earlier one), and every other .txt file by the text
// templates. Each page template gets a *site.Page as "." — see package site for its fields —
// and may use these functions:
//
//	relURL "/topics/"           → "/news/topics/" (base_url's path in front)
//	absURL "/topics/"           → "https://example.com/news/topics/"
//	date "2 Jan 2006" .Date     → "27 Nov 2026" (any Go time layout)
//	isoTime .Date               → "2026-11-27T08:30:00Z" (RFC 3339, for <time datetime>)
//	plural 3 "story" "stories"  → "3 stories"
//	join ", " .Authors          → "Ann Lee, Bo Chan"
//	authorURL "Ann Lee"         → her page from site.toml's [authors], or ""
//	jsonLD .                    → the page's schema.org JSON-LD (NewsArticle, …)
//	cached "nav" $key .         → shared template "nav" rendered once per key
//	                              and version of the site; it gets a Fragment
//	                              {Key, Page} and must depend on nothing else
//	                              than Key and site-wide data
//	cachedArticle "card" .      → shared template "card" rendered once per
//	                              article and version of it, for list items
//	webSearch                   → "https://duckduckgo.com/?q=site%3Aexample.com"
//	                              (for readers without JavaScript; "" when
//	                              base_url names no host)
//	cachedTerm "tag-link" .     → shared template "tag-link" rendered once
//	                              per topic or tag (a *site.Term), for links;
//	                              it gets a TermLink {Kind, Name, Slug, URL}
//	emailImage .Edition.Lead    → the article's picture as an email shows it
//	                              (an EmailImage {URL, Alt, Width, Height},
//	                              at most 552 px wide), or nil: PNG, JPEG or
//	                              GIF files of static/ only
//	outlookOnly `<table …>`     → the HTML in a comment only Outlook for
//	                              Windows reads (<!--[if mso]>…<![endif]-->)
//	unsubscribeHref             → href="{{unsubscribe_url}}": the email's
//	                              unsubscribe link, [email]
//	                              unsubscribe_placeholder as it is
//
// Templates are parsed once; each page is executed into a buffer, so a
// failing page writes nothing.
package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	texttemplate "text/template"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/minify"
	"github.com/digest-ssg/digest/internal/site"
)

// Dir is the templates folder, in the theme and in a site.
const Dir = "templates"

// layout is the template pages of kind k are executed as: base.html, or
// the layout its site.KindInfo names (email-base.html for the email).
func layout(k site.Kind) string {
	if l := k.Info().Layout; l != "" {
		return l
	}
	return "base.html"
}

// mailLayout is the email's layout: the style sheet of a page executed as
// it is inlined (see inline.go).
const mailLayout = "email-base.html"

// pageKinds are the kinds of page made from templates, each from the
// template of its name: every theme must provide them.
func pageKinds() []site.Kind {
	var out []site.Kind
	for _, k := range site.Kinds() {
		if k.Template {
			out = append(out, k.Kind)
		}
	}
	return out
}

// generators make the pages that are not made from templates: one for
// each kind of page whose site.KindInfo does not say Template (a test
// checks it).
var generators = map[site.Kind]func(*site.Page) ([]byte, error){
	site.KindRSS:          renderRSS,
	site.KindAtom:         renderAtom,
	site.KindJSONFeed:     renderJSONFeed,
	site.KindOPML:         renderOPML,
	site.KindSitemap:      renderSitemap,
	site.KindSitemapIndex: renderSitemapIndex,
	site.KindNewsSitemap:  renderNewsSitemap,
	site.KindRobots:       renderRobots,
	site.KindFavicon:      renderFavicon,
	site.KindRedirect:     renderRedirect,
	site.KindRedirects:    renderRedirects,
	site.KindSearchMeta:   renderSearchMeta,
	site.KindSearchShard:  renderSearchShard,
	site.KindSearchScript: renderSearchScript,
}

// composer returns the Go code that makes pages of kind k from what
// templates make, or nil: the email's text (from templates/email.txt) and
// the feed of whole editions. Like generators, one for each kind whose
// site.KindInfo does not say Template.
func (r *Renderer) composer(k site.Kind) func(*site.Page) ([]byte, error) {
	switch k {
	case site.KindEmailText:
		return r.renderEmailText
	case site.KindEditionsFeed:
		return r.renderEditionsFeed
	}
	return nil
}

// generated tells whether pages of kind k are made by Go code.
func generated(k site.Kind) bool {
	return generators[k] != nil || (*Renderer)(nil).composer(k) != nil
}

// compact are the generated kinds whose output is as small as it gets
// already (JSON written without spaces): the build does not minify them.
var compact = map[site.Kind]bool{site.KindSearchMeta: true, site.KindSearchShard: true}

// Renderer renders pages with parsed templates.
type Renderer struct {
	run  *templateSet // what pages are rendered with
	raw  *templateSet // the templates as written: run, unless minified
	min  *minify.Minifier
	bufs sync.Pool
}

// templateSet is one parse of a theme's templates.
type templateSet struct {
	pages     map[site.Kind]*template.Template
	shared    *template.Template     // the shared templates, for cached fragments
	text      *texttemplate.Template // templates/*.txt: the email's text
	sheets    sync.Map               // the emails' style sheets, read (see inlineStyles)
	fragments fragments
}

// New parses the templates in the templates/ folder of fsys (a site's
// files over the built-in theme's).
func New(fsys fs.FS, cfg *config.Config) (*Renderer, diag.List) {
	return NewMinified(fsys, cfg, minify.New(false))
}

// NewMinified is New, with the templates' text minified by min (when it is
// enabled) before they are parsed, so that the pages they make need no
// minifying (see Minified). Errors name the lines of the files as written.
func NewMinified(fsys fs.FS, cfg *config.Config, min *minify.Minifier) (*Renderer, diag.List) {
	raw, errs := parseSet(fsys, cfg, nil)
	if errs != nil {
		return nil, errs
	}
	r := &Renderer{run: raw, raw: raw, min: min}
	r.bufs.New = func() any { return new(bytes.Buffer) }
	if min.Enabled() {
		// A template the minifier declines (see minify.Template) or cannot
		// read, or whose minified text no longer parses, leaves the pages
		// to be minified whole.
		if small, errs := parseSet(fsys, cfg, min.Template); errs == nil {
			r.run = small
		}
	}
	return r, nil
}

// Minified tells whether the templates were minified (see NewMinified).
func (r *Renderer) Minified() bool { return r.run != r.raw }

// MinifiedPage tells whether Render's output for p comes out minified:
// pages from minified templates do, and the search index's JSON; other
// pages made by Go code (feeds, sitemaps) do not.
func (r *Renderer) MinifiedPage(p *site.Page) bool {
	return compact[p.Kind] || r.Minified() && !generated(p.Kind)
}

// parseSet parses every template, passing each file's text through edit
// first when it is not nil.
func parseSet(fsys fs.FS, cfg *config.Config, edit func([]byte) ([]byte, error)) (*templateSet, diag.List) {
	entries, err := fs.ReadDir(fsys, Dir)
	if err != nil {
		return nil, diag.List{diag.Errorf(diag.Pos{File: Dir}, "cannot read the templates: %v", err)}
	}
	kinds := pageKinds()
	isPage := map[string]bool{}
	for _, k := range kinds {
		isPage[string(k)+".html"] = true
	}
	var errs diag.List
	ts := &templateSet{pages: map[site.Kind]*template.Template{}}
	ts.fragments.exec = executor(&ts.shared)
	shared := template.New("").Funcs(funcs(cfg, fsys, ts))
	ts.text = texttemplate.New("").Funcs(textFuncs(cfg))
	for _, e := range entries {
		if e.Type()&fs.ModeSymlink != 0 {
			errs.Add(diag.Pos{File: Dir + "/" + e.Name()}, "is a symbolic link, which digest does not follow (copy the file into templates/)")
			continue
		}
		if e.IsDir() || isPage[e.Name()] || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		var err *diag.Error
		switch path.Ext(e.Name()) {
		case ".html":
			err = parseFile(shared, fsys, e.Name(), edit)
		case ".txt":
			err = parseText(ts.text, fsys, e.Name())
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	for _, name := range layouts(kinds) {
		if shared.Lookup(name) == nil {
			errs.Add(diag.Pos{File: Dir + "/" + name}, "missing: every theme needs %s", name)
		}
	}
	if ts.text.Lookup(emailText) == nil {
		errs.Add(diag.Pos{File: Dir + "/" + emailText}, "missing: every theme needs %s, the email's plain text", emailText)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	for _, k := range kinds {
		t, err := shared.Clone()
		if err != nil {
			errs.Add(diag.Pos{File: Dir}, "%v", err)
			continue
		}
		if err := parseFile(t, fsys, string(k)+".html", edit); err != nil {
			errs = append(errs, err)
			continue
		}
		ts.pages[k] = t
	}
	errs.Append(checkBlocks(fsys, ts.pages, edit))
	if len(errs) > 0 {
		return nil, errs
	}
	ts.shared = ts.pages[site.KindHome]
	return ts, nil
}

// parseFile adds one file to t under its base name.
func parseFile(t *template.Template, fsys fs.FS, name string, edit func([]byte) ([]byte, error)) *diag.Error {
	file := Dir + "/" + name
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return diag.Errorf(diag.Pos{File: file}, "missing: the theme needs this template")
		}
		return diag.CannotRead(file, false, err)
	}
	if edit != nil {
		if src, err = edit(src); err != nil {
			return diag.Errorf(diag.Pos{File: file}, "%v", err)
		}
	}
	if _, err := t.New(name).Parse(string(src)); err != nil {
		return templateError(err)
	}
	return nil
}

// layouts lists the layouts the kinds are executed as, each once.
func layouts(kinds []site.Kind) []string {
	var out []string
	for _, k := range kinds {
		if l := layout(k); !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// parseText adds one text template file to t under its base name.
func parseText(t *texttemplate.Template, fsys fs.FS, name string) *diag.Error {
	file := Dir + "/" + name
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		return diag.CannotRead(file, false, err)
	}
	if _, err := t.New(name).Parse(string(src)); err != nil {
		return templateError(err)
	}
	return nil
}

// Render executes the page's template and returns the HTML.
func (r *Renderer) Render(p *site.Page) ([]byte, error) {
	var out []byte
	err := r.RenderTo(p, func(page []byte) error {
		out = bytes.Clone(page)
		return nil
	})
	return out, err
}

// RenderTo renders the page and hands it to use, which must not keep it:
// the buffer goes on to the next page.
func (r *Renderer) RenderTo(p *site.Page, use func(page []byte) error) error {
	if gen := generators[p.Kind]; gen != nil {
		out, err := gen(p)
		if err != nil {
			return err
		}
		return use(out)
	}
	if compose := r.composer(p.Kind); compose != nil {
		out, err := compose(p)
		if err != nil {
			return err
		}
		return use(out)
	}
	buf := r.bufs.Get().(*bytes.Buffer)
	defer r.bufs.Put(buf)
	err := r.execute(r.run, p, buf)
	if err != nil && r.run != r.raw {
		// Either the error's line is one of the minified text, to be found
		// again in the templates as written, or the page fails only with
		// the minified templates: then it is made from the templates as
		// written and minified whole.
		if rawErr := r.execute(r.raw, p, buf); rawErr != nil {
			return rawErr
		}
		small, err := r.min.HTML(buf.Bytes())
		if err != nil {
			return err
		}
		return use(small)
	}
	if err != nil {
		return err
	}
	return use(buf.Bytes())
}

func (r *Renderer) execute(ts *templateSet, p *site.Page, buf *bytes.Buffer) error {
	t := ts.pages[p.Kind]
	if t == nil {
		return fmt.Errorf("no template for page kind %q", p.Kind)
	}
	buf.Reset()
	name := layout(p.Kind)
	if err := t.ExecuteTemplate(buf, name, p); err != nil {
		return templateError(err)
	}
	if name == mailLayout {
		res, err := inlineStyles(buf.Bytes(), &ts.sheets)
		if err != nil {
			return diag.Errorf(diag.Pos{File: Dir + "/" + name}, "%s: %v", p.URL, err)
		}
		buf.Reset()
		buf.Write(res.page)
	}
	return nil
}

// templateMsg matches html/template's "template: name:line:col: message".
var templateMsg = regexp.MustCompile(`^(?:html/)?template: ([^:]+):(\d+):(?:(\d+):)? ?(.*)$`)

// templateError turns an html/template error into file:line:col form. An
// error inside a cached template is reported where it is, not where the
// page called for it.
func templateError(err error) *diag.Error {
	var te *template.Error
	if errors.As(err, &te) && te.Name != "" && te.Line > 0 {
		return diag.Errorf(diag.Pos{File: Dir + "/" + te.Name, Line: te.Line}, "%s", te.Description)
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		if inner, ok := e.(texttemplate.ExecError); ok {
			err = inner
		}
	}
	msg := err.Error()
	if m := templateMsg.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		return diag.Errorf(diag.Pos{File: Dir + "/" + m[1], Line: line, Col: col}, "%s", m[4])
	}
	return diag.Errorf(diag.Pos{File: Dir}, "%s", strings.TrimPrefix(msg, "template: "))
}
