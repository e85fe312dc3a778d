package pipeline

import (
	"errors"
	"io/fs"

	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/diag"
)

// staticDir holds files copied into the output as they are (minified when
// they are CSS, JS, SVG, JSON or XML).
const staticDir = "static"

// staticFiles lists the regular files under static/, the site's and the
// theme's, sorted. Hidden files and editor leftovers are skipped, and so are
// symbolic links, which could point outside the site.
func staticFiles(fsys fs.FS) ([]string, diag.List) {
	var files []string
	var errs diag.List
	err := fs.WalkDir(fsys, staticDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == staticDir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			// Not skipped: an unreadable static/ would publish the
			// site without its files, and the theme's.
			errs = append(errs, diag.CannotRead(p, d == nil || d.IsDir(), err))
			return nil
		}
		if p != staticDir && content.Ignored(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			errs.Warn(diag.Pos{File: p}, "skipped: symbolic links are not copied (copy the file itself into static/)")
		case d.Type().IsRegular():
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		errs = append(errs, diag.CannotRead(staticDir, true, err))
	}
	return files, errs
}
