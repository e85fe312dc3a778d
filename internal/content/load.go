package content

import (
	"errors"
	"io/fs"
	"path"
	"runtime"
	"strings"
	"sync"

	"github.com/digest-ssg/digest/internal/diag"
)

// Load parses every article under content/ in fsys, in parallel, and
// returns them in path order with every problem found. Files and folders
// whose names start with "." or "_", and editor temporary files, are
// skipped. A missing content/ folder is an empty site.
func (p *Parser) Load(fsys fs.FS) ([]*Article, diag.List) {
	files, errs := List(fsys)
	articles := make([]*Article, len(files))
	problems := make([]diag.List, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				articles[i], problems[i] = p.loadOne(fsys, files[i])
			}
		})
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	var out []*Article
	for i, a := range articles {
		errs.Append(problems[i])
		if a != nil {
			out = append(out, a)
		}
	}
	return out, errs
}

func (p *Parser) loadOne(fsys fs.FS, file string) (*Article, diag.List) {
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, diag.List{diag.Errorf(diag.Pos{File: file}, "cannot read: %v", unwrapPath(err))}
	}
	return p.Parse(file, src)
}

// List returns the slash paths of the article files under content/, sorted.
func List(fsys fs.FS) ([]string, diag.List) {
	var files []string
	var errs diag.List
	err := fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == Dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			errs.Add(diag.Pos{File: p}, "cannot read: %v", unwrapPath(err))
			return nil
		}
		if p != Dir && Ignored(path.Base(p)) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.EqualFold(path.Ext(p), ".md") && d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		errs.Add(diag.Pos{File: Dir}, "cannot read: %v", unwrapPath(err))
	}
	return files, errs
}

// Ignored reports whether a file or folder name is skipped: hidden files,
// names starting with "_", and editor backup and swap files.
func Ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
		strings.HasSuffix(name, "~") || strings.HasPrefix(name, "#") ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".tmp")
}

// unwrapPath drops the path from a *fs.PathError, which the position
// already names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
