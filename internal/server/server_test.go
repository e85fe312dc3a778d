package server

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/coder/websocket"

	"github.com/digest-ssg/digest"
	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/pipeline"
)

func testSite() fstest.MapFS {
	return fstest.MapFS{
		"site.toml":           {Data: []byte("title = \"Served\"\n")},
		"content/a.md":        {Data: []byte("---\ntitle: Alpha story\ndate: 2026-01-05T08:00:00Z\n---\nSecret-free body.\n")},
		"content/draft.md":    {Data: []byte("---\ntitle: Hidden draft\ndate: 2026-01-05T09:00:00Z\ndraft: true\n---\nx\n")},
		"templates/.secret":   {Data: []byte("SECRET")},
		"static/images/p.svg": {Data: []byte("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")},
		"static/.env":         {Data: []byte("SECRET")},
	}
}

func newServer(t *testing.T, fsys fstest.MapFS) (*Server, *pipeline.Session) {
	t.Helper()
	sess := pipeline.NewSession(fsys, digest.Theme(), pipeline.Options{Now: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)})
	l, errs := sess.Load(pipeline.Changes{})
	if l == nil {
		t.Fatal(errs)
	}
	s := New("127.0.0.1", true)
	s.Update(l, errs)
	return s, sess
}

func get(s http.Handler, host, target string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", "http://"+host+target, nil)
	r.Host = host
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

func TestServesPagesWithReloadScript(t *testing.T) {
	s, _ := newServer(t, testSite())
	w := get(s, "127.0.0.1:1313", "/2026/01/05/a/")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "<h1 dir=\"auto\">Alpha story</h1>") || !strings.Contains(w.Body.String(), `<script src="/_digest/livereload.js" data-version="`) || !strings.Contains(w.Body.String(), `" defer></script></body>`) {
		t.Errorf("article: %d\n%s", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
	for target, want := range map[string]string{
		"/feed.xml":              "<rss",
		"/feed.json":             `"version": "https://jsonfeed.org/version/1.1"`,
		"/images/p.svg":          "<svg",
		"/style.css":             "{",
		"/_digest/livereload.js": "WebSocket",
	} {
		w := get(s, "localhost:1313", target)
		if w.Code != 200 || !strings.Contains(w.Body.String(), want) {
			t.Errorf("%s: %d %.80q", target, w.Code, w.Body)
		}
		if strings.Contains(w.Body.String(), "livereload.js\" defer") && !strings.HasSuffix(target, "/") {
			t.Errorf("%s: the reload script was put in a non-HTML file", target)
		}
	}
	if w := get(s, "127.0.0.1:1313", "/2026/01/05/draft/"); w.Code != 404 || !strings.Contains(w.Body.String(), "Page not found") {
		t.Errorf("draft without --drafts: %d", w.Code)
	}
	if w := get(s, "127.0.0.1:1313", "/archive"); w.Code != 301 || w.Header().Get("Location") != "/archive/" {
		t.Errorf("/archive: %d %q", w.Code, w.Header().Get("Location"))
	}
}

func TestRefusesForeignHosts(t *testing.T) {
	s, _ := newServer(t, testSite())
	for host, want := range map[string]int{
		"127.0.0.1:1313":      200,
		"localhost:1313":      200,
		"LOCALHOST":           200,
		"[::1]:1313":          200,
		"evil.example":        403,
		"evil.example:1313":   403,
		"127.0.0.1.nip.io":    403,
		"localhost.evil.test": 403,
		"":                    403,
	} {
		if w := get(s, host, "/"); w.Code != want {
			t.Errorf("Host %q: %d, want %d", host, w.Code, want)
		}
	}
	other := New("192.168.0.7", true)
	other.Update(newLoaded(t), nil)
	if w := get(other, "192.168.0.7:1313", "/"); w.Code != 200 {
		t.Errorf("the bound address is refused: %d", w.Code)
	}
}

func newLoaded(t *testing.T) *pipeline.Loaded {
	sess := pipeline.NewSession(testSite(), digest.Theme(), pipeline.Options{Now: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)})
	l, _ := sess.Load(pipeline.Changes{})
	return l
}

func TestServesNothingOutsideTheSite(t *testing.T) {
	s, _ := newServer(t, testSite())
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, p := range []string{
		"/site.toml", "/content/a.md", "/templates/base.html", "/templates/.secret",
		"/../site.toml", "/%2e%2e/site.toml", "/%252e%252e/site.toml", "/static/../site.toml",
		"/..%2fsite.toml", "/..%5csite.toml", "/%5c..%5csite.toml", "/images/..%2f..%2fsite.toml",
		"/.env", "/static/.env", "/%2e%65nv", "/images/", "/images", "/x%00.html", "/_digest/",
	} {
		req, _ := http.NewRequest("GET", srv.URL, nil)
		req.URL.Opaque = p // sent exactly as written
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 200 || strings.Contains(string(body), "SECRET") || strings.Contains(string(body), "title = ") || strings.Contains(string(body), "Secret-free body") {
			t.Errorf("%s: %d\n%.200s", p, resp.StatusCode, body)
		}
	}
}

func TestOverlayShowsErrorsOverLastGoodSite(t *testing.T) {
	s, _ := newServer(t, testSite())
	errs := diag.List{diag.Errorf(diag.Pos{File: "content/a.md", Line: 3, Col: 7}, `date: cannot read "<script>alert(1)</script>"`)}
	s.Update(nil, errs)
	w := get(s, "127.0.0.1:1313", "/2026/01/05/a/")
	body := w.Body.String()
	if w.Code != 200 || !strings.Contains(body, "<h1 dir=\"auto\">Alpha story</h1>") {
		t.Errorf("the last good page is not served: %d", w.Code)
	}
	if !strings.Contains(body, `id="digest-errors"`) || !strings.Contains(body, "content/a.md:3:7") ||
		!strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") || strings.Contains(body, "<script>alert(1)") {
		t.Errorf("overlay missing or unescaped:\n%s", body)
	}
	s.Update(newLoaded(t), nil)
	if strings.Contains(get(s, "127.0.0.1:1313", "/").Body.String(), "digest-errors") {
		t.Error("the overlay stays after the fix")
	}
}

