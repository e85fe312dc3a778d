// Package publish writes a built site to its output folder safely: every
// file goes into a sibling folder first, and only a complete build
// replaces the old output, in one atomic swap. A failed or killed build
// leaves the previous output exactly as it was. It refuses output folders
// that would endanger the site (see CheckOutput). It writes the bytes it
// is given: minifying is the pipeline's (internal/minify).
//
// The output it replaces is kept beside it (.build.prev for build/), and
// the next build is written over that one: most of its folders and files
// are already there, so a build of a large site makes and deletes few of
// them. Files whose bytes are unchanged are hard links to the output's.
//
// Every build's marker file records how many articles it published
// (Record), and the next build may refuse to replace it (Options.Accept)
// before anything is written.
package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
)

// Output is an output folder being written.
//
// A file whose bytes are the same as in the previous build is not written
// again but linked to the old one, so it keeps its modification time and
// sync tools (rsync, object-store uploads) send only what changed.
type Output struct {
	final  string // the output folder
	shown  string // the output folder as the user named it, for messages
	tmp    string // where this build is written: a fresh folder, or Kept (recycled)
	unlock func()
	files  atomic.Int64
	bytes  atomic.Int64
	keep   bool        // whether to keep the old output for the next build (exactNames)
	failed atomic.Bool // a write failed: Abort discards a recycled tmp

	// What this build reuses of the builds before it: the output's
	// unchanged files, and, when recycled, the kept build it writes over.
	keptBuild

	// Flushing starts while the build goes on, so that the flush before
	// the swap has little left to wait for.
	unflushed atomic.Int64 // bytes written since the last flush began
	flushing  atomic.Bool
	flushed   sync.WaitGroup
	// flushedEarly: the whole file system was flushed while the build
	// went on, so the last flush is of the whole file system too.
	flushedEarly atomic.Bool
}

// flushEvery is how many bytes are written between early flushes.
const flushEvery = 32 << 20

// Begin checks the output folder, waits for any other build into it to
// finish, removes what killed builds left behind, and opens a fresh
// temporary folder beside it.
func Begin(siteRoot, out string) (*Output, error) {
	return BeginWith(siteRoot, out, Options{})
}

// BeginWith is Begin for a build that records what opt.Record says in its
// marker, and that replaces the output only if opt.Accept accepts what the
// output's marker records.
func BeginWith(siteRoot, out string, opt Options) (*Output, error) {
	if err := CheckOutput(siteRoot, out); err != nil {
		return nil, err
	}
	// An output folder reached through a symbolic link (build -> /srv/www)
	// is replaced where it really is, and the link keeps pointing at it.
	final, err := realPath(out)
	if err != nil {
		return nil, err
	}
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			parent = filepath.Dir(pe.Path) // where the missing folder goes
		}
		return nil, cannotWrite(out, parent, err)
	}
	unlock, err := lockDir(parent)
	if err != nil {
		return nil, cannotWrite(out, parent, err)
	}
	o := &Output{final: final, shown: out, unlock: unlock}
	if err := o.begin(opt); err != nil {
		unlock()
		return nil, err
	}
	return o, nil
}

