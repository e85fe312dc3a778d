package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeSearchIsCurrent: digest serve's index follows the files: a word
// saved a moment ago is found, in an edited article (put in place without
// a new model) and in a new one.
func TestServeSearchIsCurrent(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"site.toml":    "title = \"Live search\"\n",
		"content/a.md": "---\ntitle: Harbour news\ndate: 2026-01-05T08:00:00Z\n---\nThe harbour was quiet.\n",
	})
	base, stop := startServe(t, dir)
	defer stop()
	get := func(path string) string {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %s", path, resp.Status)
		}
		return string(b)
	}
	waitFor := func(path, word string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			if strings.Contains(get(path), word) {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("%s never held %q", path, word)
	}
	// One article: one shard of each kind.
	if h := get("/search/h/0.json"); !strings.Contains(h, `"harbour"`) || strings.Contains(h, "zanzibar") {
		t.Fatalf("head shard: %s", h)
	}
	edit(t, filepath.Join(dir, "content/a.md"), "was quiet", "was quiet, said a sailor from Zanzibar")
	waitFor("/search/h/0.json", `"zanzibar"`)
	waitFor("/search/w/0.json", `"zanzibar"`)
	waitFor("/search/d/0.json", "Zanzibar")
	os.WriteFile(filepath.Join(dir, "content/b.md"), []byte("---\ntitle: Quayside\ndate: 2026-01-06T08:00:00Z\n---\nA new word: kittiwake.\n"), 0o644)
	waitFor("/search/h/0.json", `"kittiwak"`)
	waitFor("/search/index.json", `"n":2`)
}
