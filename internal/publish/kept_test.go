package publish

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// files maps every file under dir, but the marker, to its content;
// folders appear as "name/" when empty.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for p, content := range tree(t, dir) {
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case rel == "." || rel == Marker:
		case content == "<dir>":
			if entries, _ := os.ReadDir(p); len(entries) == 0 {
				m[rel+"/"] = ""
			}
		default:
			m[rel] = content
		}
	}
	return m
}

func sameFiles(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	var diffs []string
	for n, w := range want {
		if g, ok := got[n]; !ok {
			diffs = append(diffs, "missing "+n)
		} else if g != w {
			diffs = append(diffs, n+" = "+g+", want "+w)
		}
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			diffs = append(diffs, "extra "+n)
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		t.Errorf("%s: %s", what, strings.Join(diffs, "; "))
	}
}

func sameFile(t *testing.T, a, b string) bool {
	t.Helper()
	ia, err := os.Lstat(a)
	if err != nil {
		t.Fatal(err)
	}
	ib, err := os.Lstat(b)
	if err != nil {
		t.Fatal(err)
	}
	return os.SameFile(ia, ib)
}

// TestKeptBuildIsWrittenOver: the output a build replaces is kept beside
// it, and the next build writes over that one. Whatever the kept build
// held, the output is exactly the new build: stale pages, folders and
// clashes (a file where a folder is needed, and the other way round) are
// cleared, and unchanged files keep their inode and modification time.
func TestKeptBuildIsWrittenOver(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	kept := filepath.Join(root, ".build.prev")
	if Kept(out) != kept {
		t.Fatalf("Kept(%q) = %q, want %q", out, Kept(out), kept)
	}
	builds := []map[string]string{
		{"index.html": "one", "same.html": "same", "gone.html": "x", "gone/deep/a.html": "x", "was-file": "f", "was-dir/index.html": "d"},
		{"index.html": "two", "same.html": "same", "b.html": "b"},
		{"index.html": "three", "same.html": "same", "b.html": "b", "was-file/index.html": "now a folder", "was-dir": "now a file", "new/x.html": "x"},
		{"index.html": "four", "same.html": "same"},
	}
	for i, b := range builds {
		if err := build(t, root, out, b); err != nil {
			t.Fatalf("build %d: %v", i+1, err)
		}
		sameFiles(t, "build "+string(rune('1'+i))+" output", files(t, out), b)
		if i == 0 {
			if _, err := os.Lstat(kept); err == nil {
				t.Fatal("a first build kept a folder beside the output")
			}
			old := time.Now().Add(-time.Hour).Truncate(time.Second)
			os.Chtimes(filepath.Join(out, "same.html"), old, old)
			continue
		}
		// The kept folder is exactly the build before.
		sameFiles(t, "kept after build "+string(rune('1'+i)), files(t, kept), builds[i-1])
		if !isBuild(kept) {
			t.Fatalf("the kept folder has no marker after build %d", i+1)
		}
		if info, _ := os.Stat(filepath.Join(out, "same.html")); time.Since(info.ModTime()) < 30*time.Minute {
			t.Errorf("build %d: an unchanged file got a new modification time", i+1)
		}
	}
	// Unchanged: one file in both folders, never copied.
	if !sameFile(t, filepath.Join(out, "same.html"), filepath.Join(kept, "same.html")) {
		t.Error("same.html is not one file in the output and the kept folder")
	}
	assertNoLeftovers(t, root)
}

