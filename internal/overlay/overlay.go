// Package overlay joins two file systems: a site's own files over the
// built-in theme's, so that a file in the site replaces the theme's file of
// the same name and the theme fills in the rest.
package overlay

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
)

// FS is the union of Top over Bottom. Top wins where both have a path.
// Either may be nil.
type FS struct {
	Top, Bottom fs.FS
}

// Open opens name from Top, or else from Bottom. A folder present in both
// is opened from Top; use ReadDir to list both.
func (o FS) Open(name string) (fs.File, error) {
	if o.Top != nil {
		f, err := o.Top.Open(name)
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return f, err
		}
	}
	if o.Bottom != nil {
		return o.Bottom.Open(name)
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// ReadDir lists a folder of both layers, sorted by name, Top's entry
// first where both have one.
func (o FS) ReadDir(name string) ([]fs.DirEntry, error) {
	var out []fs.DirEntry
	seen := map[string]bool{}
	found := false
	for _, layer := range []fs.FS{o.Top, o.Bottom} {
		if layer == nil {
			continue
		}
		entries, err := fs.ReadDir(layer, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		found = true
		for _, e := range entries {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	if !found {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// Lstat describes name without following a final symbolic link, from Top
// or else from Bottom.
func (o FS) Lstat(name string) (fs.FileInfo, error) {
	for _, layer := range []fs.FS{o.Top, o.Bottom} {
		if layer == nil {
			continue
		}
		info, err := fs.Lstat(layer, name)
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return info, err
		}
	}
	return nil, &fs.PathError{Op: "lstat", Path: name, Err: fs.ErrNotExist}
}

// ReadLink returns the destination of a symbolic link, from Top or else
// from Bottom.
func (o FS) ReadLink(name string) (string, error) {
	for _, layer := range []fs.FS{o.Top, o.Bottom} {
		if layer == nil {
			continue
		}
		target, err := fs.ReadLink(layer, name)
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return target, err
		}
	}
	return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrNotExist}
}
