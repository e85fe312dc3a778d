package publish

import (
	"io/fs"
	"syscall"
)

// stampOf is a folder's stamp (see listing.go).
func stampOf(info fs.FileInfo) dirStamp {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return dirStamp{}
	}
	return dirStamp{ino: uint64(st.Ino), mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano()}
}

// fileNumbers is a file's device and inode numbers.
func fileNumbers(info fs.FileInfo) (dev, ino uint64, ok bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return uint64(st.Dev), uint64(st.Ino), true
}
