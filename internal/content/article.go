// Package content reads articles: Markdown files with YAML (---) or TOML
// (+++) front matter under content/, in any sub-folders.
//
// Front matter keys (other generators' names in brackets are accepted too):
//
//	title       text, required          the headline; inline Markdown (code, emphasis) shows in
//	            headings (TitleHTML) and is plain text elsewhere (Title)
//	date        date or date-time, required [publishDate, pubDate]
//	            a time without zone is in the site's timezone; a bare date is midnight there,
//	            and the article shows the day alone (DateOnly); missing: the day a file name
//	            starts with (2020-10-02-story.md), as Jekyll names posts
//	topic       text                    the one topic [category, section]; default: the site's default_topic
//	tags        list of text            finer subjects [categories, keywords]
//	summary     text                    the dek [description, excerpt]; else the text before
//	            <!--more-->; else the first paragraph, shortened (a summary taken
//	            from the body is plain text without links in brackets, such as "(details)",
//	            and is marked SummaryFromBody: article pages do not repeat it)
//	source      text                    the outlet, for curated items
//	source_url  http(s) URL             the original story
//	authors     text or list            bylines [author]; Markdown links in them are the authors'
//	            names and pages ("By [Ann Lee](https://…)": Authors and AuthorURLs)
//	image       path or http(s) URL     lead image [cover]
//	image_alt   text                    the image's description
//	updated     date-time               the last correction [lastmod, modified]
//	slug        text                    the URL segment; default: from the file name, without
//	            a leading day (2020-10-02-story.md gives story)
//	aliases     list of paths           old addresses that redirect here [redirect_from]
//	draft       true/false              left out unless --drafts
//	published   true/false, or a date   Jekyll's: false is a draft; a date is the date
//	expires     date-time               left out after this time [expiryDate]
//	featured    true/false              the day's lead story
//	params      table                   free-form values for custom templates
//
// Unknown keys are errors with a "did you mean". Every problem names the
// file, line and column where it was written.
//
// Articles are the files ending in .md, or in the other extensions of
// Markdown (.markdown, .mdown, .mkd, .mkdn); any other file in content/
// that no page bundle publishes is a warning (see List). Bodies are read
// as other generators write them too: heading attributes and kramdown's
// attribute lines (headings.go), and their template calls, shown as
// written and reported (calls.go).
package content

import (
	"bytes"
	"errors"
	"html/template"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/digest-ssg/digest/internal/buildcache"
	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/meta"
)

// Dir is the folder of articles at the site root.
const Dir = "content"

// MaxArticleBytes is the largest article file accepted.
const MaxArticleBytes = 4 << 20

// Article is one parsed article.
type Article struct {
	File      string // slash path from the site root, e.g. content/2026/02/10/story.md
	Format    Format
	Title     string        // plain text: inline Markdown stripped ("Why go vet matters")
	TitleHTML template.HTML // for headings: inline Markdown rendered ("Why <code>go vet</code> matters")
	Slug      string
	Topic     string // as spelled in site.toml's topics when listed there
	Tags      []string
	Date      time.Time // in the site's timezone
	DateOnly  bool      // dated without a time (Date is midnight): show the day alone
	Updated   time.Time // zero when never corrected
	Expires   time.Time // zero when it never expires
	Summary   string    // plain text
	Source    string
	SourceURL string
	Authors   []string // names, as plain text
	// AuthorURLs are the pages of Authors, by index ("" for an author
	// without one; nil when none has one): from Markdown links in the
	// bylines ("By [Ann Lee](https://…)"). See AuthorURL.
	AuthorURLs []string
	Image      string
	ImageAlt   string
	Draft      bool
	Featured   bool
	Params     map[string]any
	Aliases    []string // old site-relative URL paths that redirect here

	WordCount   int
	ReadingTime int // minutes, at least 1
	// Fingerprint identifies what the article was parsed from: a hash of
	// its file's path and bytes and of the settings of the parse, set when
	// it was parsed through the build cache ("" otherwise). Two articles
	// with one fingerprint are the same values.
	Fingerprint string

	// SummaryFromBody: the summary was not written but taken from the
	// body (the text before <!--more-->, or the first paragraph), so the
	// article page, which shows the body, does not show it again.
	SummaryFromBody bool

	// The body (see Body) and its plain text (see PlainText), or, for an
	// article read from the build cache, where to read them when asked.
	body      template.HTML
	plainText string
	tail      *lazyTail
}

