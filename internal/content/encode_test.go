package content

import (
	"bytes"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/digest-ssg/digest/internal/buildcache"
	"github.com/digest-ssg/digest/internal/testfs"
)

// encodeCases are articles with every kind of value an article holds.
var encodeCases = map[string]string{
	"content/2026/03/02/full.md": `---
title: Why ` + "`go vet`" + ` *matters*
date: 2026-03-02T07:00:00+01:00
updated: 2026-03-03 08:15
expires: 2027-01-01
topic: world
tags: [Rivers, weather, rivers]
summary: The port shut at dawn.
source: Harbour Gazette
source_url: https://example.com/floods
authors: By [Ann Lee](https://example.org/ann) and Bo Chan
image: /images/port.jpg
featured: true
aliases: [/old/floods/]
params:
  rank: 3
  score: 0.25
  flag: false
  nothing:
  also: [{name: Daily, url: "https://daily.example/x"}]
  nested: {a: {b: [1, two, 3.5]}}
---
The water rose overnight, and {{< youtube abc >}} stayed.

<!--more-->

## What next {#next .wide}

More text with a [link](https://example.com) and a footnote[^1].

[^1]: The note.
`,
	"content/2026/03/01/toml.md": "+++\ntitle = \"Plain\"\ndate = 2026-03-01\ndraft = true\n+++\nOne paragraph.\n",
}

// TestArticlesSurviveTheCache: what the cache gives back is the article
// and the warnings the parse gave, field for field.
func TestArticlesSurviveTheCache(t *testing.T) {
	p := newParser(t, "timezone = \"Europe/London\"\ntopics = [\"World\"]\n[search]\nenabled = true\n")
	for file, src := range encodeCases {
		want, wantErrs := p.Parse(file, []byte(src))
		if want == nil || wantErrs.Err() != nil {
			t.Fatalf("%s: %v", file, wantErrs)
		}
		data, tail, err := encodeArticle(want, wantErrs)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		got, gotErrs, err := decodeArticle(data, p.cfg.Location)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if got.body != "" || got.plainText != "" {
			t.Errorf("%s: the body is in the entry's data, not its tail", file)
		}
		if got.body, got.plainText, err = decodeTail(tail); err != nil {
			t.Fatalf("%s: tail: %v", file, err)
		}
		if text, err := decodeTailText(tail); err != nil || string(text) != want.plainText {
			t.Errorf("%s: the tail's text alone: %q, %v", file, text, err)
		}
		if want.body == "" || want.plainText == "" {
			t.Fatalf("%s: a case without a body or plain text", file)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: decoded\n%#v\nwant\n%#v", file, got, want)
		}
		if len(wantErrs) == 0 {
			wantErrs = nil
		}
		if !reflect.DeepEqual(gotErrs, wantErrs) {
			t.Errorf("%s: warnings %v, want %v", file, gotErrs, wantErrs)
		}
		for n := range data {
			if _, _, err := decodeArticle(data[:n], p.cfg.Location); err == nil {
				t.Fatalf("%s: cut to %d of %d bytes, it decodes", file, n, len(data))
			}
		}
		for n := range tail {
			if _, _, err := decodeTail(tail[:n]); err == nil {
				t.Fatalf("%s: the tail cut to %d of %d bytes decodes", file, n, len(tail))
			}
			if _, err := decodeTailText(tail[:n]); err == nil {
				t.Fatalf("%s: the tail cut to %d of %d bytes gives a text", file, n, len(tail))
			}
		}
	}
}

