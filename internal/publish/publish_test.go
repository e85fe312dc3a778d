package publish

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// site makes a site folder with the usual sources.
func site(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"content/2026", "templates", "static", ".git"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "site.toml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestCheckOutputRefusesDangerousFolders(t *testing.T) {
	root := site(t)
	home, _ := os.UserHomeDir()
	foreign := filepath.Join(root, "mine")
	os.MkdirAll(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("keep me"), 0o644)
	withGit := filepath.Join(root, "pages")
	os.MkdirAll(filepath.Join(withGit, ".git"), 0o755)
	os.WriteFile(filepath.Join(withGit, Marker), nil, 0o644)
	for _, tt := range []struct{ out, want string }{
		{"", "output folder is empty"},
		{root, "it is the site itself"},
		{root + "/.", "it is the site itself"},
		{filepath.Dir(root), "it contains the site"},
		{"/", "root of the file system"},
		{home, "home folder"},
		{filepath.Join(root, "content"), "inside the site's content"},
		{filepath.Join(root, "content/2026/out"), "inside the site's content"},
		{filepath.Join(root, "templates"), "inside the site's templates"},
		{filepath.Join(root, "static/out"), "inside the site's static"},
		{filepath.Join(root, ".git"), "inside the site's .git"},
		{filepath.Join(root, "site.toml"), "it is the site's site.toml"},
		{foreign, "holds files digest did not write"},
		{withGit, "holds a .git folder"},
	} {
		err := CheckOutput(root, tt.out)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("CheckOutput(%q) = %v, want %q", tt.out, err, tt.want)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(foreign, "notes.txt")); string(data) != "keep me" {
		t.Error("a refused folder was touched")
	}
	for _, ok := range []string{filepath.Join(root, "build"), filepath.Join(t.TempDir(), "elsewhere"), t.TempDir()} {
		if err := CheckOutput(root, ok); err != nil {
			t.Errorf("CheckOutput(%q) = %v, want nil", ok, err)
		}
	}
}

func TestCheckOutputSeesThroughSymlinks(t *testing.T) {
	root := site(t)
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(filepath.Join(root, "content"), link); err != nil {
		t.Skip(err)
	}
	if err := CheckOutput(root, filepath.Join(link, "out")); err == nil {
		t.Error("an output folder reached through a link into content/ was accepted")
	}
}

func build(t *testing.T, root, out string, files map[string]string) error {
	t.Helper()
	o, err := Begin(root, out)
	if err != nil {
		return err
	}
	for name, data := range files {
		if err := o.Write(name, []byte(data)); err != nil {
			o.Abort()
			return err
		}
	}
	return o.Commit()
}

func TestCommitReplacesWholeOutput(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	if err := build(t, root, out, map[string]string{"index.html": "one", "old/index.html": "gone soon"}); err != nil {
		t.Fatal(err)
	}
	if err := build(t, root, out, map[string]string{"index.html": "two", "a/b/c.html": "deep"}); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(out, "index.html")); string(data) != "two" {
		t.Errorf("index.html = %q", data)
	}
	if _, err := os.Stat(filepath.Join(out, "old/index.html")); err == nil {
		t.Error("a page of the previous build survived")
	}
	if _, err := os.Stat(filepath.Join(out, Marker)); err != nil {
		t.Error("no marker in the output")
	}
	assertNoLeftovers(t, root)
}

func TestAbortKeepsPreviousOutput(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	if err := build(t, root, out, map[string]string{"index.html": "good"}); err != nil {
		t.Fatal(err)
	}
	o, err := Begin(root, out)
	if err != nil {
		t.Fatal(err)
	}
	o.Write("index.html", []byte("half"))
	o.Abort()
	if data, _ := os.ReadFile(filepath.Join(out, "index.html")); string(data) != "good" {
		t.Errorf("index.html = %q after an aborted build", data)
	}
	assertNoLeftovers(t, root)
}

func TestWriteRefusesPathsOutside(t *testing.T) {
	root := site(t)
	o, err := Begin(root, filepath.Join(root, "build"))
	if err != nil {
		t.Fatal(err)
	}
	defer o.Abort()
	for _, bad := range []string{"../escape.html", "/abs.html", "a/../../x", `a\..\x`, "", ".", Marker, Marker + "/x.html"} {
		if err := o.Write(bad, []byte("x")); err == nil {
			t.Errorf("Write(%q) accepted", bad)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "escape.html")); err == nil {
		t.Error("a file was written outside the output")
	}
}

func TestLeftoversOfKilledBuildsAreRemoved(t *testing.T) {
	root := site(t)
	stale := filepath.Join(root, ".build.tmp-123")
	os.MkdirAll(stale, 0o755)
	os.WriteFile(filepath.Join(stale, Marker), nil, 0o644)
	notOurs := filepath.Join(root, ".build.tmp-user")
	os.MkdirAll(notOurs, 0o755)
	os.WriteFile(filepath.Join(notOurs, "notes.txt"), []byte("mine"), 0o644)
	empty := filepath.Join(root, ".build.tmp-killed")
	os.MkdirAll(empty, 0o755)
	if err := build(t, root, filepath.Join(root, "build"), map[string]string{"x.html": "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("a killed build's folder was not removed")
	}
	if _, err := os.Stat(filepath.Join(notOurs, "notes.txt")); err != nil {
		t.Error("a folder without the marker was removed")
	}
	if _, err := os.Stat(empty); err == nil {
		t.Error("an empty leftover folder was not removed")
	}
}

func assertNoLeftovers(t *testing.T, root string) {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(root, ".build.tmp-*"))
	if len(m) > 0 {
		t.Errorf("temporary folders left: %v", m)
	}
}

func TestUnchangedFilesKeepTheirModificationTime(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	if err := build(t, root, out, map[string]string{"same.html": "same", "changed.html": "one", "grown.html": "a"}); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	for _, f := range []string{"same.html", "changed.html", "grown.html"} {
		os.Chtimes(filepath.Join(out, f), old, old)
	}
	if err := build(t, root, out, map[string]string{"same.html": "same", "changed.html": "two", "grown.html": "ab"}); err != nil {
		t.Fatal(err)
	}
	mtime := func(f string) time.Time {
		info, err := os.Stat(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		return info.ModTime()
	}
	if !mtime("same.html").Equal(old) {
		t.Error("an unchanged file got a new modification time")
	}
	for _, f := range []string{"changed.html", "grown.html"} {
		if mtime(f).Equal(old) {
			t.Errorf("%s changed but kept its old modification time", f)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(out, "changed.html")); string(data) != "two" {
		t.Errorf("changed.html = %q", data)
	}
}

// TestSymlinkedOutputIsReplacedWhereItIs: with build -> /srv/www, the
// build replaces /srv/www and the link stays a link to it (a bug once
// emptied the target and replaced the link).
func TestSymlinkedOutputIsReplacedWhereItIs(t *testing.T) {
	root := site(t)
	target := filepath.Join(t.TempDir(), "www")
	if err := build(t, root, target, map[string]string{"index.html": "one"}); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(root, "build")
	if err := os.Symlink(target, link); err != nil {
		t.Skip(err)
	}
	if err := build(t, root, link, map[string]string{"index.html": "two", "new.html": "new"}); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("build/ is no longer a link: %v %v", info, err)
	}
	for name, want := range map[string]string{"index.html": "two", "new.html": "new"} {
		if data, _ := os.ReadFile(filepath.Join(target, name)); string(data) != want {
			t.Errorf("%s in the link's target = %q, want %q", name, data, want)
		}
	}
}