// TestKeptBuildLinksLeadNowhere: links planted in the kept folder, where
// the next build writes a folder or a file, are replaced, not followed:
// nothing outside the output's folders is touched.
func TestKeptBuildLinksLeadNowhere(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	for i := 0; i < 2; i++ { // two builds: the second keeps the first
		if err := build(t, root, out, map[string]string{"index.html": "x"}); err != nil {
			t.Fatal(err)
		}
	}
	kept := Kept(out)
	outside := t.TempDir()
	mustWrite(t, filepath.Join(outside, "secret.html"), "keep me")
	mustMkdir(t, filepath.Join(outside, "dir"))
	for link, target := range map[string]string{
		"sub":         filepath.Join(outside, "dir"),
		"secret.html": filepath.Join(outside, "secret.html"),
		"index.html":  filepath.Join(outside, "secret.html"),
	} {
		if err := os.Symlink(target, filepath.Join(kept, link)); err != nil {
			os.Remove(filepath.Join(kept, link))
			if err := os.Symlink(target, filepath.Join(kept, link)); err != nil {
				t.Skip(err)
			}
		}
	}
	before := tree(t, outside)
	want := map[string]string{"index.html": "y", "sub/x.html": "in sub", "secret.html": "mine", "sub/deeper/y.html": "y"}
	if err := build(t, root, out, want); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "output", files(t, out), want)
	sameFiles(t, "outside", tree(t, outside), before)
	for _, p := range []string{"sub", "secret.html", "index.html"} {
		if info, err := os.Lstat(filepath.Join(out, p)); err != nil || info.Mode()&os.ModeSymlink != 0 {
			t.Errorf("%s in the output is a link or missing: %v", p, err)
		}
	}
}

// TestKeptBuildSweptEverywhere: what was put into the kept folder where
// the next build writes nothing (files, folders and links, at the top and
// deep in folders the build writes into) is gone from the output, and a
// link is removed, not followed.
func TestKeptBuildSweptEverywhere(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	pages := map[string]string{"index.html": "x", "a/b/c/index.html": "c", "a/d/index.html": "d"}
	for i := 0; i < 2; i++ {
		if err := build(t, root, out, pages); err != nil {
			t.Fatal(err)
		}
	}
	kept := Kept(out)
	outside := t.TempDir()
	mustMkdir(t, filepath.Join(outside, "dir"))
	mustWrite(t, filepath.Join(outside, "dir", "keep.html"), "keep me")
	for _, f := range []string{"stray.html", "a/stray.html", "a/b/c/stray.html", "a/d/gone/deep/x.html", "other/y.html"} {
		p := filepath.Join(kept, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		mustWrite(t, p, "stray")
	}
	for _, link := range []string{"a/b/out", "top-link"} {
		if err := os.Symlink(filepath.Join(outside, "dir"), filepath.Join(kept, filepath.FromSlash(link))); err != nil {
			t.Skip(err)
		}
	}
	before := tree(t, outside)
	if err := build(t, root, out, pages); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "output", files(t, out), pages)
	sameFiles(t, "outside", tree(t, outside), before)
}

// TestKeptNameNotOurs: a folder by the kept name that is not digest's (no
// marker, or a link) is neither written over nor replaced.
func TestKeptNameNotOurs(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	kept := Kept(out)
	mustMkdir(t, kept)
	mustWrite(t, filepath.Join(kept, "notes.txt"), "mine")
	for i := 0; i < 2; i++ {
		if err := build(t, root, out, map[string]string{"index.html": string(rune('a' + i))}); err != nil {
			t.Fatal(err)
		}
	}
	sameFiles(t, "the user's folder", files(t, kept), map[string]string{"notes.txt": "mine"})
	sameFiles(t, "output", files(t, out), map[string]string{"index.html": "b"})
	assertNoLeftovers(t, root)
}

// TestAbortKeepsTheKeptBuild: a build that fails half-way through writing
// over the kept folder leaves the output as it was, and the next build
// is exact again.
func TestAbortKeepsTheKeptBuild(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	first := map[string]string{"index.html": "1", "a/x.html": "a"}
	second := map[string]string{"index.html": "2", "b/y.html": "b"}
	for _, b := range []map[string]string{first, second} {
		if err := build(t, root, out, b); err != nil {
			t.Fatal(err)
		}
	}
	o, err := Begin(root, out)
	if err != nil {
		t.Fatal(err)
	}
	if !o.recycled || o.tmp != Kept(out) {
		t.Fatalf("the build writes into %s (recycled %v), want the kept %s", o.tmp, o.recycled, Kept(out))
	}
	o.Write("index.html", []byte("half"))
	o.Write("c/z.html", []byte("half"))
	o.Abort()
	sameFiles(t, "output after the failed build", files(t, out), second)
	third := map[string]string{"index.html": "3", "a/x.html": "a"}
	if err := build(t, root, out, third); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "output", files(t, out), third)
	sameFiles(t, "kept", files(t, Kept(out)), second)
}

