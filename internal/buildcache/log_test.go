package buildcache

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// logged reads the entry under k from a fresh reader of the log at c.
func logged(c *Cache, k Key) ([]byte, bool) {
	var out []byte
	ok := c.OpenLog().Read(k, func(data []byte, _ Tail) error {
		out = bytes.Clone(data)
		return nil
	})
	return out, ok
}

// TestLogFindsByStampAndKey: an entry is found by its key, and by its
// file's name and stamp when it was stored with one; another stamp, or
// none, finds nothing.
func TestLogFindsByStampAndKey(t *testing.T) {
	c := Open(t.TempDir(), NewKey([]byte("v1")))
	l := c.OpenLog()
	ka, kb := NewKey([]byte("a")), NewKey([]byte("b"))
	if _, err := l.Put("content/a.md", "stamp-1", ka, []byte("article a"), nil); err != nil {
		t.Fatal(err)
	}
	l.Put("content/b.md", "", kb, []byte("article b"), nil)
	l.Prune()
	var gotKey Key
	var got string
	ok := l.Stamped("content/a.md", "stamp-1", func(k Key, data []byte, _ Tail) error {
		gotKey, got = k, string(data)
		return nil
	})
	if !ok || gotKey != ka || got != "article a" {
		t.Fatalf("Stamped = %v, %q; want a's entry", ok, got)
	}
	none := func(Key, []byte, Tail) error { return nil }
	if l.Stamped("content/a.md", "stamp-2", none) || l.Stamped("content/b.md", "", none) || l.Stamped("content/c.md", "stamp-1", none) {
		t.Error("another stamp, no stamp or another name found an entry")
	}
	if data, ok := logged(c, kb); !ok || string(data) != "article b" {
		t.Errorf("Read(b) = %q, %v", data, ok)
	}
	if !l.HasStamp("content/a.md", "stamp-1") || l.HasStamp("content/b.md", "stamp-1") {
		t.Error("HasStamp does not tell the stamps stored")
	}
	// A later entry for the same name replaces the earlier one.
	l.Put("content/a.md", "stamp-3", NewKey([]byte("a2")), []byte("article a, edited"), nil)
	l.Prune()
	if l.Stamped("content/a.md", "stamp-1", none) {
		t.Error("the earlier entry of an edited file is still found by its stamp")
	}
}

// TestLogDamage: a record cut short at the end (a build killed in a
// write) or with a changed byte is a miss; the others are still found;
// and Prune writes the log again without the damage.
func TestLogDamage(t *testing.T) {
	for _, damage := range []string{"cut short", "flipped"} {
		t.Run(damage, func(t *testing.T) {
			c := Open(t.TempDir(), NewKey([]byte("v1")))
			l := c.OpenLog()
			keys := make([]Key, 3)
			for i := range keys {
				keys[i] = NewKey([]byte{byte(i)})
				l.Put(fmt.Sprintf("content/%d.md", i), "", keys[i], bytes.Repeat([]byte{'a' + byte(i)}, 1000), nil)
			}
			l.Prune()
			path := filepath.Join(c.Dir(), logFile)
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			damaged := keys[2]
			switch damage {
			case "cut short":
				raw = raw[:len(raw)-10]
			case "flipped":
				damaged = keys[1]
				raw[len(raw)*1/2] ^= 1 // in the second record's data
			}
			os.WriteFile(path, raw, 0o644)
			for _, k := range keys {
				data, ok := logged(c, k)
				if k == damaged && ok {
					t.Errorf("the damaged entry was found: %q", data[:10])
				}
				if k != damaged && (!ok || len(data) != 1000) {
					t.Errorf("an intact entry was lost to another's damage")
				}
			}
			// The build reads what is intact, and Prune writes it again.
			l = c.OpenLog()
			for _, k := range keys {
				l.Read(k, func([]byte, Tail) error { return nil })
			}
			if err := l.Prune(); err != nil {
				t.Fatal(err)
			}
			raw, _ = os.ReadFile(path)
			if want := 2 * (logHeaderSize + len("content/0.md") + 1000); len(raw) != want {
				t.Errorf("after Prune the log is %d bytes, want %d (the two intact entries)", len(raw), want)
			}
			if _, ok := logged(c, damaged); ok {
				t.Error("the damaged entry came back")
			}
		})
	}
}

