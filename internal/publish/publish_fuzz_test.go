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
