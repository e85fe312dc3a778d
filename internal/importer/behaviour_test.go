package importer

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"
)

// site is a small source site written inline, as a txtar archive.
func siteFS(text string) fstest.MapFS {
	return archiveFS(txtar.Parse([]byte(text)))
}

func warningsOf(r *Report, c Class) []string {
	var out []string
	for _, w := range r.Warnings {
		if w.Class == c {
			out = append(out, w.String())
		}
	}
	return out
}

func hasWarning(r *Report, c Class, part string) bool {
	for _, w := range warningsOf(r, c) {
		if strings.Contains(w, part) {
			return true
		}
	}
	return false
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, site string
		from       Generator
		want       Generator
		err        string
	}{
		{"hugo by hugo.toml", "-- hugo.toml --\ntitle = \"x\"\n", "", Hugo, ""},
		{"hugo by config.toml with baseURL", "-- config.toml --\nbaseURL = \"https://x.org/\"\n", "", Hugo, ""},
		{"zola by config.toml with base_url", "-- config.toml --\nbase_url = \"https://x.org\"\n", "", Zola, ""},
		{"jekyll by _posts", "-- _posts/2020-01-01-a.md --\n---\ntitle: a\n---\n", "", Jekyll, ""},
		{"eleventy by package.json", "-- package.json --\n{\"devDependencies\": {\"@11ty/eleventy\": \"^3\"}}\n", "", Eleventy, ""},
		{"hugo by its folders", "-- content/posts/a.md --\n---\ntitle: a\n---\n-- archetypes/default.md --\n", "", Hugo, ""},
		{"a folder of posts", "-- notes/a.md --\n---\ntitle: a\n---\n", "", Folder, ""},
		{"two kinds at once", "-- _config.yml --\ntitle: x\n-- .eleventy.js --\n", "", "", "more than one kind of site"},
		{"--from settles it", "-- _config.yml --\ntitle: x\n-- .eleventy.js --\n", Eleventy, Eleventy, ""},
		{"--from with nothing of it", "-- _config.yml --\ntitle: x\n", Zola, "", "no Zola site here"},
		{"nothing at all", "-- README.txt --\nhello\n-- notes.md --\njust text\n", "", "", "no site here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := detect(siteFS(tt.site), tt.from)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("detect = %s, %v; want an error with %q", got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("detect = %s, %v; want %s", got, err, tt.want)
			}
		})
	}
}