// TestLogPruneKeepsWhatWasUsed: entries of edited articles stay in the
// log until they outweigh the live ones, then Prune writes it again with
// only the used entries; an entry of a file the build did not read (a
// deleted article) makes Prune write it again at once.
func TestLogPruneKeepsWhatWasUsed(t *testing.T) {
	c := Open(t.TempDir(), NewKey([]byte("v1")))
	data := bytes.Repeat([]byte("x"), 100<<10)
	name := func(i int) string { return fmt.Sprintf("content/%02d.md", i) }
	key := func(i, version int) Key { return NewKey([]byte{byte(i), byte(version)}) }
	record := int64(logHeaderSize + len(name(0)) + len(data))
	size := func() int64 {
		info, err := os.Stat(filepath.Join(c.Dir(), logFile))
		if err != nil {
			t.Fatal(err)
		}
		return info.Size()
	}
	// A build: the articles below edited get a new version, the others
	// are read as they are, those at or past n are not in the site.
	version := make([]int, 40)
	build := func(n int, edited func(i int) bool) {
		l := c.OpenLog()
		for i := range n {
			if edited(i) {
				version[i]++
				l.Put(name(i), "", key(i, version[i]), data, nil)
			} else if !l.Read(key(i, version[i]), func([]byte, Tail) error { return nil }) {
				t.Fatalf("entry %d (version %d) lost", i, version[i])
			}
		}
		if err := l.Prune(); err != nil {
			t.Fatal(err)
		}
	}
	build(40, func(int) bool { return true })
	build(40, func(i int) bool { return i < 10 })
	if got, want := size(), 50*record; got != want {
		t.Errorf("with 10 of 40 edited, the log is %d bytes, want %d (the edited ones' old entries stay)", got, want)
	}
	build(40, func(int) bool { return true })
	if got, want := size(), 40*record; got != want {
		t.Errorf("once the old entries outweigh the live ones, the log is %d bytes, want %d", got, want)
	}
	build(10, func(int) bool { return false })
	if got, want := size(), 10*record; got != want {
		t.Errorf("with 30 of 40 deleted, the log is %d bytes after Prune, want %d", got, want)
	}
	if n, _ := Entries(filepath.Dir(c.Dir())); n != 10 {
		t.Errorf("Entries = %d, want 10", n)
	}
}

// TestLogConcurrentAppends: two builds appending to one log at once (two
// Logs over one folder, as two processes have) lose no entry and mix
// none.
func TestLogConcurrentAppends(t *testing.T) {
	root := t.TempDir()
	variant := NewKey([]byte("v1"))
	var wg sync.WaitGroup
	for w := range 2 {
		l := Open(root, variant).OpenLog()
		for g := range 3 {
			wg.Go(func() {
				for i := range 100 {
					name := fmt.Sprintf("content/%d-%d-%d.md", w, g, i)
					l.Put(name, "", NewKey([]byte(name)), bytes.Repeat([]byte(name), 50+i*10), nil)
				}
			})
		}
	}
	wg.Wait()
	c := Open(root, variant)
	for w := range 2 {
		for g := range 3 {
			for i := range 100 {
				name := fmt.Sprintf("content/%d-%d-%d.md", w, g, i)
				data, ok := logged(c, NewKey([]byte(name)))
				if !ok || !bytes.Equal(data, bytes.Repeat([]byte(name), 50+i*10)) {
					t.Fatalf("%s: found %v, or not its data", name, ok)
				}
			}
		}
	}
}

