//go:build !linux

package publish

import "io/fs"

// stampOf is no stamp: without a change time that cannot be set back, a
// folder's listing is not recorded, and every folder is listed (see
// listing.go).
func stampOf(fs.FileInfo) dirStamp { return dirStamp{} }

// fileNumbers tells no numbers here.
func fileNumbers(fs.FileInfo) (dev, ino uint64, ok bool) { return 0, 0, false }