func TestRewriteFrontMatter(t *testing.T) {
	r, dir := importFS(t, siteFS(`
-- config.toml --
baseURL = "https://example.org/"
-- content/posts/a.md --
---
Title: "Keys in any case"
date: 2020-02-02
publishDate: 2020-02-03
description: "The dek."
summary: "The summary wins."
author: {name: "Ann Lee", email: "ann@example.org"}
tags: "one tag"
keywords: [k1, k2]
image: {src: "/img/a.png", alt: "A picture"}
source_url: "ftp://not-http.example/"
featured: "perhaps"
expiryDate: 2030-01-01
lastmod: 2020-02-05T10:00:00Z
params: {color: red}
color: blue
menu: main
---
Body.
-- content/posts/b.json.md --
{
  "title": "JSON front matter",
  "date": "2020-03-03",
  "series": ["one"]
}
Body of b.
`), Options{})
	front, _ := readFront(t, dir, "content/2020/02/02/a.md")
	for k, want := range map[string]string{
		"title": "Keys in any case", "date": "2020-02-02", "summary": "The summary wins.", "authors": "Ann Lee",
		"tags": "one tag, k1, k2", "image": "/img/a.png", "image_alt": "A picture", "expires": "2030-01-01",
		"updated": "2020-02-05T10:00:00Z",
	} {
		if got := nodeText(front.Get(k)); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	params := front.Get("params").Value
	for k, want := range map[string]string{"publishDate": "2020-02-03", "description": "The dek.", "source_url": "ftp://not-http.example/", "featured": "perhaps", "color": "red", "color_": "blue", "menu": "main"} {
		if got := nodeText(params.Get(k)); got != want {
			t.Errorf("params.%s = %q, want %q", k, got, want)
		}
	}
	if params.Get("author") == nil || params.Get("image") == nil {
		t.Errorf("the author and image tables are not kept under params: %v", params.Fields)
	}
	for _, part := range []string{"source_url: not an http(s) URL", "featured: want true or false"} {
		if !hasWarning(r, ValueMoved, part) {
			t.Errorf("no warning %q in %v", part, warningsOf(r, ValueMoved))
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "content/2020/03/03/b-json.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "---\ntitle: \"JSON front matter\"\n") || !strings.Contains(string(data), "series: [\"one\"]") {
		t.Errorf("JSON front matter not written as YAML:\n%s", data)
	}
	if !hasWarning(r, Rewritten, "JSON front matter written as YAML") {
		t.Errorf("no warning for the JSON front matter: %v", dump(r))
	}
	load(t, dir)
}

func TestImportDatesPostsWithoutOne(t *testing.T) {
	r, dir := importFS(t, siteFS(`
-- config.toml --
baseURL = "https://example.org/"
-- content/posts/with-lastmod.md --
---
title: Dated by lastmod, as Hugo does
lastmod: 2021-04-04T08:00:00Z
---
-- content/posts/undated.md --
---
title: No date anywhere
---
`), Options{})
	if _, err := os.Stat(filepath.Join(dir, "content/2021/04/04/with-lastmod.md")); err != nil {
		t.Errorf("the post with lastmod is not dated by it: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "content/2024/12/01/undated.md")); err != nil {
		t.Errorf("the undated post is not dated by its file's time: %v", err)
	}
	if got := warningsOf(r, NoDate); len(got) != 1 || !strings.Contains(got[0], "content/2024/12/01/undated.md: no date: dated by the file's modification time") {
		t.Errorf("NoDate warnings = %q", got)
	}
}

func TestImportRenamesClashesAndDropsClashingRedirects(t *testing.T) {
	r, dir := importFS(t, siteFS(`
-- _config.yml --
title: Clashes
-- _posts/2020-01-01-same.md --
---
title: One
redirect_from: [/archive/, /old/one/]
---
-- _posts/2020-01-01-Same.markdown --
---
title: Two
redirect_from: /old/one/
---
-- assets/kept.html --
<p>a page of the old site</p>
-- _posts/2020-01-02-third.md --
---
title: Three
redirect_from: /assets/kept.html
---
`), Options{})
	l := load(t, dir)
	if len(l.Site.Articles) != 3 {
		t.Fatalf("published %d articles, want 3", len(l.Site.Articles))
	}
	// Same.markdown comes first (capitals sort first), so same.md is renamed
	front, _ := readFront(t, dir, "content/2020/01/01/same-2.md")
	if got := nodeText(front.Get("title")); got != "One" {
		t.Errorf("same-2 is %q, want the second file's post, One", got)
	}
	for _, part := range []string{"old URL /archive/: digest's archive page is there", "old URL /old/one/ is also claimed by _posts/2020-01-01-Same.markdown", "old URL /assets/kept.html: a static file of the same name is there"} {
		if !hasWarning(r, NoRedirect, part) {
			t.Errorf("no warning %q:\n%s", part, dump(r))
		}
	}
	if !hasWarning(r, SlugClash, "same day and slug") {
		t.Errorf("no warning for the renamed post:\n%s", dump(r))
	}
}

func TestImportLeavesOutWhatDigestWouldRefuse(t *testing.T) {
	huge := strings.Repeat("[", 10001)
	r, dir := importFS(t, siteFS(`
-- _config.yml --
title: Refused
-- _posts/2020-01-01-good.md --
---
title: Good
---
Fine.
-- _posts/2020-01-02-brackets.md --
---
title: Brackets
---
`+huge+`
-- _posts/2020-01-03-broken.md --
---
title: "unterminated
---
`), Options{})
	if r.Found != 3 || r.Imported != 1 {
		t.Errorf("found %d, imported %d; want 3, 1\n%s", r.Found, r.Imported, dump(r))
	}
	if !hasWarning(r, NotImported, "_posts/2020-01-02-brackets.md: digest would refuse it") {
		t.Errorf("no warning for the post digest refuses:\n%s", dump(r))
	}
	if !hasWarning(r, NotImported, "_posts/2020-01-03-broken.md") {
		t.Errorf("no warning for the post whose front matter is broken:\n%s", dump(r))
	}
	load(t, dir)
}

func TestImportFolderOfPosts(t *testing.T) {
	r, dir := importFS(t, siteFS(`
-- notes/2021-05-05-first.md --
---
title: First
permalink: /notes/first/
---
A {% include x.html %} tag.
-- notes/second.md --
+++
title = "Second"
date = 2021-05-06
+++
A {{< figure src="x.png" alt="X" >}} shortcode.
-- README.md --
No front matter here.
`), Options{})
	if r.Generator != Folder || r.Imported != 2 || r.Redirects != 1 {
		t.Errorf("generator %s, imported %d, redirects %d; want folder, 2, 1\n%s", r.Generator, r.Imported, r.Redirects, dump(r))
	}
	_, body := readFront(t, dir, "content/2021/05/06/second.md")
	if !strings.Contains(body, "![X](x.png)") {
		t.Errorf("the Hugo shortcode in a TOML post was not converted: %q", body)
	}
	if !hasWarning(r, NotConverted, "{% include x.html %}") {
		t.Errorf("the Liquid include is not listed:\n%s", dump(r))
	}
	load(t, dir)
}

func TestImportRefusesFolders(t *testing.T) {
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "_config.yml"), []byte("title: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	busy := t.TempDir()
	if err := os.WriteFile(filepath.Join(busy, "keep.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, src, dir, err string
	}{
		{"not empty", src, busy, "is not empty"},
		{"inside the source", src, filepath.Join(src, "new"), "is inside"},
		{"the source itself", src, src, "is not empty"},
		{"a file", src, file, "is a file"},
		{"no source", filepath.Join(src, "missing"), filepath.Join(t.TempDir(), "new"), "does not exist"},
		{"source is a file", file, filepath.Join(t.TempDir(), "new"), "is a file, not a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Import(context.Background(), tt.src, tt.dir, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("Import = %v, want an error with %q", err, tt.err)
			}
		})
	}
	if data, _ := os.ReadFile(filepath.Join(busy, "keep.txt")); string(data) != "mine" {
		t.Errorf("the folder that is not empty was touched")
	}
	if entries, _ := os.ReadDir(src); len(entries) != 1 {
		t.Errorf("the source changed: %v", entries)
	}
}

func TestImportIntoAnEmptyFolder(t *testing.T) {
	src := t.TempDir()
	for name, data := range map[string]string{"_config.yml": "title: x\n", "_posts/2020-01-01-a.md": "---\ntitle: A\n---\nBody.\n"} {
		p := filepath.Join(src, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(data), 0o644)
	}
	dir := t.TempDir()
	r, err := Import(context.Background(), src, dir, Options{})
	if err != nil || r.Imported != 1 {
		t.Fatalf("Import = %v, %v", r, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "content/2020/01/01/a.md")); err != nil {
		t.Error(err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".*.import-*")); len(leftovers) > 0 {
		t.Errorf("left behind: %v", leftovers)
	}
}

func TestWriteLeavesNoHalfSite(t *testing.T) {
	s, err := Plan(context.Background(), fixture(t, "hugo"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Copies = append(s.Copies, Copy{From: "static/missing.png", To: "static/missing.png"})
	parent := t.TempDir()
	dir := filepath.Join(parent, "new")
	if err := s.Write(context.Background(), dir); err == nil {
		t.Fatal("Write succeeded with a file that cannot be copied")
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("a failed write left %v behind", entries)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s, _ = Plan(context.Background(), fixture(t, "hugo"), Options{})
	if err := s.Write(ctx, dir); !errors.Is(err, context.Canceled) {
		t.Fatalf("Write with a cancelled context = %v", err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("an interrupted write left %v behind", entries)
	}
}

func TestImportDoesNotFollowLinksOrCopyWhatDigestIgnores(t *testing.T) {
	fsys := siteFS(`
-- hugo.toml --
title = "Links"
-- content/posts/a.md --
---
title: A
date: 2020-01-01
---
-- static/logo.svg --
<svg xmlns="http://www.w3.org/2000/svg"/>
-- static/_headers --
/*
  X-Frame-Options: DENY
`)
	fsys["static/secret"] = &fstest.MapFile{Data: []byte("/etc/passwd"), Mode: fs.ModeSymlink}
	r, dir := importFS(t, fsys, Options{})
	if r.Static != 1 {
		t.Errorf("copied %d static files, want 1 (logo.svg)\n%s", r.Static, dump(r))
	}
	for _, part := range []string{"static/secret: a symbolic link: not followed", "static/_headers: not copied: digest does not publish names starting with _"} {
		if !hasWarning(r, NotCopied, part) {
			t.Errorf("no warning %q:\n%s", part, dump(r))
		}
	}
	if _, err := os.Lstat(filepath.Join(dir, "static/secret")); err == nil {
		t.Error("the link was copied")
	}
}