// TestLogRecoversFromGarbage: a log that is garbage from its first byte
// (another program's file, a bad copy) gives nothing; the build's own
// entries, appended after the garbage, are what Prune writes again.
func TestLogRecoversFromGarbage(t *testing.T) {
	c := Open(t.TempDir(), NewKey([]byte("v1")))
	os.MkdirAll(c.Dir(), 0o755)
	path := filepath.Join(c.Dir(), logFile)
	os.WriteFile(path, bytes.Repeat([]byte("not a log "), 100), 0o644)
	l := c.OpenLog()
	keys := make([]Key, 3)
	for i := range keys {
		keys[i] = NewKey([]byte{byte(i)})
		if l.Read(keys[i], func([]byte, Tail) error { return nil }) {
			t.Fatal("garbage gave an entry")
		}
		l.Put(fmt.Sprintf("content/%d.md", i), "", keys[i], []byte("parsed again"), nil)
	}
	if err := l.Prune(); err != nil {
		t.Fatal(err)
	}
	for i, k := range keys {
		if data, ok := logged(c, k); !ok || string(data) != "parsed again" {
			t.Errorf("entry %d lost after the garbage was pruned: %v", i, ok)
		}
	}
	if n, _ := Entries(filepath.Dir(c.Dir())); n != 3 {
		t.Errorf("Entries = %d, want 3", n)
	}
}

// TestLogStampRecords: a stamp given to an entry stored without one is a
// small record of its own, not the entry again; it finds the entry by the
// file's stamp, and Prune keeps the two together.
func TestLogStampRecords(t *testing.T) {
	c := Open(t.TempDir(), NewKey([]byte("v1")))
	path := filepath.Join(c.Dir(), logFile)
	l := c.OpenLog()
	k := NewKey([]byte("a"))
	data := bytes.Repeat([]byte("parsed "), 1000)
	l.Put("content/a.md", "", k, data, nil)
	l.Put("content/b.md", "", NewKey([]byte("b")), []byte("b"), nil)
	l.Prune()
	before, _ := os.Stat(path)
	l = c.OpenLog()
	l.Read(k, func([]byte, Tail) error { return nil })
	l.Read(NewKey([]byte("b")), func([]byte, Tail) error { return nil })
	if err := l.Stamp("content/a.md", "stamp-1", k); err != nil {
		t.Fatal(err)
	}
	l.Prune()
	after, _ := os.Stat(path)
	if grew := after.Size() - before.Size(); grew > int64(logHeaderSize+len("content/a.md")+len("stamp-1")) {
		t.Errorf("the stamp took %d bytes: the entry again?", grew)
	}
	found := func() bool {
		var got []byte
		ok := c.OpenLog().Stamped("content/a.md", "stamp-1", func(gk Key, d []byte, _ Tail) error {
			if gk != k {
				t.Errorf("Stamped gave key %x", gk[:4])
			}
			got = bytes.Clone(d)
			return nil
		})
		return ok && bytes.Equal(got, data)
	}
	if !found() {
		t.Fatal("the stamp does not find the entry")
	}
	// b is deleted: the log is written again, with a's entry and stamp.
	l = c.OpenLog()
	if !l.Stamped("content/a.md", "stamp-1", func(Key, []byte, Tail) error { return nil }) {
		t.Fatal("not found by its stamp")
	}
	l.Prune()
	if n, _ := Entries(filepath.Dir(c.Dir())); n != 1 {
		t.Errorf("Entries = %d after b was deleted, want 1", n)
	}
	if !found() {
		t.Error("the log written again lost the entry or its stamp")
	}
}

