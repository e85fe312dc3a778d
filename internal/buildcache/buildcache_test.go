package buildcache

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPutGet(t *testing.T) {
	c := Open(t.TempDir(), NewKey([]byte("v1")))
	k := NewKey([]byte("article"), []byte("bytes"))
	if _, ok := c.Get(k); ok {
		t.Fatal("an empty cache has an entry")
	}
	if err := c.Put(k, []byte("parsed")); err != nil {
		t.Fatal(err)
	}
	got, ok := c.Get(k)
	if !ok || string(got) != "parsed" {
		t.Fatalf("Get = %q, %v; want the data put", got, ok)
	}
}

func TestKeysDoNotCollideByJoining(t *testing.T) {
	if NewKey([]byte("ab"), []byte("c")) == NewKey([]byte("a"), []byte("bc")) {
		t.Error("two lists of parts with the same join give one key")
	}
}

// TestDamagedEntriesAreMisses: an entry cut short, with a changed byte,
// with another key's entry in its place, or of another format, is never
// returned; the next Put replaces it.
func TestDamagedEntriesAreMisses(t *testing.T) {
	c := Open(t.TempDir(), NewKey([]byte("v1")))
	k, other := NewKey([]byte("a")), NewKey([]byte("b"))
	data := []byte("the article, parsed")
	c.Put(k, data)
	c.Put(other, []byte("another article"))
	path := filepath.Join(c.Dir(), k.String())
	whole, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	foreign, _ := os.ReadFile(filepath.Join(c.Dir(), other.String()))
	flipped := slices.Clone(whole)
	flipped[len(flipped)-3] ^= 1
	damaged := map[string][]byte{
		"empty":       {},
		"header only": whole[:headerSize],
		"truncated":   whole[:len(whole)-1],
		"longer":      append(slices.Clone(whole), 'x'),
		"flipped":     flipped,
		"foreign":     foreign,
		"not ours":    []byte("<html>some file</html>"),
	}
	for name, b := range damaged {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if got, ok := c.Get(k); ok {
			t.Errorf("%s: Get = %q, want a miss", name, got)
		}
	}
	c.Put(k, data)
	if got, ok := c.Get(k); !ok || string(got) != string(data) {
		t.Errorf("after Put again: %q, %v", got, ok)
	}
}

// TestPruneKeepsWhatWasUsed: Prune removes the entries this run neither
// read nor wrote, and killed builds' temporary files, and nothing that
// is not the cache's.
func TestPruneKeepsWhatWasUsed(t *testing.T) {
	root := t.TempDir()
	variant := NewKey([]byte("v1"))
	first := Open(root, variant)
	kept, gone := NewKey([]byte("kept")), NewKey([]byte("gone"))
	first.Put(kept, []byte("1"))
	first.Put(gone, []byte("2"))
	tmp := filepath.Join(first.Dir(), tmpPrefix+"0123abcd-99")
	fresh := filepath.Join(first.Dir(), tmpPrefix+"0123abce-98")
	notes := filepath.Join(first.Dir(), "notes.txt")
	for _, f := range []string{tmp, fresh, notes} {
		os.WriteFile(f, []byte("x"), 0o644)
	}
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(tmp, old, old)

	second := Open(root, variant)
	if _, ok := second.Get(kept); !ok {
		t.Fatal("entry missing")
	}
	if err := second.Prune(); err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]bool{
		filepath.Join(first.Dir(), kept.String()): true,
		filepath.Join(first.Dir(), gone.String()): false,
		tmp: false, fresh: true, notes: true,
	} {
		if _, err := os.Stat(f); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(f), err == nil, want)
		}
	}
}

// TestPruneBoundsVariants: the folders of old versions and settings go,
// but for the most recently used few.
func TestPruneBoundsVariants(t *testing.T) {
	root := t.TempDir()
	var dirs []string
	for i := range keptVariants + 3 {
		c := Open(root, NewKey([]byte{byte(i)}))
		c.Put(NewKey([]byte("a")), []byte("x"))
		c.OpenLog().Put("content/a.md", "", NewKey([]byte("a")), []byte("x"), nil)
		at := time.Now().Add(time.Duration(i-20) * time.Minute)
		os.Chtimes(c.Dir(), at, at)
		dirs = append(dirs, c.Dir())
	}
	oldest := Open(root, NewKey([]byte{0}))
	oldest.Get(NewKey([]byte("a")))
	if err := oldest.Prune(); err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, d := range dirs {
		if _, err := os.Stat(d); err == nil {
			left = append(left, d)
		}
	}
	if len(left) != keptVariants {
		t.Errorf("%d variants left, want %d", len(left), keptVariants)
	}
	if _, err := os.Stat(dirs[0]); err != nil {
		t.Error("the variant in use was pruned")
	}
}

// TestConcurrentWritersNeverMix: builds running at once write the same
// entries (two caches over one folder, as two processes have); a reader
// gets a whole entry, one writer's or the other's, or none, never a mix
// or a cut.
func TestConcurrentWritersNeverMix(t *testing.T) {
	root := t.TempDir()
	variant := NewKey([]byte("v1"))
	k := NewKey([]byte("article"))
	datas := [][]byte{bytes.Repeat([]byte("a"), 1<<20), bytes.Repeat([]byte("b"), 3<<19)}
	var wg sync.WaitGroup
	for w := range 2 {
		c := Open(root, variant)
		wg.Go(func() {
			for range 30 {
				if err := c.Put(k, datas[w]); err != nil {
					t.Error(err)
				}
			}
		})
	}
	reader := Open(root, variant)
	wg.Go(func() {
		for range 200 {
			got, ok := reader.Get(k)
			if ok && !bytes.Equal(got, datas[0]) && !bytes.Equal(got, datas[1]) {
				t.Errorf("read %d bytes that neither writer wrote", len(got))
				return
			}
		}
	})
	wg.Wait()
}

