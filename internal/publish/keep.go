package publish

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// FileID tells one file of an output from any other, and from itself
// once changed: its inode (files of a build are never written through,
// see writeExclusive, so an inode keeps its bytes), size and modification
// time. The zero FileID is no file.
type FileID struct {
	Ino   uint64
	Size  int64
	MTime int64 // nanoseconds since 1970
}

// idOf is the FileID of a regular file; zero for anything else, and where
// the system gives no inode numbers.
func idOf(info fs.FileInfo) FileID {
	if info == nil || !info.Mode().IsRegular() {
		return FileID{}
	}
	ino := inode(info)
	if ino == 0 {
		return FileID{}
	}
	return FileID{Ino: ino, Size: info.Size(), MTime: info.ModTime().UnixNano()}
}

// validName refuses a name that could lead out of the output folder.
func validName(name string) error {
	if !fs.ValidPath(name) || name == "." || name == Marker || strings.HasPrefix(name, Marker+"/") || strings.ContainsAny(name, "\\\x00") {
		return fmt.Errorf("refusing to write %q: not a path inside the output folder", name)
	}
	return nil
}

// Keep puts the output's file name into the new build as it is, without
// reading it, when it is still the file id says (the caller knows that
// file holds what it would write). It reports false, having written
// nothing, when there is no such file or it has changed: the caller then
// writes the file.
func (o *Output) Keep(name string, id FileID) (bool, error) {
	if err := validName(name); err != nil || id == (FileID{}) || o.keptBuild.old == "" {
		return false, err
	}
	dst := filepath.Join(o.tmp, filepath.FromSlash(name))
	var there fs.FileInfo
	if o.recycled {
		// The build before last's folder, written over: a page unchanged
		// since then is there already, the very file id names, which need
		// not be looked for in the output (most pages of a rebuild).
		in, err := o.mkdir(path.Dir(name))
		if err != nil {
			o.failed.Store(true)
			return false, err
		}
		if there, err = o.keptBuild.clearStale(name, dst, in); err != nil {
			o.failed.Store(true)
			return false, err
		}
		if there != nil && idOf(there) == id && there.Mode().Perm() == o.keptBuild.mode {
			o.files.Add(1)
			o.bytes.Add(there.Size())
			return true, nil
		}
	}
	old := filepath.Join(o.keptBuild.old, filepath.FromSlash(name))
	info, err := os.Lstat(old)
	if err != nil || idOf(info) != id || info.Mode().Perm() != o.keptBuild.mode {
		return false, nil
	}
	if _, err := o.mkdir(path.Dir(name)); err != nil {
		o.failed.Store(true)
		return false, err
	}
	if there == nil || !os.SameFile(there, info) {
		os.Remove(dst) // a recycled folder's file
		o.changes.dir(filepath.Dir(dst))
		if os.Link(old, dst) != nil {
			return false, nil
		}
	}
	o.files.Add(1)
	o.bytes.Add(info.Size())
	return true, nil
}

// WriteID is Write, and returns the FileID of the file written (zero when
// it cannot be told).
func (o *Output) WriteID(name string, data []byte) (FileID, error) {
	if err := o.Write(name, data); err != nil {
		return FileID{}, err
	}
	info, err := os.Lstat(filepath.Join(o.tmp, filepath.FromSlash(name)))
	if err != nil {
		return FileID{}, nil
	}
	return idOf(info), nil
}