// TestClashFailsOverKeptBuild: a file and a folder by one name fail the
// build, as they always do in a fresh folder, even when the two writes
// race over a kept build that has a folder by that name (where each can
// clear the other's work as stale, and both succeed).
func TestClashFailsOverKeptBuild(t *testing.T) {
	prev := map[string]string{}
	for j := 0; j < 100; j++ {
		prev[fmt.Sprintf("x/old%d.html", j)] = "o"
	}
	bothWrote := 0
	for i := 0; i < 100; i++ {
		root := site(t)
		out := filepath.Join(root, "build")
		for range 2 {
			if err := build(t, root, out, prev); err != nil {
				t.Fatal(err)
			}
		}
		o, err := Begin(root, out)
		if err != nil {
			t.Fatal(err)
		}
		if !o.recycled {
			t.Fatal("the build does not write over the kept one")
		}
		var wg sync.WaitGroup
		var e1, e2 error
		start := make(chan struct{})
		wg.Go(func() { <-start; e1 = o.Write("x", []byte("X")) })
		wg.Go(func() { <-start; e2 = o.Write("x/y", []byte("Y")) })
		close(start)
		wg.Wait()
		if e1 != nil || e2 != nil {
			o.Abort()
			continue
		}
		bothWrote++
		if err := o.Commit(); err == nil || !strings.Contains(err.Error(), "both a file and a folder") {
			t.Fatalf("run %d: both writes of a clash succeeded and Commit = %v", i, err)
		}
		sameFiles(t, "output after the failed build", files(t, out), prev)
	}
	t.Logf("both writes succeeded in %d of 100 runs; Commit failed each time", bothWrote)
}

// TestFailedWriteDiscardsKeptBuild: when a write into the kept build
// fails, the failed build removes it, so that a fault in the folder
// itself cannot fail every build after.
func TestFailedWriteDiscardsKeptBuild(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	for range 2 {
		if err := build(t, root, out, map[string]string{"index.html": "x"}); err != nil {
			t.Fatal(err)
		}
	}
	o, err := Begin(root, out)
	if err != nil || !o.recycled {
		t.Fatalf("Begin: %v, recycled %v", err, o != nil && o.recycled)
	}
	if err := o.Write("a/b.html", []byte("b")); err != nil {
		t.Fatal(err)
	}
	if err := o.Write("a", []byte("a file where a folder is")); err == nil {
		t.Fatal("a file written over a folder of the same build")
	}
	o.Abort()
	if _, err := os.Lstat(Kept(out)); err == nil {
		t.Error("the kept build a write failed in is still there")
	}
	sameFiles(t, "output", files(t, out), map[string]string{"index.html": "x"})
	// Content errors (Abort without a failed write) keep it: see
	// TestAbortKeepsTheKeptBuild.
}

// TestEmptyOutputFolderIsNotKept: an empty output folder made by hand
// before the first build is not kept as if it were a build (it would
// hold the name, without the marker, for good).
func TestEmptyOutputFolderIsNotKept(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	mustMkdir(t, out)
	for i := range 3 {
		if err := build(t, root, out, map[string]string{"index.html": string(rune('a' + i))}); err != nil {
			t.Fatal(err)
		}
	}
	o, err := Begin(root, out)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Abort()
	if !o.recycled {
		t.Error("after three builds, the next does not write over the kept one")
	}
}

// TestHalfSwapIsRecovered: where folders are swapped by renames, a build
// killed between them leaves the old output parked beside the output
// folder. The next build puts it back if the output folder is missing,
// and removes it if the new build made it in.
func TestHalfSwapIsRecovered(t *testing.T) {
	for _, outputThere := range []bool{false, true} {
		root := site(t)
		out := filepath.Join(root, "build")
		for _, b := range []string{"1", "2"} {
			if err := build(t, root, out, map[string]string{"index.html": b}); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Rename(out, spare(out)); err != nil { // killed after the first rename
			t.Fatal(err)
		}
		if outputThere { // killed after the second
			if err := os.Rename(Kept(out), out); err != nil {
				t.Fatal(err)
			}
		}
		o, err := Begin(root, out)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"index.html": "2"}
		if outputThere {
			want["index.html"] = "1"
		}
		sameFiles(t, fmt.Sprintf("output folder there %v: the output once Begin recovered", outputThere), files(t, out), want)
		if _, err := os.Lstat(spare(out)); err == nil {
			t.Errorf("output folder there %v: the parked folder is still there", outputThere)
		}
		o.Abort()
		if err := build(t, root, out, map[string]string{"index.html": "3"}); err != nil {
			t.Fatal(err)
		}
		sameFiles(t, "output", files(t, out), map[string]string{"index.html": "3"})
	}
}

