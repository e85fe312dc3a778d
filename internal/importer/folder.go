package importer

import (
	"io/fs"
	"path"
	"strings"

	"github.com/digest-ssg/digest/internal/shortcode"
)

// folderSite reads a folder of Markdown posts with front matter, written
// for any generator or none. Their old URLs are known only where the
// front matter says (url, permalink or path).
type folderSite struct {
	fsys fs.FS
}

func openFolder(fsys fs.FS, r *Report) (generator, error) {
	return &folderSite{fsys: fsys}, nil
}

func (f *folderSite) settings() settings { return settings{rawHTML: true} }

// posts lists every Markdown file with front matter; the others are left.
func (f *folderSite) posts(r *Report) ([]*post, error) {
	var posts []*post
	err := walkFiles(f.fsys, ".", skipTooling, func(file string, _ fs.DirEntry) error {
		if !isMarkdown(file) {
			return nil
		}
		data, err := fs.ReadFile(f.fsys, file)
		if err != nil {
			return err
		}
		if !hasFront(data) {
			r.warn(LeftOut, file, 0, "no front matter: not a post, left out")
			return nil
		}
		src, err := readPost(f.fsys, file)
		if err != nil {
			r.warn(NotImported, file, lineOf(err), "%v", err)
			return nil
		}
		p := &post{file: file, rel: file, stem: stemOf(file), dir: path.Dir(file), src: src}
		if p.stem == "index" && p.dir != "." {
			p.stem, p.bundle, p.dir = path.Base(p.dir), p.dir, path.Dir(p.dir)
		}
		posts = append(posts, p)
		return nil
	})
	return posts, err
}

// oldURL is the url, permalink or path the front matter gives, if it is a
// plain path.
func (f *folderSite) oldURL(p *post) string {
	if p.fm.url == "" || strings.Contains(p.fm.url, "{") || strings.Contains(p.fm.url, ":") {
		return ""
	}
	u, _ := cleanPath("/" + strings.TrimPrefix(p.fm.url, "/"))
	return u
}

// dialect guesses each post's tag syntax from what it uses.
func (f *folderSite) dialect(p *post) shortcode.Dialect {
	body := p.src.body
	switch {
	case strings.Contains(body, "{{<") || strings.Contains(body, "{{%"):
		return shortcode.Hugo
	case p.src.format == tomlFront && (strings.Contains(body, "{{ ") || strings.Contains(body, "{%")):
		return shortcode.Tera
	}
	return shortcode.Liquid
}

func (f *folderSite) static(r *Report) []Copy { return nil }
