package pipeline

import (
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/site"
)

// copied is a file published as it is (minified when it is CSS, JS, SVG,
// JSON or XML): from static/, or from beside an article.
type copied struct {
	out string // slash path in the output, e.g. css/site.css
	src string // slash path in the site's files, e.g. static/css/site.css
}

// copiedFiles lists the files of static/ and the bundle files of the
// published articles, sorted by output path. A bundle file whose output
// path a page or a file of static/ has already is left out, with a
// warning.
func copiedFiles(files fs.FS, m *site.Site, statics []string) ([]copied, diag.List) {
	out := make([]copied, 0, len(statics))
	taken := make(map[string]bool, len(statics))
	for _, name := range statics {
		c := copied{out: name[len(staticDir)+1:], src: name}
		out = append(out, c)
		taken[c.out] = true
	}
	var errs diag.List
	for _, a := range m.Articles {
		if !content.IsBundle(a.File) {
			continue
		}
		srcs, problems := bundleFiles(files, path.Dir(a.File))
		errs.Append(problems)
		dir := strings.TrimPrefix(a.URL, "/")
		for _, src := range srcs {
			c := copied{out: dir + strings.TrimPrefix(src, path.Dir(a.File)+"/"), src: src}
			if taken[c.out] || m.Page("/"+c.out) != nil || m.Page("/"+strings.TrimSuffix(c.out, "index.html")) != nil {
				errs.Warn(diag.Pos{File: src}, "not published: /%s is already the address of a page or a file of static/ (rename the file)", c.out)
				continue
			}
			taken[c.out] = true
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b copied) int { return strings.Compare(a.out, b.out) })
	return out, errs
}

// bundleFiles lists the files of the bundle in dir: every regular file in
// it and in the folders below that hold no article (content.InBundle),
// but the articles and what the build ignores (hidden names, _name,
// editors' files). Symbolic links are left out with a warning, as in
// static/.
func bundleFiles(files fs.FS, dir string) ([]string, diag.List) {
	var out []string
	var errs diag.List
	err := fs.WalkDir(files, dir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			errs = append(errs, diag.CannotRead(p, d == nil || d.IsDir(), err))
			return nil
		case p == dir:
			return nil
		case content.Ignored(d.Name()):
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		case d.IsDir():
			if content.ReadFolder(files, p).Any {
				return fs.SkipDir // another article's folder, or a section
			}
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			errs.Warn(diag.Pos{File: p}, "skipped: symbolic links are not published (copy the file itself into the folder)")
		case d.Type().IsRegular() && !content.IsArticle(p):
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		errs = append(errs, diag.CannotRead(dir, true, err))
	}
	return out, errs
}
