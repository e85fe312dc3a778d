package publish

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzOutputWrite writes two files with fuzzed names into a new build over
// a previous one (Begin, Write, Write, Abort) and walks the site folder to
// check that nothing was created outside the new build's temporary folder,
// that the previous build stays exactly as it was, and that Abort leaves
// no temporary folder behind. Run it with
//
//	go test ./internal/publish -run '^$' -fuzz FuzzOutputWrite -fuzztime 20s
func FuzzOutputWrite(f *testing.F) {
	for _, s := range []struct {
		name  string
		data  string
		name2 string
		data2 string
	}{
		{"index.html", "<p>new</p>", "2026/11/27/story/index.html", "x"},
		{"feed.xml", "<rss/>", "images/logo.svg", "<svg/>"},
		{"a/b/c/d/e/f/g.html", "x", "a/b", "y"}, // a file where a folder is
		{"a/b", "y", "a/b/c.html", "x"},         // a folder where a file is
		{"../escape.txt", "x", "../../etc/passwd", "x"},
		{"/abs.txt", "x", "./dot.txt", "x"},
		{"a/../../b.txt", "x", "a/./b.txt", "x"},
		{"a//b.txt", "x", "a/b.txt/", "x"},
		{"..", "x", ".", "x"},
		{"", "x", "/", "x"},
		{"a\\..\\..\\b.txt", "x", "C:\\Windows\\x", "x"},
		{"a\x00b", "x", "nul\x00/../../x", "x"},
		{Marker, "x", "sub/" + Marker, "x"},
		{"..build.tmp-x/y", "x", ".build.tmp-y", "x"},
		{"\u202Etxt.exe", "x", "caf\xe9.html", "x"},
		{"\xff\xfe", "x", "a\nb\r\n", "x"},
		{strings.Repeat("a", 300), "x", strings.Repeat("a/", 100) + "b", "x"},
		// The same name twice, the first reused from the previous build by a
		// hard link: the second used to be written through the link into
		// the previous build (found by this target, since fixed).
		{"index.html", "old index", "index.html", "new index"},
		{"a/b.txt", "old b", "a/b.txt", "other b"},
		{"index.html", "new index", "index.html", "old index"},
	} {
		f.Add(s.name, []byte(s.data), s.name2, []byte(s.data2))
	}
	// One site with a previous build per fuzzing process; every input
	// must leave it exactly as it was.
	root := f.TempDir()
	out := filepath.Join(root, "build")
	old := map[string]string{ // the previous build
		Marker:       "previous build\n",
		"index.html": "old index",
		"a/b.txt":    "old b",
	}
	writePrevious := func(t testing.TB) {
		for n, data := range old {
			mustMkdir(t, filepath.Dir(filepath.Join(out, n)))
			mustWrite(t, filepath.Join(out, filepath.FromSlash(n)), data)
		}
	}
	mustMkdir(f, filepath.Join(root, "content"))
	mustWrite(f, filepath.Join(root, "site.toml"), "")
	writePrevious(f)
	before := tree(f, root)

	f.Fuzz(func(t *testing.T, name string, data []byte, name2 string, data2 []byte) {
		o, err := Begin(root, out)
		if err != nil {
			t.Fatal(err)
		}
		aborted := false
		defer func() {
			if !aborted { // a failed check must not keep the lock
				o.Abort()
			}
		}()
		tmp := o.tmp
		if filepath.Dir(tmp) != root || !strings.HasPrefix(filepath.Base(tmp), ".build.tmp-") {
			t.Fatalf("temporary folder %s is not a .build.tmp-* beside the output", tmp)
		}
		for _, w := range []struct {
			name string
			data []byte
		}{{name, data}, {name2, data2}} {
			if err := o.Write(w.name, w.data); err != nil {
				continue
			}
			// What was written must be readable back at that name.
			if got, err := os.ReadFile(filepath.Join(tmp, filepath.FromSlash(w.name))); err != nil || !bytes.Equal(got, w.data) {
				t.Errorf("Write(%q) succeeded but the new build holds %q, %v", w.name, got, err)
			}
		}

		// Everything is either the site as it was or inside the new build.
		after := tree(t, root)
		for p, content := range after {
			if p == tmp || strings.HasPrefix(p, tmp+string(filepath.Separator)) {
				continue
			}
			was, ok := before[p]
			if !ok {
				t.Errorf("Write(%q, %q) created %s outside the new build's folder", name, name2, p)
				continue
			}
			if was != content {
				t.Errorf("Write(%q, %q) changed %s of the previous build or the site: %q, was %q", name, name2, p, content, was)
			}
		}
		for p := range before {
			if _, ok := after[p]; !ok {
				t.Errorf("Write(%q, %q) removed %s", name, name2, p)
			}
		}

		o.Abort()
		aborted = true
		final := tree(t, root)
		for p, content := range final {
			if was, ok := before[p]; !ok || was != content {
				t.Errorf("after Abort: %s is %q, was %q (existed: %v); the previous build must stay exactly as it was", p, content, was, ok)
			}
		}
		if len(final) != len(before) {
			t.Errorf("after Abort: %d paths, want the %d of before", len(final), len(before))
		}
	})
}

