package importer

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/digest-ssg/digest/internal/shortcode"
)

// zolaSite reads a Zola site: config.toml, sections under content/ (each
// a folder with _index.md), pages in them (a Markdown file, or a folder
// with index.md and its assets), static/.
type zolaSite struct {
	fsys  fs.FS
	c     conf
	paths string // slugify.paths: "on" (default), "safe" or "off"
}

func openZola(fsys fs.FS, r *Report) (generator, error) {
	c, _, err := readConf(fsys, "config.toml")
	if err != nil {
		return nil, err
	}
	if len(c) == 0 {
		if c, _, err = readConf(fsys, "zola.toml"); err != nil {
			return nil, err
		}
	}
	paths := strings.ToLower(c.str("slugify.paths"))
	if paths == "" {
		paths = "on"
	}
	if langs := c.table("languages"); len(langs) > 0 {
		r.warn(SettingDropped, "", 0, "the site has several languages: posts are imported as they are, each language's own (digest makes one-language sites)")
	}
	return &zolaSite{fsys: fsys, c: c, paths: paths}, nil
}

func (z *zolaSite) settings() settings {
	return settings{
		title: z.c.str("title"), description: z.c.str("description"), baseURL: z.c.str("base_url"),
		language: z.c.str("default_language"), rawHTML: true, // Zola lets HTML in Markdown through
	}
}

func (z *zolaSite) dialect(*post) shortcode.Dialect { return shortcode.Tera }

// posts lists the pages of the sections under content/. A page folder's
// index.md is the page and its other files are its assets; _index.md is a
// section's list page; a page outside any section (about.md) is left out.
func (z *zolaSite) posts(r *Report) ([]*post, error) {
	if !isDir(z.fsys, "content") {
		return nil, fmt.Errorf("no content/ folder: this Zola site has no content to import")
	}
	var posts []*post
	err := walkFiles(z.fsys, "content", nil, func(file string, _ fs.DirEntry) error {
		rel := strings.TrimPrefix(file, "content/")
		dir, stem := path.Dir(rel), stemOf(file)
		if inPageFolder(z.fsys, "content", dir) && stem != "index" {
			return nil // a page's asset
		}
		switch {
		case !isMarkdown(file):
		case stem == "_index":
			r.warn(LeftOut, file, 0, "a section's list page: left out (digest makes its own lists)")
		case dir == "." || (stem == "index" && !strings.Contains(dir, "/")):
			r.warn(PageNotImported, file, 0, "a page outside any section: not imported (digest makes articles only)")
		default:
			src, err := readPost(z.fsys, file)
			if err != nil {
				r.warn(NotImported, file, lineOf(err), "%v", err)
				return nil
			}
			p := &post{file: file, rel: rel, stem: stem, dir: dir, section: dir, src: src}
			if stem == "index" {
				p.stem, p.bundle, p.dir, p.section = path.Base(dir), "content/"+dir, path.Dir(dir), path.Dir(dir)
			}
			posts = append(posts, p)
		}
		return nil
	})
	return posts, err
}

// inPageFolder reports whether dir (under root), or a folder above it,
// is a page's folder: one with an index.md.
func inPageFolder(fsys fs.FS, root, dir string) bool {
	for d := dir; d != "." && d != "/"; d = path.Dir(d) {
		if exists(fsys, root+"/"+d+"/index.md") {
			return true
		}
	}
	return false
}

// oldURL follows Zola: the page's path, else its section's path and its
// slug (the slug key, else the file or folder name without a date),
// slugified as slugify.paths says.
func (z *zolaSite) oldURL(p *post) string {
	if p.fm.url != "" {
		u := strings.Trim(p.fm.url, "/")
		if path.Ext(u) == "" {
			u += "/"
		}
		out, _ := cleanPath("/" + u)
		return out
	}
	slug := p.fm.slug
	if slug == "" {
		slug = p.stem
		if _, rest, ok := dateFromName(slug, p.date.t.Location()); ok {
			slug = rest
		}
	}
	var segs []string
	for _, s := range strings.Split(p.section, "/") {
		segs = append(segs, z.slugify(s))
	}
	u, _ := cleanPath("/" + strings.Join(append(segs, z.slugify(slug)), "/") + "/")
	return u
}

// slugify makes a path segment as Zola does: "on" keeps lower-case ASCII
// letters and digits (accents dropped), "safe" only drops characters
// unsafe in paths, "off" changes nothing.
func (z *zolaSite) slugify(s string) string {
	switch z.paths {
	case "off":
		return s
	case "safe":
		return strings.Map(func(r rune) rune {
			if strings.ContainsRune(`<>:"/\|?*#`, r) || unicode.IsControl(r) {
				return -1
			}
			return r
		}, strings.TrimSpace(s))
	}
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(r))
		default:
			hyphen = true
		}
	}
	return b.String()
}

// static copies static/ into static/.
func (z *zolaSite) static(r *Report) []Copy {
	return copyTree(z.fsys, "static", "static", r)
}
