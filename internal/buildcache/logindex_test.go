package buildcache

import (
	"fmt"
	"os"
	"reflect"
	"runtime"
	"testing"
)

// scanned is what a reader of the log at c finds, with the index or
// without it.
func scanned(t *testing.T, c *Cache, withIndex bool) (map[string]logRecord, map[Key]logRecord, int64) {
	t.Helper()
	l := c.OpenLog()
	if !withIndex {
		idx := l.indexPath()
		saved, err := os.ReadFile(idx)
		if err == nil {
			os.Remove(idx)
			defer os.WriteFile(idx, saved, 0o644)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.scan()
	defer l.reset()
	return l.byName, l.keys(), l.size
}

// fillLog puts n articles, some edited and some stamped again, and
// prunes, as a build does.
func fillLog(t *testing.T, c *Cache, n, round int) {
	t.Helper()
	l := c.OpenLog()
	for i := range n {
		name := fmt.Sprintf("content/%03d.md", i)
		k := NewKey([]byte(name), []byte(fmt.Sprint(i%5 == 0 && round > 0, round)))
		if i%5 != 0 && round > 0 {
			k = NewKey([]byte(name))
		}
		stamp := fmt.Sprintf("stamp %d %d", i, round)
		if l.Stamped(name, stamp, func(Key, []byte, Tail) error { return nil }) {
			continue
		}
		if l.Read(k, func([]byte, Tail) error { return nil }) {
			if err := l.Stamp(name, stamp, k); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if _, err := l.Put(name, stamp, k, []byte(fmt.Sprintf("article %d of round %d", i, round)), []byte("its body")); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Prune(); err != nil {
		t.Fatal(err)
	}
}

func requireIndex(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the log's index names its file by device and inode, read on Linux only")
	}
}

// TestLogIndexIsTheScan: a reader that reads the log's index finds what
// a scan of every record finds, also when other builds appended to the
// log since the index was written (it scans those records).
func TestLogIndexIsTheScan(t *testing.T) {
	requireIndex(t)
	c := Open(t.TempDir(), NewKey([]byte("v1")))
	for round := range 4 {
		fillLog(t, c, 40, round)
		l := c.OpenLog()
		info, err := os.Stat(l.path)
		if err != nil {
			t.Fatal(err)
		}
		if covered := l.readIndex(info); covered != info.Size() {
			t.Fatalf("round %d: the index after Prune covers %d of the log's %d bytes", round, covered, info.Size())
		}
		byName, byKey, size := scanned(t, c, true)
		wantName, wantKey, wantSize := scanned(t, c, false)
		if !reflect.DeepEqual(byName, wantName) || !reflect.DeepEqual(byKey, wantKey) || size != wantSize {
			t.Fatalf("round %d: the index gives %d names, %d keys, %d bytes; a scan %d, %d, %d", round, len(byName), len(byKey), size, len(wantName), len(wantKey), wantSize)
		}
		// Another build appends without pruning (killed, say).
		other := c.OpenLog()
		other.Put("content/late.md", fmt.Sprint("late ", round), NewKey([]byte("late"), []byte{byte(round)}), []byte("a late article"), nil)
		other.Close()
		byName, byKey, size = scanned(t, c, true)
		wantName, wantKey, wantSize = scanned(t, c, false)
		if !reflect.DeepEqual(byName, wantName) || !reflect.DeepEqual(byKey, wantKey) || size != wantSize {
			t.Fatalf("round %d, after another build appended: the index and the rest give %d names, %d bytes; a scan %d, %d", round, len(byName), size, len(wantName), wantSize)
		}
		if _, ok := byName["content/late.md"]; !ok {
			t.Fatalf("round %d: the record appended after the index is not found", round)
		}
	}
}

// TestLogIndexNotTrusted: an index cut short, damaged, of another file
// (the log written again by another build) or covering more than the
// file holds is not read; one that points at the wrong records (crafted,
// its checksum right) finds no entry, never another article's.
func TestLogIndexNotTrusted(t *testing.T) {
	requireIndex(t)
	c := Open(t.TempDir(), NewKey([]byte("v1")))
	fillLog(t, c, 30, 0)
	fillLog(t, c, 30, 1)
	idx := c.OpenLog().indexPath()
	good, err := os.ReadFile(idx)
	if err != nil {
		t.Fatal(err)
	}
	wantName, wantKey, wantSize := scanned(t, c, false)
	same := func(what string) {
		t.Helper()
		byName, byKey, size := scanned(t, c, true)
		if !reflect.DeepEqual(byName, wantName) || !reflect.DeepEqual(byKey, wantKey) || size != wantSize {
			t.Errorf("%s: the reader finds %d names, %d bytes; a scan %d, %d", what, len(byName), size, len(wantName), wantSize)
		}
	}
	for _, n := range []int{0, 3, len(good) / 2, len(good) - 1} {
		os.WriteFile(idx, good[:n], 0o644)
		same(fmt.Sprintf("an index cut to %d bytes", n))
	}
	for _, at := range []int{5, len(good) / 3, len(good) - 2} {
		bad := append([]byte(nil), good...)
		bad[at] ^= 0x10
		os.WriteFile(idx, bad, 0o644)
		same(fmt.Sprintf("an index with byte %d changed", at))
	}

	// The index of a longer file: the log cut short since (a restored
	// backup, say) keeps its inode.
	l := c.OpenLog()
	l.mu.Lock()
	l.scan()
	l.size += 100
	l.mu.Unlock()
	os.WriteFile(idx, good, 0o644)
	info, _ := os.Stat(l.path)
	if got := l.readIndex(info); got != info.Size() {
		t.Fatalf("the good index covers %d of %d bytes", got, info.Size())
	}
	if err := os.Truncate(l.path, info.Size()-1); err != nil {
		t.Fatal(err)
	}
	short, _ := os.Stat(l.path)
	if got := l.readIndex(short); got != 0 {
		t.Errorf("an index covering more than the file is read: %d bytes", got)
	}
	l.Close()
	if err := os.Truncate(l.path, info.Size()); err != nil {
		t.Fatal(err)
	}

	// The log written again (a new inode) by a build that left no index.
	data, err := os.ReadFile(l.path)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(l.path)
	if err := os.WriteFile(l.path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(idx, good, 0o644)
	renewed, _ := os.Stat(l.path)
	if got := l.readIndex(renewed); got != 0 {
		t.Errorf("the index of the log's former file is read: %d bytes", got)
	}

	// An index crafted to point each name at another name's record.
	var a, b logRecord
	writeIndexOf(c, func(l *Log) {
		a, b = l.byName["content/001.md"], l.byName["content/002.md"]
		l.byName["content/001.md"], l.byName["content/002.md"] = b, a
	})
	l = c.OpenLog()
	if info, _ := os.Stat(l.path); l.readIndex(info) == 0 {
		t.Fatal("the crafted index is not read")
	}
	l = c.OpenLog()
	for _, name := range []string{"content/001.md", "content/002.md"} {
		for _, stamp := range []string{a.stamp, b.stamp} {
			l.Stamped(name, stamp, func(_ Key, data []byte, _ Tail) error {
				if want := fmt.Sprintf("article %s", name[len("content/00"):len("content/00")+1]); string(data[:len(want)]) != want {
					t.Errorf("a crafted index gives %s the entry %q", name, data)
				}
				return nil
			})
		}
	}
}

// TestLogIndexKeysNotTrusted: the index's records by key are read only
// when first needed; if they then do not read (a fault of digest's own,
// as the index's checksum is right), a lookup by key misses, never finds
// a wrong entry, and the log counts as damaged, so Prune writes it and
// its index again.
func TestLogIndexKeysNotTrusted(t *testing.T) {
	requireIndex(t)
	c := Open(t.TempDir(), NewKey([]byte("v1")))
	fillLog(t, c, 30, 0)
	fillLog(t, c, 30, 1)

	// An index whose records by key end in one that does not read.
	var k Key
	writeIndexOf(c, func(l *Log) {
		keys := l.keys()
		for k = range keys {
			break
		}
		keys[NewKey([]byte("unreadable"))] = logRecord{off: 1, size: 0}
	})

	l := c.OpenLog()
	if info, _ := os.Stat(l.path); l.readIndex(info) == 0 {
		t.Fatal("the index is not read: its records by names read")
	}
	if !l.Stamped("content/001.md", "stamp 1 1", func(Key, []byte, Tail) error { return nil }) {
		t.Error("a lookup by name misses while the records by key are not read")
	}
	l = c.OpenLog()
	if l.Read(k, func(data []byte, _ Tail) error {
		t.Errorf("a lookup by key in an index whose keys do not read gives %q", data)
		return nil
	}) {
		t.Error("a lookup by key hits in an index whose keys do not read")
	}
	l.mu.Lock()
	damaged := l.damaged
	l.mu.Unlock()
	if !damaged {
		t.Error("records by key that do not read leave the log undamaged")
	}
	// Prune writes the log again with what this reader used, and the
	// next reader's index is whole.
	if err := l.Prune(); err != nil {
		t.Fatal(err)
	}
	fillLog(t, c, 30, 1)
	indexIsTheScan(t, c, "after Prune")
}

// TestLogIndexKeysNotReadUntilPrune: records by key that do not read are
// found out by Prune even when no lookup needed them (every article found
// by its stamp) and another build appended meanwhile: the log is written
// again, never indexed without them.
func TestLogIndexKeysNotReadUntilPrune(t *testing.T) {
	requireIndex(t)
	c := Open(t.TempDir(), NewKey([]byte("v1")))
	fillLog(t, c, 30, 0) // no dead entries: Prune indexes the log, not writes it again
	writeIndexOf(c, func(l *Log) { l.keys()[NewKey([]byte("unreadable"))] = logRecord{off: 1, size: 0} })

	reader := c.OpenLog()
	var first Key
	for i := range 30 {
		name := fmt.Sprintf("content/%03d.md", i)
		if !reader.Stamped(name, fmt.Sprintf("stamp %d 0", i), func(k Key, _ []byte, _ Tail) error {
			if i == 1 {
				first = k
			}
			return nil
		}) {
			t.Fatalf("%s is not found by its stamp", name)
		}
	}
	// Another build writes one of them again, as it was: the reader's
	// Prune scans again, and finds every name it used as it used it.
	other := c.OpenLog()
	if _, err := other.Put("content/001.md", "stamp 1 0", first, []byte("article 1 of round 0"), []byte("its body")); err != nil {
		t.Fatal(err)
	}
	other.Close()
	if err := reader.Prune(); err != nil {
		t.Fatal(err)
	}
	indexIsTheScan(t, c, "after Prune")
	if _, wantKey, _ := scanned(t, c, false); len(wantKey) < 30 {
		t.Errorf("after Prune the log holds %d entries by key, want the 30 articles'", len(wantKey))
	}
}

// writeIndexOf writes the index of c's log as a scan finds it, changed
// by edit first (a crafted index, its checksum right).
func writeIndexOf(c *Cache, edit func(l *Log)) {
	l := c.OpenLog()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.scan()
	edit(l)
	l.writeIndex()
	l.reset()
}

// indexIsTheScan checks that a reader of c's log with its index finds
// what a scan of every record finds.
func indexIsTheScan(t *testing.T, c *Cache, when string) {
	t.Helper()
	byName, byKey, size := scanned(t, c, true)
	wantName, wantKey, wantSize := scanned(t, c, false)
	if !reflect.DeepEqual(byName, wantName) || !reflect.DeepEqual(byKey, wantKey) || size != wantSize {
		t.Errorf("%s: the index gives %d names, %d keys, %d bytes; a scan %d, %d, %d", when, len(byName), len(byKey), size, len(wantName), len(wantKey), wantSize)
	}
}
