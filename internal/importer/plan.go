package importer

import (
	"context"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/parallel"
	"github.com/digest-ssg/digest/internal/shortcode"
	"github.com/digest-ssg/digest/internal/site"
)

// planner works out the files of the new site.
type planner struct {
	g      generator
	fsys   fs.FS
	r      *Report
	set    settings
	cfg    *config.Config
	files  map[string][]byte
	copies []Copy
	links  *linkIndex
	relink *relinker
	taken  map[string]*post // lower-case new URL → its post
	// aliasKey is the key old URLs are written under: "aliases", or ""
	// (params.old_urls) for a digest that makes no redirect pages.
	aliasKey string
}

// run takes the posts through the steps, in order.
func (p *planner) run(ctx context.Context, posts []*post) error {
	if err := p.siteFiles(); err != nil {
		return err
	}
	if slices.Contains(content.Keys(), "aliases") {
		p.aliasKey = "aliases"
	}
	keys := digestKey()
	for _, ps := range posts {
		ps.fm = rewrite(p.r.Generator, ps, p.cfg.Location, keys)
	}
	posts = p.keep(posts)
	for _, ps := range posts {
		p.place(ps)
	}
	p.unclash(posts)
	p.links = newLinkIndex(posts)
	p.redirects(posts)
	p.relink = newRelinker(strings.TrimSuffix(p.cfg.BasePath(), "/"), posts)
	if err := ctx.Err(); err != nil {
		return err
	}
	static := p.g.static(p.r)
	targets := map[string]bool{}
	for _, c := range static {
		targets[c.To] = true
	}
	results := p.writeAll(ctx, posts)
	if err := ctx.Err(); err != nil {
		return err
	}
	p.checkSite(posts, results, targets)
	for i, ps := range posts {
		p.record(ps, &results[i])
	}
	p.copies = append(p.copies, static...)
	p.r.Static = len(static)
	p.settleRawHTML()
	sortWarnings(p.r.Warnings)
	return ctx.Err()
}

// keep drops the posts the old site never published as pages (Hugo's
// headless bundles, Zola's render = false), and listings.
func (p *planner) keep(posts []*post) []*post {
	var out []*post
	for _, ps := range posts {
		switch {
		case ps.fm.hidden != "":
			p.r.warn(LeftOut, ps.file, 0, "%s: left out", ps.fm.hidden)
			p.r.Found--
		case ps.fm.listing:
			p.r.warn(LeftOut, ps.file, 0, "lists other pages (digest makes its own lists): left out")
			p.r.Found--
		default:
			out = append(out, ps)
		}
	}
	return out
}

// place works out a post's date, old URL, slug and new URL.
func (p *planner) place(ps *post) {
	loc := p.cfg.Location
	a := &ps.fm.a
	if ps.fm.noOutput || ps.drafted {
		a.draft = true
	}
	ps.date = a.date
	if ps.date.zero() && p.r.Generator == Hugo && !a.updated.zero() {
		ps.date = a.updated // Hugo's default: date, publishDate, then lastmod
	}
	if ps.date.zero() {
		p.dateFromElsewhere(ps)
	}
	a.date = ps.date
	if a.title == "" {
		a.title = titleFromName(ps.stem)
		if p.r.Generator != Jekyll {
			ps.warn(Rewritten, 0, "no title: %q made from the file name", a.title)
		}
	}
	ps.oldURL = p.g.oldURL(ps)
	ps.slug = p.slug(ps)
	day := ps.date.t.In(loc).Format("2006/01/02")
	ps.url = "/" + day + "/" + ps.slug + "/"
	ps.out = content.Dir + "/" + day + "/" + ps.slug + ".md"
}