// TestLeftoverLinkIsNotFollowed: a link named like a killed build's
// folder, pointing at a folder with digest's marker, is neither followed
// nor removed.
func TestLeftoverLinkIsNotFollowed(t *testing.T) {
	root := site(t)
	elsewhere := t.TempDir()
	mustWrite(t, filepath.Join(elsewhere, Marker), "")
	mustWrite(t, filepath.Join(elsewhere, "page.html"), "keep me")
	link := filepath.Join(root, ".build.tmp-link")
	if err := os.Symlink(elsewhere, link); err != nil {
		t.Skip(err)
	}
	before := tree(t, elsewhere)
	if err := build(t, root, filepath.Join(root, "build"), map[string]string{"index.html": "x"}); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "the folder the link points at", tree(t, elsewhere), before)
	if _, err := os.Lstat(link); err != nil {
		t.Errorf("the link was removed: %v", err)
	}
}

func TestExactNamesHere(t *testing.T) {
	// Linux file systems keep names as given: the kept build is used.
	// (Case-folding ones, where exactNames is false, are not at hand.)
	if !exactNames(t.TempDir()) {
		t.Error("exactNames is false on this file system")
	}
}

func TestHolds(t *testing.T) {
	dir := t.TempDir()
	o := &Output{}
	for _, tc := range []struct {
		file, data string
		want       bool
	}{
		{"abc", "abc", true},
		{"", "", true},
		{"abcd", "abc", false},
		{"ab", "abc", false},
		{"abd", "abc", false},
		{"x", "", false},
		{"", "x", false},
	} {
		p := filepath.Join(dir, "f")
		mustWrite(t, p, tc.file)
		for range 2 { // the second time with a kept buffer
			if got := o.holds(p, []byte(tc.data)); got != tc.want {
				t.Errorf("a file of %q holds %q: %v, want %v", tc.file, tc.data, got, tc.want)
			}
		}
	}
	if o.holds(filepath.Join(dir, "missing"), nil) {
		t.Error("a missing file holds nothing")
	}
}

// TestParkedOutputIsNotLost: an old output parked by a swap killed
// half-way is only removed when the output folder holds a build. An empty
// output folder made meanwhile (mkdir -p build) gives way to it; a folder
// with someone else's files leaves it parked.
func TestParkedOutputIsNotLost(t *testing.T) {
	for _, what := range []string{"empty", "not ours"} {
		root := site(t)
		out := filepath.Join(root, "build")
		if err := build(t, root, out, map[string]string{"index.html": "1"}); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(out, spare(out)); err != nil {
			t.Fatal(err)
		}
		mustMkdir(t, out)
		if what == "not ours" {
			mustWrite(t, filepath.Join(out, "notes.txt"), "mine")
		}
		recoverSwap(out)
		if what == "empty" {
			sameFiles(t, "output after an empty folder took its place", files(t, out), map[string]string{"index.html": "1"})
			continue
		}
		sameFiles(t, "parked output", files(t, spare(out)), map[string]string{"index.html": "1"})
		sameFiles(t, "someone else's folder", files(t, out), map[string]string{"notes.txt": "mine"})
	}
}