func (o *Output) begin(opt Options) error {
	recoverSwap(o.final)
	// A build that waited for the lock checks again: the folder may have
	// changed (or come back from a swap).
	if err := checkContents(o.final, o.final); err != nil {
		return err
	}
	if opt.Accept != nil {
		if err := opt.Accept(readRecord(o.final)); err != nil {
			return err
		}
	}
	removeLeftovers(o.final)
	if info, err := os.Stat(o.final); err == nil && info.IsDir() {
		o.keptBuild.old = o.final
	}
	kept := Kept(o.final)
	if isBuild(kept) {
		if os.Chmod(kept, 0o755) == nil && exactNames(kept) && rewriteMarker(kept, opt.Record) == nil {
			o.keptBuild.changes.file(filepath.Join(kept, Marker))
			o.tmp, o.keep = kept, true
			o.keptBuild.dir, o.keptBuild.recycled = kept, true
			o.keptBuild.mode = newFileMode(kept)
			o.keptBuild.readListing(opt.Listings, o.final)
			return nil
		}
		discard(kept, o.final) // of no use: not ours to write, or not here
	} else {
		removeEmptyDir(kept) // an empty folder holding the name
	}
	// .build.tmp-*, which removeLeftovers takes for a killed build's.
	parent := filepath.Dir(o.final)
	tmp, err := os.MkdirTemp(parent, filepath.Base(sibling(o.final, ".tmp-")))
	if err != nil {
		return cannotWrite(o.shown, parent, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return cannotWrite(o.shown, parent, err)
	}
	o.tmp, o.keptBuild.dir = tmp, tmp
	if err := os.WriteFile(filepath.Join(tmp, Marker), markerText(opt.Record), 0o644); err != nil {
		return cannotWrite(o.shown, parent, err)
	}
	o.keptBuild.changes.file(filepath.Join(tmp, Marker))
	o.keptBuild.changes.dir(parent)
	o.keep = exactNames(tmp)
	o.keptBuild.mode = newFileMode(tmp)
	o.keptBuild.readListing(opt.Listings, o.final)
	return nil
}

// newFileMode tells the permissions of a file written into dir, the
// umask taken off: those of the marker this build has just written there.
func newFileMode(dir string) fs.FileMode {
	info, err := os.Lstat(filepath.Join(dir, Marker))
	if err != nil {
		return 0o644
	}
	return info.Mode().Perm()
}

// cannotWrite says that a build cannot be written beside the output
// folder shown, in the folder where, and what to do about it.
func cannotWrite(shown, where string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is that of a temporary folder, or where
	}
	fix := "make sure " + where + " can be written, or choose another --out"
	if errors.Is(err, fs.ErrPermission) {
		fix = "give the user running digest read and write access to " + where + ", or choose another --out"
	}
	return fmt.Errorf("cannot write the output folder %s: %v (a build is written into a new folder beside it, then swapped in: %s)", shown, err, fix)
}

// sibling names a hidden folder beside the output folder final after it:
// sibling("/site/build", ".prev") is /site/.build.prev.
func sibling(final, suffix string) string {
	return filepath.Join(filepath.Dir(final), "."+filepath.Base(final)+suffix)
}

// Kept is where the output folder's previous build is kept, to be written
// over by the next build: .build.prev beside build/.
func Kept(final string) string { return sibling(final, ".prev") }

// spare is where the three-rename swap (exchangeByRename) parks the old
// output between its renames: .build.swap beside build/.
func spare(final string) string { return sibling(final, ".swap") }

// recoverSwap finishes what a three-rename swap killed half-way left.
// The old output parked at spare is removed only if the output folder is
// a build of digest's (the swap got as far as the new build); if the
// output folder is missing or an empty folder, the parked one goes back
// in its place; otherwise it stays where it is.
func recoverSwap(final string) {
	parked := spare(final)
	if !isBuild(parked) {
		removeEmptyDir(parked) // killed while removing it
		return
	}
	if isBuild(final) {
		discard(parked, final)
		return
	}
	removeEmptyDir(final)
	os.Rename(parked, final) // fails unless final is gone
}

// removeEmptyDir removes p if it is an empty folder, and nothing else: not
// a link, not a file, not a folder with anything in it.
func removeEmptyDir(p string) {
	if info, err := os.Lstat(p); err == nil && info.IsDir() {
		os.Remove(p) // fails unless empty
	}
}

