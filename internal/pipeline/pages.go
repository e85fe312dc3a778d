package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"github.com/digest-ssg/digest/internal/buildcache"
	"github.com/digest-ssg/digest/internal/parallel"
	"github.com/digest-ssg/digest/internal/publish"
	"github.com/digest-ssg/digest/internal/search"
	"github.com/digest-ssg/digest/internal/site"
)

// Pages rendered only when what they are made from changed.
//
// With the build cache, a build records for every page of its output what
// the page was made from (its inputs: a hash of the templates, the
// settings, digest's version and what site.Inputs says of the page in the
// model) and which file holds it (publish.FileID: inode, size and
// modification time). The next build into the same output folder keeps a
// page whose inputs are the same and whose file is still that file: it is
// linked into the new build as it is, not rendered again. Any doubt
// renders: a page whose inputs site.Inputs cannot tell, a file changed or
// gone, a record missing or damaged (it is a cache entry: see package
// buildcache). A record is written after the swap; one left by a build
// killed before it is older, and still true, as files are never written
// through: an inode holds the bytes it was written with.

// pageRecord is what a build wrote: for each output path, the page's
// inputs and its file.
type pageRecord map[string]pageEntry

type pageEntry struct {
	inputs buildcache.Key
	file   publish.FileID
}

// recordKey names the record of the output folder out.
func recordKey(out string) buildcache.Key {
	abs, err := filepath.Abs(out)
	if err != nil {
		abs = out
	}
	return buildcache.NewKey([]byte("pages"), []byte(abs))
}

// loadRecord reads the record of the build before into out; an empty
// record when there is none or it does not read.
func loadRecord(c *buildcache.Cache, out string) pageRecord {
	data, ok := c.Get(recordKey(out))
	if !ok {
		return nil
	}
	rec := make(pageRecord, len(data)/(len(buildcache.Key{})+24+40))
	for len(data) > 0 {
		n, k := binary.Uvarint(data)
		if k <= 0 || uint64(len(data)-k) < n+uint64(len(buildcache.Key{}))+24 {
			return nil
		}
		data = data[k:]
		name := string(data[:n])
		data = data[n:]
		var e pageEntry
		copy(e.inputs[:], data)
		data = data[len(e.inputs):]
		e.file.Ino = binary.LittleEndian.Uint64(data)
		e.file.Size = int64(binary.LittleEndian.Uint64(data[8:]))
		e.file.MTime = int64(binary.LittleEndian.Uint64(data[16:]))
		data = data[24:]
		rec[name] = e
	}
	return rec
}

// saveRecord stores the record of the build just published into out.
func saveRecord(c *buildcache.Cache, out string, rec pageRecord) {
	names := make([]string, 0, len(rec))
	for name := range rec {
		names = append(names, name)
	}
	slices.Sort(names)
	data := make([]byte, 0, len(rec)*(len(buildcache.Key{})+24+40))
	for _, name := range names {
		e := rec[name]
		data = binary.AppendUvarint(data, uint64(len(name)))
		data = append(data, name...)
		data = append(data, e.inputs[:]...)
		data = binary.LittleEndian.AppendUint64(data, e.file.Ino)
		data = binary.LittleEndian.AppendUint64(data, uint64(e.file.Size))
		data = binary.LittleEndian.AppendUint64(data, uint64(e.file.MTime))
	}
	c.Put(recordKey(out), data)
	keepRecords(c, recordKey(out))
}

// keptRecords is how many output folders' records a build keeps: its
// own and those of the folders most recently built before it (a preview
// folder beside build/, say), which it does not read.
const keptRecords = 4

// recordsKey names the list of the output folders whose records are kept.
var recordsKey = buildcache.NewKey([]byte("page records"))

