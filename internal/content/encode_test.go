package content

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"testing/fstest"
	"time"

	"github.com/digest-ssg/digest/internal/buildcache"
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
		data, err := encodeArticle(want, wantErrs)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		got, gotErrs, err := decodeArticle(data, p.cfg.Location)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
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
	data, err := encodeArticle(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := decodeArticle(data, time.UTC)
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
	entries := func() []string {
		names, _ := filepath.Glob(filepath.Join(cache.Dir(), "*"))
		return names
	}
	p := NewParserWith(cfg, ParserOptions{Cache: cache, CacheKey: []byte("v1")})
	fsys := fstest.MapFS{
		"content/a.md":   {Data: []byte("---\ntitle: A\ndate: 2026-01-01\n---\nBody.\n")},
		"content/bad.md": {Data: []byte("---\ntitle: A\ndate: someday\n---\nBody.\n")},
	}
	first, _ := p.ParseFile(fsys, "content/a.md")
	p.ParseFile(fsys, "content/bad.md")
	if n := len(entries()); n != 1 {
		t.Fatalf("%d entries, want 1 (the article with errors is not cached)", n)
	}
	entry := entries()[0]
	// A valid entry of the cache's format whose data is not an article.
	k := buildcache.NewKey([]byte("v1"), []byte("content/a.md"), fsys["content/a.md"].Data)
	cache.Put(k, []byte("garbage"))
	again, _ := p.ParseFile(fsys, "content/a.md")
	if data, _ := cache.Get(k); !reflect.DeepEqual(again, first) || string(data) == "garbage" {
		t.Fatal("an entry that does not decode was not parsed again and replaced")
	}
	os.WriteFile(entry, []byte("digestc1 but cut short"), 0o644)
	if again, _ := p.ParseFile(fsys, "content/a.md"); !reflect.DeepEqual(again, first) {
		t.Fatal("a damaged entry changed the article")
	}
	fsys["content/a.md"].Data = []byte("---\ntitle: B\ndate: 2026-01-01\n---\nBody.\n")
	if b, _ := p.ParseFile(fsys, "content/a.md"); b.Title != "B" {
		t.Errorf("edited file: title %q, want B", b.Title)
	}
	other := NewParserWith(cfg, ParserOptions{Cache: cache, CacheKey: []byte("v2")})
	other.ParseFile(fsys, "content/a.md")
	if n := len(entries()); n != 3 {
		t.Errorf("%d entries, want 3: one per version of the file and variant", n)
	}
}