// Body is the body as HTML. An article read from the build cache, or
// stored in it, reads it from there at each call, and does not keep it:
// a build renders the pages of few of them, or of each once; the error
// says the cache's copy could not be read and the file could not be
// parsed again as it was.
func (a *Article) Body() (template.HTML, error) {
	if a.tail == nil {
		return a.body, nil
	}
	var body template.HTML
	err := a.tail.lend(decodeTailBody, func(b []byte) { body = template.HTML(b) })
	return body, err
}

// PlainText is the body's text without Markdown or HTML (raw HTML is
// left out): words, with one space between words and blocks. Only sites
// that search (site.toml's [search]) keep it, for the index. An article
// read from the build cache reads it from there at each call, and does
// not keep it: the index reads each article's text once.
func (a *Article) PlainText() (string, error) {
	var out string
	err := a.WithPlainText(func(text string) { out = strings.Clone(text) })
	return out, err
}

// WithPlainText calls use with the plain text (see PlainText), valid only
// until use returns: an article read from the build cache lends it from
// a buffer, not a copy.
func (a *Article) WithPlainText(use func(text string)) error {
	if a.tail == nil {
		use(a.plainText)
		return nil
	}
	return a.tail.lend(decodeTailText, func(b []byte) { use(unsafe.String(unsafe.SliceData(b), len(b))) })
}

// SetBody sets the body and its plain text, for an article made by other
// means than parsing a file.
func (a *Article) SetBody(html template.HTML, text string) {
	a.body, a.plainText, a.tail = html, text, nil
}

// ForgetText lets the plain text go once the search index holds what it
// needs of it.
func (a *Article) ForgetText() { a.plainText = "" }

// lazyTail is where an article read from, or stored in, the build cache
// finds its body and plain text: the cache's tail of its entry, or, if
// that cannot be read, the file parsed again.
type lazyTail struct {
	read    func(buf []byte) ([]byte, error) // the tail of the cache's entry, into buf's memory
	reparse func() (*Article, error)         // the file parsed again, if it is still what was cached
	bufs    *sync.Pool                       // the parser's, for lend
}

// lend reads the tail into a buffer and calls use with the part of it
// that part finds (the body, or the plain text), valid only until use
// returns: an index reads the text of every article once, and a build
// the body of each at most once or twice, so neither is kept.
func (t *lazyTail) lend(part func(tail []byte) ([]byte, error), use func([]byte)) error {
	bp, _ := t.bufs.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	defer t.bufs.Put(bp)
	data, err := t.read(*bp)
	if err == nil {
		*bp = data
		var b []byte
		if b, err = part(data); err == nil {
			use(b)
			return nil
		}
	}
	a, err := t.reparse()
	if err != nil {
		return err
	}
	b, err := part(appendTail(nil, a.body, a.plainText))
	if err != nil {
		return err
	}
	use(b)
	return nil
}

// AuthorURL is the page of the i-th author, or "".
func (a *Article) AuthorURL(i int) string {
	if i < 0 || i >= len(a.AuthorURLs) {
		return ""
	}
	return a.AuthorURLs[i]
}

// Modified is the time of the last correction, or the publication time.
func (a *Article) Modified() time.Time {
	if a.Updated.After(a.Date) {
		return a.Updated
	}
	return a.Date
}

// Parser parses articles for one site.
type Parser struct {
	cfg *config.Config
	md  *Markdown
	opt ParserOptions
	// tailBufs are buffers for reading cached articles' bodies and plain
	// text (see lazyTail.lend), of *[]byte.
	tailBufs sync.Pool
}

// ParserOptions say what more a Parser does with the bodies it converts.
type ParserOptions struct {
	// Minify, when not nil, minifies each body's HTML once converted.
	Minify Minify
	// Cache, when not nil, keeps what ParseFile makes of a file between
	// builds: the article and its warnings, under a key made of CacheKey,
	// the file's path and its bytes, and under the file's path and stamp
	// (see buildcache.Stamp), so that a file whose stamp is as it was is
	// not read at all. CacheKey must name everything else the result
	// depends on: digest's version, the site's settings, and whether
	// Minify is set.
	Cache    Cache
	CacheKey []byte
	// Settle is how long a file must have been left unchanged before it
	// was read for its stamp to be stored with its entry (0: two
	// seconds). A file written again within a tick of the clock of being
	// read may keep its stamp; one long unchanged cannot.
	Settle time.Duration
}

