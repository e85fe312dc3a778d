//go:build unix

package publish

import (
	"os"
	"path/filepath"
	"syscall"
)

// otherDevice reports whether dir is a folder on another device than the
// folder it is in.
func otherDevice(dir string) bool {
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
