// Package buildcache keeps what a build made, for the builds after it:
// one file per entry, named by its key, in a folder of the site's
// .digest/cache (or wherever --cache-dir or DIGEST_CACHE_DIR says).
//
// Keys are hashes of everything the entry was made from (see NewKey):
// what a cache holds is never looked up by name, and so never stale. The
// cache is for speed only, never trusted:
//
//   - an entry is written to a temporary file and renamed into place, so
//     a reader (another build, running at the same time) sees a whole
//     entry or none, and a killed build leaves at most a temporary file,
//     which the next Prune removes;
//   - every entry starts with a header (a magic number, its own key, the
//     length and a CRC-32C of its data): an entry that is truncated,
//     corrupt, or written for another key is a miss, and is written again;
//   - a folder for the program's version and the site's settings (a
//     variant): entries of another version or settings are never read.
//
// Prune, after a successful build, removes the entries of the variant that
// the build neither read nor wrote (those of deleted or edited articles),
// and the variants beyond the most recently used few, so the cache's size
// follows the site's. It removes only files and folders named as the cache
// names them.
package buildcache

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Key names an entry: a SHA-256 of what the entry was made from.
type Key [sha256.Size]byte

// NewKey hashes parts into a key. Each part is prefixed with its length,
// so that no two lists of parts give the same key by their joins.
func NewKey(parts ...[]byte) Key {
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		binary.LittleEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write(p)
	}
	var k Key
	h.Sum(k[:0])
	return k
}

// String is the key in hexadecimal, as entries are named.
func (k Key) String() string { return hex.EncodeToString(k[:]) }

// keptVariants is how many variants (versions and settings) Prune keeps:
// the build's own and the most recently used others (the dev server's,
// say, which does not minify, or a build with --drafts).
const keptVariants = 4

// header: magic, key, length of the data, CRC-32C of the data.
const (
	magic      = "digestc1"
	headerSize = len(magic) + sha256.Size + 8 + 4
	tmpPrefix  = ".tmp-"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Cache is one variant's folder of entries. Safe for concurrent use.
type Cache struct {
	root string // the cache's folder, holding the variants' folders
	dir  string // this variant's folder
	used sync.Map
	bufs sync.Pool // of *[]byte, for Read
	made sync.Once
	err  error
	// Entries read ahead (Prefetch), by name: a *prefetched each.
	ahead sync.Map
}

// prefetched is an entry being read ahead.
type prefetched struct {
	done chan struct{}
	data []byte
	ok   bool
}

// maxPrefetch is the largest entry Prefetch reads: a larger one would be
// held while the build needs the memory for other things.
const maxPrefetch = 64 << 20

// Prefetch starts reading the entry under k, if there is one of at most
// maxPrefetch bytes, while the caller goes on: the next Get of k returns
// it. An entry that takes most of its time to read in fresh memory (the
// search index's snapshot: 12 MB at 10,000 articles, 50 ms) is then read
// while the build does other things.
func (c *Cache) Prefetch(k Key) {
	name := k.String()
	if info, err := os.Stat(filepath.Join(c.dir, name)); err != nil || info.Size() > maxPrefetch {
		return
	}
	p := &prefetched{done: make(chan struct{})}
	if _, started := c.ahead.LoadOrStore(name, p); started {
		return
	}
	go func() {
		defer close(p.done)
		p.data, p.ok = c.get(k)
	}()
}

// Open returns the cache of variant (a hash of the program's version and
// the settings that change what is cached) under root. Nothing is
// written until the first Put.
func Open(root string, variant Key) *Cache {
	return &Cache{root: root, dir: filepath.Join(root, variant.String()[:32])}
}

// Dir is the variant's folder.
func (c *Cache) Dir() string { return c.dir }

// Unfetch lets go of what Prefetch read, or is reading, of the entry
// under k, when it turns out not to be needed.
func (c *Cache) Unfetch(k Key) { c.ahead.Delete(k.String()) }

// Get returns the data stored under k, or false when there is none or
// what is there is not a whole, intact entry for k.
func (c *Cache) Get(k Key) ([]byte, bool) {
	if v, ok := c.ahead.LoadAndDelete(k.String()); ok {
		p := v.(*prefetched)
		<-p.done
		return p.data, p.ok
	}
	return c.get(k)
}

func (c *Cache) get(k Key) ([]byte, bool) {
	name := k.String()
	// Read whole, into memory of its size: an entry of megabytes (a
	// page record, the search index's snapshot) grown into a buffer and
	// then copied cost more than reading it.
	raw, err := os.ReadFile(filepath.Join(c.dir, name))
	if err != nil {
		return nil, false
	}
	data, ok := unwrap(k, raw)
	if !ok {
		return nil, false
	}
	c.used.Store(name, true)
	return data, true
}

// Read calls use with the data stored under k, and reports true when
// there was a whole, intact entry for k and use returned nil. The data is
// read into a buffer kept for the next Read: it is valid only until use
// returns (a build reads every article's entry once, and keeping each
// one's buffer was a gigabyte of garbage at 100,000 articles).
func (c *Cache) Read(k Key, use func(data []byte) error) bool {
	name := k.String()
	bp, _ := c.bufs.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	defer c.bufs.Put(bp)
	raw, err := readInto(filepath.Join(c.dir, name), *bp)
	*bp = raw[:0]
	if err != nil {
		return false
	}
	data, ok := unwrap(k, raw)
	if !ok || use(data) != nil {
		return false
	}
	c.used.Store(name, true)
	return true
}

// readInto reads the file at name into buf, grown as needed.
func readInto(name string, buf []byte) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return buf[:0], err
	}
	defer f.Close()
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// unwrap checks an entry's header and returns its data.
func unwrap(k Key, raw []byte) ([]byte, bool) {
	if len(raw) < headerSize || string(raw[:len(magic)]) != magic {
		return nil, false
	}
	rest := raw[len(magic):]
	if !bytes.Equal(rest[:len(k)], k[:]) {
		return nil, false
	}
	rest = rest[len(k):]
	n := binary.LittleEndian.Uint64(rest)
	sum := binary.LittleEndian.Uint32(rest[8:])
	data := rest[12:]
	if uint64(len(data)) != n || crc32.Checksum(data, castagnoli) != sum {
		return nil, false
	}
	return data, true
}