// TestLogPruneAfterAnotherBuildsRewrite: build A appends entries, build B
// (another process, the same settings) writes the log again without
// them, then A prunes: A's appended entries are in a file that is gone,
// and nothing of them, or of what is at their offsets in B's file, is
// copied; B's entries stay whole.
func TestLogPruneAfterAnotherBuildsRewrite(t *testing.T) {
	root, variant := t.TempDir(), NewKey([]byte("v1"))
	seed := Open(root, variant).OpenLog()
	for i := range 4 {
		seed.Put(fmt.Sprintf("content/%d.md", i), "", NewKey([]byte{byte(i)}), bytes.Repeat([]byte{'a' + byte(i)}, 3000), nil)
	}
	seed.Prune()
	a := Open(root, variant).OpenLog()
	for i := range 4 {
		a.Read(NewKey([]byte{byte(i)}), func([]byte, Tail) error { return nil })
	}
	a.Put("content/new.md", "", NewKey([]byte("new")), bytes.Repeat([]byte("n"), 5000), nil)
	b := Open(root, variant).OpenLog()
	for i := range 2 { // 2 and 3 are deleted in B's site: B writes the log again
		b.Read(NewKey([]byte{byte(i)}), func([]byte, Tail) error { return nil })
	}
	if err := b.Prune(); err != nil {
		t.Fatal(err)
	}
	if err := a.Prune(); err != nil {
		t.Fatal(err)
	}
	c := Open(root, variant)
	for i := range 2 {
		if data, ok := logged(c, NewKey([]byte{byte(i)})); !ok || !bytes.Equal(data, bytes.Repeat([]byte{'a' + byte(i)}, 3000)) {
			t.Errorf("entry %d lost or changed", i)
		}
	}
	// The log reads to its end: nothing half-copied in it.
	l := c.OpenLog()
	l.mu.Lock()
	l.scan()
	damaged := l.damaged
	l.mu.Unlock()
	if damaged {
		t.Error("the log is damaged after the two prunes")
	}
}

// TestLogTails: an entry's tail is read only when asked for, is there
// after a Prune has written the log again (the file it was found in
// stays open for it), and a damaged tail is an error, not other bytes:
// the entry's data is still found, and the next Prune leaves the entry
// out.
func TestLogTails(t *testing.T) {
	c := Open(t.TempDir(), NewKey([]byte("v1")))
	path := filepath.Join(c.Dir(), logFile)
	ka, kb := NewKey([]byte("a")), NewKey([]byte("b"))
	tailA, tailB := bytes.Repeat([]byte("body of a "), 300), bytes.Repeat([]byte("body of b "), 300)
	l := c.OpenLog()
	l.Put("content/a.md", "", ka, []byte("head a"), tailA)
	l.Put("content/b.md", "", kb, []byte("head b"), tailB)
	l.Put("content/c.md", "", NewKey([]byte("c")), []byte("head c"), nil)
	l.Prune()

	l = c.OpenLog()
	tails := map[Key]Tail{}
	for _, k := range []Key{ka, kb} {
		if !l.Read(k, func(data []byte, tail Tail) error {
			tails[k] = tail
			return nil
		}) {
			t.Fatalf("entry %x not found", k[:4])
		}
	}
	if tails[ka].Len() != len(tailA) {
		t.Errorf("tail length %d, want %d", tails[ka].Len(), len(tailA))
	}
	// c is not read: deleted, so Prune writes the log again.
	if err := l.Prune(); err != nil {
		t.Fatal(err)
	}
	if n, _ := Entries(filepath.Dir(c.Dir())); n != 2 {
		t.Fatalf("Entries = %d, want 2: the log was not written again", n)
	}
	for k, want := range map[Key][]byte{ka: tailA, kb: tailB} {
		got, err := tails[k].Read()
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("tail of %x after the Prune: %q, %v", k[:4], got[:min(len(got), 20)], err)
		}
	}

	// Damage b's tail on disk: its data is found, its tail is an error.
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(raw, tailB)
	if at < 0 {
		t.Fatal("b's tail is not in the log as written")
	}
	raw[at+len(tailB)/2] ^= 0x20
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	l = c.OpenLog()
	var tb Tail
	if !l.Read(kb, func(_ []byte, tail Tail) error { tb = tail; return nil }) {
		t.Fatal("b's data, which is intact, is not found")
	}
	if got, err := tb.Read(); err == nil {
		t.Fatalf("a damaged tail read without error: %q…", got[:20])
	}
	l.Read(ka, func([]byte, Tail) error { return nil })
	l.Prune()
	if _, ok := logged(c, kb); ok {
		t.Error("the entry with a damaged tail is still in the log after a Prune")
	}
	var ta Tail
	if !c.OpenLog().Read(ka, func(_ []byte, tail Tail) error { ta = tail; return nil }) {
		t.Fatal("a's entry was lost")
	}
	if got, err := ta.Read(); err != nil || !bytes.Equal(got, tailA) {
		t.Errorf("a's tail after the log was written again: %v", err)
	}
}

