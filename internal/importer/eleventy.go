package importer

import (
	"errors"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/digest-ssg/digest/internal/meta"
	"github.com/digest-ssg/digest/internal/shortcode"
)

// eleventySite reads an Eleventy site. Its configuration is JavaScript,
// so only plain settings are read from it (the input folder, pathPrefix,
// passthrough copies, the Markdown template engine); the site's metadata
// from _data/metadata.json (or .js); directory data from JSON files.
type eleventySite struct {
	fsys        fs.FS
	input       string // the input folder, "." by default
	dataDir     string
	includesDir string
	output      string
	prefix      string // pathPrefix
	passthrough [][2]string
	engine      string // markdownTemplateEngine: "liquid", "njk" or "false"
	meta        map[string]string
	dirData     map[string]dirData // folder → its data, from JSON data files
}

// dirData is what a directory data file sets for the templates below it.
type dirData struct {
	permalink *meta.Node
	tags      *meta.Node
	jsOnly    bool // only a JavaScript data file, which is not read
}

var (
	jsString    = `\s*["'` + "`" + `]([^"'` + "`" + `]*)["'` + "`" + `]`
	jsInput     = regexp.MustCompile(`\binput\s*:` + jsString)
	jsData      = regexp.MustCompile(`\bdata\s*:` + jsString)
	jsIncludes  = regexp.MustCompile(`\bincludes\s*:` + jsString)
	jsOutput    = regexp.MustCompile(`\boutput\s*:` + jsString)
	jsPrefix    = regexp.MustCompile(`\bpathPrefix\s*:` + jsString)
	jsEngine    = regexp.MustCompile(`\bmarkdownTemplateEngine\s*:\s*(?:["'` + "`" + `](\w+)["'` + "`" + `]|(false))`)
	jsCopy      = regexp.MustCompile(`addPassthroughCopy\(\s*["'` + "`" + `]([^"'` + "`" + `]+)["'` + "`" + `]`)
	jsCopyMap   = regexp.MustCompile(`addPassthroughCopy\(\s*\{([^}]*)\}`)
	jsPair      = regexp.MustCompile(`["'` + "`" + `]([^"'` + "`" + `]+)["'` + "`" + `]\s*:\s*["'` + "`" + `]([^"'` + "`" + `]*)["'` + "`" + `]`)
	jsMetaField = regexp.MustCompile(`\b(title|description|url|language)\s*:` + jsString)
)

func openEleventy(fsys fs.FS, r *Report) (generator, error) {
	var js string
	for _, name := range eleventyConfigs {
		if data, err := fs.ReadFile(fsys, name); err == nil {
			js = string(data)
			break
		}
	}
	find := func(re *regexp.Regexp, def string) string {
		if m := re.FindStringSubmatch(js); m != nil {
			return strings.Trim(strings.TrimPrefix(m[1], "./"), "/")
		}
		return def
	}
	e := &eleventySite{fsys: fsys, input: subdir(find(jsInput, ".")), prefix: find(jsPrefix, ""), engine: "liquid", dirData: map[string]dirData{}}
	e.dataDir = path.Join(e.input, find(jsData, "_data"))
	e.includesDir = path.Join(e.input, find(jsIncludes, "_includes"))
	e.output = find(jsOutput, "_site")
	if m := jsEngine.FindStringSubmatch(js); m != nil {
		e.engine = m[1] + m[2]
	}
	for _, m := range jsCopy.FindAllStringSubmatch(js, -1) {
		e.passthrough = append(e.passthrough, [2]string{m[1], ""})
	}
	for _, m := range jsCopyMap.FindAllStringSubmatch(js, -1) {
		for _, pair := range jsPair.FindAllStringSubmatch(m[1], -1) {
			e.passthrough = append(e.passthrough, [2]string{pair[1], pair[2]})
		}
	}
	e.meta = e.readMetadata()
	if strings.Contains(js, "addCollection") {
		r.warn(SettingDropped, "", 0, "the site's config builds collections in JavaScript, which is not read: posts are found by their dates, their posts tag and their folders")
	}
	return e, nil
}

// readMetadata reads the site's title, description, url and language
// from _data/metadata.json, or plain values in _data/metadata.js.
func (e *eleventySite) readMetadata() map[string]string {
	out := map[string]string{}
	if c, ok, err := readConf(e.fsys, e.dataDir+"/metadata.json"); err == nil && ok {
		for _, k := range []string{"title", "description", "url", "language"} {
			out[k] = c.str(k)
		}
		return out
	}
	for _, name := range []string{"metadata.js", "metadata.cjs", "metadata.mjs", "site.js", "site.json"} {
		data, err := fs.ReadFile(e.fsys, e.dataDir+"/"+name)
		if err != nil {
			continue
		}
		for _, m := range jsMetaField.FindAllStringSubmatch(string(data), -1) {
			if out[m[1]] == "" {
				out[m[1]] = m[2]
			}
		}
		break
	}
	return out
}

