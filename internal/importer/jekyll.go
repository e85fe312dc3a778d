package importer

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/digest-ssg/digest/internal/shortcode"
)

// jekyllSite reads a Jekyll site: _config.yml, posts in _posts/ (and
// category/_posts/), drafts in _drafts/, every other file not starting
// with _ or . copied as it is.
type jekyllSite struct {
	fsys    fs.FS
	c       conf
	root    string // the source folder (_config.yml's source, else .)
	exclude []string
	loc     *time.Location // the site's timezone, which URLs' dates are in
}

func openJekyll(fsys fs.FS, r *Report) (generator, error) {
	c := conf{}
	for _, name := range jekyllConfigs {
		more, ok, err := readConf(fsys, name)
		if err != nil {
			return nil, err
		}
		if ok {
			c = more
			break
		}
	}
	root := subdir(c.str("source"))
	loc, err := time.LoadLocation(c.str("timezone"))
	if err != nil {
		loc = time.UTC
	}
	exclude := append([]string{"Gemfile", "Gemfile.lock", "node_modules", "vendor", "gemfiles", "package.json", "package-lock.json", "yarn.lock", "README.md", "readme.md", "LICENSE", "Rakefile", "CHANGELOG.md"}, c.strs("exclude")...)
	return &jekyllSite{fsys: fsys, c: c, root: root, exclude: exclude, loc: loc}, nil
}

func (j *jekyllSite) settings() settings {
	base := strings.TrimRight(j.c.str("url"), "/") + "/" + strings.Trim(j.c.str("baseurl"), "/")
	if base != "/" {
		base = strings.TrimRight(base, "/") + "/"
	}
	return settings{
		title: j.c.str("title"), description: j.c.str("description"), baseURL: base,
		language: or(j.c.str("lang"), j.c.str("locale")), timezone: j.c.str("timezone"),
		rawHTML: true, // kramdown lets HTML through
	}
}

func (j *jekyllSite) dialect(*post) shortcode.Dialect { return shortcode.Liquid }

// jekyllPostName matches a post's file name: its date, its title part and
// its extension.
var jekyllPostName = regexp.MustCompile(`^(\d{2,4}-\d{1,2}-\d{1,2})-(.+)\.([^.]+)$`)

// rel is a path from the source folder.
func (j *jekyllSite) rel(file string) string {
	if j.root == "." {
		return file
	}
	return strings.TrimPrefix(file, j.root+"/")
}

// skip reports whether a folder is one Jekyll leaves out of the site.
func (j *jekyllSite) skip(dir string) bool {
	name := path.Base(dir)
	rel := j.rel(dir)
	if name == "_site" || name == ".jekyll-cache" || name == ".sass-cache" {
		return true
	}
	return slices.ContainsFunc(j.exclude, func(x string) bool {
		x = strings.Trim(x, "/")
		return x == rel || x == name
	})
}

// posts lists the files in every _posts and _drafts folder; pages
// elsewhere are reported as left out.
func (j *jekyllSite) posts(r *Report) ([]*post, error) {
	var posts []*post
	err := walkFiles(j.fsys, j.root, j.skip, func(file string, _ fs.DirEntry) error {
		rel := j.rel(file)
		parts := strings.Split(rel, "/")
		where := slices.IndexFunc(parts, func(s string) bool { return s == "_posts" || s == "_drafts" })
		switch {
		case where >= 0:
			if p := j.post(file, parts, where, r); p != nil {
				posts = append(posts, p)
			}
		case strings.HasPrefix(rel, "_") || strings.Contains(rel, "/_"):
		case isMarkdown(file) || strings.HasSuffix(file, ".html"):
			j.page(file, r)
		}
		return nil
	})
	return posts, err
}