// Cache keeps encoded articles between builds (see buildcache.Log).
type Cache interface {
	// Stamped calls use with the key, data and tail of the entry stored
	// for the file name with stamp, the data valid until use returns, and
	// reports whether there was one and use accepted it.
	Stamped(name, stamp string, use func(k buildcache.Key, data []byte, tail buildcache.Tail) error) bool
	// Read is Stamped for the entry under k.
	Read(k buildcache.Key, use func(data []byte, tail buildcache.Tail) error) bool
	// Peek is Read for an entry the build does not use (an article's
	// version before an edit), which the cache may then drop.
	Peek(k buildcache.Key, use func(data []byte, tail buildcache.Tail) error) bool
	// HasStamp reports whether the entry last stored for name has stamp.
	HasStamp(name, stamp string) bool
	// Put stores data and tail (read only when asked for) under k, for
	// the file name with stamp ("" for a file whose stamp is not to be
	// trusted).
	Put(name, stamp string, k buildcache.Key, data, tail []byte) (buildcache.Tail, error)
	// Stamp gives the entry under k, stored for name, the stamp stamp.
	Stamp(name, stamp string, k buildcache.Key) error
}

// NewParser returns a parser for the site configured by cfg.
func NewParser(cfg *config.Config) *Parser {
	return NewParserWith(cfg, ParserOptions{})
}

// NewParserWith is NewParser with options.
func NewParserWith(cfg *config.Config, opt ParserOptions) *Parser {
	return &Parser{cfg: cfg, md: NewMarkdown(cfg.Markdown), opt: opt}
}

// Parse reads one article. file is its slash path from the site root.
func (p *Parser) Parse(file string, src []byte) (*Article, diag.List) {
	var errs diag.List
	at := func(line, col int) diag.Pos { return diag.Pos{File: file, Line: line, Col: col} }
	if len(src) > MaxArticleBytes {
		errs.Add(at(1, 1), "%s", (&TooLargeError{Size: int64(len(src))}).Error())
		return nil, errs
	}
	if !utf8.Valid(src) {
		line, col := firstInvalidUTF8(src)
		errs.Add(at(line, col), "the file is not valid UTF-8 (save it as UTF-8 in your editor)")
		return nil, errs
	}
	format, front, bodySrc, bodyLine, err := split(src)
	if err != nil {
		var se *splitError
		errors.As(err, &se)
		errs.Add(at(se.line, 1), "%s", se.msg)
		return nil, errs
	}
	root, err := parseFront(format, front)
	if err != nil {
		var se *meta.SyntaxError
		errors.As(err, &se)
		line := se.Line
		if line > 0 {
			line++ // the front matter starts on line 2
		}
		errs.Add(at(line, se.Col), "%s", se.Msg)
		return nil, errs
	}
	d := &decoder{file: file, offset: 1, loc: p.cfg.Location, errs: &errs}
	d.decode(root)
	if f := d.listing; f != nil {
		errs = nil
		errs.Warn(d.pos(f.Line, f.Col), "left out: %s makes this a listing page of %s, not an article, and digest makes its own lists (move the file out of content/, or name it with a leading _)", f.Key, listingKeys[strings.ToLower(f.Key)])
		return nil, errs
	}
	if len(errs) > 0 {
		return nil, errs
	}
	a := p.build(file, format, &d.fm, &errs, d)
	if a == nil {
		return nil, errs
	}
	b, err := p.convert(bodySrc)
	if ge, ok := err.(*guardError); ok {
		errs.Add(at(bodyLine+ge.line-1, ge.col), "%s", ge.msg)
		return nil, errs
	}
	if err != nil {
		errs.Add(at(bodyLine, 1), "%v", err)
		return nil, errs
	}
	for _, c := range b.calls {
		line, col := position(bodySrc, c.offset)
		errs.Warn(at(bodyLine+line-1, col), "%s", callMessage(c))
	}
	a.body = b.html
	a.WordCount = b.words
	a.plainText = b.plain
	a.ReadingTime = max(1, (b.words+110)/220)
	a.Summary, a.SummaryFromBody = summarize(a.Summary, b)
	return a, errs
}

// convert guards and converts an article's body.
func (p *Parser) convert(src []byte) (body, error) {
	if err := guard(src); err != nil {
		return body{}, err
	}
	return p.md.convert(src, p.opt.Minify, p.cfg.Search.Enabled)
}

func parseFront(format Format, front []byte) (*meta.Node, error) {
	if format == TOML {
		return meta.ParseTOML(front)
	}
	return meta.ParseYAML(front)
}