// TestEveryArticleFieldIsCached: a field added to Article is cached, or
// the encoding refuses it (and nothing is cached); here every field is
// set, so a kind the encoding cannot write fails the test.
func TestEveryArticleFieldIsCached(t *testing.T) {
	a := new(Article)
	v := reflect.ValueOf(a).Elem()
	for _, f := range articleFields {
		fv := v.FieldByIndex(f.Index)
		switch {
		case f.Type == typeTime:
			fv.Set(reflect.ValueOf(time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)))
		case f.Type == typeParams:
			fv.Set(reflect.ValueOf(map[string]any{"k": "v"}))
		case fv.Kind() == reflect.String:
			fv.SetString(f.Name)
		case fv.Kind() == reflect.Bool:
			fv.SetBool(true)
		case fv.CanInt():
			fv.SetInt(7)
		case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String:
			fv.Set(reflect.ValueOf([]string{f.Name}).Convert(fv.Type()))
		default:
			t.Fatalf("Article.%s is a %s, which the cache cannot write: add it to encode.go", f.Name, f.Type)
		}
	}
	a.SetBody("<p>body</p>", "body")
	data, tail, err := encodeArticle(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := decodeArticle(data, time.UTC)
	if err == nil {
		got.body, got.plainText, err = decodeTail(tail)
	}
	if err != nil || !reflect.DeepEqual(got, a) {
		t.Fatalf("round trip: %v\n%#v\nwant\n%#v", err, got, a)
	}
}

// TestParseFileUsesTheCache: a second parse of the same bytes is the
// cache's entry; other bytes, another path or another CacheKey miss; an
// entry that does not decode is parsed again and replaced; an article
// with errors is not cached.
func TestParseFileUsesTheCache(t *testing.T) {
	cfg := newParser(t, "").cfg
	cache := buildcache.Open(t.TempDir(), buildcache.NewKey([]byte("test")))
	log := cache.OpenLog()
	p := NewParserWith(cfg, ParserOptions{Cache: log, CacheKey: []byte("v1")})
	// A MapFS's files have no stamps: entries are found by key.
	fsys := fstest.MapFS{
		"content/a.md":   {Data: []byte("---\ntitle: A\ndate: 2026-01-01\n---\nBody.\n")},
		"content/bad.md": {Data: []byte("---\ntitle: A\ndate: someday\n---\nBody.\n")},
	}
	first, _ := p.ParseFile(fsys, "content/a.md")
	p.ParseFile(fsys, "content/bad.md")
	log.Prune() // the log is read again from its file
	k := buildcache.NewKey([]byte("v1"), []byte("content/a.md"), fsys["content/a.md"].Data)
	if !log.Read(k, func([]byte, buildcache.Tail) error { return nil }) {
		t.Fatal("the article is not in the cache")
	}
	kb := buildcache.NewKey([]byte("v1"), []byte("content/bad.md"), fsys["content/bad.md"].Data)
	if log.Read(kb, func([]byte, buildcache.Tail) error { return nil }) {
		t.Fatal("the article with errors is in the cache")
	}
	// An entry of the log's format whose data is not an article.
	log.Put("content/a.md", "", k, []byte("garbage"), nil)
	log.Prune()
	again, _ := p.ParseFile(fsys, "content/a.md")
	log.Prune()
	var data []byte
	log.Read(k, func(d []byte, _ buildcache.Tail) error { data = bytes.Clone(d); return nil })
	if !reflect.DeepEqual(loaded(t, again), loaded(t, first)) || string(data) == "garbage" {
		t.Fatal("an entry that does not decode was not parsed again and replaced")
	}
	fsys["content/a.md"].Data = []byte("---\ntitle: B\ndate: 2026-01-01\n---\nBody.\n")
	if b, _ := p.ParseFile(fsys, "content/a.md"); b.Title != "B" {
		t.Errorf("edited file: title %q, want B", b.Title)
	}
	other := NewParserWith(cfg, ParserOptions{Cache: log, CacheKey: []byte("v2")})
	if b, _ := other.ParseFile(fsys, "content/a.md"); b.Fingerprint == again.Fingerprint {
		t.Error("another CacheKey found the first one's entry")
	}
}

