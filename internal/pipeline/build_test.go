package pipeline

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/digest-ssg/digest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// now is the fixed "now" of every test build.
var now = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// repoRoot is the example site: the repository itself.
const repoRoot = "../.."

// TestSites builds each site in testdata/sites/*.txtar. An archive holds
// the site's files, and for each output file to check, a file
// "want/<path>" whose lines must each appear in it ("! line" must not).
func TestSites(t *testing.T) {
	archives, _ := filepath.Glob("testdata/sites/*.txtar")
	if len(archives) == 0 {
		t.Fatal("no test sites")
	}
	for _, name := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(name), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(name)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			var wants []txtar.File
			for _, f := range ar.Files {
				if rest, ok := strings.CutPrefix(f.Name, "want/"); ok {
					wants = append(wants, txtar.File{Name: rest, Data: f.Data})
					continue
				}
				writeFile(t, filepath.Join(dir, f.Name), f.Data)
			}
			out := filepath.Join(dir, "build")
			if _, err := Run(context.Background(), Options{Source: dir, Theme: digest.Theme(), Now: now, NoMinify: true}); err != nil {
				t.Fatalf("build failed:\n%v", err)
			}
			for _, w := range wants {
				assertFileContains(t, filepath.Join(out, w.Name), string(w.Data))
			}
		})
	}
}

// assertFileContains checks each non-empty line of want against the file:
// a line must appear in it; a line starting with "! " must not.
func assertFileContains(t *testing.T, file, want string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Errorf("%v", err)
		return
	}
	got := string(data)
	failed := false
	for _, line := range strings.Split(want, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if neg, ok := strings.CutPrefix(line, "! "); ok {
			if strings.Contains(got, neg) {
				t.Errorf("%s contains %q", file, neg)
				failed = true
			}
		} else if !strings.Contains(got, line) {
			t.Errorf("%s lacks %q", file, line)
			failed = true
		}
	}
	if failed {
		t.Logf("%s:\n%s", file, got)
	}
}

func writeFile(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestExampleSiteBuilds is the smoke test: the repository root builds with
// no errors and no warnings.
func TestExampleSiteBuilds(t *testing.T) {
	out := t.TempDir() + "/out"
	sum, err := Run(context.Background(), Options{Source: repoRoot, Out: out, Theme: digest.Theme(), Now: now})
	if err != nil {
		t.Fatalf("the example site does not build:\n%v", err)
	}
	for name, data := range readTree(t, out) {
		if strings.Contains(string(data), "_digest/") || strings.Contains(string(data), "livereload") {
			t.Errorf("%s holds the dev server's reload script", name)
		}
	}
	if len(sum.Warnings) > 0 {
		t.Errorf("warnings:\n%v", sum.Warnings)
	}
	if sum.Articles < 12 {
		t.Errorf("the example site has %d articles, want at least 12", sum.Articles)
	}
}

// TestRelativeTimeScriptIsSmall: every page of the example site, as
// built for users, carries the script that makes times relative ("3 hours
// ago"), inline and at most 1 KB, and nothing else that runs; the email
// editions carry none.
func TestRelativeTimeScriptIsSmall(t *testing.T) {
	out := t.TempDir() + "/out"
	if _, err := Run(context.Background(), Options{Source: repoRoot, Out: out, Theme: digest.Theme(), Now: now}); err != nil {
		t.Fatal(err)
	}
	script := regexp.MustCompile(`(?s)<script>(.*?)</script>`)
	pages := 0
	for name, data := range readTree(t, out) {
		if !strings.HasSuffix(name, ".html") || strings.Contains(string(data), `http-equiv="refresh"`) {
			continue
		}
		found := script.FindAllSubmatch(data, -1)
		if strings.HasSuffix(name, "/email.html") {
			// made for mail clients, which run no script
			if len(found) != 0 {
				t.Errorf("%s has %d inline scripts, want none in an email", name, len(found))
			}
			continue
		}
		pages++
		if len(found) != 1 || !bytes.Contains(found[0][1], []byte("RelativeTimeFormat")) {
			t.Errorf("%s has %d inline scripts, want the relative-time script alone", name, len(found))
			continue
		}
		if n := len(found[0][1]); n > 1024 {
			t.Errorf("%s: the relative-time script is %d bytes, over 1 KB", name, n)
		}
	}
	if pages < 40 {
		t.Errorf("only %d pages", pages)
	}
}

// TestGoldenPages compares a few pages of the example site, unminified,
// with testdata/golden. Run "go test ./internal/pipeline -update" to accept
// a deliberate change, and review the diff.
func TestGoldenPages(t *testing.T) {
	out := t.TempDir() + "/out"
	if _, err := Run(context.Background(), Options{Source: repoRoot, Out: out, Theme: digest.Theme(), Now: now, NoMinify: true}); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{
		"index.html",
		"2026/11/26/index.html",
		"2026/11/26/offshore-wind-record/index.html",
		"topics/health/index.html",
		"archive/index.html",
		"2026/11/26/email.html",
		"2026/11/26/email.txt",
	} {
		got, err := os.ReadFile(filepath.Join(out, page))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata/golden", strings.ReplaceAll(page, "/", "_"))
		if *update {
			writeFile(t, golden, got)
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/pipeline -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s; run go test ./internal/pipeline -update and review the diff:\n%s", page, golden, firstDiff(string(want), string(got)))
		}
	}
}

// firstDiff shows the first line where two texts differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, wl, gl)
		}
	}
	return ""
}