// TestProgramKey: the key of the running program is its Go build ID
// (this test binary is ELF on Linux), which differs from another
// program's.
func TestProgramKey(t *testing.T) {
	k, err := ProgramKey()
	if err != nil {
		t.Fatal(err)
	}
	exe, _ := os.Executable()
	id := goBuildID(exe)
	if runtime.GOOS == "linux" && id == nil {
		t.Fatal("no Go build ID in the test's own executable")
	}
	if id != nil && k != NewKey([]byte("go build id"), id) {
		t.Error("ProgramKey is not the build ID's key")
	}
	if id != nil && strings.Count(string(id), "/") != 3 {
		t.Errorf("build ID %q is not of the go command's four parts", id)
	}
	if goBuildID("/bin/sh") != nil {
		t.Error("a program not built by Go has a Go build ID")
	}
}

// TestProgramKeyWithoutABuildID: a program linked with a build ID set by
// hand (as some packagers do, the same for every version) is not known
// by it: goBuildID refuses it, and ProgramKey hashes the executable.
func TestProgramKeyWithoutABuildID(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil || runtime.GOOS != "linux" {
		t.Skip("needs the go command, on Linux")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module x\n\ngo 1.22\n"), 0o644)
	for _, id := range []string{"redacted", ""} {
		exe := filepath.Join(dir, "x"+id)
		cmd := exec.Command(goBin, "build", "-o", exe, "-ldflags=-buildid="+id, ".")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		if got := goBuildID(exe); got != nil {
			t.Errorf("-buildid=%q: goBuildID = %q, want none", id, got)
		}
	}
}

// TestPutFunc: an entry written a piece at a time reads back whole, as
// Put's; one whose writer fails is not stored, and leaves no file.
func TestPutFunc(t *testing.T) {
	c := Open(t.TempDir(), NewKey([]byte("v1")))
	k := NewKey([]byte("big"))
	piece := bytes.Repeat([]byte("0123456789"), 10000)
	err := c.PutFunc(k, func(w io.Writer) error {
		for range 30 {
			if _, err := w.Write(piece); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, ok := c.Get(k)
	if !ok || !bytes.Equal(got, bytes.Repeat(piece, 30)) {
		t.Fatalf("read back %d bytes, %v; want %d", len(got), ok, 30*len(piece))
	}
	bad := NewKey([]byte("bad"))
	if err := c.PutFunc(bad, func(w io.Writer) error {
		w.Write(piece)
		return errors.New("no more")
	}); err == nil {
		t.Fatal("a failed write was stored")
	}
	if _, ok := c.Get(bad); ok {
		t.Error("a failed write is found")
	}
	files, _ := os.ReadDir(c.Dir())
	if len(files) != 1 {
		t.Errorf("%d files in the cache, want the one entry", len(files))
	}
}

// TestPrefetch: an entry read ahead is what Get returns, once; the next
// Get reads the entry again. A damaged entry read ahead is a miss, a
// missing one is not read ahead, and one used after Prefetch is kept
// from Prune.
func TestPrefetch(t *testing.T) {
	c := Open(t.TempDir(), NewKey([]byte("v1")))
	k, damaged, missing := NewKey([]byte("snapshot")), NewKey([]byte("damaged")), NewKey([]byte("missing"))
	for _, key := range []Key{k, damaged} {
		if err := c.Put(key, []byte("the index, as it was")); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(c.Dir(), damaged.String())
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)-1] ^= 1
	if err := os.WriteFile(p, raw, 0o600); err != nil {
		t.Fatal(err)
	}

	c = Open(filepath.Dir(c.Dir()), NewKey([]byte("v1")))
	for _, key := range []Key{k, k, damaged, missing} {
		c.Prefetch(key)
	}
	if _, ok := c.ahead.Load(missing.String()); ok {
		t.Error("a missing entry was read ahead")
	}
	if got, ok := c.Get(k); !ok || string(got) != "the index, as it was" {
		t.Errorf("Get after Prefetch = %q, %v", got, ok)
	}
	if _, ok := c.ahead.Load(k.String()); ok {
		t.Error("the entry read ahead is still held after Get")
	}
	if err := c.Put(k, []byte("the index, edited")); err != nil {
		t.Fatal(err)
	}
	if got, ok := c.Get(k); !ok || string(got) != "the index, edited" {
		t.Errorf("the second Get = %q, %v; want the entry as it is now", got, ok)
	}
	if got, ok := c.Get(damaged); ok {
		t.Errorf("a damaged entry read ahead = %q, want a miss", got)
	}
	if got, ok := c.Get(missing); ok {
		t.Errorf("a missing entry = %q", got)
	}
	c.Prefetch(k)
	c.Unfetch(k)
	if _, ok := c.ahead.Load(k.String()); ok {
		t.Error("an entry read ahead is still held after Unfetch")
	}
	if got, ok := c.Get(k); !ok || string(got) != "the index, edited" {
		t.Errorf("Get after Unfetch = %q, %v", got, ok)
	}
	if err := c.Prune(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(c.Dir(), k.String())); err != nil {
		t.Errorf("the entry read ahead and used was pruned: %v", err)
	}
}