func (e *eleventySite) settings() settings {
	base := e.meta["url"]
	if e.prefix != "" && e.prefix != "/" {
		base = strings.TrimRight(base, "/") + "/" + strings.Trim(e.prefix, "/") + "/"
	}
	return settings{
		title: e.meta["title"], description: e.meta["description"], baseURL: base,
		language: e.meta["language"], rawHTML: true, // markdown-it with html: true, Eleventy's default
	}
}

func (e *eleventySite) dialect(*post) shortcode.Dialect {
	if e.engine == "false" {
		return 0 // Markdown is not run through a template engine: nothing to convert
	}
	return shortcode.Liquid // Liquid, or Nunjucks, whose tags read alike
}

// skip leaves out the folders Eleventy does not read templates from.
func (e *eleventySite) skip(dir string) bool {
	return dir == e.dataDir || dir == e.includesDir || dir == e.output || skipTooling(dir)
}

// postFolders are folder names whose Markdown files are posts.
var postFolders = []string{"posts", "post", "blog", "articles", "news", "_posts"}

// posts lists the Markdown templates that are posts: dated (front matter
// or file name), tagged as posts, or in a posts or blog folder. Listings
// (pagination, eleventyImport) and the other pages are reported.
func (e *eleventySite) posts(r *Report) ([]*post, error) {
	var posts []*post
	err := walkFiles(e.fsys, e.input, e.skip, func(file string, _ fs.DirEntry) error {
		if !isMarkdown(file) {
			return nil
		}
		src, err := readPost(e.fsys, file)
		if err != nil {
			r.warn(NotImported, file, lineOf(err), "%v", err)
			return nil
		}
		if src.format == noFront && repoDoc(file) {
			return nil // the repository's README, not a page of the site
		}
		rel := strings.TrimPrefix(file, e.input+"/")
		if e.input == "." {
			rel = file
		}
		p := &post{file: file, rel: rel, stem: stemOf(file), dir: path.Dir(rel), src: src}
		e.cascade(p, r)
		switch e.kind(p) {
		case "post":
			if e.bundled(p) {
				p.bundle = path.Dir(file)
				p.dir = path.Dir(p.dir)
				p.stem = path.Base(path.Dir(file))
			}
			posts = append(posts, p)
		case "listing":
			r.warn(LeftOut, file, 0, "lists other pages (digest makes its own lists): left out")
		default:
			r.warn(PageNotImported, file, 0, "a page, not a post (no date, no posts tag): not imported (digest makes articles only)")
		}
		return nil
	})
	return posts, err
}

// repoDoc reports whether a file is one of a repository's own documents.
func repoDoc(file string) bool {
	switch strings.ToUpper(stemOf(file)) {
	case "README", "LICENSE", "CHANGELOG", "CONTRIBUTING", "CODE_OF_CONDUCT", "SECURITY":
		return true
	}
	return false
}

// kind sorts a template into post, listing or page.
func (e *eleventySite) kind(p *post) string {
	f := p.src.front
	if f.Get("pagination") != nil || f.Get("eleventyImport") != nil || (p.stem == "index" && p.dir == ".") {
		return "listing"
	}
	if f.Get("date") != nil {
		return "post"
	}
	if _, _, ok := dateFromName(p.stem, time.UTC); ok {
		return "post"
	}
	for _, t := range frontList(f, "tags") {
		if slices.Contains(collectionTags, strings.ToLower(t)) {
			return "post"
		}
	}
	for _, d := range strings.Split(p.dir, "/") {
		if slices.Contains(postFolders, strings.ToLower(d)) {
			return "post"
		}
	}
	return "page"
}

// bundled reports whether a post has a folder of its own (dir/index.md,
// or dir/dir.md as Eleventy's base blog does), whose other files go with it.
func (e *eleventySite) bundled(p *post) bool {
	parent := path.Base(path.Dir(p.file))
	return p.dir != "." && (p.stem == "index" || p.stem == parent)
}

// frontList is a front-matter key's list of text, all fields of that name.
func frontList(f *meta.Node, key string) []string {
	var out []string
	for _, fl := range f.Fields {
		if strings.EqualFold(fl.Key, key) {
			l, _ := fl.Value.AsTextList()
			out = append(out, l...)
		}
	}
	return out
}