func TestNoGoodSiteYetShowsErrors(t *testing.T) {
	s := New("127.0.0.1", true)
	s.Update(nil, diag.List{diag.Errorf(diag.Pos{File: "site.toml", Line: 1, Col: 1}, "unknown key \"x\"")})
	w := get(s, "127.0.0.1:1313", "/anything/")
	if w.Code != 500 || !strings.Contains(w.Body.String(), "site.toml:1:1") || !strings.Contains(w.Body.String(), "livereload.js") {
		t.Errorf("%d\n%s", w.Code, w.Body)
	}
}

func TestLiveReloadMessages(t *testing.T) {
	s, _ := newServer(t, testSite())
	srv := httptest.NewServer(s)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var conns []*websocket.Conn
	for range 12 {
		c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/_digest/ws", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseNow()
		conns = append(conns, c)
	}
	waitFor(t, func() bool { return s.Clients() == 12 })
	s.CSSChanged()
	for _, c := range conns {
		if _, msg, err := c.Read(ctx); err != nil || string(msg) != msgCSS {
			t.Fatalf("got %q, %v; want the css message", msg, err)
		}
	}
	s.Update(newLoaded(t), nil)
	for _, c := range conns {
		if _, msg, err := c.Read(ctx); err != nil || string(msg) != msgReload {
			t.Fatalf("got %q, %v; want the reload message", msg, err)
		}
	}
}