// dateFromElsewhere dates a post without a date in its front matter: from
// its file name, its path or URL, else its file's modification time.
func (p *planner) dateFromElsewhere(ps *post) {
	loc := p.cfg.Location
	if d, _, ok := dateFromName(ps.stem, loc); ok {
		ps.date = d
		return
	}
	if d, ok := dateFromPath(ps.fm.url, loc); ok && ps.fm.url != "" {
		ps.date = d
		return
	}
	if d, ok := dateFromPath(ps.file, loc); ok {
		ps.date = d
		return
	}
	ps.date = date{t: fileTime(p.fsys, ps.file).In(loc)}
	switch {
	case ps.fm.timeWord != "":
		ps.warn(Rewritten, 0, "date: %q: dated by the file's modification time, %s", ps.fm.timeWord, ps.date)
	case ps.drafted:
	default:
		ps.warn(NoDate, 0, "no date: dated by the file's modification time, %s (set date: in the front matter)", ps.date)
	}
}

// fileTime is a file's modification time, truncated to the second.
func fileTime(fsys fs.FS, file string) time.Time {
	info, err := fs.Stat(fsys, file)
	if err != nil || info.ModTime().IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return info.ModTime().Truncate(time.Second)
}

var nameWords = regexp.MustCompile(`[-_\s]+`)

// titleFromName makes a title from a file name, as Jekyll does:
// 2014-12-12-old-title → Old Title.
func titleFromName(stem string) string {
	if _, rest, ok := dateFromName(stem, time.UTC); ok {
		stem = rest
	}
	words := nameWords.Split(strings.TrimSpace(stem), -1)
	for i, w := range words {
		if w != "" {
			r := []rune(w)
			words[i] = strings.ToUpper(string(r[0])) + string(r[1:])
		}
	}
	if t := strings.TrimSpace(strings.Join(words, " ")); t != "" {
		return t
	}
	return "Untitled"
}

// pageExts are the extensions of old URLs that end in a file name.
var pageExts = []string{".html", ".htm", ".php", ".asp", ".aspx", ".shtml", ".xhtml"}

// lastSegment is the old URL's last segment without a page extension
// (/2014/12/12/old-title.html → old-title), decoded.
func lastSegment(u string) string {
	u = strings.TrimSuffix(strings.TrimSuffix(u, "/index.html"), "/")
	seg := path.Base("/" + u)
	if ext := strings.ToLower(path.Ext(seg)); slices.Contains(pageExts, ext) {
		seg = strings.TrimSuffix(seg, path.Ext(seg))
	}
	if seg == "/" || seg == "." {
		return ""
	}
	return unescape(seg)
}

// slug picks the new URL's last segment: the old URL's where digest's
// slug rules allow, else the source's slug, file name or title. A date
// in front that is the post's own goes: the new URL has it already.
func (p *planner) slug(ps *post) string {
	day := ps.date.t.In(p.cfg.Location).Format("2006-01-02")
	clean := func(s string) string {
		s = content.Slugify(s)
		if rest, ok := strings.CutPrefix(s, day+"-"); ok && rest != "" {
			s = rest
		}
		return s
	}
	if seg := lastSegment(ps.oldURL); seg != "" {
		if s := clean(seg); s != "" {
			switch {
			case s == seg:
			case s == content.Slugify(strings.TrimPrefix(seg, day+"-")) && strings.HasPrefix(seg, day+"-"):
				ps.warn(SlugChanged, 0, "old URL %s: the date goes from its last segment, as the new URL has it: %s", ps.oldURL, s)
			default:
				ps.warn(SlugChanged, 0, "old URL %s: its last segment %q becomes %q", ps.oldURL, seg, s)
			}
			return s
		}
	}
	stem := ps.stem
	if _, rest, ok := dateFromName(stem, time.UTC); ok {
		stem = rest
	}
	for _, s := range []string{ps.fm.slug, stem, ps.fm.a.title} {
		if s := clean(s); s != "" {
			return s
		}
	}
	return "post"
}

