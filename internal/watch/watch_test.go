package watch

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestClassify(t *testing.T) {
	for rel, want := range map[string]Kind{
		"site.toml":                 Config,
		"content/2026/a.md":         Content,
		"content/2026":              Content,
		"content":                   Content,
		"content/2026/A.MD":         Content,
		"content/2026/a.markdown":   Content,
		"content/2026/a.mkdn":       Content,
		"content/notes.txt":         Ignore,
		"content/.a.md.swp":         Ignore,
		"content/a.md~":             Ignore,
		"content/4913":              Ignore,
		"content/.#a.md":            Ignore,
		"content/#a.md#":            Ignore,
		"content/a.md___jb_tmp___":  Ignore,
		"content/a.md___jb_old___":  Ignore,
		"content/sedAbC123":         Ignore,
		"content/_drafts/a.md":      Ignore,
		"content/.git/index":        Ignore,
		"templates/base.html":       Template,
		"templates/.base.html.swp":  Ignore,
		"static/style.css":          Static,
		"i18n/fr.toml":              Config,
		"i18n":                      Config,
		"i18n/.fr.toml.swp":         Ignore,
		"i18n/fr.toml~":             Ignore,
		"i18n/notes.txt":            Ignore,
		"static/img/a.png":          Static,
		"build/index.html":          Ignore,
		"build":                     Ignore,
		".git/HEAD":                 Ignore,
		"README.md":                 Ignore,
		"go.mod":                    Ignore,
		".build.tmp-123/index.html": Ignore,
	} {
		if got := Classify(rel, "build"); got != want {
			t.Errorf("Classify(%q) = %v, want %v", rel, got, want)
		}
	}
}

func TestOnlyCSS(t *testing.T) {
	if b := (Batch{Static: []string{"static/a.css", "static/b.css"}}); !b.OnlyCSS() {
		t.Error("two stylesheets: not OnlyCSS")
	}
	for _, b := range []Batch{
		{Static: []string{"static/a.css", "static/app.js"}},
		{Static: []string{"static/a.css"}, Content: []string{"content/a.md"}},
		{Static: []string{"static/a.css"}, Templates: true},
		{},
	} {
		if b.OnlyCSS() {
			t.Errorf("%+v: OnlyCSS", b)
		}
	}
}

// site makes a small site folder to watch.
func site(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, f := range []string{"site.toml", "content/2026/a.md", "content/2026/b.md", "templates/base.html", "static/style.css"} {
		write(t, filepath.Join(root, f), "v1\n")
	}
	return root
}