// tree maps every path under root (root included) to its content: a
// file's bytes, "<dir>" or "<link -> target>".
func tree(t testing.TB, root string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			m[p] = "<link -> " + target + ">"
		case d.IsDir():
			m[p] = "<dir>"
		default:
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			m[p] = string(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func mustMkdir(t testing.TB, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

func mustWrite(t testing.TB, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// FuzzKeptWrite writes two files with fuzzed names over a kept build (the
// one before last, which the next build writes over) that holds traps:
// links to a folder and a file outside, a file where a folder may be
// needed, a folder where a file may be. Then it sweeps what was not
// written, as Commit does, and checks that nothing outside the kept
// folder changed, that what was written reads back, and that the kept
// folder holds nothing else.
func FuzzKeptWrite(f *testing.F) {
	for _, s := range [][2]string{
		{"sub/x.html", "file.html/y.html"},
		{"link.html", "sub"},
		{"plain/a/b.html", "dir.html"},
		{"file.html", "dir.html/z.html"},
		{"sub/../link.html", "../outside/secret.html"},
		{"index.html", "index.html"},
	} {
		f.Add(s[0], []byte("one"), s[1], []byte("two"))
	}
	root := f.TempDir()
	out := filepath.Join(root, "build")
	mustMkdir(f, filepath.Join(root, "content"))
	mustWrite(f, filepath.Join(root, "site.toml"), "")
	mustMkdir(f, out)
	mustWrite(f, filepath.Join(out, Marker), "output\n")
	mustWrite(f, filepath.Join(out, "index.html"), "one")
	outside := filepath.Join(root, "outside")
	mustMkdir(f, filepath.Join(outside, "dir"))
	mustWrite(f, filepath.Join(outside, "secret.html"), "secret")
	kept := Kept(out)

	f.Fuzz(func(t *testing.T, name string, data []byte, name2 string, data2 []byte) {
		os.RemoveAll(kept)
		mustMkdir(t, filepath.Join(kept, "dir.html"))
		mustMkdir(t, filepath.Join(kept, "plain", "a"))
		mustWrite(t, filepath.Join(kept, Marker), "kept\n")
		mustWrite(t, filepath.Join(kept, "file.html"), "stale")
		mustWrite(t, filepath.Join(kept, "dir.html", "old.html"), "stale")
		if err := os.Symlink(filepath.Join(outside, "dir"), filepath.Join(kept, "sub")); err != nil {
			t.Skip(err)
		}
		if err := os.Symlink(filepath.Join(outside, "secret.html"), filepath.Join(kept, "link.html")); err != nil {
			t.Fatal(err)
		}
		before := tree(t, root)

		o, err := Begin(root, out)
		if err != nil {
			t.Fatal(err)
		}
		defer o.Abort()
		if !o.recycled || o.tmp != kept {
			t.Fatalf("the build writes into %s, want the kept %s", o.tmp, kept)
		}
		written := map[string][]byte{}
		for _, w := range []struct {
			name string
			data []byte
		}{{name, data}, {name2, data2}} {
			if o.Write(w.name, w.data) == nil {
				written[w.name] = w.data
			}
		}
		if err := o.sweep(); err != nil {
			t.Fatalf("sweep: %v", err)
		}
		after := tree(t, root)
		inKept := func(p string) bool { return p == kept || strings.HasPrefix(p, kept+string(filepath.Separator)) }
		for p, content := range after {
			if !inKept(p) && before[p] != content {
				t.Errorf("Write(%q, %q) changed %s outside the kept folder: %q, was %q", name, name2, p, content, before[p])
			}
		}
		for p := range before {
			if _, ok := after[p]; !ok && !inKept(p) {
				t.Errorf("Write(%q, %q) removed %s outside the kept folder", name, name2, p)
			}
		}
		// The kept folder holds the marker, what was written (the last
		// write of a name wins, unless a clash failed it), and its folders.
		for p, content := range after {
			if !inKept(p) || p == kept || content == "<dir>" {
				continue
			}
			rel, _ := filepath.Rel(kept, p)
			rel = filepath.ToSlash(rel)
			if rel == Marker {
				continue
			}
			if _, ok := written[rel]; !ok {
				t.Errorf("Write(%q, %q) left %s = %q in the kept folder", name, name2, rel, content)
			}
		}
		for n, d := range written {
			got, err := os.ReadFile(filepath.Join(kept, filepath.FromSlash(n)))
			if err != nil || (!bytes.Equal(got, d) && !(n == name && n == name2)) {
				t.Errorf("Write(%q) succeeded but the kept folder holds %q, %v", n, got, err)
			}
		}
	})
}
