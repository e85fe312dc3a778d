package pipeline

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/digest-ssg/digest"
	"github.com/digest-ssg/digest/internal/site"
)

// searchFiles renders every file of the search index of l.
func searchFiles(t *testing.T, l *Loaded) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, p := range l.Site.Pages {
		if p.Kind != site.KindSearchShard && p.Kind != site.KindSearchMeta {
			continue
		}
		b, err := l.Render(p)
		if err != nil {
			t.Fatal(err)
		}
		out[p.URL] = b
	}
	if len(out) < 5 {
		t.Fatalf("%d search files", len(out))
	}
	return out
}

// TestSessionSearchFollowsEdits: the dev server's index follows edits put
// in place (site.Retarget) by editing the article's terms, not by
// indexing the site again, and every file of it is then what a fresh
// load of the edited site serves: new words found, words gone, a changed
// headline, edits one after another and edits before a search.
func TestSessionSearchFollowsEdits(t *testing.T) {
	fsys := fstest.MapFS{"site.toml": {Data: []byte("title = \"S\"\ntopics = [\"World\", \"Sport\"]\n")}}
	article := func(i int, title, body string) string {
		topic := []string{"World", "Sport"}[i%2]
		return fmt.Sprintf("---\ntitle: %s\ndate: 2026-01-%02dT08:00:00Z\ntopic: %s\ntags: [t%d]\n---\n%s\n", title, 1+i%28, topic, i%5, body)
	}
	for i := range 60 {
		fsys[fmt.Sprintf("content/a%02d.md", i)] = &fstest.MapFile{Data: []byte(article(i, fmt.Sprintf("Story %d", i),
			strings.Repeat(fmt.Sprintf("harbour news word%d ", i%7), 3)))}
	}
	s := NewSession(fsys, digest.Theme(), Options{Now: now, Serve: true})
	first, errs := s.Load(Changes{})
	if first == nil {
		t.Fatal(errs)
	}
	searchFiles(t, first) // the index is made
	edits := []struct {
		file, src string
		search    bool // ask for the index after this edit
	}{
		{"content/a07.md", article(7, "Zanzibar ferry", "A kittiwake over the harbour."), true},
		{"content/a07.md", article(7, "Zanzibar ferry", "Nothing but the harbour."), false},
		{"content/a12.md", article(12, "Story 12", "Café Zürich word3"), false},
		{"content/a07.md", article(7, "Story 7", "harbour"), true},
		{"content/a30.md", article(30, "Story 30", ""), true},
	}
	for n, e := range edits {
		fsys[e.file] = &fstest.MapFile{Data: []byte(e.src)}
		l, errs := s.Load(Changes{Content: []string{e.file}})
		if l == nil || len(l.Patches) != 1 || l.Site != first.Site {
			t.Fatalf("edit %d was not put in place: %v", n, errs)
		}
		if !e.search {
			continue
		}
		sameAsFresh(t, fmt.Sprintf("edit %d", n), fsys, searchFiles(t, l))
	}
	if h := searchFiles(t, s.last); !bytes.Contains(h["/search/w/0.json"], []byte("zurich")) && !containsAny(h, "zurich") {
		t.Error("a word saved a moment ago is not in the dictionary")
	}
}

// sameAsFresh checks that the search files got are those a fresh load
// of fsys serves.
func sameAsFresh(t *testing.T, when string, fsys fstest.MapFS, got map[string][]byte) {
	t.Helper()
	fresh, errs := NewSession(fsys, digest.Theme(), Options{Now: now, Serve: true}).Load(Changes{})
	if fresh == nil {
		t.Fatal(errs)
	}
	for url, want := range searchFiles(t, fresh) {
		if !bytes.Equal(got[url], want) {
			t.Errorf("%s: %s differs from a fresh load's:\n got %.300s\nwant %.300s", when, url, got[url], want)
		}
	}
}

func containsAny(files map[string][]byte, word string) bool {
	for _, b := range files {
		if bytes.Contains(b, []byte(word)) {
			return true
		}
	}
	return false
}

// TestSessionSearchRemadeWhenAnEditCannotReadTheOldText: the dev server
// edits its index by taking an article's old words out, which it reads
// from the build cache; when that copy is damaged and the file has
// changed since, the old words cannot be known, and the index is made
// anew rather than keep them: it is then what a fresh load serves.
func TestSessionSearchRemadeWhenAnEditCannotReadTheOldText(t *testing.T) {
	fsys := fstest.MapFS{"site.toml": {Data: []byte("title = \"S\"\ntopics = [\"World\", \"Sport\"]\n")}}
	article := func(i int, body string) string {
		return fmt.Sprintf("---\ntitle: Story %d\ndate: 2026-01-%02dT08:00:00Z\ntopic: World\nsummary: A note.\n---\n%s\n", i, 1+i, body)
	}
	for i := range 20 {
		fsys[fmt.Sprintf("content/a%02d.md", i)] = &fstest.MapFile{Data: []byte(article(i, fmt.Sprintf("harbour news %d", i)))}
	}
	fsys["content/a07.md"].Data = []byte(article(7, "The zanzibarferry sails at dawn."))
	cache := t.TempDir()
	opt := Options{Now: now, Serve: true, Cache: cache, Settle: time.Nanosecond}
	if l, errs := NewSession(fsys, digest.Theme(), opt).Load(Changes{}); l == nil {
		t.Fatal(errs) // fills the cache
	}
	s := NewSession(fsys, digest.Theme(), opt)
	first, errs := s.Load(Changes{}) // the articles come from the cache
	if first == nil {
		t.Fatal(errs)
	}
	if !containsAny(searchFiles(t, first), "zanzibarferry") {
		t.Fatal("the word is not in the index to begin with")
	}
	logs, _ := filepath.Glob(filepath.Join(cache, "*", "articles.log"))
	if len(logs) != 1 {
		t.Fatalf("%d articles logs", len(logs))
	}
	raw, err := os.ReadFile(logs[0])
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.LastIndex(raw, []byte("zanzibarferry"))
	if at < 0 {
		t.Fatal("the text is not in the log")
	}
	raw[at] ^= 0x20
	if err := os.WriteFile(logs[0], raw, 0o644); err != nil {
		t.Fatal(err)
	}
	fsys["content/a07.md"] = &fstest.MapFile{Data: []byte(article(7, "The ferry is cancelled."))}
	l, errs := s.Load(Changes{Content: []string{"content/a07.md"}})
	if l == nil || len(l.Patches) != 1 {
		t.Fatalf("the edit was not put in place: %v", errs)
	}
	got := searchFiles(t, l)
	sameAsFresh(t, "after the edit", fsys, got)
	if containsAny(got, "zanzibarferry") {
		t.Error("the old word is still in the index")
	}
}