// unclash renames posts that share a day and slug: the later file gets
// -2, -3, ….
func (p *planner) unclash(posts []*post) {
	p.taken = map[string]*post{}
	for _, ps := range posts {
		key := strings.ToLower(ps.url)
		if first, ok := p.taken[key]; ok {
			base := ps.slug
			for n := 2; ok; n++ {
				ps.slug = fmt.Sprintf("%s-%d", base, n)
				ps.url = path.Dir(strings.TrimSuffix(ps.url, "/")) + "/" + ps.slug + "/"
				_, ok = p.taken[strings.ToLower(ps.url)]
			}
			ps.out = content.Dir + ps.url[:len(ps.url)-1] + ".md"
			ps.warn(SlugClash, 0, "%s has the same day and slug: this one is %s", first.file, ps.url)
			key = strings.ToLower(ps.url)
		}
		p.taken[key] = ps
		ps.fm.a.slug = ps.slug
	}
}

// redirects gathers each post's old URLs: where the old site published
// it, and its own aliases. An old URL that another post now has, or that
// an earlier post claims, is left out.
func (p *planner) redirects(posts []*post) {
	claimed := map[string]*post{}
	for _, ps := range posts {
		var cands []string
		if ps.oldURL != "" && !ps.fm.a.draft { // a draft was never published there
			cands = append(cands, ps.oldURL)
		}
		for _, a := range ps.fm.aliases {
			if u, ok := p.resolveAlias(ps, a); ok {
				cands = append(cands, u)
			}
		}
		for _, u := range cands {
			key := urlKey(u)
			switch {
			case key == urlKey(ps.url):
			case key == "/":
				ps.warn(NoRedirect, 0, "old URL / is the home page: no redirect")
			case p.taken[key] != nil:
				ps.warn(NoRedirect, 0, "old URL %s is the new URL of %s: no redirect", u, p.taken[key].file)
			case claimed[key] != nil && claimed[key] != ps:
				ps.warn(NoRedirect, 0, "old URL %s is also claimed by %s: no redirect", u, claimed[key].file)
			case claimed[key] == nil:
				claimed[key] = ps
				ps.aliases = append(ps.aliases, u)
			}
		}
	}
}

// urlKey is how two site paths compare: /a/b, /a/b/ and /a/b/index.html
// are one page, in any letter case.
func urlKey(u string) string {
	u = strings.TrimSuffix(u, "index.html")
	u = strings.TrimSuffix(u, "/")
	if u == "" {
		return "/"
	}
	return strings.ToLower(u) + "/"
}

// resolveAlias turns an alias as written into a site path: a relative
// one is resolved against the post's folder in Hugo (its page-relative
// aliases), the site's root elsewhere; one with this site's host loses
// it; one with another host is left out.
func (p *planner) resolveAlias(ps *post, a string) (string, bool) {
	a = strings.TrimSpace(a)
	if a == "" {
		return "", false
	}
	if i := strings.Index(a, "://"); i >= 0 || strings.HasPrefix(a, "//") {
		host, rest := a, ""
		if i >= 0 {
			host = a[i+3:]
		} else {
			host = a[2:]
		}
		host, rest, _ = strings.Cut(host, "/")
		if !strings.EqualFold(host, siteHost(p.set.baseURL)) {
			ps.warn(NoRedirect, 0, "alias %s is on another site: no redirect", a)
			return "", false
		}
		a = "/" + rest
	}
	if !strings.HasPrefix(a, "/") {
		dir := "/" // Jekyll's, Zola's: from the site's root
		if p.r.Generator == Hugo {
			dir = "/" + ps.dir // Hugo's: from the page's folder
		}
		slash := strings.HasSuffix(a, "/") || path.Ext(a) == ""
		a = path.Join(dir, a)
		if slash {
			a += "/"
		}
	}
	return cleanPath(a)
}

// cleanPath makes a site path: decoded, without query or fragment, "."
// and ".." resolved, its trailing slash kept.
func cleanPath(u string) (string, bool) {
	u, _, _ = strings.Cut(u, "#")
	u, _, _ = strings.Cut(u, "?")
	u = unescape(u)
	if u == "" || strings.ContainsFunc(u, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "", false
	}
	slash := strings.HasSuffix(u, "/")
	u = path.Clean("/" + u)
	if slash && u != "/" {
		u += "/"
	}
	return u, true
}