// exactNames reports whether the file system holding dir keeps a name
// byte for byte and tells names apart by case, as Linux file systems do.
// A recycled folder is only swept right where they do: on a case-folding
// or normalising one (macOS, Windows), a page whose folder changed case,
// or any name with an accent, would be taken for a stale one.
func exactNames(dir string) bool {
	const probe = ".digest-names-\u00e9A" // é as one code point (NFC), and a capital
	p := filepath.Join(dir, probe)
	os.Remove(p) // a killed build's
	if err := writeExclusive(p, nil); err != nil {
		return false
	}
	defer os.Remove(p)
	for _, alias := range []string{
		".digest-names-\u00e9a",  // another case
		".digest-names-e\u0301A", // é as e and an accent (NFD)
	} {
		if _, err := os.Lstat(filepath.Join(dir, alias)); err == nil {
			return false // found under another name
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if e.Name() == probe {
			return true
		}
	}
	return false // listed under another form
}

// discard removes a build folder of digest's beside the output folder
// final. If some of it cannot be removed (a folder without write
// permission, say), what is left is renamed like a killed build's folder,
// so that it no longer holds its name, and the next builds try again to
// remove it.
func discard(dir, final string) {
	if removeBuild(dir) == nil {
		return
	}
	if _, err := os.Lstat(dir); err != nil {
		return
	}
	prefix := sibling(final, ".tmp-")
	for range 10 { // os.Rename will not replace a folder, so a new name
		err := os.Rename(dir, prefix+strconv.FormatUint(rand.Uint64(), 36))
		if !errors.Is(err, fs.ErrExist) {
			return
		}
	}
}

// isBuild reports whether dir is a folder (not a link to one) holding
// digest's marker.
func isBuild(dir string) bool {
	info, err := os.Lstat(dir)
	if err != nil || !info.IsDir() {
		return false
	}
	info, err = os.Lstat(filepath.Join(dir, Marker))
	return err == nil && info.Mode().IsRegular()
}

// removeLeftovers deletes the temporary folders of killed builds: siblings
// named like ours that hold the marker (digest writes it first and removes
// it last, so a half-written or half-removed build still has it), and
// empty ones (killed in the instant between making the folder and writing
// the marker, or between removing the marker and the folder): removing an
// empty folder loses nothing.
func removeLeftovers(final string) {
	matches, _ := filepath.Glob(sibling(final, ".tmp-*"))
	for _, m := range matches {
		info, err := os.Lstat(m) // a link by that name is not ours, nor what it points to
		switch {
		case err != nil || !info.IsDir():
		case isBuild(m):
			removeBuild(m)
		default:
			removeEmptyDir(m)
		}
	}
}

// removeBuild deletes a build folder, its marker last, so that if digest
// is killed half-way the rest is still recognisably digest's.
func removeBuild(dir string) error {
	if info, err := os.Lstat(dir); err == nil && info.IsDir() {
		writable(dir, info)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() != Marker {
			if err := removeAll(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	os.Remove(filepath.Join(dir, Marker))
	return os.Remove(dir)
}

// removeAll removes p, a file or folder in a build folder of digest's,
// and all it holds. Where a folder in it may not be written (chmod -R a-w
// took that from its owner), it gives the permission back and tries again.
func removeAll(p string) error {
	err := os.RemoveAll(p)
	if !errors.Is(err, fs.ErrPermission) {
		return err
	}
	filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() { // a folder, not a link to one
			if info, err := d.Info(); err == nil {
				writable(q, info)
			}
		}
		return nil
	})
	return os.RemoveAll(p)
}

// writable gives the owner of a folder of digest's back the permission to
// list it and write in it, if they lost it (chmod -R a-w), so that a build
// can write over it or remove it.
func writable(dir string, info fs.FileInfo) error {
	if perm := info.Mode().Perm(); perm&0o700 != 0o700 {
		return os.Chmod(dir, perm|0o700)
	}
	return nil
}

// Write stores one file of the site. name is a slash path inside the
// output folder; a path that could leave it (.., an absolute path, a
// backslash, a NUL) is refused. The folder written into is digest's own:
// freshly made, or a kept build whose every folder on the way is checked
// to be a folder, not a link, so no link inside it can lead elsewhere.
func (o *Output) Write(name string, data []byte) error {
	if err := validName(name); err != nil {
		return err
	}
	err := o.write(name, data)
	if err != nil {
		o.failed.Store(true)
	}
	return err
}

func (o *Output) write(name string, data []byte) error {
	in, err := o.mkdir(path.Dir(name))
	if err != nil {
		return err
	}
	dst := filepath.Join(o.tmp, filepath.FromSlash(name))
	o.files.Add(1)
	o.bytes.Add(int64(len(data)))
	if done, err := o.keptBuild.reuse(name, dst, in, data); done || err != nil {
		return err
	}
	if err := writeExclusive(dst, data); err != nil {
		return err
	}
	o.changes.file(dst)
	if flushEarly && o.unflushed.Add(int64(len(data))) >= flushEvery && o.flushing.CompareAndSwap(false, true) {
		o.unflushed.Store(0)
		o.flushedEarly.Store(true)
		o.flushed.Go(func() {
			defer o.flushing.Store(false)
			syncTree(o.tmp)
		})
	}
	return nil
}

// writeExclusive writes a new file. If one is already there (a name
// written twice), it is unlinked first rather than written through: it
// may be a link to the previous build's file, which must stay as it was.
func writeExclusive(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		if err := os.Remove(name); err != nil {
			return err
		}
		f, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// mkdir makes a folder of the new build and its parents, once, and
// returns its state (nil for the top).
func (o *Output) mkdir(dir string) (*dirState, error) {
	if dir == "." {
		return nil, nil
	}
	if v, done := o.dirs.Load(dir); done {
		return v.(*dirState), nil
	}
	parent, err := o.mkdir(path.Dir(dir))
	if err != nil {
		return nil, err
	}
	// The parent exists: one mkdir, not MkdirAll's stat-then-mkdir walk.
	// In a recycled folder, where most folders are there already, a look
	// first: a folder found is one call, not two.
	p := filepath.Join(o.tmp, filepath.FromSlash(dir))
	if o.recycled {
		if info, err := os.Lstat(p); err == nil && info.IsDir() {
			var stamp dirStamp // the folder as it was, unless made writable
			if info.Mode().Perm()&0o700 == 0o700 {
				stamp = stampOf(info)
			} else if err := writable(p, info); err != nil {
				return nil, err
			}
			return o.addDir(dir, parent, stamp, false), nil
		}
	}
	err = os.Mkdir(p, 0o755)
	made := err == nil
	if made {
		o.changes.dir(filepath.Dir(p))
		o.changes.dir(p)
	}
	if errors.Is(err, fs.ErrExist) && o.recycled {
		err = o.keptBuild.reclaimDir(dir, p)
	}
	if err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	return o.addDir(dir, parent, dirStamp{}, made), nil
}

// Files and Bytes count what was written so far.
func (o *Output) Files() int64 { return o.files.Load() }

// Bytes is the total size of the files written so far.
func (o *Output) Bytes() int64 { return o.bytes.Load() }

// Commit replaces the output folder with the new build in one step, and
// keeps the old output beside it for the next build to write over.
func (o *Output) Commit() error {
	defer o.unlock()
	o.flushed.Wait()
	if o.recycled {
		if err := o.keptBuild.clashes(); err != nil {
			o.abort()
			return err
		}
		if err := o.keptBuild.sweep(); err != nil {
			o.failed.Store(true)
			o.abort()
			return fmt.Errorf("cannot clear %s: %w", o.tmp, err)
		}
		o.keptBuild.writeListing()
		defer o.keptBuild.waitListing()
	}
	if err := o.changes.flush(o.tmp, o.flushedEarly.Load()); err != nil {
		o.abort()
		return err
	}
	_, err := os.Lstat(o.final)
	exchanged := err == nil
	switch {
	case errors.Is(err, fs.ErrNotExist):
		err = os.Rename(o.tmp, o.final)
	case err == nil:
		err = exchange(o.tmp, o.final, spare(o.final))
	}
	if err != nil {
		o.abort()
		if errors.Is(err, fs.ErrPermission) {
			return fmt.Errorf("cannot replace %s: %w (a finished build is swapped in by renaming folders, which needs the right to rename it: build as the user who owns it, or choose another --out)", o.final, err)
		}
		return fmt.Errorf("cannot replace %s: %w", o.final, err)
	}
	if !exchanged {
		return nil
	}
	// o.tmp holds the old output now. If it is no build of digest's (an
	// empty folder made by hand, or one a file was put into meanwhile),
	// it goes if empty and stays otherwise.
	if !isBuild(o.tmp) {
		removeEmptyDir(o.tmp)
		return nil
	}
	if o.recycled {
		return nil // it has the kept name already
	}
	// Kept if the file system keeps names exactly and the name is free.
	if _, err := os.Lstat(Kept(o.final)); !o.keep || !errors.Is(err, fs.ErrNotExist) || os.Rename(o.tmp, Kept(o.final)) != nil {
		removeBuild(o.tmp)
	}
	return nil
}

// Abort discards the new build and keeps the old output.
func (o *Output) Abort() {
	defer o.unlock()
	o.flushed.Wait()
	o.abort()
}

// abort removes a fresh folder. A recycled one, half brought up to date,
// stays for the next build to write over, unless writing into it failed:
// then the next build starts afresh, in case the fault lies in the folder
// (permissions, say).
func (o *Output) abort() {
	o.keptBuild.waitListed()
	switch {
	case !o.recycled:
		removeBuild(o.tmp)
	case o.failed.Load():
		discard(o.tmp, o.final)
	}
}

// syncEachFile flushes every file of a folder to disk, one by one.
func syncEachFile(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		return f.Sync()
	})
}
