package importer

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/digest-ssg/digest/internal/shortcode"
)

// hugoSite reads a Hugo site: content/ (or contentDir), whose sections
// hold the posts, [permalinks] for where they were published, static/.
type hugoSite struct {
	fsys       fs.FS
	c          conf
	contentDir string
	permalinks conf
	lower      bool // Hugo lower-cases URLs unless disablePathToLower
	ugly       bool // uglyURLs: /posts/x.html rather than /posts/x/
}

func openHugo(fsys fs.FS, r *Report) (generator, error) {
	c := conf{}
	for _, name := range hugoConfigs {
		if strings.HasPrefix(name, "config/") && len(c) > 0 {
			break
		}
		more, ok, err := readConf(fsys, name)
		if err != nil {
			return nil, err
		}
		if ok {
			for k, v := range more {
				c[k] = v
			}
			if !strings.HasPrefix(name, "config/") {
				break
			}
		}
	}
	perms := c.table("permalinks")
	for _, name := range []string{"config/_default/permalinks.toml", "config/_default/permalinks.yaml", "config/_default/permalinks.yml"} {
		if more, ok, err := readConf(fsys, name); err == nil && ok {
			perms = more
		}
	}
	dir := subdir(c.str("contentDir"))
	if dir == "." {
		dir = "content"
	}
	if c.get("languages") != nil && len(c.table("languages")) > 1 {
		r.warn(SettingDropped, "", 0, "the site has several languages: posts are imported as they are, each language's own (digest makes one-language sites)")
	}
	return &hugoSite{fsys: fsys, c: c, contentDir: dir, permalinks: perms, lower: !c.flag("disablePathToLower"), ugly: c.flag("uglyURLs")}, nil
}

func (h *hugoSite) settings() settings {
	desc := h.c.str("description")
	if desc == "" {
		desc = h.c.str("params.description")
	}
	lang := h.c.str("languageCode")
	if lang == "" {
		lang = h.c.str("defaultContentLanguage")
	}
	return settings{
		title: h.c.str("title"), description: desc, baseURL: h.c.str("baseURL"),
		language: lang, timezone: h.c.str("timeZone"),
		rawHTML: h.c.flag("markup.goldmark.renderer.unsafe"),
	}
}

func (h *hugoSite) dialect(*post) shortcode.Dialect { return shortcode.Hugo }

