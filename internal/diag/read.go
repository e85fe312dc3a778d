package diag

import (
	"errors"
	"io/fs"
)

// CannotRead is the problem of a file or folder of the site that could not
// be read (file is its slash path from the site root), with the way out
// when it is a matter of permissions:
//
//	content/2026/a.md: cannot read: permission denied (give the user running digest read access to it, e.g. chmod a+r content/2026/a.md)
func CannotRead(file string, isDir bool, err error) *Error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the position names the file
	}
	if !errors.Is(err, fs.ErrPermission) {
		return Errorf(Pos{File: file}, "cannot read: %v", err)
	}
	mode := "a+r"
	if isDir {
		mode = "-R a+rX"
	}
	return Errorf(Pos{File: file}, "cannot read: %v (give the user running digest read access to it, e.g. chmod %s %s)", err, mode, file)
}