// Keep keeps the entry under k, if there is one, from Prune, as if it
// had been read.
func (c *Cache) Keep(k Key) { c.used.Store(k.String(), true) }

// Put stores data under k. A cache that cannot be written is no cache:
// the error is returned for tests and reports, and the build goes on.
func (c *Cache) Put(k Key, data []byte) error {
	return c.PutFunc(k, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// PutFunc stores under k what write writes, as it writes it: an entry of
// a hundred megabytes (the search index's snapshot of a large site) need
// not be held in memory whole. An error of write's is PutFunc's, and
// nothing is stored.
func (c *Cache) PutFunc(k Key, write func(w io.Writer) error) error {
	c.made.Do(func() { c.err = os.MkdirAll(c.dir, 0o755) })
	if c.err != nil {
		return c.err
	}
	name := k.String()
	c.used.Store(name, true)
	f, err := os.CreateTemp(c.dir, tmpPrefix+name[:8]+"-*")
	if err != nil {
		return err
	}
	var head [headerSize]byte
	_, err = f.Write(head[:]) // filled in once the data is written
	cw := &countingCRC{w: bufio.NewWriterSize(f, 1<<16)}
	if err == nil {
		err = write(cw)
	}
	if err == nil {
		err = cw.w.Flush()
	}
	if err == nil {
		copy(head[:], magic)
		copy(head[len(magic):], k[:])
		binary.LittleEndian.PutUint64(head[len(magic)+len(k):], uint64(cw.n))
		binary.LittleEndian.PutUint32(head[len(magic)+len(k)+8:], cw.sum)
		_, err = f.WriteAt(head[:], 0)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(c.dir, name))
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// countingCRC passes writes on, counting and summing them.
type countingCRC struct {
	w   *bufio.Writer
	n   int64
	sum uint32
}

func (c *countingCRC) Write(b []byte) (int, error) {
	c.sum = crc32.Update(c.sum, castagnoli, b)
	c.n += int64(len(b))
	return c.w.Write(b)
}

// Prune removes the entries of this variant that were neither read nor
// written since Open, temporary files left by killed builds, and the
// folders of all but the keptVariants most recently used variants.
func (c *Cache) Prune() error {
	entries, err := os.ReadDir(c.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if _, used := c.used.Load(name); used || !ours(name) || name == logFile || name == logIndexFile {
			continue
		}
		if strings.HasPrefix(name, tmpPrefix) && !stale(e) {
			continue // another build's, being written
		}
		if err := os.Remove(filepath.Join(c.dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	now := time.Now()
	os.Chtimes(c.dir, now, now) // the variant's last use
	errs = append(errs, c.pruneVariants())
	return errors.Join(errs...)
}

// stale reports whether a temporary file is old enough to be a killed
// build's, not one being written.
func stale(e fs.DirEntry) bool {
	info, err := e.Info()
	return err == nil && time.Since(info.ModTime()) > time.Hour
}

// ours reports whether name is what the cache names an entry or its
// temporary file.
func ours(name string) bool {
	if name == logFile || name == logIndexFile {
		return true
	}
	name, tmp := strings.CutPrefix(name, tmpPrefix)
	if tmp {
		name, _, _ = strings.Cut(name, "-")
		return len(name) == 8 && isHex(name)
	}
	return len(name) == 2*sha256.Size && isHex(name)
}

func isHex(s string) bool {
	for i := range len(s) {
		if !strings.ContainsRune("0123456789abcdef", rune(s[i])) {
			return false
		}
	}
	return true
}

// pruneVariants removes the folders of the least recently used variants
// beyond keptVariants: their entries, then the folder if nothing else is
// in it.
func (c *Cache) pruneVariants() error {
	dirs, err := os.ReadDir(c.root)
	if err != nil {
		return err
	}
	type variant struct {
		path string
		used time.Time
	}
	var vs []variant
	for _, d := range dirs {
		if !d.IsDir() || len(d.Name()) != 32 || !isHex(d.Name()) {
			continue
		}
		info, err := d.Info()
		if err != nil {
			continue
		}
		vs = append(vs, variant{filepath.Join(c.root, d.Name()), info.ModTime()})
	}
	slices.SortFunc(vs, func(a, b variant) int { return b.used.Compare(a.used) })
	var errs []error
	for _, v := range vs[min(len(vs), keptVariants):] {
		if v.path == c.dir {
			continue
		}
		errs = append(errs, removeVariant(v.path))
	}
	return errors.Join(errs...)
}

// removeVariant removes a variant's entries, and its folder once empty.
func removeVariant(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if ours(e.Name()) && e.Type().IsRegular() {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	if err := os.Remove(dir); err != nil && !errors.Is(err, fs.ErrExist) && !isNotEmpty(err) {
		return err
	}
	return nil
}

func isNotEmpty(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "not empty")
}

// ProgramKey identifies the running program, so that a cache is never
// read by another build of digest, released or not (the dev server's and
// the tests' included): the Go build ID of its executable, which the go
// command derives from the program's inputs and, in its last part, from
// the linked binary itself; or, where there is no such ID (an executable
// that is not ELF, or linked with -buildid= set by hand, as some
// packagers do), a hash of the whole executable. On Linux the executable
// is the running one (/proc/self/exe), even if a new digest has since
// been installed over its path.
func ProgramKey() (Key, error) {
	exe := "/proc/self/exe"
	if _, err := os.Stat(exe); err != nil {
		if exe, err = os.Executable(); err != nil {
			return Key{}, err
		}
	}
	if id := goBuildID(exe); id != nil {
		return NewKey([]byte("go build id"), id), nil
	}
	f, err := os.Open(exe)
	if err != nil {
		return Key{}, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return Key{}, err
	}
	var k Key
	h.Sum(k[:0])
	return k, nil
}

// goBuildID returns the build ID the go command writes in an ELF
// executable's .note.go.buildid, or nil when there is none of the form
// it writes: four parts (action and content hashes) separated by
// slashes, the last a hash of the binary.
func goBuildID(exe string) []byte {
	f, err := elf.Open(exe)
	if err != nil {
		return nil
	}
	defer f.Close()
	s := f.Section(".note.go.buildid")
	if s == nil {
		return nil
	}
	data, err := s.Data()
	// The note: name size, description size, type, "Go\x00\x00", then
	// the ID.
	if err != nil || len(data) < 16 || string(data[12:16]) != "Go\x00\x00" {
		return nil
	}
	size := binary.LittleEndian.Uint32(data[4:])
	if uint64(size) > uint64(len(data)-16) {
		return nil
	}
	id := data[16 : 16+size]
	parts := strings.Split(string(id), "/")
	if len(parts) != 4 {
		return nil
	}
	for _, p := range parts {
		if len(p) < 16 {
			return nil
		}
	}
	return id
}
