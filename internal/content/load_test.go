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

// TestListReadsOtherGeneratorsExtensions and warns of the rest: Jekyll's
// .markdown posts used to be skipped, and a stray file in content/ said
// nothing (issue 13, item 2). Nothing is skipped silently now but what
// the ignore rules name and the files of page bundles.
func TestListWarnsOfEveryOtherFile(t *testing.T) {
	f := &fstest.MapFile{Data: []byte("x")}
	fsys := fstest.MapFS{
		"content/a.md":                       f,
		"content/b.markdown":                 f,
		"content/c.MDOWN":                    f,
		"content/d.mkd":                      f,
		"content/e.mkdn":                     f,
		"content/notes.txt":                  f, // stray
		"content/2026/photo.png":             f, // beside story.md, not index.md: stray
		"content/2026/story.md":              f,
		"content/2026/port/index.markdown":   f, // a bundle
		"content/2026/port/photo.png":        f, // its file
		"content/2026/port/data/levels.csv":  f, // its file, in a folder below
		"content/2026/port/other/index.md":   f, // another bundle
		"content/2026/port/other/chart.svg":  f, // that one's file
		"content/2026/port/section/x.md":     f, // a folder with an article of its own
		"content/2026/port/section/x.png":    f, // stray: not the bundle's
		"content/.DS_Store":                  f, // ignored
		"content/_drafts/y.txt":              f, // ignored
		"content/2026/story.md~":             f, // ignored
		"content/2026/port/photo.png.swp":    f, // ignored
		"content/2026/port/_notes/plans.txt": f, // ignored
	}
	files, errs := List(fsys)
	want := []string{"content/2026/port/index.markdown", "content/2026/port/other/index.md", "content/2026/port/section/x.md",
		"content/2026/story.md", "content/a.md", "content/b.markdown", "content/c.MDOWN", "content/d.mkd", "content/e.mkdn"}
	if strings.Join(files, "\n") != strings.Join(want, "\n") {
		t.Errorf("articles:\n%s\nwant:\n%s", strings.Join(files, "\n"), strings.Join(want, "\n"))
	}
	stray := ": skipped: not an article (articles end in .md, .markdown, .mdown, .mkd or .mkdn), nor a file of a page bundle (beside an index.md); move it to static/ to publish it, or delete it"
	wantErrs := strings.Join([]string{"content/2026/photo.png" + stray, "content/2026/port/section/x.png" + stray, "content/notes.txt" + stray}, "\n")
	errs.Sort()
	if errs.Error() != wantErrs || len(errs.Warnings()) != len(errs) {
		t.Errorf("problems:\n%s\nwant:\n%s", errs, wantErrs)
	}
}

// TestListWarnsOfLinks: a symbolic link in content/ is not followed, and
// says so.
func TestListWarnsOfLinks(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../elsewhere.md", filepath.Join(dir, "content", "linked.md")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	files, errs := List(os.DirFS(dir))
	want := "content/linked.md: skipped: symbolic links in content/ are not followed (copy the file itself here)"
	if len(files) != 0 || errs.Error() != want || len(errs.Warnings()) != 1 {
		t.Errorf("files %v, problems:\n%s\nwant:\n%s", files, errs, want)
	}
}

func TestIsArticle(t *testing.T) {
	for p, want := range map[string]bool{
		"content/a.md": true, "content/a.markdown": true, "content/x/a.Mkdn": true, "content/a.mkd": true, "content/a.mdown": true,
		"content/a.txt": false, "content/a.html": false, "content/_x/a.md": false, "content/.a.md": false, "static/a.md": false,
		"content/a.md.bak": false, "content/amd": false,
	} {
		if got := IsArticle(p); got != want {
			t.Errorf("IsArticle(%q) = %v, want %v", p, got, want)
		}
	}
}
