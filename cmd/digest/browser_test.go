package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// These tests drive a real browser (Debian's chromium) against a running
// "digest serve". Without chromium they skip; CI sets
// DIGEST_REQUIRE_BROWSER=1 so that they must run.

func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("DIGEST_REQUIRE_BROWSER") != "" {
		t.Fatal("DIGEST_REQUIRE_BROWSER is set but no chromium is installed (apt-get install chromium)")
	}
	t.Skip("skipping browser test: chromium is not installed (apt-get install chromium)")
	return ""
}

// liveSite writes a small site and starts "digest serve" on a free port.
// It returns the site folder and the base URL.
func liveSite(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"site.toml":                    "title = \"Live\"\n",
		"content/2026/01/05/story.md":  "---\ntitle: First headline\ndate: 2026-01-05T08:00:00Z\nfeatured: true\n---\n" + strings.Repeat("A long paragraph of text to scroll past.\n\n", 200),
		"content/2026/01/05/second.md": "---\ntitle: Second story\ndate: 2026-01-05T09:00:00Z\n---\nBody.\n",
		"static/style.css":             "h1 { color: rgb(1, 2, 3); }\n",
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base, stop := startServe(t, dir)
	t.Cleanup(stop)
	return dir, base
}

func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1000, 800),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelB(); cancelA() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("cannot start chromium: %v", err)
	}
	return ctx
}

func edit(t *testing.T, file, old, new string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// waitJS polls a JavaScript expression until it is true.
func waitJS(t *testing.T, ctx context.Context, expr, what string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr)); err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	html, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 500) : ""`))
	t.Fatalf("%s: %s never became true; page text:\n%s", what, expr, html)
}

func TestBrowserReloadsOnEditAndKeepsScroll(t *testing.T) {
	ctx := browser(t)
	dir, base := liveSite(t)
	page := base + "/2026/01/05/story/"
	if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelector("h1").textContent === "First headline"`, "first load")
	waitJS(t, ctx, `performance.getEntriesByType("resource").some(e => e.name.includes("livereload.js"))`, "reload script loaded")
	time.Sleep(300 * time.Millisecond) // let the WebSocket connect
	chromedp.Run(ctx, chromedp.Evaluate[bool](`window.scrollTo(0, 1500); window.__before = true; true`))
	edit(t, filepath.Join(dir, "content/2026/01/05/story.md"), "First headline", "Edited headline")
	waitJS(t, ctx, `document.querySelector("h1").textContent === "Edited headline"`, "reload after edit")
	waitJS(t, ctx, `window.__before === undefined && Math.abs(window.scrollY - 1500) < 5`, "scroll position kept across the reload")
}

func TestBrowserAppliesCSSWithoutReload(t *testing.T) {
	ctx := browser(t)
	dir, base := liveSite(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `getComputedStyle(document.querySelector("h1")).color === "rgb(1, 2, 3)"`, "site CSS applied")
	time.Sleep(300 * time.Millisecond)
	chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__kept = 42; true`))
	edit(t, filepath.Join(dir, "static/style.css"), "rgb(1, 2, 3)", "rgb(200, 0, 0)")
	waitJS(t, ctx, `getComputedStyle(document.querySelector("h1")).color === "rgb(200, 0, 0)"`, "new CSS applied")
	waitJS(t, ctx, `window.__kept === 42`, "no reload for a CSS change")
}

func TestBrowserTenTabsAllReload(t *testing.T) {
	ctx := browser(t)
	dir, base := liveSite(t)
	var tabs []context.Context
	for i := range 10 {
		tab, cancel := chromedp.NewContext(ctx)
		t.Cleanup(cancel)
		url := base + "/2026/01/05/second/"
		if i%2 == 0 {
			url = base + "/"
		}
		if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
			t.Fatal(err)
		}
		tabs = append(tabs, tab)
	}
	for i, tab := range tabs {
		waitJS(t, tab, `document.body.innerText.includes("Second story")`, fmt.Sprintf("tab %d loaded", i))
		waitJS(t, tab, `performance.getEntriesByType("resource").some(e => e.name.includes("livereload.js"))`, "reload script loaded")
		chromedp.Run(tab, chromedp.Evaluate[bool](`window.__old = true; true`))
	}
	time.Sleep(500 * time.Millisecond)
	edit(t, filepath.Join(dir, "content/2026/01/05/second.md"), "Second story", "Second story, updated")
	for i, tab := range tabs {
		waitJS(t, tab, `window.__old === undefined && document.body.innerText.includes("Second story, updated")`, fmt.Sprintf("tab %d reloaded", i))
	}
}

func TestBrowserShowsAndClearsErrorOverlay(t *testing.T) {
	ctx := browser(t)
	dir, base := liveSite(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/2026/01/05/second/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelector("h1") !== null`, "first load")
	time.Sleep(300 * time.Millisecond)
	file := filepath.Join(dir, "content/2026/01/05/second.md")
	edit(t, file, "date: 2026-01-05T09:00:00Z", "date: 10th Feb")
	waitJS(t, ctx, `(document.getElementById("digest-errors") || {innerText: ""}).innerText.includes('content/2026/01/05/second.md:3:7: date: cannot read "10th Feb"')`, "overlay with the error")
	waitJS(t, ctx, `document.querySelector("h1").textContent === "Second story"`, "last good page under the overlay")
	edit(t, file, "date: 10th Feb", "date: 2026-01-05T09:00:00Z")
	waitJS(t, ctx, `document.getElementById("digest-errors") === null`, "overlay cleared after the fix")
}

func TestBrowserReconnectsAfterServerRestart(t *testing.T) {
	ctx := browser(t)
	// A server on a port we choose, so it can be stopped and started again
	// at the same address.
	dir2 := t.TempDir()
	os.MkdirAll(filepath.Join(dir2, "content"), 0o755)
	os.WriteFile(filepath.Join(dir2, "content/a.md"), []byte("---\ntitle: Before restart\ndate: 2026-01-05T08:00:00Z\n---\nx\n"), 0o644)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	start := func() (stop func()) {
		sctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			run(sctx, []string{"serve", "-s", dir2, "--port", port}, io.Discard, io.Discard)
			close(done)
		}()
		return func() { cancel(); <-done }
	}
	stop := start()
	url := "http://127.0.0.1:" + port + "/2026/01/05/a/"
	waitHTTP(t, url)
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelector("h1").textContent === "Before restart"`, "first load")
	time.Sleep(300 * time.Millisecond)
	stop()
	edit(t, filepath.Join(dir2, "content/a.md"), "Before restart", "After restart")
	stop = start()
	defer stop()
	waitJS(t, ctx, `document.querySelector("h1") && document.querySelector("h1").textContent === "After restart"`, "reload after the server came back")
}

func waitHTTP(t *testing.T, url string) {
	t.Helper()
	for range 200 {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("%s never answered", url)
}