// keepRecords puts the record k first in the list of kept records, and
// keeps the others of the list from Prune: a build into one folder does
// not prune the record of a build into another.
func keepRecords(c *buildcache.Cache, k buildcache.Key) {
	list := []buildcache.Key{k}
	if data, ok := c.Get(recordsKey); ok {
		for ; len(data) >= len(k) && len(list) < keptRecords; data = data[len(k):] {
			if other := buildcache.Key(data[:len(k)]); other != k {
				list = append(list, other)
			}
		}
	}
	data := make([]byte, 0, len(list)*len(k))
	for _, other := range list {
		c.Keep(other)
		data = append(data, other[:]...)
	}
	c.Put(recordsKey, data)
}

// pagePlan is what a build knows of its pages before rendering them:
// their inputs, and the record of the build before.
type pagePlan struct {
	global buildcache.Key // the templates, settings and version
	static buildcache.Key // the files of static/, which emails read
	before pageRecord
	mu     sync.Mutex
	after  pageRecord
	kept   int             // pages kept as they were
	early  map[string]bool // pages kept before the others were written (keepSearch)
	// search is the index edited from the snapshot of a build whose
	// search meta file had the inputs searchFrom (see keepUntouchedShard);
	// nil when the index was made anew.
	search     *search.Index
	searchFrom buildcache.Key
	searchMeta string // the meta file's name in the output
	searchKept int    // files kept by keepUntouchedShard
}

// pagesKey hashes what every page of the session's site is made from
// besides the model: the variant (digest's version, site.toml, the
// translation tables, --base-url), the templates, and the flags.
func (s *Session) pagesKey() buildcache.Key {
	minified := s.renderer != nil && s.renderer.Minified()
	v := s.cacheVariant(minified)
	flags := fmt.Sprint(s.opt.NoMinify, s.opt.Drafts, s.opt.Future, s.opt.Expired, minified)
	return buildcache.NewKey([]byte("pages 1"), v[:], []byte(flags), treeHash(s.files(), "templates", true))
}

// newPagePlan readies the plan of a build of l into out, or returns nil
// when every page is rendered: a build without a cache, or of a site
// with templates of its own.
func (l *Loaded) newPagePlan(out string) *pagePlan {
	if l.cache == nil || l.ownTemplates {
		return nil
	}
	before := loadRecord(l.cache, out)
	return &pagePlan{
		global: l.pagesKey,
		static: buildcache.NewKey(treeHash(l.Files, staticDir, false)),
		before: before,
		after:  make(pageRecord, max(len(before), len(l.Site.Pages))),
	}
}

// treeHash hashes the names of the files under dir in fsys, and their
// bytes (withData) or their sizes and modification times.
func treeHash(fsys fs.FS, dir string, withData bool) []byte {
	h := sha256.New()
	fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			h.Write([]byte("\x00error " + p))
			return nil
		}
		if d.IsDir() {
			return nil
		}
		h.Write([]byte("\x00" + p + "\x00"))
		if withData {
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				h.Write([]byte("\x00unreadable"))
			}
			h.Write(binary.AppendUvarint(nil, uint64(len(b))))
			h.Write(b)
			return nil
		}
		if info, err := d.Info(); err == nil {
			h.Write(binary.AppendVarint(nil, info.Size()))
			h.Write(binary.AppendVarint(nil, info.ModTime().UnixNano()))
		}
		return nil
	})
	return h.Sum(nil)
}

// inputs is the key of what p is made from; false when it cannot be
// told, and the page must be rendered.
func (pl *pagePlan) inputs(m *site.Site, p *site.Page) (buildcache.Key, bool) {
	h := sha256.New()
	h.Write(pl.global[:])
	switch p.Kind {
	case site.KindEmail, site.KindEmailText, site.KindEditionsFeed:
		h.Write(pl.static[:]) // an email gives its pictures' sizes
	}
	if !m.Inputs(p, h) {
		return buildcache.Key{}, false
	}
	var k buildcache.Key
	h.Sum(k[:0])
	return k, true
}

// keep links the previous build's file of p into o when p's inputs are
// what they were; it reports whether it did.
func (pl *pagePlan) keep(o *publish.Output, name string, inputs buildcache.Key) bool {
	e, ok := pl.before[name]
	if !ok || e.inputs != inputs {
		return false
	}
	kept, err := o.Keep(name, e.file)
	if err != nil || !kept {
		return false
	}
	pl.note(name, e)
	pl.mu.Lock()
	pl.kept++
	pl.mu.Unlock()
	return true
}