// cascade adds what directory data files (and the template's own data
// file) set: tags are added, a permalink is taken when the front matter
// has none.
func (e *eleventySite) cascade(p *post, r *Report) {
	var dirs []string
	for d := path.Dir(p.file); ; d = path.Dir(d) {
		dirs = append(dirs, d)
		if d == e.input || d == "." || d == "/" {
			break
		}
	}
	own := e.readData(path.Dir(p.file), stemOf(p.file), r)
	datas := []dirData{own}
	for _, d := range dirs {
		datas = append(datas, e.dir(d, r))
	}
	f := p.src.front
	for _, d := range datas {
		// Line -1: set by a data file, not written in the post.
		if d.tags != nil {
			f.Fields = append(f.Fields, &meta.Field{Key: "tags", Line: -1, Value: d.tags})
		}
		if d.permalink != nil && f.Get("permalink") == nil {
			f.Fields = append(f.Fields, &meta.Field{Key: "permalink", Line: -1, Value: d.permalink})
		}
	}
}

// dir reads a folder's directory data, once.
func (e *eleventySite) dir(d string, r *Report) dirData {
	if dd, ok := e.dirData[d]; ok {
		return dd
	}
	dd := e.readData(d, path.Base(d), r)
	e.dirData[d] = dd
	return dd
}

// readData reads name.11tydata.json (or name.json) in folder d.
func (e *eleventySite) readData(d, name string, r *Report) dirData {
	for _, file := range []string{name + ".11tydata.json", name + ".json"} {
		c, ok, err := readConf(e.fsys, path.Join(d, file))
		if err != nil || !ok {
			continue
		}
		var dd dirData
		if v, ok := c["permalink"]; ok {
			dd.permalink = plainNode(v)
		}
		if v, ok := c["tags"]; ok {
			dd.tags = plainNode(v)
		}
		return dd
	}
	for _, ext := range []string{".11tydata.js", ".11tydata.cjs", ".11tydata.mjs"} {
		if exists(e.fsys, path.Join(d, name+ext)) {
			r.warn(SettingDropped, path.Join(d, name+ext), 0, "data in JavaScript is not read: tags and permalinks it sets are unknown to the import")
			return dirData{jsOnly: true}
		}
	}
	return dirData{}
}

// plainNode turns a plain value back into a node.
func plainNode(v any) *meta.Node {
	switch v := v.(type) {
	case string:
		return &meta.Node{Kind: meta.String, Text: v}
	case bool:
		if v {
			return &meta.Node{Kind: meta.Bool, Text: "true"}
		}
		return &meta.Node{Kind: meta.Bool, Text: "false"}
	case []any:
		n := &meta.Node{Kind: meta.List}
		for _, item := range v {
			n.List = append(n.List, plainNode(item))
		}
		return n
	}
	return &meta.Node{Kind: meta.Null}
}

// oldURL follows Eleventy: the permalink (front matter or data, simple
// templates filled in), else the input path: dir/name.md at /dir/name/,
// dir/index.md and dir/dir.md at /dir/.
func (e *eleventySite) oldURL(p *post) string {
	if p.fm.noOutput {
		return ""
	}
	if p.fm.url != "" {
		u, err := e.permalink(p.fm.url, p)
		if err != nil {
			p.warn(NoRedirect, 0, "permalink %q: %v, so the old URL is unknown: no redirect", p.fm.url, err)
			return ""
		}
		out, _ := cleanPath(u)
		return out
	}
	rel := strings.TrimSuffix(p.rel, path.Ext(p.rel))
	dir, stem := path.Dir(rel), path.Base(rel)
	if stem == "index" || (dir != "." && stem == path.Base(dir)) {
		rel = dir
	}
	out, _ := cleanPath("/" + strings.TrimPrefix(rel, ".") + "/")
	return out
}

var liquidExpr = regexp.MustCompile(`\{\{-?\s*(.*?)\s*-?\}\}`)

