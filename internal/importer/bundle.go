package importer

import (
	"io/fs"
	"path"
	"strings"

	"github.com/digest-ssg/digest/internal/content"
)

// bundle lists the files of a post's page bundle, to be copied beside the
// new article (static/YYYY/MM/DD/slug/…) so that the post's relative
// links to them keep working, and points a relative lead image at its
// copy (or, outside a bundle, at the site's root).
func (p *planner) bundle(ps *post) []Copy {
	var out []Copy
	inBundle := map[string]bool{}
	if ps.bundle != "" {
		_ = walkFiles(p.fsys, ps.bundle, func(dir string) bool { return holdsIndex(p.fsys, dir) }, func(f string, _ fs.DirEntry) error {
			rel := strings.TrimPrefix(f, ps.bundle+"/")
			switch {
			case f == ps.file || isMarkdown(f):
			case content.Ignored(path.Base(f)):
				ps.warn(NotCopied, 0, "page-bundle file %s not copied: digest does not publish names starting with . or _", rel)
			case rel == "index.html":
				ps.warn(NotCopied, 0, "page-bundle file %s not copied: it would replace the article's page", rel)
			default:
				inBundle[rel] = true
				out = append(out, Copy{From: f, To: "static" + ps.url + rel})
			}
			return nil
		})
	}
	if img := ps.fm.a.image; img != "" && !strings.HasPrefix(img, "/") && !strings.Contains(img, "://") {
		rel := path.Clean(img)
		if inBundle[rel] {
			ps.fm.a.image = ps.url + rel
		} else {
			ps.fm.a.image = "/" + rel
		}
	}
	return out
}

// holdsIndex reports whether a folder is a page bundle or section of its
// own: it holds an index.md or _index.md.
func holdsIndex(fsys fs.FS, dir string) bool {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !e.IsDir() && isMarkdown(e.Name()) && (stemOf(e.Name()) == "index" || stemOf(e.Name()) == "_index") {
			return true
		}
	}
	return false
}