// TestLogPeekDoesNotKeep: an entry only peeked at (an article's version
// before an edit) is found, but a Prune that writes the log again leaves
// it out; one read is kept.
func TestLogPeekDoesNotKeep(t *testing.T) {
	c := Open(t.TempDir(), NewKey([]byte("v1")))
	before, after := NewKey([]byte("a1")), NewKey([]byte("a2"))
	l := c.OpenLog()
	l.Put("content/a.md", "", before, []byte("old"), []byte("old body"))
	l.Put("content/a.md", "", after, bytes.Repeat([]byte("new "), 2000), []byte("new body"))
	l.Put("content/b.md", "", NewKey([]byte("b")), []byte("b"), nil)
	l.Prune()
	l = c.OpenLog()
	// As a build does: the article's entry read, then its version
	// before the edit looked at.
	if !l.Read(after, func([]byte, Tail) error { return nil }) {
		t.Fatal("Read does not find the entry")
	}
	var tail Tail
	if !l.Peek(before, func(_ []byte, t Tail) error { tail = t; return nil }) {
		t.Fatal("Peek does not find the earlier entry")
	}
	if b, err := tail.Read(); err != nil || string(b) != "old body" {
		t.Fatalf("the peeked entry's tail: %q, %v", b, err)
	}
	l.Prune() // b was not read (deleted): written again
	if _, ok := logged(c, before); ok {
		t.Error("the peeked entry was kept")
	}
	if _, ok := logged(c, after); !ok {
		t.Error("the read entry was lost")
	}
}

// TestLogReadsRecordsOfEverySize: records with data and tails of many
// sizes (around the 512 bytes the scan reads of each header, and of
// megabytes), and a name as long as the format allows, read back whole,
// by stamp, by key and as tails, from a log another reader wrote.
func TestLogReadsRecordsOfEverySize(t *testing.T) {
	c := Open(t.TempDir(), NewKey([]byte("v1")))
	sizes := []int{0, 1, 100, 511, 512, 513, 3<<20 + 17, 40}
	type entry struct {
		name       string
		k          Key
		data, tail []byte
	}
	var entries []entry
	w := c.OpenLog()
	for i, n := range sizes {
		for j, m := range []int{0, 57, 1<<20 + 3} {
			e := entry{name: fmt.Sprintf("content/%d-%d.md", i, j), k: NewKey([]byte(fmt.Sprint(i, j)))}
			if i == len(sizes)-1 && j == 0 {
				e.name = "content/" + string(bytes.Repeat([]byte("n"), 0xffff-len("content/")))
			}
			e.data = bytes.Repeat([]byte{byte('a' + i)}, n)
			e.tail = bytes.Repeat([]byte{byte('A' + j)}, m)
			if _, err := w.Put(e.name, "s", e.k, e.data, e.tail); err != nil {
				t.Fatal(err)
			}
			entries = append(entries, e)
		}
	}
	w.Close()
	r := c.OpenLog()
	for _, e := range entries {
		var data, tail []byte
		var err error
		ok := r.Stamped(e.name, "s", func(k Key, d []byte, t Tail) error {
			data = bytes.Clone(d)
			tail, err = t.Read()
			return nil
		})
		if !ok || err != nil || !bytes.Equal(data, e.data) || !bytes.Equal(tail, e.tail) {
			t.Fatalf("%.20s: Stamped = %v, data %d bytes, tail %d bytes, %v; want %d and %d", e.name, ok, len(data), len(tail), err, len(e.data), len(e.tail))
		}
		if got, ok := logged(c, e.k); !ok || !bytes.Equal(got, e.data) {
			t.Fatalf("%.20s: Read = %d bytes, %v", e.name, len(got), ok)
		}
	}
	if r.damaged {
		t.Error("a whole log was found damaged")
	}
}

