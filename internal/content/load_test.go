package content

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// endlessFS holds content/big.md, which says it has size bytes and
// reads as 'x' without end, counting what is read: a file must be
// refused on its size before it is read, and never read past the limit.
type endlessFS struct {
	size int64
	read int64
}

func (e *endlessFS) Open(name string) (fs.File, error) {
	if name != "content/big.md" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return endlessFile{e}, nil
}

type endlessFile struct{ fs *endlessFS }

func (f endlessFile) Stat() (fs.FileInfo, error) { return f, nil }
func (f endlessFile) Close() error               { return nil }
func (f endlessFile) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	f.fs.read += int64(len(p))
	return len(p), nil
}

// endlessFile is its own fs.FileInfo.
func (f endlessFile) Name() string       { return "big.md" }
func (f endlessFile) Size() int64        { return f.fs.size }
func (f endlessFile) Mode() fs.FileMode  { return 0o644 }
func (f endlessFile) ModTime() time.Time { return time.Time{} }
func (f endlessFile) IsDir() bool        { return false }
func (f endlessFile) Sys() any           { return nil }

// TestFileSizeIsCheckedBeforeReading: a 1 GiB article used to be read
// whole (1.07 GB of memory, 8.7 s) before the 4 MB limit refused it. Its
// size is now checked first; and a file that says it is small but goes
// on is read only up to the limit.
func TestFileSizeIsCheckedBeforeReading(t *testing.T) {
	p := newParser(t, "")
	big := &endlessFS{size: 1 << 30}
	_, errs := p.ParseFile(big, "content/big.md")
	if want := "content/big.md:1:1: the file is 1073741824 bytes, over the limit of 4194304 (split it into several articles)"; errs.Error() != want {
		t.Errorf("errors:\n%s\nwant:\n%s", errs, want)
	}
	if big.read > 0 {
		t.Errorf("read %d bytes of a file over the limit", big.read)
	}
	growing := &endlessFS{size: 100}
	_, errs = p.ParseFile(growing, "content/big.md")
	if want := "content/big.md:1:1: the file is over the limit of 4194304 bytes (split it into several articles)"; errs.Error() != want {
		t.Errorf("errors:\n%s\nwant:\n%s", errs, want)
	}
	if growing.read > MaxArticleBytes+1 {
		t.Errorf("read %d bytes of a file that grew, want at most the limit and one", growing.read)
	}
}

// TestReadFileReadsWholeFiles: files of every size up to the limit are
// read whole, the limit included.
func TestReadFileReadsWholeFiles(t *testing.T) {
	for _, n := range []int{0, 1, 511, 512, 4096, MaxArticleBytes} {
		data := strings.Repeat("a", n)
		got, err := ReadFile(fstest.MapFS{"x.md": {Data: []byte(data)}}, "x.md")
		if err != nil || string(got) != data {
			t.Errorf("%d bytes: read %d, %v", n, len(got), err)
		}
	}
	_, err := ReadFile(fstest.MapFS{"x.md": {Data: make([]byte, MaxArticleBytes+1)}}, "x.md")
	if _, ok := err.(*TooLargeError); !ok {
		t.Errorf("a file one byte over the limit: %v, want a *TooLargeError", err)
	}
}

// TestNamesNotUTF8AreReported: a file or folder name that is not UTF-8
// cannot be opened through fs.FS, and used to give "cannot read: invalid
// argument" with the name mangled to U+FFFD. It is reported quoted, with
// a command that renames it.
func TestNamesNotUTF8AreReported(t *testing.T) {
	art := &fstest.MapFile{Data: []byte("---\ntitle: T\ndate: 2026-01-01\n---\n")}
	fsys := fstest.MapFS{
		"content/caf\xe9.md":        art,
		"content/it's \x81.md":      art,
		"content/d\xe9p\xf4t/a.md":  art,
		"content/ok.md":             art,
		"content/caf\xe9.jpg":       art, // not an article: left alone
		"content/_old/caf\xe9.md":   art, // ignored folder
		"content/.caf\xe9-cache.md": art, // hidden
	}
	arts, errs := newParser(t, "").Load(fsys)
	want := strings.Join([]string{
		`"content/caf\xe9.md": the file name is not valid UTF-8 (rename it, e.g. mv $'content/caf\xe9.md' 'content/café.md')`,
		`"content/d\xe9p\xf4t": the folder name is not valid UTF-8 (rename it, e.g. mv $'content/d\xe9p\xf4t' 'content/dépôt')`,
		`"content/it's \x81.md": the file name is not valid UTF-8 (rename it, e.g. mv $'content/it\'s \x81.md' 'content/it'\''s _.md')`,
	}, "\n")
	if errs.Error() != want {
		t.Errorf("errors:\n%s\nwant:\n%s", errs, want)
	}
	if len(arts) != 1 || arts[0].File != "content/ok.md" {
		t.Errorf("loaded %v, want content/ok.md alone", arts)
	}
}

// TestBadNameOnDisk: the same through the operating system, where such
// names come from (unzipped archives).
func TestBadNameOnDisk(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "content", "caf\xe9.md")
	if err := os.WriteFile(name, []byte("---\ntitle: T\ndate: 2026-01-01\n---\n"), 0o644); err != nil {
		t.Skipf("the file system refuses a name that is not UTF-8: %v", err)
	}
	_, errs := List(os.DirFS(dir))
	want := `"content/caf\xe9.md": the file name is not valid UTF-8 (rename it, e.g. mv $'content/caf\xe9.md' 'content/café.md')`
	if errs.Error() != want {
		t.Errorf("errors:\n%s\nwant:\n%s", errs, want)
	}
}
