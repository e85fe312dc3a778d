package publish

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/digest-ssg/digest/internal/parallel"
)

// A build is made durable before it is swapped in, so that a power cut
// cannot leave empty pages behind. A build that changed few files and
// folders (a rebuild after a small edit, which keeps the other pages as
// hard links to files made durable by the build that wrote them) flushes
// just those: each file it wrote, then each folder whose entries it
// changed (an fsync each). Any other build flushes the whole file system
// at once (syncTree: one syncfs(2) on Linux), which also waits for every
// other program's unwritten data.
//
// An fsync costs about 2 ms here whatever else is waiting (the journal
// commits once per call, so doing several at once does not help), and a
// syncfs 30 ms on a quiet disk, 110 ms with 64 MB of another program's
// data waiting, and seconds on a busy machine: 1,000 files flushed one by
// one took 1.7–2.0 s against 31–107 ms (BenchmarkFlush). Hence the
// limit: below it, the fsyncs cost less than a syncfs of a quiet disk.

// maxEachFile is the most files and folders a build flushes one by one.
const maxEachFile = 16

// changes is what a build changed in its folder.
type changes struct {
	mu    sync.Mutex
	files []string        // files written, new inodes
	dirs  map[string]bool // folders whose entries changed
	many  atomic.Bool     // past maxEachFile files: flush the whole file system
}

// file notes a file written at p.
func (c *changes) file(p string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dirLocked(filepath.Dir(p))
	if len(c.files) >= maxEachFile {
		c.many.Store(true)
		return
	}
	c.files = append(c.files, p)
}

// dir notes a folder whose entries changed: a file or folder made,
// linked, renamed or removed in it.
func (c *changes) dir(p string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dirLocked(p)
}

func (c *changes) dirLocked(p string) {
	if c.dirs == nil {
		c.dirs = map[string]bool{}
	}
	c.dirs[p] = true
}

// changedDirs is the folders whose entries changed.
func (c *changes) changedDirs() map[string]bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dirs
}

// flush makes what changed in dir durable: the files and folders noted,
// or, past maxEachFile files or when early flushes of the whole file
// system were made (see Output.write), the whole of it.
func (c *changes) flush(dir string, early bool) error {
	if early || c.many.Load() || len(c.files)+len(c.dirs) > maxEachFile {
		return syncTree(dir)
	}
	// Files first, then the folders that name them.
	if err := syncEach(c.files); err != nil {
		return err
	}
	dirs := make([]string, 0, len(c.dirs))
	for d := range c.dirs {
		dirs = append(dirs, d)
	}
	return syncEach(dirs)
}

// syncEach fsyncs each path, a few at a time: the disk takes several
// at once.
func syncEach(paths []string) error {
	errs := make([]error, len(paths))
	parallel.For(context.Background(), len(paths), 4*runtime.GOMAXPROCS(0), func(i int) {
		f, err := os.Open(paths[i])
		if err != nil {
			errs[i] = err
			return
		}
		errs[i] = f.Sync()
		if err := f.Close(); errs[i] == nil {
			errs[i] = err
		}
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