// TestLogPutTails: Put's tail reads back what was stored, also once the
// log was pruned, written again by a Prune and closed. A Prune reads the
// file again only when another build wrote to it (asLeft).
func TestLogPutTails(t *testing.T) {
	c := Open(t.TempDir(), NewKey([]byte("v1")))
	old := c.OpenLog()
	old.Put("content/gone.md", "", NewKey([]byte("gone")), []byte("gone"), []byte("a deleted article"))
	old.Prune()

	l := c.OpenLog()
	tailA := bytes.Repeat([]byte("body of a "), 500)
	ta, err := l.Put("content/a.md", "", NewKey([]byte("a")), []byte("head a"), tailA)
	if err != nil {
		t.Fatal(err)
	}
	if ta.Len() != len(tailA) {
		t.Fatalf("tail length %d, want %d", ta.Len(), len(tailA))
	}
	if got, err := ta.Read(); err != nil || !bytes.Equal(got, tailA) {
		t.Fatalf("Put's tail reads %d bytes, %v", len(got), err)
	}
	tb, _ := l.Put("content/b.md", "", NewKey([]byte("b")), []byte("head b"), nil)
	if got, err := tb.Read(); err != nil || len(got) != 0 {
		t.Errorf("an empty tail reads %q, %v", got, err)
	}
	l.mu.Lock()
	left := l.asLeft()
	l.mu.Unlock()
	if !left {
		t.Error("asLeft is false, with one build writing the log")
	}
	other := c.OpenLog()
	other.Put("content/c.md", "", NewKey([]byte("c")), []byte("head c"), nil)
	l.mu.Lock()
	left = l.asLeft()
	l.mu.Unlock()
	if left {
		t.Error("asLeft is true after another build appended to the log")
	}
	// gone.md and c.md are not this build's: the Prune writes the log again.
	if err := l.Prune(); err != nil {
		t.Fatal(err)
	}
	if n, _ := Entries(filepath.Dir(c.Dir())); n != 2 {
		t.Errorf("Entries = %d after the Prune, want 2 (a and b)", n)
	}
	l.Close()
	if got, err := ta.Read(); err != nil || !bytes.Equal(got, tailA) {
		t.Errorf("Put's tail after the log was written again: %d bytes, %v", len(got), err)
	}
	// A build that alone appended prunes from what it knows: the same.
	l = c.OpenLog()
	l.Read(NewKey([]byte("a")), func([]byte, Tail) error { return nil })
	l.Put("content/d.md", "", NewKey([]byte("d")), []byte("head d"), []byte("body d"))
	if err := l.Prune(); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a", "d"} {
		if _, ok := logged(c, NewKey([]byte(k))); !ok {
			t.Errorf("%s's entry was lost", k)
		}
	}
	if _, ok := logged(c, NewKey([]byte("b"))); ok {
		t.Error("b, which the last build did not use, was kept")
	}
}

// TestLogPruneKeepsAnEntryStampedAfterItsPut: a name's latest record may
// be a stamp record naming an entry the same build appended; a Prune that
// writes the log again keeps both.
func TestLogPruneKeepsAnEntryStampedAfterItsPut(t *testing.T) {
	c := Open(t.TempDir(), NewKey([]byte("v1")))
	old := c.OpenLog()
	old.Put("content/gone.md", "", NewKey([]byte("gone")), []byte("gone"), nil)
	old.Prune()
	l := c.OpenLog()
	k := NewKey([]byte("a"))
	if _, err := l.Put("content/a.md", "", k, []byte("head a"), []byte("body")); err != nil {
		t.Fatal(err)
	}
	if err := l.Stamp("content/a.md", "s1", k); err != nil {
		t.Fatal(err)
	}
	if err := l.Prune(); err != nil { // gone.md makes it write the log again
		t.Fatal(err)
	}
	if got, ok := logged(c, k); !ok || string(got) != "head a" {
		t.Errorf("a's entry after the Prune: %q, %v", got, ok)
	}
	if !c.OpenLog().HasStamp("content/a.md", "s1") {
		t.Error("a's stamp was lost by the Prune")
	}
}