// permalink fills the simple templates a permalink may hold:
// page.fileSlug, page.filePathStem, title | slugify, page.date | date: "%Y".
func (e *eleventySite) permalink(tpl string, p *post) (string, error) {
	var bad error
	out := liquidExpr.ReplaceAllStringFunc(tpl, func(m string) string {
		parts := splitPipes(liquidExpr.FindStringSubmatch(m)[1])
		v, ok := e.templateValue(strings.TrimSpace(parts[0]), p)
		for _, f := range parts[1:] {
			if !ok {
				break
			}
			v, ok = templateFilter(v, strings.TrimSpace(f), p)
		}
		if !ok {
			bad = errors.New("a template the importer cannot fill in")
		}
		return v
	})
	if bad != nil {
		return "", bad
	}
	if strings.Contains(out, "{%") {
		return "", errors.New("a template the importer cannot fill in")
	}
	if strings.HasSuffix(out, "/index.html") {
		out = strings.TrimSuffix(out, "index.html")
	}
	return "/" + strings.TrimPrefix(out, "/"), nil
}

func splitPipes(s string) []string { return strings.Split(s, "|") }

// templateValue is a variable a permalink template names.
func (e *eleventySite) templateValue(name string, p *post) (string, bool) {
	fileSlug := p.stem
	if _, rest, ok := dateFromName(fileSlug, time.UTC); ok {
		fileSlug = rest
	}
	switch name {
	case "page.fileSlug":
		return fileSlug, true
	case "page.filePathStem":
		return "/" + strings.TrimSuffix(p.rel, path.Ext(p.rel)), true
	case "title":
		return p.fm.a.title, true
	case "page.date":
		return "\x00date", true
	}
	if s, err := strings.CutPrefix(name, "\""); err {
		return strings.TrimSuffix(s, "\""), true
	}
	return "", false
}

// templateFilter applies slug, slugify or date: "…" (strftime) to v.
func templateFilter(v, f string, p *post) (string, bool) {
	name, arg, _ := strings.Cut(f, ":")
	switch strings.TrimSpace(name) {
	case "slug", "slugify":
		return jekyllSlugify(strings.ToLower(v), false, false), true
	case "date":
		if v != "\x00date" {
			return "", false
		}
		return strftime(p.date.t, strings.Trim(strings.TrimSpace(arg), `"'`)), true
	case "url":
		return v, true
	}
	return "", false
}

// strftime formats t with the common % directives.
func strftime(t time.Time, layout string) string {
	r := strings.NewReplacer("%Y", "2006", "%m", "01", "%d", "02", "%y", "06", "%B", "January", "%b", "Jan", "%H", "15", "%M", "04", "%S", "05", "%e", "_2", "%j", "002")
	return t.Format(r.Replace(layout))
}

// static copies the passthrough copies the config names: a folder, file
// or glob, to the same path without the input folder, or where an
// object maps it.
func (e *eleventySite) static(r *Report) []Copy {
	var out []Copy
	seen := map[string]bool{}
	for _, pt := range e.passthrough {
		from := strings.Trim(strings.TrimPrefix(pt[0], "./"), "/")
		for _, file := range e.matches(from) {
			to := e.target(from, file, pt[1])
			if !seen[to] && to != "" {
				seen[to] = true
				out = append(out, Copy{From: file, To: "static/" + to})
			}
		}
	}
	return out
}

// matches lists the files a passthrough names.
func (e *eleventySite) matches(from string) []string {
	var out []string
	if !strings.ContainsAny(from, "*?{") {
		if isDir(e.fsys, from) {
			_ = walkFiles(e.fsys, from, skipTooling, func(f string, _ fs.DirEntry) error { out = append(out, f); return nil })
		} else if exists(e.fsys, from) {
			out = append(out, from)
		}
		return out
	}
	re := globRegexp(from)
	_ = walkFiles(e.fsys, ".", e.skip, func(f string, _ fs.DirEntry) error {
		if re.MatchString(f) {
			out = append(out, f)
		}
		return nil
	})
	return out
}

// target is where a passthrough file lands in the output.
func (e *eleventySite) target(from, file, to string) string {
	if to != "" {
		rel := strings.TrimPrefix(strings.TrimPrefix(file, from), "/")
		return strings.Trim(path.Join(strings.Trim(to, "/"), rel), "/")
	}
	if e.input != "." {
		if rest, ok := strings.CutPrefix(file, e.input+"/"); ok {
			return rest
		}
	}
	return file
}

// globRegexp turns a glob with ** and {a,b} into a regular expression.
func globRegexp(g string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(g); i++ {
		switch c := g[i]; c {
		case '*':
			if i+1 < len(g) && g[i+1] == '*' {
				i++
				if i+1 < len(g) && g[i+1] == '/' {
					i++
					b.WriteString("(?:.*/)?")
				} else {
					b.WriteString(".*")
				}
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		case '{':
			b.WriteString("(?:")
		case '}':
			b.WriteString(")")
		case ',':
			b.WriteString("|")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return regexp.MustCompile(`^$.`)
	}
	return re
}
