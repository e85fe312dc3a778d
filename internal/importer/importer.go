// Package importer makes a new digest site from a Hugo, Jekyll, Zola or
// Eleventy site, or from a folder of Markdown posts. It writes files, not
// models: the new site is site.toml, content/, static/ and .gitignore, which
// digest's normal pipeline then reads like any other site.
//
// The steps, in order:
//
//	detect     which generator made the source (its config files and layout), unless told
//	settings   title, base_url, language and timezone from the source's config
//	posts      the source's post files; pages, listings and drafts sorted out
//	rewrite    front matter into digest's keys, in the file's own format (JSON becomes
//	           YAML); keys digest has no meaning for go under params
//	place      the date (front matter, else the file name or path), the old URL (from the
//	           source's permalink rules or the post's own url/permalink/path), the slug
//	           (the old URL's last segment where digest's slug rules allow), the new URL
//	aliases    the old URLs and the post's own aliases/redirect_from, for redirect pages
//	convert    shortcodes and Liquid tags (see package shortcode); those left are listed;
//	           relative links that would lead elsewhere from the new URL written from the root
//	bundles    a page bundle's files copied beside the article, static files into static/
//	validate   every article parsed, and the site's model built, as digest build will:
//	           an old URL another page has is not redirected, an article refused not imported
//	write      into a folder beside the new one, moved into place at the end
//
// The source is only read (through an fs.FS), and nothing is written until
// every file of the new site is known. A folder that is not empty, one
// inside the source, or one holding the source is refused.
package importer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/shortcode"
)

// Generator names the kind of site imported.
type Generator string

// The generators.
const (
	Hugo     Generator = "hugo"
	Jekyll   Generator = "jekyll"
	Zola     Generator = "zola"
	Eleventy Generator = "eleventy"
	Folder   Generator = "folder" // Markdown posts with front matter, no generator's config
)

// Generators lists the names --from accepts.
func Generators() []Generator { return []Generator{Hugo, Jekyll, Zola, Eleventy} }

// Name is the generator's name as people write it.
func (g Generator) Name() string {
	switch g {
	case Hugo:
		return "Hugo"
	case Jekyll:
		return "Jekyll"
	case Zola:
		return "Zola"
	case Eleventy:
		return "Eleventy"
	}
	return "folder of posts"
}

// Options say what to import.
type Options struct {
	From Generator // the source's generator; "" to detect it
}

// Import makes a new digest site in dir from the site or folder of posts
// at src, and reports what it did. src is only read. dir must not exist or
// be empty, and must not be inside src or hold it.
func Import(ctx context.Context, src, dir string, opt Options) (*Report, error) {
	if err := checkFolders(src, dir); err != nil {
		return nil, err
	}
	s, err := Plan(ctx, os.DirFS(src), opt)
	if err != nil {
		return nil, err
	}
	if err := s.Write(ctx, dir); err != nil {
		return nil, err
	}
	s.Report.Dir = dir
	return s.Report, nil
}

// Site is a new site, planned but not yet written.
type Site struct {
	Files  map[string][]byte // slash path → contents: site.toml, .gitignore, content/…
	Copies []Copy            // files copied from the source as they are
	Report *Report
	from   fs.FS
}

// Copy is a file copied from the source into the new site.
type Copy struct {
	From string // slash path in the source
	To   string // slash path in the new site
}

// Plan reads the source and works out every file of the new site.
func Plan(ctx context.Context, fsys fs.FS, opt Options) (*Site, error) {
	gen, evidence, err := detect(fsys, opt.From)
	if err != nil {
		return nil, err
	}
	r := &Report{Generator: gen, Evidence: evidence, Converted: map[string]int{}}
	g, err := open(gen, fsys, r)
	if err != nil {
		return nil, err
	}
	posts, err := g.posts(r)
	if err != nil {
		return nil, err
	}
	r.Found = len(posts) + r.Counts()[NotImported] // those that could not be read count as found
	p := &planner{g: g, fsys: fsys, r: r, set: g.settings(), files: map[string][]byte{}}
	if err := p.run(ctx, posts); err != nil {
		return nil, err
	}
	return &Site{Files: p.files, Copies: p.copies, Report: r, from: fsys}, nil
}

// generator is what differs between the generators: where posts are,
// what the site's settings are, and where a post was published.
type generator interface {
	settings() settings
	// posts lists the post files, reporting what else it left out.
	posts(r *Report) ([]*post, error)
	// oldURL is the site-relative URL the post was published at, "" when
	// unknown or never published.
	oldURL(p *post) string
	// static lists the files to copy into static/, reporting those left.
	static(r *Report) []Copy
	dialect(p *post) shortcode.Dialect
}

