package publish

import (
	"encoding/binary"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/digest-ssg/digest/internal/varbin"
)

// Folders listed once, not at every build.
//
// A build written over the build before last (recycled) removes what that
// build had and this one has not: it used to list every folder for it, one
// per article, which was a third of a one-article rebuild of a large site.
// With a Store (the build cache), a recycled build records, once swept,
// the names each of its folders holds, and the folder's stamp (its inode,
// modification and change times) when the build did not change the folder
// itself. Two builds later, written over again, a folder whose stamp is
// the recorded one holds just those names: making, removing or renaming
// anything in it, by anyone, would have changed its stamp (a change time
// cannot be set back). Only the folders whose stamp differs, or has none
// recorded, are listed.
//
// File systems keep times in ticks (milliseconds, or a second or two), and
// a change in the tick of a stamp would not show; a stamp is recorded only
// when older than the marker the build rewrote as it began (as Git does
// with its index), so anything that changes the folder later does so at a
// later tick. A folder with no stamp, or whose record cannot be read, is
// listed: the record is for speed only, never trusted beyond its stamps.

// Store keeps data between builds under string keys: the build cache. A
// key read or written is kept by the store's clean-up (see Options). It
// must be safe for concurrent use: a build reads and writes records while
// it goes on, and waits for them before Commit or Abort returns.
type Store interface {
	Get(key string) ([]byte, bool)
	Put(key string, data []byte)
	Keep(key string)
}

// dirStamp tells a folder from any other, and from itself once anything
// was made, removed or renamed in it. The zero dirStamp is no stamp.
type dirStamp struct {
	ino          uint64
	mtime, ctime int64 // nanoseconds since 1970
}

// listedDir is what a recycled build's record says one of its folders held.
type listedDir struct {
	stamp dirStamp
	names []string
}

// listingKey is the key of the record of the folder dir, a build of the
// output final: by its place and its inode, which stay as builds swap.
func listingKey(final, dir string) (string, bool) {
	info, err := os.Lstat(dir)
	if err != nil || !info.IsDir() {
		return "", false
	}
	dev, ino, ok := fileNumbers(info)
	if !ok {
		return "", false
	}
	return "output folder\x00" + final + "\x00" + strconv.FormatUint(dev, 10) + "\x00" + strconv.FormatUint(ino, 10), true
}

// readListing readies a build: the output, which the build after this one
// writes over, keeps its record, and a recycled folder's record is read
// (while the build goes on: only the sweep needs it), with the time the
// build began (the modification time of the marker it rewrote), which
// the stamps it records must be older than.
func (k *keptBuild) readListing(store Store, final string) {
	if store == nil {
		return
	}
	k.store, k.final = store, final
	if key, ok := listingKey(final, final); ok {
		store.Keep(key)
	}
	if !k.recycled {
		return
	}
	marker, err := os.Lstat(filepath.Join(k.dir, Marker))
	if err != nil {
		return
	}
	k.began = marker.ModTime().UnixNano()
	key, ok := listingKey(final, k.dir)
	if !ok {
		return
	}
	k.listedRead = make(chan struct{})
	go func() {
		defer close(k.listedRead)
		if data, ok := store.Get(key); ok {
			k.listed = decodeListing(data)
		}
	}()
}

// waitListed waits for the recycled folder's record to be read.
func (k *keptBuild) waitListed() {
	if k.listedRead != nil {
		<-k.listedRead
	}
}

// listedNames is what the folder dir holds by its record, if its stamp,
// as this build found it, is the recorded one. The sweep calls it, once
// the record is read.
func (k *keptBuild) listedNames(dir string, st *dirState) ([]string, bool) {
	l, ok := k.listed[dir]
	if !ok || st == nil {
		return nil, false
	}
	return l.names, st.stamp != (dirStamp{}) && st.stamp == l.stamp
}

// writeListing records, once the recycled folder is swept, what each of
// its folders holds (the files this build wrote and its folders) with the
// stamp of each folder this build found and did not change, if older
// than the build. Other folders are left out: the build that next writes
// over this folder lists them. The record is written while the build is
// flushed and swapped in; waitListing waits for it.
func (k *keptBuild) writeListing() {
	if k.store == nil || !k.recycled || k.began == 0 || k.incomplete.Load() {
		return
	}
	key, ok := listingKey(k.final, k.dir)
	if !ok {
		return
	}
	changed := map[string]bool{}
	for p := range k.changes.changedDirs() {
		if rel, err := filepath.Rel(k.dir, p); err == nil {
			changed[filepath.ToSlash(rel)] = true
		}
	}
	k.listing.Go(func() {
		dirs := k.allDirs()
		list := make([]listedEntry, 0, len(dirs))
		for _, d := range dirs {
			s := d.st.stamp
			if s == (dirStamp{}) || changed[d.name] || s.mtime >= k.began || s.ctime >= k.began {
				continue
			}
			list = append(list, listedEntry{d.name, listedDir{s, d.st.names}})
		}
		k.store.Put(key, encodeListing(list))
	})
}

// waitListing waits for the record writeListing is writing.
func (k *keptBuild) waitListing() { k.listing.Wait() }

// listedEntry is one folder of a record.
type listedEntry struct {
	dir string
	listedDir
}

// encodeListing writes a record: the folders in order, each as the length
// of the part of its name shared with the one before and the rest, its
// stamp, and its names.
func encodeListing(list []listedEntry) []byte {
	slices.SortFunc(list, func(a, b listedEntry) int { return strings.Compare(a.dir, b.dir) })
	var data []byte
	data = binary.AppendUvarint(data, uint64(len(list)))
	prev := ""
	for _, l := range list {
		d := l.dir
		shared := 0
		for shared < len(prev) && shared < len(d) && prev[shared] == d[shared] {
			shared++
		}
		data = binary.AppendUvarint(data, uint64(shared))
		data = varbin.AppendString(data, d[shared:])
		data = binary.AppendUvarint(data, l.stamp.ino)
		data = binary.AppendVarint(data, l.stamp.mtime)
		data = binary.AppendVarint(data, l.stamp.ctime)
		data = binary.AppendUvarint(data, uint64(len(l.names)))
		for _, n := range l.names {
			data = varbin.AppendString(data, n)
		}
		prev = d
	}
	return data
}

// decodeListing reads a record; nil if it does not read whole.
func decodeListing(data []byte) map[string]listedDir {
	r := varbin.NewReader(data)
	n := r.Count()
	list := make(map[string]listedDir, n)
	prev := ""
	for i := uint64(0); i < n && r.OK(); i++ {
		shared := r.Uvarint()
		if shared > uint64(len(prev)) {
			return nil
		}
		d := prev[:shared] + r.String()
		if !fs.ValidPath(d) {
			return nil
		}
		var l listedDir
		l.stamp.ino = r.Uvarint()
		l.stamp.mtime = r.Varint()
		l.stamp.ctime = r.Varint()
		l.names = make([]string, r.Count())
		for j := range l.names {
			// One name each, not a path: a record never leads the
			// sweep out of its folder.
			if l.names[j] = r.String(); !fs.ValidPath(l.names[j]) || l.names[j] == "." || strings.Contains(l.names[j], "/") {
				return nil
			}
		}
		list[d] = l
		prev = d
	}
	if !r.OK() || len(r.Rest()) != 0 {
		return nil
	}
	return list
}