func write(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// collect runs the watcher, performs op, and returns the batches that
// arrive until things have been quiet for a while.
func collect(t *testing.T, root string, op func()) []Batch {
	t.Helper()
	w, err := New(root, Options{Out: "build"}) // the defaults serve uses
	if err != nil {
		t.Fatal(err)
	}
	if w.Notice != "" {
		t.Logf("notice: %s", w.Notice)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx)
	time.Sleep(20 * time.Millisecond)
	op()
	var got []Batch
	for {
		select {
		case b := <-w.Batches():
			got = append(got, b)
		case <-time.After(400 * time.Millisecond):
			return got
		}
	}
}

func run(t *testing.T, dir string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// TestEditorSavesGiveOneRebuild replays how real editors and tools save a
// file: each must give exactly one batch naming the file.
func TestEditorSavesGiveOneRebuild(t *testing.T) {
	const file = "content/2026/a.md"
	saves := map[string]func(root string){
		"write in place (vim backupcopy=yes, VS Code)": func(root string) {
			write(t, filepath.Join(root, file), "v2\n")
		},
		"vim: 4913 probe, rename to backup, write new, remove backup": func(root string) {
			p := filepath.Join(root, file)
			dir := filepath.Dir(p)
			write(t, filepath.Join(dir, "4913"), "")
			os.Remove(filepath.Join(dir, "4913"))
			os.Rename(p, p+"~")
			write(t, p, "v2\n")
			os.Remove(p + "~")
		},
		"vim swap files": func(root string) {
			p := filepath.Join(root, file)
			dir := filepath.Dir(p)
			write(t, filepath.Join(dir, ".a.md.swp"), "swap")
			write(t, p, "v2\n")
			os.Remove(filepath.Join(dir, ".a.md.swp"))
		},
		"JetBrains safe write": func(root string) {
			p := filepath.Join(root, file)
			write(t, p+"___jb_tmp___", "v2\n")
			os.Rename(p, p+"___jb_old___")
			os.Rename(p+"___jb_tmp___", p)
			os.Remove(p + "___jb_old___")
		},
		"emacs: lock file, backup, write": func(root string) {
			p := filepath.Join(root, file)
			dir := filepath.Dir(p)
			os.Symlink("user@host.1234", filepath.Join(dir, ".#a.md"))
			os.Rename(p, p+"~")
			write(t, p, "v2\n")
			os.Remove(filepath.Join(dir, ".#a.md"))
		},
		"sed -i": func(root string) {
			run(t, root, "sed", "-i", "s/v1/v2/", file)
		},
		"write to temp then rename over (atomic save)": func(root string) {
			p := filepath.Join(root, file)
			write(t, filepath.Join(filepath.Dir(p), ".a.md.tmp"), "v2\n")
			os.Rename(filepath.Join(filepath.Dir(p), ".a.md.tmp"), p)
		},
		"chmod only": nil,
	}
	for name, save := range saves {
		t.Run(name, func(t *testing.T) {
			root := site(t)
			if save == nil {
				got := collect(t, root, func() { os.Chmod(filepath.Join(root, file), 0o600) })
				if len(got) != 0 {
					t.Errorf("chmod gave %d batches: %+v", len(got), got)
				}
				return
			}
			got := collect(t, root, func() { save(root) })
			if len(got) != 1 {
				t.Fatalf("%d batches, want 1: %+v", len(got), got)
			}
			if b := got[0]; !slices.Contains(b.Content, file) || b.Templates || b.Config || len(b.Static) > 0 {
				t.Errorf("batch = %+v, want only %s", b, file)
			}
			if data, _ := os.ReadFile(filepath.Join(root, file)); string(data) != "v2\n" {
				t.Errorf("file holds %q after the save", data)
			}
		})
	}
}

func TestIgnoredChangesGiveNoRebuild(t *testing.T) {
	root := site(t)
	got := collect(t, root, func() {
		write(t, filepath.Join(root, "build/index.html"), "x")
		write(t, filepath.Join(root, ".git/index"), "x")
		write(t, filepath.Join(root, "README.md"), "x")
		write(t, filepath.Join(root, "content/2026/.a.md.swp"), "x")
		write(t, filepath.Join(root, "content/notes.txt"), "x")
	})
	if len(got) != 0 {
		t.Errorf("ignored changes gave batches: %+v", got)
	}
}

func TestNewFoldersAreWatched(t *testing.T) {
	root := site(t)
	got := collect(t, root, func() {
		write(t, filepath.Join(root, "content/2027/01/new.md"), "v1\n")
	})
	if len(got) != 1 || !slices.Contains(got[0].Content, "content/2027/01/new.md") || !got[0].Rescan {
		t.Fatalf("batches = %+v", got)
	}
	// The new folder is watched: an edit inside it is seen.
	w, _ := New(root, Options{Out: "build", Quiet: 30 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx)
	time.Sleep(20 * time.Millisecond)
	write(t, filepath.Join(root, "content/2027/01/new.md"), "v2\n")
	wantChange(t, w, "content/2027/01/new.md", 2*time.Second, "an edit in a new folder was missed")
}

func TestFolderMovedInAndOut(t *testing.T) {
	root := site(t)
	outside := t.TempDir()
	write(t, filepath.Join(outside, "batch/x.md"), "v1\n")
	got := collect(t, root, func() {
		os.Rename(filepath.Join(outside, "batch"), filepath.Join(root, "content/batch"))
	})
	if len(got) != 1 || !got[0].Rescan || !slices.Contains(got[0].Content, "content/batch/x.md") {
		t.Errorf("moved in: %+v", got)
	}
	got = collect(t, root, func() {
		os.Rename(filepath.Join(root, "content/2026"), filepath.Join(outside, "gone"))
	})
	if len(got) != 1 || !got[0].Rescan {
		t.Errorf("moved out: %+v", got)
	}
}

func TestBurstIsCoalesced(t *testing.T) {
	root := site(t)
	got := collect(t, root, func() {
		for i := range 1000 {
			write(t, filepath.Join(root, fmt.Sprintf("content/burst/%03d.md", i)), "v1\n")
		}
	})
	if len(got) < 1 || len(got) > 3 {
		t.Errorf("1,000 new files gave %d batches, want 1 to 3", len(got))
	}
	seen := map[string]bool{}
	for _, b := range got {
		for _, c := range b.Content {
			seen[c] = true
		}
	}
	if !seen["content/burst/999.md"] && !seen["content/burst"] {
		t.Errorf("the burst's files are not all named")
	}
}

func TestGitCheckoutGivesFewRebuilds(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	root := site(t)
	run(t, root, "git", "init", "-q")
	run(t, root, "git", "-c", "user.email=t@t", "-c", "user.name=t", "add", ".")
	run(t, root, "git", "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "one")
	run(t, root, "git", "checkout", "-qb", "other")
	for i := range 300 {
		write(t, filepath.Join(root, fmt.Sprintf("content/many/%03d.md", i)), "v1\n")
	}
	run(t, root, "git", "add", ".")
	run(t, root, "git", "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "two")
	got := collect(t, root, func() { run(t, root, "git", "checkout", "-q", "-") })
	if len(got) < 1 || len(got) > 3 || !got[0].Rescan {
		t.Errorf("a 300-file checkout gave %d batches: %+v", len(got), got)
	}
}

// TestWatchLimitFallsBackToPolling: when the system's limit on watches is
// reached (inotify's max_user_watches gives ENOSPC), the watcher says how
// to raise it and polls instead, and changes are still seen.
func TestWatchLimitFallsBackToPolling(t *testing.T) {
	root := site(t)
	n := 0
	w, err := newWatcher(root, Options{Out: "build", Interval: 50 * time.Millisecond}, func(string) error {
		if n++; n > 2 {
			return syscall.ENOSPC
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(w.Notice, "fs.inotify.max_user_watches") || !strings.Contains(w.Notice, "checking for changes every 50ms instead") {
		t.Errorf("notice = %q", w.Notice)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx)
	time.Sleep(100 * time.Millisecond)
	write(t, filepath.Join(root, "content/2026/b.md"), "v2, longer\n")
	wantChange(t, w, "content/2026/b.md", 3*time.Second, "the polling fallback missed a change")
}

// TestPollingSeesChangesBeforeRun: a polling watcher compares with the
// files as New found them, so a change made between New and Run (while
// digest serve loads the site) is found, as the OS watch finds it.
func TestPollingSeesChangesBeforeRun(t *testing.T) {
	root := site(t)
	w, err := newWatcher(root, Options{Out: "build", Interval: 50 * time.Millisecond}, func(string) error { return syscall.ENOSPC })
	if err != nil {
		t.Fatal(err)
	}
	if w.fsw != nil {
		t.Fatal("the watcher does not poll")
	}
	write(t, filepath.Join(root, "content/2026/b.md"), "changed before Run, and longer\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx)
	wantChange(t, w, "content/2026/b.md", 3*time.Second, "a change made before Run was missed")
}

// wantChange waits up to wait for w's next batch, which must name file;
// missed says what failed when no batch comes.
func wantChange(t *testing.T, w *Watcher, file string, wait time.Duration, missed string) {
	t.Helper()
	select {
	case b := <-w.Batches():
		if !slices.Contains(b.Content, file) {
			t.Errorf("batch = %+v", b)
		}
	case <-time.After(wait):
		t.Fatal(missed)
	}
}
