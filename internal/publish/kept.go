package publish

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/digest-ssg/digest/internal/parallel"
)

// keptBuild is what a build reuses of the builds before it. A file whose
// bytes are the same as in the output folder is not written again but
// linked to the old one, so it keeps its modification time and sync
// tools (rsync, object-store uploads) send only what changed. A build
// written over the build before last (recycled, see Kept) brings that
// folder up to date: what is in the way of this build is cleared as it
// writes, and what it does not write is swept away before the swap.
type keptBuild struct {
	old      string      // the output folder to link unchanged files from, "" if there is none
	dir      string      // the folder this build is written into
	recycled bool        // whether dir is the build before last
	mode     fs.FileMode // the permissions of a file this build writes
	dirs     sync.Map    // folders this build made, or found, in dir: *dirState
	dirMu    sync.Mutex
	dirList  []namedDir // dirs, in the order they came: the sweep and the record go through them
	written  sync.Map   // names written into a recycled dir
	repair   sync.Mutex
	readBufs sync.Pool // of *[]byte, for holds
	changes  changes   // what this build changed in dir, to flush (see flush.go)

	// The record of what a recycled folder's folders held (listing.go).
	store      Store
	final      string               // the output folder, which names records
	began      int64                // when the build began, by the clock of dir's file system
	listed     map[string]listedDir // the recycled folder's record, by folder, once listedRead
	listedRead chan struct{}        // closed once listed is read; nil when there is none to read
	incomplete atomic.Bool          // a name written was not noted: record nothing
	listing    sync.WaitGroup       // the record being written
	dirsRead   atomic.Int64         // folders the sweep listed
}

// dirState is what a build knows of one of its folders.
type dirState struct {
	stamp dirStamp // as the build found it, before writing in it; zero if it made it
	made  bool     // made by this build: what it holds, the build wrote
	mu    sync.Mutex
	names []string // what a recycled build wrote in it: files and folders
}

// wrote is whether the build noted name in the folder (see noteName),
// once it has written all: a look through the names of a small folder, a
// set for a large one.
func (st *dirState) wrote() func(name string) bool {
	if len(st.names) <= 16 {
		return func(name string) bool { return slices.Contains(st.names, name) }
	}
	set := make(map[string]bool, len(st.names))
	for _, n := range st.names {
		set[n] = true
	}
	return func(name string) bool { return set[name] }
}

// namedDir is a folder of this build, with its path.
type namedDir struct {
	name string
	st   *dirState
}

// addDir notes a folder of this build, in the folder parent (nil: the
// top): found with stamp, or made. It returns the folder's state.
func (k *keptBuild) addDir(dir string, parent *dirState, stamp dirStamp, made bool) *dirState {
	st := &dirState{stamp: stamp, made: made}
	if v, found := k.dirs.LoadOrStore(dir, st); found {
		return v.(*dirState)
	}
	k.dirMu.Lock()
	k.dirList = append(k.dirList, namedDir{dir, st})
	k.dirMu.Unlock()
	if k.recycled {
		k.noteName(parent, dir)
	}
	return st
}

// allDirs is every folder of this build, once it has written all.
func (k *keptBuild) allDirs() []namedDir {
	k.dirMu.Lock()
	defer k.dirMu.Unlock()
	return k.dirList
}

// noteName notes name as written in its folder, whose state is st (nil
// for the top), for the folder's record.
func (k *keptBuild) noteName(st *dirState, name string) {
	if st == nil {
		if path.Dir(name) != "." {
			k.incomplete.Store(true)
		}
		return // the top is never recorded: the marker rewritten changes it
	}
	st.mu.Lock()
	st.names = append(st.names, path.Base(name))
	st.mu.Unlock()
}

// reuse readies dst, where name is to be written, and links the old
// output's copy there if its bytes are data. It reports whether the file
// is in place.
func (k *keptBuild) reuse(name, dst string, in *dirState, data []byte) (bool, error) {
	var there fs.FileInfo // what a recycled folder holds at dst
	if k.recycled {
		var err error
		if there, err = k.clearStale(name, dst, in); err != nil {
			return false, err
		}
	}
	return k.old != "" && k.linkUnchanged(name, dst, data, there), nil
}

// reclaimDir makes sure that what a recycled folder holds where this
// build needs a folder is a folder, not a file or a link left from the
// build before last, and one it may write in. A file this build wrote
// there stays: the clash fails the write, as it does in a fresh folder.
func (k *keptBuild) reclaimDir(dir, p string) error {
	k.repair.Lock()
	defer k.repair.Unlock()
	info, err := os.Lstat(p)
	if err != nil {
		return err
	}
	if info.IsDir() {
		return writable(p, info)
	}
	if _, ours := k.written.Load(dir); ours {
		return fs.ErrExist
	}
	if err := os.Remove(p); err != nil {
		return err
	}
	k.changes.dir(filepath.Dir(p))
	k.changes.dir(p)
	return os.Mkdir(p, 0o755)
}

// clearStale readies a recycled folder for name, the first time it is
// written (in: the state of its folder, nil for the top): a folder left
// there by the build before last goes, and what is there is returned. A
// file stays, for linkUnchanged or writeExclusive to keep or replace.
func (k *keptBuild) clearStale(name, dst string, in *dirState) (fs.FileInfo, error) {
	if _, again := k.written.LoadOrStore(name, true); again {
		return nil, nil
	}
	k.noteName(in, name)
	info, err := os.Lstat(dst)
	if err != nil {
		return nil, nil
	}
	if !info.IsDir() {
		return info, nil
	}
	if _, ours := k.dirs.Load(name); ours {
		return nil, nil // a clash within this build: writing fails as it would in a fresh folder
	}
	k.changes.dir(filepath.Dir(dst))
	return nil, removeAll(dst)
}