// post reads a file of a _posts (or _drafts) folder; the folders above it
// are its categories.
func (j *jekyllSite) post(file string, parts []string, where int, r *Report) *post {
	name := parts[len(parts)-1]
	drafts := parts[where] == "_drafts"
	if !isMarkdown(name) && !strings.HasSuffix(name, ".html") {
		if isOtherMarkup(name) {
			r.warn(PageNotImported, file, 0, "not Markdown: not imported (digest reads Markdown only; convert it and add it by hand)")
		}
		return nil
	}
	if !drafts && !jekyllPostName.MatchString(name) {
		r.warn(LeftOut, file, 0, "not named YYYY-MM-DD-title: Jekyll does not publish it as a post: left out")
		return nil
	}
	src, err := readPost(j.fsys, file)
	if err != nil {
		r.warn(NotImported, file, lineOf(err), "%v", err)
		return nil
	}
	return &post{
		file: file, rel: strings.Join(parts[where+1:], "/"), stem: stemOf(name),
		dir: strings.Join(parts[:where], "/"), cats: parts[:where], drafted: drafts, src: src,
	}
}

// jekyllListings are pages digest makes its own versions of.
var jekyllListings = []string{"index", "404", "feed", "atom", "rss", "sitemap", "archive", "archives", "tags", "categories", "blog", "search"}

// page reports a page that is not a post: left out when it lists posts or
// is one digest makes itself, else for a person to move by hand.
func (j *jekyllSite) page(file string, r *Report) {
	data, err := fs.ReadFile(j.fsys, file)
	if err != nil || !hasFront(data) {
		return // a file copied as it is
	}
	src, err := readSource(data)
	layout := ""
	if err == nil {
		layout = strings.ToLower(fieldText(src.front, "layout"))
	}
	if slices.Contains(jekyllListings, strings.ToLower(stemOf(file))) || layout == "home" || layout == "archive" || src != nil && src.front.Get("pagination") != nil {
		r.warn(LeftOut, file, 0, "lists posts or is a page digest makes itself: left out")
		return
	}
	r.warn(PageNotImported, file, 0, "a page, not a post: not imported (digest makes articles only)")
}

var jekyllStyles = map[string]string{
	"date":     "/:categories/:year/:month/:day/:title:output_ext",
	"pretty":   "/:categories/:year/:month/:day/:title/",
	"ordinal":  "/:categories/:year/:y_day/:title:output_ext",
	"weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
	"none":     "/:categories/:title:output_ext",
}

// oldURL follows Jekyll: the post's permalink, else the defaults' or the
// posts collection's or the site's, a style name or a pattern; "date"
// when none is set.
func (j *jekyllSite) oldURL(p *post) string {
	pattern := p.fm.url
	if pattern == "" {
		pattern = j.defaultPermalink(p)
	}
	if s, ok := jekyllStyles[pattern]; ok {
		pattern = s
	}
	u := jekyllExpand(pattern, p, p.date.t.In(j.loc))
	out, _ := cleanPath(strings.ReplaceAll(u, "//", "/"))
	return out
}

// defaultPermalink is the pattern for posts without their own: from
// front-matter defaults for posts or the post's path, the posts
// collection, or the site.
func (j *jekyllSite) defaultPermalink(p *post) string {
	if l, ok := j.c.get("defaults").([]any); ok {
		for _, d := range slices.Backward(l) {
			dc, _ := d.(map[string]any)
			scope, values := conf(dc).table("scope"), conf(dc).table("values")
			typ, where := scope.str("type"), strings.Trim(scope.str("path"), "/")
			if (typ == "" || typ == "posts") && (where == "" || strings.HasPrefix(j.rel(p.file), where)) && values.str("permalink") != "" {
				return values.str("permalink")
			}
		}
	}
	if s := j.c.str("collections.posts.permalink"); s != "" {
		return s
	}
	if s := j.c.str("permalink"); s != "" {
		return s
	}
	return "date"
}

var jekyllToken = regexp.MustCompile(`:([a-z_]+)`)

