package publish

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// memStore is a Store in memory, as the build cache is one on disk.
type memStore struct {
	mu   sync.Mutex
	data map[string][]byte
}

func (m *memStore) Get(k string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.data[k]
	return d, ok
}

func (m *memStore) Put(k string, d []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data[k] = d
}

func (m *memStore) Keep(string) {}

// buildListed builds files into out with the store, and returns how many
// folders the build's sweep listed (-1 when it wrote a fresh folder).
func buildListed(t *testing.T, root, out string, store Store, files map[string]string) int {
	t.Helper()
	o := buildOptions(t, root, out, Options{Listings: store}, files)
	if !o.recycled {
		return -1
	}
	return int(o.dirsRead.Load())
}

// listedPages is a site of many folders, with one page changed by round,
// and a page of a story's and a whole story that go after some rounds
// (from folders the builds before did not change: they go by their
// folders' records).
func listedPages(round int) map[string]string {
	pages := map[string]string{"index.html": "home", "feed.xml": "feed"}
	for i := range 40 {
		pages[fmt.Sprintf("2026/%02d/story-%d/index.html", i%4+1, i)] = fmt.Sprint("story ", i)
	}
	pages["2026/02/story-5/index.html"] = fmt.Sprint("story 5, take ", round)
	if round < 6 {
		pages["2026/04/story-3/print.html"] = "printable"
	}
	if round < 7 {
		pages["2026/01/story-40/index.html"] = "story 40"
	}
	return pages
}

// listedSite is a site built rounds times (rounds 0 to rounds-1 of
// listedPages) into its build/ with a store, and the store; it skips
// where folders have no stamps.
func listedSite(t *testing.T, rounds int) (root, out string, store *memStore) {
	t.Helper()
	requireStamps(t)
	root = site(t)
	out = filepath.Join(root, "build")
	store = &memStore{data: map[string][]byte{}}
	for round := range rounds {
		buildListed(t, root, out, store, listedPages(round))
	}
	return root, out, store
}

func requireStamps(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("folders' stamps are read on Linux only; elsewhere every folder is listed")
	}
}