// sweep removes from a recycled folder what this build did not write:
// the pages, files and folders that the build before last had and this
// one has not. Each folder of this build is listed on its own, on every
// CPU (a site has a folder per article: listing ten thousand of them one
// after the other took a sixth of a one-article rebuild): what it holds
// that this build did not write goes, a folder of this build's is listed
// in its turn, and any other folder goes whole.
func (k *keptBuild) sweep() error {
	k.waitListed()
	dirs := append([]namedDir{{".", nil}}, k.allDirs()...)
	errs := make([]error, len(dirs))
	parallel.For(context.Background(), len(dirs), 2*runtime.GOMAXPROCS(0), func(i int) {
		errs[i] = k.sweepDir(dirs[i].name, dirs[i].st)
	})
	return errors.Join(errs...)
}

// sweepDir removes what the folder dir of this build (st: its state; nil
// for the top) holds that the build did not write.
func (k *keptBuild) sweepDir(dir string, st *dirState) error {
	p := filepath.Join(k.dir, filepath.FromSlash(dir))
	if st != nil && st.made {
		return nil // nothing in it but what the build wrote
	}
	if names, ok := k.listedNames(dir, st); ok {
		// As recorded, and unchanged since but by this build, which
		// only wrote what it keeps: what it wrote there, it noted in the
		// folder's state, unless a name went unnoted.
		if k.incomplete.Load() {
			for _, name := range names {
				if err := k.sweepName(dir, p, name, false, true); err != nil {
					return err
				}
			}
			return nil
		}
		wrote := st.wrote()
		for _, name := range names {
			if !wrote(name) {
				k.changes.dir(p)
				if err := removeAll(filepath.Join(p, name)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	k.dirsRead.Add(1)
	entries, err := os.ReadDir(p)
	if err != nil {
		if info, serr := os.Lstat(p); serr == nil && !info.IsDir() {
			// A file this build wrote where it then wanted a folder: the
			// write into the folder failed (a clash, see clashes).
			return nil
		}
		return err
	}
	for _, e := range entries {
		if err := k.sweepName(dir, p, e.Name(), e.IsDir(), false); err != nil {
			return err
		}
	}
	return nil
}

// sweepName removes name from the folder dir (at p) unless this build
// wrote it: a file it wrote, or one of its folders. A name from a
// folder's record (listed) is either, by this build's making: a folder
// where the build wanted a file, or a file where it wanted a folder, was
// cleared as it wrote.
func (k *keptBuild) sweepName(dir, p, name string, isDir, listed bool) error {
	rel := path.Join(dir, name)
	if rel == Marker {
		return nil
	}
	_, folder := k.dirs.Load(rel)
	_, file := k.written.Load(rel)
	if folder && (isDir || listed) || file && (!isDir || listed) {
		return nil
	}
	k.changes.dir(p)
	if isDir || listed {
		return removeAll(filepath.Join(p, name))
	}
	return os.Remove(filepath.Join(p, name))
}

// clashes fails a recycled build that wrote a file and a folder by one
// name. In a fresh folder the second of the two writes fails; over a
// kept build, where one of them may find the other's name already there
// and clear it as stale, both can succeed.
func (k *keptBuild) clashes() error {
	for _, d := range k.allDirs() {
		if _, both := k.written.Load(d.name); both {
			return fmt.Errorf("cannot write %s: it is both a file and a folder of the site", d.name)
		}
	}
	return nil
}

// linkUnchanged links the previous build's copy of a file into the new
// build when its bytes are the same. there is what a recycled folder
// already holds at dst: if it is that very file, it stays as it is.
func (k *keptBuild) linkUnchanged(name, dst string, data []byte, there fs.FileInfo) bool {
	old := filepath.Join(k.old, filepath.FromSlash(name))
	info, err := os.Lstat(old)
	if err != nil || !info.Mode().IsRegular() || info.Size() != int64(len(data)) {
		return false
	}
	if info.Mode().Perm() != k.mode {
		return false // made read-only, say: a file of this build would not be
	}
	if !k.holds(old, data) {
		return false
	}
	if there != nil && os.SameFile(there, info) {
		return true
	}
	os.Remove(dst) // a name written twice, or a recycled folder's file
	k.changes.dir(filepath.Dir(dst))
	if os.Link(old, dst) != nil {
		return false
	}
	return true
}

// holds reports whether the file name holds exactly data. It reads into
// a buffer kept for the next call: a rebuild reads the whole previous
// output, and fresh buffers for it were most of what a 100,000-article
// rebuild allocated beyond a first build.
func (k *keptBuild) holds(name string, data []byte) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	bp, _ := k.readBufs.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	defer k.readBufs.Put(bp)
	if cap(*bp) < len(data)+1 {
		*bp = make([]byte, len(data)+1)
	}
	buf := (*bp)[:len(data)+1]
	n, err := io.ReadFull(f, buf)
	// All of data and not a byte more: ReadFull stops short at the end.
	return n == len(data) && errors.Is(err, io.ErrUnexpectedEOF) && bytes.Equal(buf[:n], data) ||
		n == 0 && len(data) == 0 && errors.Is(err, io.EOF)
}
