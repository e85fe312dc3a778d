//go:build !linux

package buildcache

import (
	"io/fs"
	"time"
)

// Stamp identifies a version of a file without reading it; on this system
// it does not (see stamp_linux.go), and entries are found by key only.
func Stamp(info fs.FileInfo) (stamp string, changed time.Time) {
	return "", time.Time{}
}

// fileNumbers tells no numbers here: the log has no index (logindex.go).
func fileNumbers(fs.FileInfo) (dev, ino uint64, ok bool) { return 0, 0, false }