// siteHost is the host of an absolute base URL, or "".
func siteHost(base string) string {
	_, rest, ok := strings.Cut(base, "://")
	if !ok {
		return ""
	}
	host, _, _ := strings.Cut(rest, "/")
	return host
}

// result is one post converted and written, as digest parses it.
type result struct {
	front, body string
	conv        shortcode.Result
	article     *content.Article
	problems    []string
	bundle      []Copy
}

// writeAll converts and writes every post, in parallel, keeping the
// posts' order for the report.
func (p *planner) writeAll(ctx context.Context, posts []*post) []result {
	parser := content.NewParser(p.cfg)
	out := make([]result, len(posts))
	parallel.For(ctx, len(posts), runtime.GOMAXPROCS(0), func(i int) {
		ps, res := posts[i], &out[i]
		res.bundle = p.bundle(ps)
		if ps.fm.a.image != "" && ps.fm.a.imageAlt == "" {
			ps.warn(NoAltText, 0, "lead image %s has no alt text (add image_alt: describing it)", ps.fm.a.image)
		}
		res.conv = shortcode.Convert(ps.src.body, p.convertOptions(ps))
		inBundle := map[string]bool{}
		for _, c := range res.bundle {
			inBundle[strings.TrimPrefix(c.To, "static"+ps.url)] = true
		}
		body, n := p.relink.fix(finishBody(p.r.Generator, res.conv.Text), ps, inBundle)
		if n > 0 {
			res.conv.Converted["relative link"] += n
		}
		res.body = body
		p.emitOne(parser, ps, res)
	})
	return out
}

// emitOne writes a post's front matter and parses the article as digest
// will.
func (p *planner) emitOne(parser *content.Parser, ps *post, res *result) {
	ps.fm.a.aliases = ps.aliases
	res.front = emit(ps.src.format, &ps.fm.a, p.aliasKey)
	a, errs := parser.Parse(ps.out, []byte(res.front+res.body))
	res.article, res.problems = a, nil
	for _, e := range errs.Errors() {
		res.problems = append(res.problems, e.Error())
	}
}

// checkSite builds the new site's model, as digest build will, drafts
// and future articles included. An old URL that another page or a static
// file has is not redirected; an article the model refuses is not
// imported.
func (p *planner) checkSite(posts []*post, results []result, static map[string]bool) {
	byFile := map[string]int{}
	var articles []*content.Article
	for i, res := range results {
		if res.article != nil && len(res.problems) == 0 {
			byFile[res.article.File] = i
			articles = append(articles, res.article)
		}
	}
	s, errs := site.Build(p.cfg, articles, site.Options{Now: time.Now(), Drafts: true, Future: true, Expired: true})
	drop := map[int][]string{}
	for _, pg := range s.Pages {
		if pg.Kind != site.KindRedirect || (s.Page(pg.URL) == pg && !static[redirectFile(pg.URL)]) {
			continue
		}
		i := byFile[pg.Article.File]
		why := "a static file of the same name is there"
		if other := s.Page(pg.URL); other != pg {
			why = "digest's " + string(other.Kind) + " page is there"
		}
		posts[i].warn(NoRedirect, 0, "old URL %s: %s: no redirect", pg.URL, why)
		drop[i] = append(drop[i], pg.URL)
	}
	parser := content.NewParser(p.cfg)
	for i, urls := range drop {
		ps := posts[i]
		ps.aliases = slices.DeleteFunc(ps.aliases, func(u string) bool {
			return slices.ContainsFunc(urls, func(d string) bool { return urlKey(d) == urlKey(u) })
		})
		p.emitOne(parser, ps, &results[i])
	}
	for _, e := range errs.Errors() {
		if i, ok := byFile[e.Pos.File]; ok && !strings.Contains(e.Msg, "an alias of this article") {
			results[i].problems = append(results[i].problems, e.Error())
		}
	}
}