// build turns decoded front matter into an article, resolving defaults.
func (p *Parser) build(file string, format Format, fm *frontMatter, errs *diag.List, d *decoder) *Article {
	a := &Article{
		File: file, Format: format, Title: fm.title, Summary: fm.summary,
		Source: fm.source, SourceURL: fm.sourceURL,
		Image: fm.image, ImageAlt: fm.imageAlt, Draft: fm.draft, Featured: fm.featured,
		Params: fm.params, Date: fm.date.In(p.cfg.Location), DateOnly: fm.dateOnly, Aliases: fm.aliases,
	}
	if a.Params == nil {
		a.Params = map[string]any{}
	}
	if !fm.updated.IsZero() {
		a.Updated = fm.updated.In(p.cfg.Location)
	}
	if !fm.expires.IsZero() {
		a.Expires = fm.expires.In(p.cfg.Location)
	}
	a.Title, a.TitleHTML = p.md.title(fm.title)
	a.Authors, a.AuthorURLs = p.authors(fm.authors, d, errs)
	a.Topic = p.topic(fm.topic, d)
	a.Tags = uniqueTags(fm.tags)
	a.Slug = p.slug(file, fm.slug, d)
	if a.Image != "" && a.ImageAlt == "" {
		f := d.setFrom["image"]
		errs.Warn(d.pos(f.Line, f.Col), "image: no image_alt (describe the image for readers who cannot see it)")
	}
	if !alsoIsWellFormed(a) {
		f := d.setFrom["params"]
		errs.Warn(d.pos(f.Line, f.Col), `params.also: want a list of {name: "Outlet", url: "https://…"} (entries without a name, and URLs that are not http(s), are not shown)`)
	}
	if len(errs.Errors()) > 0 {
		return nil
	}
	return a
}

// topic resolves the article's topic against the site's topic list.
func (p *Parser) topic(name string, d *decoder) string {
	if name == "" {
		return p.cfg.DefaultTopic
	}
	if len(p.cfg.Topics) == 0 {
		return name
	}
	for _, t := range p.cfg.Topics {
		if strings.EqualFold(t, name) {
			return t
		}
	}
	f := d.setFrom["topic"]
	hint := ""
	if s := diag.Closest(name, p.cfg.Topics); s != "" {
		hint = " (did you mean \"" + s + "\"?)"
	} else {
		hint = " (add it to topics in site.toml, or use one of: " + strings.Join(p.cfg.Topics, ", ") + ")"
	}
	d.fail(f.Value, "topic", "%q is not one of the site's topics%s", name, hint)
	return ""
}

// slug picks the URL segment from front matter or the file name.
func (p *Parser) slug(file, explicit string, d *decoder) string {
	if explicit != "" {
		s := Slugify(explicit)
		if s == "" {
			f := d.setFrom["slug"]
			d.fail(f.Value, "slug", "%q has no letters or digits to make a URL from", explicit)
		}
		return s
	}
	base := stem(file)
	if _, rest, ok := datedName(base); ok {
		base = rest // 2020-10-02-story.md: the day is in the URL already
	}
	s := Slugify(base)
	if s == "" {
		s = Slugify(d.fm.title)
	}
	if s == "" {
		d.errs.Add(diag.Pos{File: file, Line: 1, Col: 1}, "cannot make a URL from the file name or title (rename the file or add slug: to the front matter)")
	}
	return s
}

// uniqueTags drops empty tags and tags that differ only in case or
// punctuation, keeping the first spelling.
func uniqueTags(tags []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tags {
		s := Slugify(t)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, t)
	}
	return out
}

// summarize picks the dek: explicit, else the text before <!--more-->,
// else the first paragraph, shortened. It reports whether the dek was
// taken from the body.
func summarize(explicit string, b body) (summary string, fromBody bool) {
	switch {
	case explicit != "":
		return explicit, false
	case b.moreText != "":
		return b.moreText, true
	}
	s := shorten(b.firstPara, 300)
	return s, s != ""
}

// shorten cuts s at a word boundary so that it fits in n bytes, adding an
// ellipsis when it cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut <= 0 {
		cut = n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimRight(s[:cut], " ,;:.-–—") + "…"
}

func firstInvalidUTF8(src []byte) (line, col int) {
	line, col = 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return line, col
}

// position is the line and column (in characters, from 1) of offset in
// src.
func position(src []byte, offset int) (line, col int) {
	offset = max(0, min(offset, len(src)))
	start := bytes.LastIndexByte(src[:offset], '\n') + 1
	return bytes.Count(src[:start], []byte("\n")) + 1, utf8.RuneCount(src[start:offset]) + 1
}