// posts lists the regular pages of the sections under content/: leaf
// bundles (a folder with index.md) and other Markdown files. _index.md
// list pages and pages outside any section (about.md) are left out.
func (h *hugoSite) posts(r *Report) ([]*post, error) {
	var posts []*post
	root := h.contentDir
	bundles := map[string]bool{} // leaf bundles' folders, relative to root
	_ = walkFiles(h.fsys, root, nil, func(file string, _ fs.DirEntry) error {
		if isMarkdown(file) && stemOf(file) == "index" {
			bundles[path.Dir(strings.TrimPrefix(file, root+"/"))] = true
		}
		return nil
	})
	err := walkFiles(h.fsys, root, nil, func(file string, _ fs.DirEntry) error {
		rel := strings.TrimPrefix(file, root+"/")
		dir := path.Dir(rel)
		stem := stemOf(file)
		for d := dir; d != "."; d = path.Dir(d) {
			if bundles[d] && !(d == dir && stem == "index" && isMarkdown(file)) {
				return nil // a page bundle's resource
			}
		}
		switch {
		case stem == "_index" && (isMarkdown(file) || isOtherMarkup(file)):
			r.warn(LeftOut, file, 0, "a list page: left out (digest makes its own lists)")
		case isOtherMarkup(file):
			r.warn(PageNotImported, file, 0, "not Markdown: not imported (digest reads Markdown only; convert it and add it by hand)")
		case !isMarkdown(file):
		case stem == "index":
			if !strings.Contains(dir, "/") {
				r.warn(PageNotImported, file, 0, "a page outside any section: not imported (digest makes articles only)")
				return nil
			}
			p, err := h.post(file, rel)
			if err != nil {
				r.warn(NotImported, file, lineOf(err), "%v", err)
				return nil
			}
			p.stem, p.bundle, p.dir = path.Base(dir), path.Join(root, dir), path.Dir(dir)
			posts = append(posts, p)
		case dir == ".":
			r.warn(PageNotImported, file, 0, "a page outside any section: not imported (digest makes articles only)")
		default:
			p, err := h.post(file, rel)
			if err != nil {
				r.warn(NotImported, file, lineOf(err), "%v", err)
				return nil
			}
			posts = append(posts, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(posts) == 0 && !isDir(h.fsys, root) {
		return nil, fmt.Errorf("no %s/ folder: this Hugo site has no content to import", root)
	}
	return posts, nil
}

// post reads one page of a section.
func (h *hugoSite) post(file, rel string) (*post, error) {
	src, err := readPost(h.fsys, file)
	if err != nil {
		return nil, err
	}
	dir := path.Dir(rel)
	return &post{file: file, rel: rel, stem: stemOf(file), dir: dir, section: dir, src: src}, nil
}

// lineOf is the line a read error names, or 0.
func lineOf(err error) int {
	if le, ok := err.(*lineError); ok {
		return le.line
	}
	return 0
}

// oldURL follows Hugo: the url front-matter key, else the section's
// [permalinks] pattern, else the section's path and the slug or file name.
func (h *hugoSite) oldURL(p *post) string {
	if p.fm.url != "" {
		u, _ := cleanPath(p.fm.url)
		if u != "" && !strings.HasSuffix(u, "/") && path.Ext(u) == "" {
			u += "/" // url = "/articles/first" is published at /articles/first/
		}
		return u
	}
	section := strings.Split(p.dir, "/")[0]
	pattern := h.pattern(section)
	var u string
	if pattern != "" {
		var ok bool
		if u, ok = h.expand(pattern, p); !ok {
			p.warn(NoRedirect, 0, "[permalinks] %s = %q: a token the importer does not know, so the old URL is unknown: no redirect", section, pattern)
			return ""
		}
	} else {
		last := p.stem
		if p.fm.slug != "" {
			last = p.fm.slug
		}
		u = "/" + p.dir + "/" + last + "/"
	}
	u = hugoPath(u, h.lower)
	if !strings.HasSuffix(u, "/") && path.Ext(u) == "" {
		u += "/" // Hugo publishes /:year/:slug as /2024/slug/
	}
	if h.ugly && strings.HasSuffix(u, "/") && u != "/" {
		u = strings.TrimSuffix(u, "/") + ".html"
	}
	out, _ := cleanPath(u)
	return out
}

// pattern is the [permalinks] pattern for a section: permalinks.section,
// or (Hugo 0.120 and later) permalinks.page.section.
func (h *hugoSite) pattern(section string) string {
	if s, ok := h.permalinks.get("page." + section).(string); ok {
		return s
	}
	if s, ok := h.permalinks.get(section).(string); ok {
		return s
	}
	if s, ok := h.permalinks.get("/" + section).(string); ok {
		return s
	}
	return ""
}

var hugoToken = regexp.MustCompile(`:([a-zA-Z0-9_]+)(\[[^\]]*\])?`)

// expand fills a Hugo permalink pattern's tokens.
func (h *hugoSite) expand(pattern string, p *post) (string, bool) {
	t := p.date.t
	sections := strings.Split(p.dir, "/")
	title := p.fm.a.title
	slug := p.fm.slug
	ok := true
	out := hugoToken.ReplaceAllStringFunc(pattern, func(tok string) string {
		m := hugoToken.FindStringSubmatch(tok)
		switch m[1] {
		case "year":
			return t.Format("2006")
		case "month":
			return t.Format("01")
		case "monthname":
			return t.Format("January")
		case "day":
			return t.Format("02")
		case "weekday":
			return strconv.Itoa(int(t.Weekday()))
		case "weekdayname":
			return t.Format("Monday")
		case "yearday":
			return strconv.Itoa(t.YearDay())
		case "section":
			return sections[0]
		case "sections":
			return strings.Join(sliceSections(sections, m[2]), "/")
		case "title":
			return urlize(title)
		case "slug":
			return urlize(or(slug, title))
		case "slugorfilename", "slugorcontentbasename":
			return or(urlize(slug), p.stem)
		case "filename", "contentbasename":
			return p.stem
		}
		if strings.Trim(m[1], "0123456789") == "" || strings.ContainsAny(m[1], "0123456789") {
			return t.Format(m[1]) // a Go time layout such as :2006 or :01
		}
		ok = false
		return tok
	})
	return out, ok
}

// sliceSections applies a :sections[a:b] or [last] selector.
func sliceSections(s []string, sel string) []string {
	sel = strings.Trim(sel, "[]")
	switch {
	case sel == "":
		return s
	case sel == "last":
		return s[len(s)-1:]
	}
	a, b, found := strings.Cut(sel, ":")
	lo, _ := strconv.Atoi(a)
	hi := len(s)
	if found && b != "" {
		hi, _ = strconv.Atoi(b)
	} else if !found {
		hi = lo + 1
	}
	lo, hi = max(0, min(lo, len(s))), max(0, min(hi, len(s)))
	if lo > hi {
		return nil
	}
	return s[lo:hi]
}

// urlize makes a title into a path segment as Hugo does: spaces become
// hyphens, characters outside letters, digits and a few marks go, and it
// is lower-cased.
func urlize(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case unicode.IsSpace(r):
			b.WriteByte('-')
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || strings.ContainsRune("-_.~+%", r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// hugoPath makes a path as Hugo publishes it: spaces become hyphens, and
// it is lower-cased unless the site says not to.
func hugoPath(u string, lower bool) string {
	u = strings.ReplaceAll(u, " ", "-")
	if lower {
		u = strings.ToLower(u)
	}
	return u
}

// static copies static/ (or staticDir) into static/.
func (h *hugoSite) static(r *Report) []Copy {
	dirs := h.c.strs("staticDir")
	if len(dirs) == 0 {
		dirs = []string{"static"}
	}
	var out []Copy
	for _, d := range dirs {
		if d := subdir(d); d != "." {
			out = append(out, copyTree(h.fsys, d, "static", r)...)
		}
	}
	if isDir(h.fsys, "assets") {
		r.warn(NotCopied, "assets/", 0, "not copied: Hugo processes assets/ through its templates (copy what the posts need into static/)")
	}
	return out
}

// copyTree lists the files under from to copy to the same paths under to,
// leaving out names digest does not publish.
func copyTree(fsys fs.FS, from, to string, r *Report) []Copy {
	var out []Copy
	_ = walkCopies(fsys, from, nil, r, func(file string, d fs.DirEntry) error {
		rel := strings.TrimPrefix(file, from+"/")
		if strings.HasPrefix(path.Base(file), "_") {
			r.warn(NotCopied, file, 0, "not copied: digest does not publish names starting with _")
			return nil
		}
		out = append(out, Copy{From: file, To: path.Join(to, rel)})
		return nil
	})
	return out
}