// A page that connects for live reload only after the site changed (it
// was still loading when the file was saved again) is told to reload at
// once; a page showing the current version is not.
func TestPageThatMissedAChangeReloadsOnConnect(t *testing.T) {
	s, _ := newServer(t, testSite())
	srv := httptest.NewServer(s)
	defer srv.Close()
	version := func() string {
		body := get(s, "127.0.0.1:1313", "/2026/01/05/a/").Body.String()
		m := regexp.MustCompile(`<script src="/_digest/livereload.js" data-version="(\d+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no versioned reload script in the page:\n%s", body)
		}
		return m[1]
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	dial := func(v string) *websocket.Conn {
		c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/_digest/ws?v="+v, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.CloseNow() })
		return c
	}
	for _, change := range []struct {
		name string
		make func()
	}{
		{"a rebuild", func() { s.Update(newLoaded(t), nil) }},
		{"a stylesheet change", s.CSSChanged},
	} {
		old := version()
		change.make()
		if now := version(); now == old {
			t.Fatalf("after %s the page still says version %s", change.name, old)
		}
		c := dial(old)
		if _, msg, err := c.Read(ctx); err != nil || string(msg) != msgReload {
			t.Fatalf("page at version %s, connecting after %s: got %q, %v; want the reload message", old, change.name, msg, err)
		}
	}
	// Up to date: nothing is sent until the next change, which is a reload.
	current := dial(version())
	waitFor(t, func() bool { return s.Clients() == 3 })
	quiet, stop := context.WithTimeout(ctx, 300*time.Millisecond)
	_, msg, err := current.Read(quiet)
	stop()
	if err == nil {
		t.Fatalf("a page at the current version was sent %q", msg)
	}
}

func TestWebSocketRefusesForeignOrigin(t *testing.T) {
	s, _ := newServer(t, testSite())
	srv := httptest.NewServer(s)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/_digest/ws", &websocket.DialOptions{
		HTTPHeader: http.Header{"Origin": {"http://evil.example"}},
	})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("a foreign origin was accepted: %v %v", err, resp)
	}
}

func TestSlowClientDoesNotBlockBroadcast(t *testing.T) {
	h := newHub()
	ch := h.join() // never read
	done := make(chan struct{})
	go func() {
		for range 1000 {
			h.broadcast(msgCSS)
		}
		h.broadcast(msgReload)
		h.broadcast(msgCSS)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("broadcast blocked on a client that does not read")
	}
	if msg := <-ch; msg != msgReload {
		t.Errorf("pending message = %q; a reload must not be replaced by a css update", msg)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 500 {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("condition not met in 5s")
}

// TestRequestsDuringRebuildsGetWholePages fetches pages from many clients
// while the site is replaced every few milliseconds: every answer is a
// 200 and a whole page of one version, never a mix or a 5xx.
func TestRequestsDuringRebuildsGetWholePages(t *testing.T) {
	site := testSite()
	s, _ := newServer(t, site)
	srv := httptest.NewServer(s)
	defer srv.Close()
	versions := make([]*pipeline.Loaded, 2)
	for i := range versions {
		fsys := fstest.MapFS{}
		for k, v := range site {
			fsys[k] = v
		}
		fsys["content/a.md"] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: Version %d\ndate: 2026-01-05T08:00:00Z\n---\nBody %d.\n", i, i))}
		sess := pipeline.NewSession(fsys, digest.Theme(), pipeline.Options{Now: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)})
		versions[i], _ = sess.Load(pipeline.Changes{})
	}
	s.Update(versions[1], nil)
	stop := make(chan struct{})
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
				s.Update(versions[i%2], nil)
			}
		}
	}()
	var failures atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				resp, err := http.Get(srv.URL + "/2026/01/05/a/")
				if err != nil {
					failures.Add(1)
					continue
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				page := string(body)
				v0, v1 := strings.Contains(page, "Version 0"), strings.Contains(page, "Version 1")
				whole := strings.HasSuffix(strings.TrimSpace(page), "</html>")
				if resp.StatusCode != 200 || v0 == v1 || !whole || strings.Contains(page, "Body 0") != v0 {
					if failures.Add(1) == 1 {
						t.Logf("first bad answer: %d\n%.3000s", resp.StatusCode, page)
					}
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	if n := failures.Load(); n > 0 {
		t.Errorf("%d of 400 answers were not a whole page of one version", n)
	}
}

func TestOversizedReloadFrameClosesOnlyThatConnection(t *testing.T) {
	s, _ := newServer(t, testSite())
	srv := httptest.NewServer(s)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/_digest/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Write(ctx, websocket.MessageBinary, make([]byte, 1<<20))
	if _, _, err := c.Read(ctx); err == nil {
		t.Error("the connection stayed open after a hostile frame")
	}
	waitFor(t, func() bool { return s.Clients() == 0 })
	if w := get(s, "127.0.0.1:1313", "/"); w.Code != 200 {
		t.Errorf("the server stopped serving: %d", w.Code)
	}
}

func TestStaticFileReplacesGeneratedPage(t *testing.T) {
	site := testSite()
	site["static/robots.txt"] = &fstest.MapFile{Data: []byte("User-agent: *\nDisallow: /mine/\n")}
	s, _ := newServer(t, site)
	if w := get(s, "127.0.0.1:1313", "/robots.txt"); w.Code != 200 || !strings.Contains(w.Body.String(), "Disallow: /mine/") {
		t.Errorf("%d %q", w.Code, w.Body)
	}
}

func TestSiteUnderABasePath(t *testing.T) {
	site := testSite()
	site["site.toml"] = &fstest.MapFile{Data: []byte("title = \"Served\"\nbase_url = \"https://x.example/news/\"\n")}
	s, _ := newServer(t, site)
	if w := get(s, "127.0.0.1:1313", "/"); w.Code != http.StatusFound || w.Header().Get("Location") != "/news/" {
		t.Errorf("/: %d %q, want a redirect to /news/", w.Code, w.Header().Get("Location"))
	}
	if w := get(s, "127.0.0.1:1313", "/news/2026/01/05/a/"); w.Code != 200 || !strings.Contains(w.Body.String(), `href="/news/style.css"`) {
		t.Errorf("/news/2026/01/05/a/: %d", w.Code)
	}
	if w := get(s, "127.0.0.1:1313", "/2026/01/05/a/"); w.Code != 404 {
		t.Errorf("a page outside the base path: %d, want 404", w.Code)
	}
}

func TestWildcardBindAcceptsTheMachinesAddresses(t *testing.T) {
	s := New("0.0.0.0", true)
	s.Update(newLoaded(t), nil)
	hosts := MachineHosts()
	if len(hosts) == 0 {
		t.Skip("no interface addresses")
	}
	for _, h := range hosts {
		if w := get(s, net.JoinHostPort(h, "1313"), "/"); w.Code != 200 {
			t.Errorf("Host %s: %d", h, w.Code)
		}
	}
	if w := get(s, "evil.example:1313", "/"); w.Code != 403 {
		t.Errorf("a foreign host was accepted on a wildcard bind: %d", w.Code)
	}
}

// TestPatchesDuringRequests: edits that are put in place in the model
// (no rebuild) while clients read pages: every answer is a whole page,
// and the race detector sees no unguarded access.
func TestPatchesDuringRequests(t *testing.T) {
	dir := t.TempDir()
	for name, f := range testSite() {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), f.Data, 0o644)
	}
	sess := pipeline.NewSession(os.DirFS(dir), digest.Theme(), pipeline.Options{Now: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)})
	l, errs := sess.Load(pipeline.Changes{})
	if l == nil {
		t.Fatal(errs)
	}
	s := New("127.0.0.1", true)
	s.Update(l, errs)
	srv := httptest.NewServer(s)
	defer srv.Close()
	stop := make(chan struct{})
	done := make(chan int)
	go func() {
		patched := 0
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- patched
				return
			default:
			}
			os.WriteFile(filepath.Join(dir, "content/a.md"), []byte(fmt.Sprintf("---\ntitle: Alpha %d\ndate: 2026-01-05T08:00:00Z\n---\nBody %d.\n", i, i)), 0o644)
			l, errs := sess.Load(pipeline.Changes{Content: []string{"content/a.md"}})
			if len(l.Patches) > 0 {
				patched++
			}
			s.Update(l, errs)
			time.Sleep(time.Millisecond)
		}
	}()
	var bad atomic.Int32
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 40 {
				for _, u := range []string{"/2026/01/05/a/", "/", "/feed.xml"} {
					resp, err := http.Get(srv.URL + u)
					if err != nil {
						bad.Add(1)
						continue
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 || !strings.Contains(string(body), "Alpha") {
						bad.Add(1)
					}
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	if patched := <-done; patched == 0 {
		t.Error("no edit was patched in place")
	}
	if n := bad.Load(); n > 0 {
		t.Errorf("%d answers were not whole pages", n)
	}
}

// TestServerCannotWriteTheOutput: "serve never writes the output folder"
// is kept by the import graph: nothing the server imports, directly or
// not, is the pipeline or the output writer.
func TestServerCannotWriteTheOutput(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasSuffix(pkg, "/internal/pipeline") || strings.HasSuffix(pkg, "/internal/publish") {
			t.Errorf("the server depends on %s", pkg)
		}
	}
}
