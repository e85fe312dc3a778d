package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// ownMarks name digest's own serve goroutines: live-reload clients, the
// watcher, the rebuild loop, the HTTP server's accept loop.
var ownMarks = []string{"internal/server.", "internal/watch.", "cmd/digest.serve", "cmd/digest.rebuildLoop", "net/http.(*Server).Serve"}

// connMarks name goroutines of the libraries that are told to stop and
// end on their own a moment later, which nothing can wait for: net/http's
// goroutine of one connection, which Shutdown closes, and fsnotify's
// reader, which its Close waits for only until the reader's deferred
// code has begun (it was once seen still runnable after serve returned).
// One that is never told to stop never ends: the test waits 5 s.
var connMarks = []string{"net/http.(*conn).serve", "fsnotify"}

// digestGoroutines lists the stacks of the goroutines that run digest's
// serve code: the HTTP server and its connections, live-reload clients,
// the watcher and the rebuild loop.
func digestGoroutines() []string {
	return goroutines(append(ownMarks, connMarks...))
}

// goroutines lists the stacks of the goroutines whose stack holds one of
// marks.
func goroutines(marks []string) []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		for _, mark := range marks {
			if strings.Contains(g, mark) {
				out = append(out, g)
				break
			}
		}
	}
	return out
}

// TestServeStopsEveryGoroutine: after Ctrl-C, "digest serve" returns only
// once every goroutine it started has ended: live-reload connections,
// the watcher and the rebuild loop, the HTTP server.
func TestServeStopsEveryGoroutine(t *testing.T) {
	if n := len(digestGoroutines()); n > 0 {
		t.Skipf("%d serve goroutines are running already (another test's)", n)
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"site.toml":        "title = \"Stop\"\n",
		"content/story.md": "---\ntitle: Story\ndate: 2026-01-05T08:00:00Z\n---\nBody.\n",
	})
	base, stop := startServe(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// Pages, as a browser's: each reads its messages until the end.
	messages := make(chan string, 16)
	ended := make(chan error, 3)
	for range 3 {
		c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/_digest/ws", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseNow()
		go func() {
			for {
				_, msg, err := c.Read(ctx)
				if err != nil {
					ended <- err
					return
				}
				messages <- string(msg)
			}
		}()
	}
	resp, err := http.Get(base + "/2026/01/05/story/")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	// A change, so that the rebuild loop has run and told the pages.
	os.WriteFile(filepath.Join(dir, "content/story.md"), []byte("---\ntitle: Edited\ndate: 2026-01-05T08:00:00Z\n---\nBody.\n"), 0o644)
	select {
	case msg := <-messages:
		if !strings.Contains(msg, "reload") {
			t.Fatalf("after an edit, the page was sent %q", msg)
		}
	case <-ctx.Done():
		t.Fatal("no reload after an edit")
	}
	if len(digestGoroutines()) == 0 {
		t.Fatal("no serve goroutine found while serving: the test does not see them")
	}
	stop()
	if left := goroutines(ownMarks); len(left) > 0 {
		t.Fatalf("%d goroutines still running after serve returned; the first:\n%s", len(left), left[0])
	}
	// Connections closed by Shutdown, and the closed watch's reader: their
	// goroutines end by themselves.
	for deadline := time.Now().Add(5 * time.Second); len(goroutines(connMarks)) > 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if left := goroutines(connMarks); len(left) > 0 {
		t.Fatalf("%d connections still served, or watches still read, 5 s after serve returned; the first:\n%s", len(left), left[0])
	}
	for range 3 {
		if err := <-ended; websocket.CloseStatus(err) != websocket.StatusGoingAway {
			t.Errorf("a page's live-reload connection ended with %v, want going away", err)
		}
	}
}