// TestBuildIsDeterministic builds the example site twice and compares
// every file byte for byte.
func TestBuildIsDeterministic(t *testing.T) {
	a, b := t.TempDir()+"/a", t.TempDir()+"/b"
	for _, out := range []string{a, b} {
		if _, err := Run(context.Background(), Options{Source: repoRoot, Out: out, Theme: digest.Theme(), Now: now}); err != nil {
			t.Fatal(err)
		}
	}
	ta, tb := readTree(t, a), readTree(t, b)
	if len(ta) != len(tb) || len(ta) < 40 {
		t.Fatalf("file counts %d and %d", len(ta), len(tb))
	}
	for name, data := range ta {
		if !bytes.Equal(data, tb[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestConcurrentBuildsDoNotCorruptEachOther runs builds of two versions of
// a site into one folder at once: they wait for each other, and the folder
// ends up a complete copy of one of them.
func TestConcurrentBuildsDoNotCorruptEachOther(t *testing.T) {
	dirs := [2]string{t.TempDir(), t.TempDir()}
	for i, dir := range dirs {
		writeFile(t, filepath.Join(dir, "content/a.md"), []byte(fmt.Sprintf("---\ntitle: Version %d\ndate: 2026-01-05T08:00:00Z\n---\n", i)))
	}
	out := filepath.Join(t.TempDir(), "shared-out")
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			_, err := Run(context.Background(), Options{Source: dirs[i%2], Out: out, Theme: digest.Theme(), Now: now})
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	got := readTree(t, out)
	page := string(got["2026/01/05/a/index.html"])
	v0, v1 := strings.Contains(page, "Version 0"), strings.Contains(page, "Version 1")
	if v0 == v1 {
		t.Fatalf("the article page is not one complete version")
	}
	for name, data := range got {
		if strings.HasSuffix(name, ".html") && strings.Contains(string(data), "Version") {
			if strings.Contains(string(data), "Version 0") != v0 {
				t.Errorf("%s is from the other build", name)
			}
		}
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".shared-out.tmp-*")); len(m) > 0 {
		t.Errorf("temporary folders left: %v", m)
	}
}

// TestEmptySiteIsDeterministic: a site with no article builds the same
// bytes whatever the clock says (a feed with no entries once took its date
// from the clock).
func TestEmptySiteIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "site.toml"), []byte("base_url = \"https://x.example/\"\n"))
	a, b := t.TempDir()+"/a", t.TempDir()+"/b"
	for i, out := range []string{a, b} {
		clock := now.Add(time.Duration(i) * 36 * time.Hour)
		if _, err := Run(context.Background(), Options{Source: dir, Out: out, Theme: digest.Theme(), Now: clock}); err != nil {
			t.Fatal(err)
		}
	}
	ta, tb := readTree(t, a), readTree(t, b)
	for name, data := range ta {
		if !bytes.Equal(data, tb[name]) {
			t.Errorf("%s differs between two builds of an empty site", name)
		}
	}
}

// boundHeap limits the heap to 2.25 times what is live plus 256 MiB, never
// below what it holds, leaves a user's GOMEMLIMIT or GOGC alone, and puts
// the previous limit back.
func TestBoundHeap(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	held := make([]byte, 64<<20) // in the heap, whatever the last collection saw
	restore := boundHeap()
	limit := debug.SetMemoryLimit(-1)
	if limit < int64(len(held))+256<<20 || limit > 4<<30 {
		t.Errorf("limit %d, want 256 MiB over 2.25 times the live heap, and over the 64 MiB held", limit)
	}
	runtime.KeepAlive(held)
	restore()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit after restore %d, want %d", got, before)
	}
	for _, env := range []string{"GOMEMLIMIT", "GOGC"} {
		t.Run(env, func(t *testing.T) {
			t.Setenv(env, "400")
			boundHeap()
			if got := debug.SetMemoryLimit(-1); got != before {
				t.Errorf("with %s set, the limit became %d", env, got)
			}
		})
	}
}