// jekyllExpand fills a Jekyll permalink pattern's placeholders.
// t is the post's date in the site's timezone.
func jekyllExpand(pattern string, p *post, t time.Time) string {
	titlePart := p.stem
	if m := jekyllPostName.FindStringSubmatch(path.Base(p.file)); m != nil {
		titlePart = m[2]
	}
	if p.fm.slug != "" {
		titlePart = p.fm.slug
	}
	return jekyllToken.ReplaceAllStringFunc(pattern, func(tok string) string {
		switch tok[1:] {
		case "year":
			return t.Format("2006")
		case "month":
			return t.Format("01")
		case "i_month":
			return t.Format("1")
		case "day":
			return t.Format("02")
		case "i_day":
			return t.Format("2")
		case "short_year":
			return t.Format("06")
		case "hour":
			return t.Format("15")
		case "minute":
			return t.Format("04")
		case "second":
			return t.Format("05")
		case "y_day":
			return t.Format("002")
		case "short_month":
			return strings.ToUpper(t.Format("Jan"))
		case "long_month":
			return t.Format("January")
		case "short_day":
			return strings.ToUpper(t.Format("Mon"))
		case "long_day":
			return t.Format("Monday")
		case "week":
			_, w := t.ISOWeek()
			return twoDigits(w)
		case "title":
			return jekyllSlugify(titlePart, true, true)
		case "slug", "name":
			return jekyllSlugify(titlePart, false, false)
		case "categories":
			return strings.Join(jekyllCategories(p, false), "/")
		case "slugified_categories":
			return strings.Join(jekyllCategories(p, true), "/")
		case "output_ext":
			return ".html"
		case "collection":
			return "posts"
		case "path":
			return strings.TrimSuffix(p.rel, path.Ext(p.rel))
		case "basename":
			return p.stem
		}
		return tok
	})
}

func twoDigits(n int) string { return fmt.Sprintf("%02d", n) }

// jekyllCategories are the post's categories for its URL: the folders
// above _posts, then the front matter's, lower-cased, each once.
func jekyllCategories(p *post, slugify bool) []string {
	var out []string
	for _, c := range append(append([]string{}, p.cats...), p.fm.cats...) {
		c = strings.ToLower(strings.TrimSpace(c))
		if slugify {
			c = jekyllSlugify(c, false, false)
		}
		if c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// jekyllSlugify makes a slug as Jekyll's slugify does: in "default" mode
// every run of characters other than letters and digits becomes a
// hyphen; "pretty" keeps ._~!$&'()+,;=@ too. cased keeps the letter case.
func jekyllSlugify(s string, pretty, cased bool) string {
	var b strings.Builder
	hyphen := false
	for _, r := range s {
		keep := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r) || (pretty && strings.ContainsRune("._~!$&'()+,;=@", r))
		if !keep {
			hyphen = true
			continue
		}
		if hyphen && b.Len() > 0 {
			b.WriteByte('-')
		}
		hyphen = false
		b.WriteRune(r)
	}
	if cased {
		return b.String()
	}
	return strings.ToLower(b.String())
}

// static copies every file Jekyll copies as it is: outside folders and
// names starting with _ or ., not excluded, without front matter.
func (j *jekyllSite) static(r *Report) []Copy {
	var out []Copy
	skip := func(dir string) bool { return j.skip(dir) || strings.HasPrefix(path.Base(dir), "_") }
	_ = walkCopies(j.fsys, j.root, skip, r, func(file string, _ fs.DirEntry) error {
		rel := j.rel(file)
		if strings.HasPrefix(rel, "_") || strings.Contains(rel, "/_") || j.excluded(rel) {
			return nil
		}
		if data, err := fs.ReadFile(j.fsys, file); err != nil || hasFront(data) {
			return nil // a page, processed by Jekyll
		}
		if generatedByDigest(rel) {
			r.warn(NotCopied, file, 0, "not copied: digest makes its own %s", rel)
			return nil
		}
		out = append(out, Copy{From: file, To: "static/" + rel})
		return nil
	})
	return out
}

func (j *jekyllSite) excluded(rel string) bool {
	return slices.ContainsFunc(j.exclude, func(x string) bool { return strings.Trim(x, "/") == rel })
}

// generatedByDigest reports whether a file at the site's root would stand
// in place of a page digest makes.
func generatedByDigest(rel string) bool {
	return slices.Contains([]string{"index.html", "404.html", "feed.xml", "atom.xml", "feed.json", "sitemap.xml", "robots.txt", "news-sitemap.xml", "feeds.opml"}, rel)
}