// redirectFile is the file a redirect page at u is written to.
func redirectFile(u string) string {
	if strings.HasSuffix(u, "/") {
		return "static" + u + "index.html"
	}
	return "static" + u
}

// record adds a written post to the site and its outcome to the report.
func (p *planner) record(ps *post, res *result) {
	if len(res.problems) > 0 {
		p.r.warn(NotImported, ps.file, 0, "digest would refuse it: %s", strings.Join(res.problems, "; "))
		return
	}
	p.files[ps.out] = []byte(res.front + res.body)
	p.copies = append(p.copies, res.bundle...)
	p.r.Bundled += len(res.bundle)
	p.r.Imported++
	if ps.fm.a.draft {
		p.r.Drafts++
	}
	p.r.Redirects += len(ps.aliases)
	if len(ps.aliases) > 0 && p.aliasKey == "" {
		p.r.OldURLsInParams = true
	}
	if ps.src.format == jsonFront {
		ps.warn(Rewritten, 0, "JSON front matter written as YAML")
	}
	for name, n := range res.conv.Converted {
		p.r.Converted[name] += n
	}
	lines := strings.Count(res.front, "\n")
	for _, is := range res.conv.Issues {
		c := NotConverted
		if is.Converted {
			c = NoAltText
		}
		p.r.Warnings = append(p.r.Warnings, Warning{Class: c, File: ps.out, Line: lines + is.Line, Col: is.Col, Msg: is.Tag + ": " + is.Msg, Source: ps.file})
	}
	for _, w := range ps.warnings {
		w.File = ps.out
		p.r.Warnings = append(p.r.Warnings, w)
	}
	if p.set.rawHTML && !p.r.RawHTML && hasRawHTML(ps.src.body) {
		p.r.RawHTML = true
	}
}

// finishBody makes last changes to a converted body: Zola's summary
// marker <!-- more --> becomes digest's <!--more-->.
func finishBody(gen Generator, body string) string {
	if gen != Zola {
		return body
	}
	return zolaMore.ReplaceAllString(body, "${1}<!--more-->")
}

var zolaMore = regexp.MustCompile(`(?m)^([ \t]*)<!--\s+more\s+-->[ \t]*$`)

// rawHTML finds an HTML tag or comment in Markdown outside code (the
// <!--more--> marker aside).
var (
	rawHTML    = regexp.MustCompile(`<(?:[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|/[A-Za-z][A-Za-z0-9-]*\s*>|!--)`)
	moreMarker = regexp.MustCompile(`<!--\s*more\s*-->`)
)

func hasRawHTML(s string) bool {
	for _, seg := range splitCode(s) {
		if !seg.code && rawHTML.MatchString(moreMarker.ReplaceAllString(seg.text, "")) {
			return true
		}
	}
	return false
}

// settleRawHTML lets raw HTML through in the new site when the old one
// did and some post has any, so that pages look as they did.
func (p *planner) settleRawHTML() {
	if !p.r.RawHTML {
		return
	}
	p.files["site.toml"] = []byte(siteTOML(p.r.Generator, p.set, true))
}

// convertOptions are the shortcode options for one post.
func (p *planner) convertOptions(ps *post) shortcode.Options {
	return shortcode.Options{
		Dialect:  p.g.dialect(ps),
		BasePath: strings.TrimSuffix(p.cfg.BasePath(), "/"),
		SiteURL:  siteOrigin(p.cfg.BaseURL),
		Link:     p.links.resolver(ps),
	}
}

// siteOrigin is an absolute base URL's scheme and host, or "".
func siteOrigin(base string) string {
	if h := siteHost(base); h != "" {
		scheme, _, _ := strings.Cut(base, "://")
		return scheme + "://" + h
	}
	return ""
}

// unescape decodes a URL path's %XX escapes, leaving it as it is when
// they are malformed.
func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}