// folders counts the folders of a build of pages, its root included.
func folders(pages map[string]string) int {
	dirs := map[string]bool{".": true}
	for name := range pages {
		for d := path.Dir(name); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	return len(dirs)
}

// TestListedFoldersAreNotListed: with a store, a build written over the
// build before last lists only the folders changed since their record
// was made: the root (whose marker each build rewrites) and the folders
// of the pages that differ between the two builds (story 5's, and as
// they go, story 3's and story 40's month), not all 46 or 47 of them;
// and its output is exactly what it wrote.
func TestListedFoldersAreNotListed(t *testing.T) {
	requireStamps(t)
	root := site(t)
	out := filepath.Join(root, "build")
	store := &memStore{data: map[string][]byte{}}
	for round := range 8 {
		pages := listedPages(round)
		listed := buildListed(t, root, out, store, pages)
		sameFiles(t, fmt.Sprint("round ", round), files(t, out), pages)
		switch {
		case round < 2 && listed != -1:
			t.Errorf("round %d wrote over a kept build", round)
		case round >= 2 && round < 4 && listed != folders(pages):
			// The first build over each folder has no record of it.
			t.Errorf("round %d listed %d folders, want all %d", round, listed, folders(pages))
		case round >= 4 && listed > 3:
			t.Errorf("round %d listed %d folders, want at most 3", round, listed)
		}
	}
	// Without a store, every folder is listed at every build (this one
	// has the folders of the build before last: it makes none).
	pages := listedPages(8)
	if listed := buildListed(t, root, out, nil, pages); listed != folders(pages) {
		t.Errorf("a build without a store listed %d folders, want %d", listed, folders(pages))
	}
}

// TestListedFoldersSeeWhatOthersDid: whatever was made or removed in the
// output or the kept build since a record was made (files and folders
// added, a page removed, a folder's modification time set back), the
// next builds' outputs are exactly what they wrote.
func TestListedFoldersSeeWhatOthersDid(t *testing.T) {
	root, out, store := listedSite(t, 6)
	kept := Kept(out)
	for _, dir := range []string{out, kept} {
		for _, f := range []string{"2026/01/story-0/stray.html", "2026/03/stray/deep/x.html", "2026/04/extra.html"} {
			p := filepath.Join(dir, filepath.FromSlash(f))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			mustWrite(t, p, "stray")
		}
		// A stray file in a folder whose modification time is then set
		// back to what it was: its change time still tells.
		folder := filepath.Join(dir, "2026", "02", "story-9")
		info, err := os.Stat(folder)
		if err != nil {
			t.Fatal(err)
		}
		mustWrite(t, filepath.Join(folder, "hidden.html"), "stray")
		if err := os.Chtimes(folder, info.ModTime(), info.ModTime()); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(filepath.Join(dir, "2026", "03", "story-10", "index.html")); err != nil {
			t.Fatal(err)
		}
	}
	for round := 6; round < 9; round++ {
		pages := listedPages(round)
		buildListed(t, root, out, store, pages)
		sameFiles(t, fmt.Sprint("round ", round), files(t, out), pages)
	}
}

// TestListingOfOthersIsNotRead: a record that does not read (damaged,
// cut short, or naming paths instead of names) is no record: the
// folders are listed.
func TestListingOfOthersIsNotRead(t *testing.T) {
	list := map[string]listedDir{
		"2026/01":         {dirStamp{7, 100, 200}, []string{"a", "index.html"}},
		"2026/01/a":       {dirStamp{8, -5, 1 << 40}, []string{"index.html"}},
		"2026/02/empty":   {dirStamp{9, 1, 2}, []string{}},
		"tags/ünïcode/xy": {dirStamp{10, 3, 4}, []string{"index.html", "page"}},
	}
	data := encode(list)
	if got := decodeListing(data); !reflect.DeepEqual(got, list) {
		t.Fatalf("decodeListing(encodeListing(list)) = %v, want %v", got, list)
	}
	for n := range len(data) {
		if got := decodeListing(data[:n]); got != nil {
			t.Errorf("a record cut to %d of %d bytes read as %v", n, len(data), got)
		}
	}
	if got := decodeListing(append(data, 0)); got != nil {
		t.Errorf("a record with a byte more read as %v", got)
	}
	for _, bad := range []map[string]listedDir{
		{"2026": {dirStamp{1, 1, 1}, []string{"../../etc"}}},
		{"2026": {dirStamp{1, 1, 1}, []string{"a/b"}}},
		{"2026": {dirStamp{1, 1, 1}, []string{".."}}},
		{"2026": {dirStamp{1, 1, 1}, []string{"."}}},
		{"2026": {dirStamp{1, 1, 1}, []string{""}}},
		{"../2026": {dirStamp{1, 1, 1}, []string{"x"}}},
		{"/abs": {dirStamp{1, 1, 1}, []string{"x"}}},
	} {
		if got := decodeListing(encode(bad)); got != nil {
			t.Errorf("a record of %v read as %v", bad, got)
		}
	}

	// A build given a damaged record lists every folder, and its output
	// is what it wrote.
	root, out, store := listedSite(t, 5)
	mustWrite(t, filepath.Join(Kept(out), "2026", "01", "stray.html"), "stray")
	for k, v := range store.data {
		store.data[k] = v[:len(v)/2]
	}
	pages := listedPages(5)
	if listed := buildListed(t, root, out, store, pages); listed != folders(pages) {
		t.Errorf("a build given damaged records listed %d folders, want %d", listed, folders(pages))
	}
	sameFiles(t, "output", files(t, out), pages)
}

// TestListingStampsOlderThanTheBuild: a folder's stamp is recorded only
// when older than the build's beginning, by the file system's clock: a
// change in the tick of a stamp would not show (see listing.go).
func TestListingStampsOlderThanTheBuild(t *testing.T) {
	requireStamps(t)
	dir := t.TempDir()
	mustMkdir(t, filepath.Join(dir, "a"))
	mustWrite(t, filepath.Join(dir, "a", "index.html"), "x")
	info, err := os.Lstat(filepath.Join(dir, "a"))
	if err != nil {
		t.Fatal(err)
	}
	stamp := stampOf(info)
	for _, tt := range []struct {
		began  int64
		listed bool
	}{
		{max(stamp.mtime, stamp.ctime), false},
		{max(stamp.mtime, stamp.ctime) + 1, true},
		{max(stamp.mtime, stamp.ctime) + int64(time.Second), true},
		{min(stamp.mtime, stamp.ctime), false},
	} {
		store := &memStore{data: map[string][]byte{}}
		k := &keptBuild{dir: dir, recycled: true, store: store, final: dir, began: tt.began}
		st := k.addDir("a", nil, stamp, false)
		k.written.Store("a/index.html", true)
		k.noteName(st, "a/index.html")
		k.writeListing()
		k.waitListing()
		if len(store.data) != 1 {
			t.Fatalf("began %d: %d records written, want 1", tt.began, len(store.data))
		}
		for _, data := range store.data {
			got := decodeListing(data)
			if _, listed := got["a"]; listed != tt.listed {
				t.Errorf("began %d, stamp %+v: folder recorded %v, want %v", tt.began, stamp, listed, tt.listed)
			}
			if l, ok := got["a"]; ok && strings.Join(l.names, ",") != "index.html" {
				t.Errorf("folder a recorded with %q", l.names)
			}
		}
	}
}

// encode is encodeListing of a record given as a map.
func encode(list map[string]listedDir) []byte {
	var entries []listedEntry
	for d, l := range list {
		entries = append(entries, listedEntry{d, l})
	}
	return encodeListing(entries)
}