// note records the page written at name.
func (pl *pagePlan) note(name string, e pageEntry) {
	if e.file == (publish.FileID{}) {
		return
	}
	pl.mu.Lock()
	pl.after[name] = e
	pl.mu.Unlock()
}

// searchEdited notes that the search index of m is ix, edited from the
// snapshot of a build whose search meta file had the inputs from.
func (pl *pagePlan) searchEdited(m *site.Site, ix *search.Index, from buildcache.Key) {
	if meta := searchMeta(m); pl != nil && meta != nil {
		pl.search, pl.searchFrom, pl.searchMeta = ix, from, meta.OutputPath()
	}
}

// forgetSearch lets the edited index go once its files are written: the
// other pages do not need it.
func (pl *pagePlan) forgetSearch() {
	if pl != nil {
		pl.search = nil
	}
}

// searchMeta is the site's search meta file, or nil.
func searchMeta(m *site.Site) *site.Page {
	for _, p := range m.Pages {
		if p.Kind == site.KindSearchMeta {
			return p
		}
	}
	return nil
}

// searchInputs is the inputs of the site's search meta file, which the
// snapshot of its index keeps (see keepUntouchedShard); false when they
// cannot be told.
func (pl *pagePlan) searchInputs(m *site.Site) (buildcache.Key, bool) {
	if meta := searchMeta(m); pl != nil && meta != nil {
		return pl.inputs(m, meta)
	}
	return buildcache.Key{}, false
}

// keepUntouchedShard keeps a file of the search index whose shard the
// edits of the index did not touch (search.Index.Touched), when the
// output's files of the index are those of the build the snapshot was
// kept by: the record of its meta file has the inputs the snapshot
// names, and every page a record holds was made with the record's
// build's inputs, so the shard's file there is the bytes of the
// snapshot's shard, which the edits left as they were. The file is
// noted with this build's inputs, now, which it is made from as well.
func (pl *pagePlan) keepUntouchedShard(o *publish.Output, m *site.Site, p *site.Page, now buildcache.Key) bool {
	if pl == nil || p.Kind != site.KindSearchShard || pl.search == nil || pl.search.Touched(p.Shard.Kind, p.Shard.N) {
		return false
	}
	meta, ok := pl.before[pl.searchMeta]
	if !ok || meta.inputs != pl.searchFrom {
		return false
	}
	name := p.OutputPath()
	e, ok := pl.before[name]
	if !ok {
		return false
	}
	if kept, err := o.Keep(name, e.file); err != nil || !kept {
		return false
	}
	pl.note(name, pageEntry{now, e.file})
	pl.mu.Lock()
	pl.kept++
	pl.searchKept++
	pl.mu.Unlock()
	return true
}

// done reports whether the page at name was kept already (keepSearch).
func (pl *pagePlan) done(name string) bool { return pl.early[name] }

// keepSearch keeps the files of the search index whose inputs are as
// they were, before any page is rendered, and reports whether all of
// them were (so the index need not be made). Without a plan, or for a
// site that does not search, it reports false.
func (pl *pagePlan) keepSearch(o *publish.Output, m *site.Site) bool {
	if pl == nil || !m.Config.Search.Enabled {
		return false
	}
	var files []*site.Page
	for _, p := range m.Pages {
		if isSearchFile(p) {
			files = append(files, p)
		}
	}
	kept := make([]bool, len(files))
	parallel.For(context.Background(), len(files), ioWorkers*runtime.GOMAXPROCS(0), func(i int) {
		k, ok := pl.inputs(m, files[i])
		kept[i] = ok && pl.keep(o, files[i].OutputPath(), k)
	})
	pl.early = make(map[string]bool, len(files))
	all := true
	for i, p := range files {
		if kept[i] {
			pl.early[p.OutputPath()] = true
		}
		all = all && kept[i]
	}
	return all
}
