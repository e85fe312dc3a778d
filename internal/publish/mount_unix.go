//go:build unix

package publish

import (
	"os"
	"path/filepath"
	"syscall"
)

// mountPoint reports whether dir is a folder on another file system than
// the folder it is in: a mount point, which cannot be renamed.
func mountPoint(dir string) bool {
	in, err := os.Stat(dir)
	if err != nil || !in.IsDir() {
		return false
	}
	parent, err := os.Stat(filepath.Dir(dir))
	if err != nil {
		return false
	}
	a, ok1 := in.Sys().(*syscall.Stat_t)
	b, ok2 := parent.Sys().(*syscall.Stat_t)
	return ok1 && ok2 && a.Dev != b.Dev
}