// TestUnchangedFilesAreNotRead: an article file whose stamp (device,
// inode, size, times) is as the cache stored it is not opened again; one
// written again with the same size and its modification time put back
// is read, as its change time moved; and a file read just after it was
// written is stored without its stamp, so it is read again next time.
func TestUnchangedFilesAreNotRead(t *testing.T) {
	if s, _ := buildcache.Stamp(statOf(t, t.TempDir())); s == "" {
		t.Skip("this system gives files no stamps")
	}
	cfg := newParser(t, "").cfg
	dir := t.TempDir()
	write := func(src string) {
		if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		time.Sleep(30 * time.Millisecond) // past a tick of the file system's clock
	}
	write("---\ntitle: A\ndate: 2026-01-01\n---\nBody.\n")
	cache := buildcache.Open(t.TempDir(), buildcache.NewKey([]byte("test")))
	log := cache.OpenLog()
	parse := func(settle time.Duration) (*Article, int) {
		t.Helper()
		fsys := testfs.NewCounting(os.DirFS(dir))
		p := NewParserWith(cfg, ParserOptions{Cache: log, CacheKey: []byte("v1"), Settle: settle})
		a, errs := p.ParseFile(fsys, "content/a.md")
		if a == nil || errs.Err() != nil {
			t.Fatalf("parse: %v", errs)
		}
		log.Prune()
		return a, fsys.Reset()["content/a.md"]
	}
	first, opened := parse(time.Nanosecond)
	if opened != 1 {
		t.Fatalf("the first parse opened the file %d times, want 1", opened)
	}
	if again, opened := parse(time.Nanosecond); opened != 0 || !reflect.DeepEqual(loaded(t, again), loaded(t, first)) {
		t.Fatalf("an unchanged file was opened %d times (want 0), or its article changed", opened)
	}
	info := statOf(t, filepath.Join(dir, "content", "a.md"))
	write("---\ntitle: B\ndate: 2026-01-01\n---\nBody.\n")
	if err := os.Chtimes(filepath.Join(dir, "content", "a.md"), info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
	if b, opened := parse(time.Nanosecond); b.Title != "B" || opened != 1 {
		t.Fatalf("a file written again with its size and time kept: title %q, opened %d times; want B, 1", b.Title, opened)
	}
	// With the default of two seconds, the file just written is not
	// stamped: each parse reads it (and finds its entry by key).
	write("---\ntitle: C\ndate: 2026-01-01\n---\nBody.\n")
	for range 2 {
		if c, opened := parse(0); c.Title != "C" || opened != 1 {
			t.Fatalf("a file written just now: title %q, opened %d times; want C, 1", c.Title, opened)
		}
	}
	// Once it has been left alone long enough (here: at once), the parse
	// that finds its entry by key gives the entry its stamp, a few bytes,
	// and the next parse does not read the file.
	logFile := filepath.Join(cache.Dir(), "articles.log")
	size := func() int64 { return statOf(t, logFile).Size() }
	before := size()
	if c, opened := parse(time.Nanosecond); c.Title != "C" || opened != 1 {
		t.Fatalf("title %q, opened %d times; want C, 1", c.Title, opened)
	}
	if grew := size() - before; grew <= 0 || grew > 200 {
		t.Errorf("stamping the entry grew the log by %d bytes, want a small record", grew)
	}
	if c, opened := parse(time.Nanosecond); c.Title != "C" || opened != 0 {
		t.Fatalf("a stamped file: title %q, opened %d times; want C, 0", c.Title, opened)
	}
}

func statOf(t *testing.T, name string) fs.FileInfo {
	t.Helper()
	info, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// loaded is a copy of a with its body and plain text read, as a parse
// gives them: an article read from the cache reads them when asked for.
func loaded(t testing.TB, a *Article) *Article {
	t.Helper()
	body, err := a.Body()
	if err != nil {
		t.Fatal(err)
	}
	text, err := a.PlainText()
	if err != nil {
		t.Fatal(err)
	}
	c := *a
	c.SetBody(body, text)
	return &c
}

// TestDamagedTailIsParsedAgain: an article read from the cache reads its
// body from the entry's tail when asked for; if that tail is damaged, the
// file is parsed again, and gives the same body, unless it changed since
// it was read: then the body is an error naming the file, never another
// version's body.
func TestDamagedTailIsParsedAgain(t *testing.T) {
	cfg := newParser(t, "[search]\nenabled = true\n").cfg
	cache := buildcache.Open(t.TempDir(), buildcache.NewKey([]byte("test")))
	log := cache.OpenLog()
	p := NewParserWith(cfg, ParserOptions{Cache: log, CacheKey: []byte("v1")})
	src := "---\ntitle: A\ndate: 2026-01-01\n---\nThe original body, with a distinctive phrase.\n"
	fsys := fstest.MapFS{"content/a.md": {Data: []byte(src)}}
	parsed, _ := p.ParseFile(fsys, "content/a.md")
	log.Prune()
	want := loaded(t, parsed)

	path := filepath.Join(cache.Dir(), "articles.log")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.LastIndex(raw, []byte("distinctive"))
	if at < 0 {
		t.Fatal("the body is not in the log")
	}
	raw[at] ^= 0x20
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	first, _ := p.ParseFile(fsys, "content/a.md")
	second, _ := p.ParseFile(fsys, "content/a.md")
	if first.tail == nil || second.tail == nil {
		t.Fatal("the articles were not read from the cache")
	}
	if got := loaded(t, first); !reflect.DeepEqual(got, want) {
		t.Errorf("damaged tail: body %q, want %q", got.body, want.body)
	}
	fsys["content/a.md"] = &fstest.MapFile{Data: []byte(strings.Replace(src, "original", "edited", 1))}
	body, err := second.Body()
	if err == nil || !strings.Contains(err.Error(), "content/a.md") {
		t.Errorf("a damaged tail of a file changed since: body %q, error %v; want an error naming the file", body, err)
	}
	if text, err := second.PlainText(); err == nil {
		t.Errorf("a damaged tail of a file changed since: text %q without error", text)
	}
}

// decodeTail reads the body and plain text that encodeArticle wrote as
// the tail.
func decodeTail(data []byte) (template.HTML, string, error) {
	body, err := decodeTailBody(data)
	if err != nil {
		return "", "", err
	}
	text, err := decodeTailText(data)
	if err != nil {
		return "", "", err
	}
	return template.HTML(body), string(text), nil
}

// TestStoredArticleReadsItsBodyBack: an article parsed and stored in the
// cache does not hold its body and plain text (a first build parses
// every article before it renders one) but reads them back from its
// entry, the same as a parse without a cache; without a cache it holds
// them.
func TestStoredArticleReadsItsBodyBack(t *testing.T) {
	cfg := newParser(t, "[search]\nenabled = true\n").cfg
	log := buildcache.Open(t.TempDir(), buildcache.NewKey([]byte("test"))).OpenLog()
	p := NewParserWith(cfg, ParserOptions{Cache: log, CacheKey: []byte("v1")})
	src := "---\ntitle: A\ndate: 2026-01-01\n---\nA body with *emphasis*, stored and read back.\n\nA second paragraph.\n"
	fsys := fstest.MapFS{"content/a.md": {Data: []byte(src)}}
	stored, errs := p.ParseFile(fsys, "content/a.md")
	if stored == nil || errs.Err() != nil {
		t.Fatal(errs)
	}
	if stored.tail == nil || stored.body != "" || stored.plainText != "" {
		t.Fatalf("a stored article holds its body (%d bytes) and text (%d bytes), tail %v", len(stored.body), len(stored.plainText), stored.tail != nil)
	}
	plain, _ := NewParser(cfg).Parse("content/a.md", []byte(src))
	if plain.tail != nil || plain.body == "" {
		t.Fatal("an article parsed without a cache does not hold its body")
	}
	for i := range 2 { // read twice: nothing is kept that a second read misses
		body, err := stored.Body()
		if err != nil || body != plain.body {
			t.Errorf("read %d: Body() = %q, %v; want %q", i, body, err, plain.body)
		}
		text, err := stored.PlainText()
		if err != nil || text != plain.plainText {
			t.Errorf("read %d: PlainText() = %q, %v; want %q", i, text, err, plain.plainText)
		}
	}
	log.Prune()
	log.Close()
	if body, err := stored.Body(); err != nil || body != plain.body {
		t.Errorf("after the log was pruned and closed: Body() = %q, %v", body, err)
	}
}