// open reads the configuration of a generator's site.
func open(gen Generator, fsys fs.FS, r *Report) (generator, error) {
	switch gen {
	case Hugo:
		return openHugo(fsys, r)
	case Jekyll:
		return openJekyll(fsys, r)
	case Zola:
		return openZola(fsys, r)
	case Eleventy:
		return openEleventy(fsys, r)
	}
	return openFolder(fsys, r)
}

// settings are the site-wide values carried into site.toml.
type settings struct {
	title, description string
	baseURL            string // absolute, or a path
	language           string
	timezone           string // IANA name; "" for UTC
	rawHTML            bool   // the generator lets raw HTML in Markdown through
	urlKeys            string // the front-matter key that sets a post's whole URL, for messages
}

// post is one post of the source, as it goes through the steps.
type post struct {
	file    string // slash path in the source
	rel     string // the same, from the folder posts are in (content/, _posts/, the input folder)
	stem    string // file name without extension; a bundle's folder name for its index file
	dir     string // the folder the URL is made from: the file's, or a bundle's parent
	bundle  string // a page bundle's folder, whose other files go with the post ("" none)
	cats    []string
	drafted bool // a draft by where it is (Jekyll's _drafts)
	src     *source
	fm      front
	section string // Hugo's and Zola's section path, relative to content/

	date     date
	oldURL   string
	slug     string
	url      string // the new URL
	out      string // the new file, content/YYYY/MM/DD/slug.md
	aliases  []string
	warnings []Warning
}

// warn records a warning about the post, placed in the new file later.
func (p *post) warn(c Class, line int, format string, args ...any) {
	src := p.file
	if line > 0 {
		src = fmt.Sprintf("%s:%d", p.file, line)
	}
	p.warnings = append(p.warnings, Warning{Class: c, Msg: fmt.Sprintf(format, args...), Source: src})
}

// markdownExts are the file extensions of Markdown posts, as the
// generators know them.
var markdownExts = []string{".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".mkdown"}

func isMarkdown(name string) bool {
	return slices.Contains(markdownExts, strings.ToLower(path.Ext(name)))
}

// otherMarkup are content formats other than Markdown that generators
// read; digest does not.
var otherMarkup = []string{".html", ".htm", ".org", ".adoc", ".asciidoc", ".ad", ".rst", ".pandoc", ".pdc", ".textile", ".ipynb"}

func isOtherMarkup(name string) bool {
	return slices.Contains(otherMarkup, strings.ToLower(path.Ext(name)))
}

// stemOf is a file's name without its extension.
func stemOf(name string) string {
	base := path.Base(name)
	return strings.TrimSuffix(base, path.Ext(base))
}

// readPost reads a post file and parses its front matter.
func readPost(fsys fs.FS, file string) (*source, error) {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, err
	}
	if len(data) > content.MaxArticleBytes {
		return nil, fmt.Errorf("%d bytes, over digest's limit of %d for an article (split it)", len(data), content.MaxArticleBytes)
	}
	return readSource(data)
}

// walkFiles calls fn with every regular file under root (slash paths),
// skipping the folders skip says to, and hidden files and editor
// leftovers. A missing root walks nothing.
func walkFiles(fsys fs.FS, root string, skip func(dir string) bool, fn func(file string, d fs.DirEntry) error) error {
	return walkTree(fsys, root, skip, nil, fn)
}

// walkCopies is walkFiles for files to copy: a symbolic link is not
// followed, and the report says so.
func walkCopies(fsys fs.FS, root string, skip func(dir string) bool, r *Report, fn func(file string, d fs.DirEntry) error) error {
	return walkTree(fsys, root, skip, func(file string) {
		r.warn(NotCopied, file, 0, "a symbolic link: not followed (copy the file itself into the new site's static/)")
	}, fn)
}

func walkTree(fsys fs.FS, root string, skip func(dir string) bool, onLink func(string), fn func(file string, d fs.DirEntry) error) error {
	return fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		name := d.Name()
		if p != root && (strings.HasPrefix(name, ".") || content.EditorTemp(name)) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir():
			if p != root && skip != nil && skip(p) {
				return fs.SkipDir
			}
		case d.Type()&fs.ModeSymlink != 0:
			if onLink != nil {
				onLink(p)
			}
		case d.Type().IsRegular():
			return fn(p, d)
		}
		return nil
	})
}
