package buildcache

import (
	"encoding/binary"
	"io/fs"
	"syscall"
	"time"
)

// Stamp identifies a version of a file without reading it: its device,
// inode, size, and modification and change times, as info (from a stat of
// the file) says. It returns the stamp and the change time (ctime), which
// any write to the file moves to the clock's time and which no program
// can set back. The stamp is "" where the system does not tell these.
func Stamp(info fs.FileInfo) (stamp string, changed time.Time) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return "", time.Time{}
	}
	b := make([]byte, 0, 48)
	b = binary.LittleEndian.AppendUint64(b, uint64(st.Dev))
	b = binary.LittleEndian.AppendUint64(b, uint64(st.Ino))
	b = binary.LittleEndian.AppendUint64(b, uint64(st.Size))
	b = binary.LittleEndian.AppendUint64(b, uint64(st.Mtim.Nano()))
	b = binary.LittleEndian.AppendUint64(b, uint64(st.Ctim.Nano()))
	return string(b), time.Unix(0, st.Ctim.Nano())
}

// fileNumbers is a file's device and inode numbers.
func fileNumbers(info fs.FileInfo) (dev, ino uint64, ok bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return uint64(st.Dev), uint64(st.Ino), true
}