// TestEmptiedOutputOverKeptBuild: an output folder emptied by hand (rm -rf
// build; mkdir build) between builds is swapped out by a build written
// over the kept one, and removed: it does not hold the kept name, without
// a marker, for good.
func TestEmptiedOutputOverKeptBuild(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	for _, b := range []string{"1", "2"} {
		if err := build(t, root, out, map[string]string{"index.html": b}); err != nil {
			t.Fatal(err)
		}
	}
	os.RemoveAll(out)
	mustMkdir(t, out)
	if err := build(t, root, out, map[string]string{"index.html": "3"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(Kept(out)); err == nil {
		t.Error("the emptied output folder took the kept name")
	}
	for _, b := range []string{"4", "5"} {
		if err := build(t, root, out, map[string]string{"index.html": b}); err != nil {
			t.Fatal(err)
		}
	}
	sameFiles(t, "kept", files(t, Kept(out)), map[string]string{"index.html": "4"})
}

// TestFileAddedToEmptyOutputIsKept: a file put into an empty output folder
// while a build runs (say a CNAME) is not deleted with the folder the
// build swaps out: the folder holds no marker, so it is not digest's.
func TestFileAddedToEmptyOutputIsKept(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	mustMkdir(t, out)
	o, err := Begin(root, out)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Write("index.html", []byte("x")); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(out, "CNAME"), "news.example.org")
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	m, _ := filepath.Glob(filepath.Join(root, ".build.tmp-*", "CNAME"))
	if len(m) != 1 {
		t.Fatalf("the file put into the old output folder is gone: %v", m)
	}
}

// TestKeptBuildThatCannotBeRemoved: when a write into the kept build fails
// and the kept build cannot be removed either (here a file system mounted
// inside it; elsewhere a folder without write permission), it gives up
// the kept name, so the next build is written afresh instead of failing
// the same way. Mounting needs root; elsewhere the test skips.
func TestKeptBuildThatCannotBeRemoved(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	for range 2 {
		if err := build(t, root, out, map[string]string{"index.html": "x", "sub/a.html": "a"}); err != nil {
			t.Fatal(err)
		}
	}
	var moved string
	t.Cleanup(func() { // the mount moves with the folder
		if moved != "" {
			exec.Command("umount", filepath.Join(moved, "sub")).Run()
		}
	})
	mountOrSkip(t, "-t", "tmpfs", "-o", "size=64k", "tmpfs", filepath.Join(Kept(out), "sub"))
	o, err := Begin(root, out)
	if err != nil || !o.recycled {
		t.Fatalf("Begin: %v", err)
	}
	o.Write("a/b.html", []byte("b"))
	if err := o.Write("a", []byte("a file where a folder is")); err == nil {
		t.Fatal("a file written over a folder of the same build")
	}
	o.Abort()
	if m, _ := filepath.Glob(filepath.Join(root, ".build.tmp-*")); len(m) == 1 {
		moved = m[0]
	}
	if isBuild(Kept(out)) {
		t.Fatal("the kept build that could not be removed still holds its name")
	}
	o, err = Begin(root, out)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Abort()
	if o.recycled {
		t.Error("the next build writes over the kept build that failed")
	}
}

// TestOutputMountPointIsRefused: an output folder that is a mount point
// (a container's volume, say) cannot be swapped by renaming: digest says
// so before building, with a way out, instead of failing at the end.
func TestOutputMountPointIsRefused(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	mustMkdir(t, out)
	mountOrSkip(t, "-t", "tmpfs", "-o", "size=64k", "tmpfs", out)
	_, err := Begin(root, out)
	if err == nil || !strings.Contains(err.Error(), "it is a mount point") || !strings.Contains(err.Error(), "--out "+filepath.Join(out, "site")) {
		t.Fatalf("Begin on a mount point: %v", err)
	}
	if m, _ := filepath.Glob(filepath.Join(root, ".build.*")); len(m) > 0 {
		t.Errorf("folders made beside the refused output: %v", m)
	}
	// A folder inside it is fine.
	if err := build(t, root, filepath.Join(out, "site"), map[string]string{"index.html": "x"}); err != nil {
		t.Fatalf("a build into a folder inside the mount point: %v", err)
	}
}

// mountOrSkip runs mount with args, and skips the test if it cannot
// (mounting needs root) unless DIGEST_REQUIRE_MOUNT is set, as in CI. The
// last argument, the mount point, is unmounted when the test ends.
func mountOrSkip(t *testing.T, args ...string) {
	t.Helper()
	if msg, err := exec.Command("mount", args...).CombinedOutput(); err != nil {
		if os.Getenv("DIGEST_REQUIRE_MOUNT") != "" {
			t.Fatalf("mount %v: %v %s", args, err, msg)
		}
		t.Skipf("skipping: cannot mount (needs root): %v %s", err, msg)
	}
	t.Cleanup(func() { exec.Command("umount", args[len(args)-1]).Run() })
}

// TestOutputBindMountIsRefused: a folder of the same file system bind
// mounted as the output (docker run -v ...) cannot be renamed either.
func TestOutputBindMountIsRefused(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	elsewhere := t.TempDir()
	mustMkdir(t, out)
	mountOrSkip(t, "--bind", elsewhere, out)
	if _, err := Begin(root, out); err == nil || !strings.Contains(err.Error(), "it is a mount point") {
		t.Fatalf("Begin on a bind mount: %v", err)
	}
}

// TestOutputBtrfsSubvolume: a btrfs subvolume has a device number of its
// own but is no mount point, and can be swapped: it is accepted.
func TestOutputBtrfsSubvolume(t *testing.T) {
	if _, err := exec.LookPath("mkfs.btrfs"); err != nil {
		if os.Getenv("DIGEST_REQUIRE_MOUNT") != "" {
			t.Fatal("mkfs.btrfs is missing (Debian package btrfs-progs)")
		}
		t.Skip("skipping: no mkfs.btrfs (Debian package btrfs-progs)")
	}
	img := filepath.Join(t.TempDir(), "btrfs.img")
	if err := os.WriteFile(img, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(img, 256<<20); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command("mkfs.btrfs", "-q", img).CombinedOutput(); err != nil {
		t.Fatalf("mkfs.btrfs: %v %s", err, msg)
	}
	root := t.TempDir()
	mountOrSkip(t, "-o", "loop", img, root)
	for _, d := range []string{"content", "templates", "static"} {
		mustMkdir(t, filepath.Join(root, d))
	}
	mustWrite(t, filepath.Join(root, "site.toml"), "")
	out := filepath.Join(root, "build")
	if msg, err := exec.Command("btrfs", "subvolume", "create", out).CombinedOutput(); err != nil {
		t.Fatalf("btrfs subvolume create: %v %s", err, msg)
	}
	for _, b := range []string{"1", "2", "3"} {
		if err := build(t, root, out, map[string]string{"index.html": b}); err != nil {
			t.Fatalf("build %s into a btrfs subvolume: %v", b, err)
		}
	}
	sameFiles(t, "output", files(t, out), map[string]string{"index.html": "3"})
}

// TestDanglingLinkOutputIsRefused: an output folder that is a link to a
// folder that does not exist yet is refused with a way out, not replaced
// by a folder with the link moved aside.
func TestDanglingLinkOutputIsRefused(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	target := filepath.Join(t.TempDir(), "www")
	if err := os.Symlink(target, out); err != nil {
		t.Skip(err)
	}
	_, err := Begin(root, out)
	if err == nil || !strings.Contains(err.Error(), "which does not exist (make that folder, or remove the link)") {
		t.Fatalf("Begin on a dangling link: %v", err)
	}
	if got, err := os.Readlink(out); err != nil || got != target {
		t.Errorf("the link is now %q, %v", got, err)
	}
	if m, _ := filepath.Glob(filepath.Join(root, ".build.*")); len(m) > 0 {
		t.Errorf("folders made beside the refused output: %v", m)
	}
}

// TestSwapLeftoversThatBlockTheSwap: an empty parked folder (killed while
// removing it) goes; one that cannot be removed gives up its name, so
// that the next three-rename swap can park there again.
func TestSwapLeftoversThatBlockTheSwap(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	if err := build(t, root, out, map[string]string{"index.html": "1"}); err != nil {
		t.Fatal(err)
	}
	mustMkdir(t, spare(out))
	recoverSwap(out)
	if _, err := os.Lstat(spare(out)); err == nil {
		t.Error("an empty parked folder is still there")
	}

	mustMkdir(t, filepath.Join(spare(out), "sub"))
	mustWrite(t, filepath.Join(spare(out), Marker), "")
	mountOrSkip(t, "-t", "tmpfs", "-o", "size=64k", "tmpfs", filepath.Join(spare(out), "sub"))
	recoverSwap(out)
	if _, err := os.Lstat(spare(out)); err == nil {
		t.Error("a parked folder that cannot be removed still holds the name")
	}
	m, _ := filepath.Glob(filepath.Join(root, ".build.tmp-*"))
	if len(m) != 1 {
		t.Fatalf("the parked folder was not renamed like a killed build's: %v", m)
	}
	t.Cleanup(func() { exec.Command("umount", filepath.Join(m[0], "sub")).Run() })
	sameFiles(t, "output", files(t, out), map[string]string{"index.html": "1"})
}
