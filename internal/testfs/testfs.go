// Package testfs has file systems for tests.
package testfs

import (
	"io/fs"
	"sync"
)

// Counting is a file system that counts the files opened (or read whole)
// through it. Stat is passed on as FS does it: for os.DirFS, without
// opening the file. Safe for concurrent use.
type Counting struct {
	FS     fs.FS
	mu     sync.Mutex
	opened map[string]int
}

// NewCounting counts the files opened in fsys.
func NewCounting(fsys fs.FS) *Counting { return &Counting{FS: fsys, opened: map[string]int{}} }

func (c *Counting) count(name string) {
	c.mu.Lock()
	c.opened[name]++
	c.mu.Unlock()
}

// Open opens name in FS, and counts it.
func (c *Counting) Open(name string) (fs.File, error) {
	c.count(name)
	return c.FS.Open(name)
}

// ReadFile reads name from FS, and counts it as one opening.
func (c *Counting) ReadFile(name string) ([]byte, error) {
	c.count(name)
	return fs.ReadFile(c.FS, name)
}

// Stat is FS's, not counted.
func (c *Counting) Stat(name string) (fs.FileInfo, error) { return fs.Stat(c.FS, name) }

// Reset returns how many times each file was opened since the last
// Reset, and starts counting again.
func (c *Counting) Reset() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	o := c.opened
	c.opened = map[string]int{}
	return o
}
