package importer

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"
)

// jekyllSite10k is a generated Jekyll-style site of n posts: three a day,
// each with categories, tags, a highlight block, an image under
// site.baseurl and a post_url to the post before it.
func jekyllSiteOf(n int) fstest.MapFS {
	fsys := fstest.MapFS{
		"_config.yml":          {Data: []byte("title: Generated\nurl: https://gen.example.org\nbaseurl: /news\npermalink: /:categories/:year/:month/:day/:title:output_ext\ntimezone: Europe/Paris\n")},
		"assets/img/photo.svg": {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
	}
	start := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	prev := ""
	for i := range n {
		day := start.AddDate(0, 0, i/3).Format("2006-01-02")
		name := fmt.Sprintf("%s-story-number-%d", day, i)
		body := fmt.Sprintf(`---
layout: post
title: "Story number %d"
date: %s %02d:15:00 +0100
categories: [world, "region %d"]
tags: [generated, batch-%d]
---
The first paragraph of story %d, long enough to be a summary of the kind
an editor writes, with a [link](https://example.com/%d) in it.

![A photo]({{ site.baseurl }}/assets/img/photo.svg)

{%% highlight go %%}
fmt.Println(%d)
{%% endhighlight %%}

See also [the story before]({%% post_url %s %%}).
`, i, day, 8+i%3*4, i%7, i%50, i, i, i, prev)
		if prev == "" {
			body = body[:len(body)-len("See also [the story before]({% post_url  %}).\n")]
		}
		fsys["_posts/"+name+".md"] = &fstest.MapFile{Data: []byte(body), ModTime: fixtureTime}
		prev = name
	}
	return fsys
}

// BenchmarkImportJekyll10k imports a generated 10,000-post Jekyll site:
// reading, converting, checking every article as digest will, and
// writing the new site.
func BenchmarkImportJekyll10k(b *testing.B) {
	fsys := jekyllSiteOf(10000)
	for b.Loop() {
		s, err := Plan(context.Background(), fsys, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if s.Report.Imported != 10000 || len(s.Report.Warnings) > 10000 {
			b.Fatalf("imported %d, %d warnings", s.Report.Imported, len(s.Report.Warnings))
		}
		if err := s.Write(context.Background(), filepath.Join(b.TempDir(), "site")); err != nil {
			b.Fatal(err)
		}
	}
}

func TestImportGeneratedJekyllSite(t *testing.T) {
	r, dir := importFS(t, jekyllSiteOf(300), Options{})
	if r.Imported != 300 || r.Redirects != 300 || r.Converted["post_url"] != 299 || len(r.ForPerson()) != 0 {
		t.Fatalf("imported %d, redirects %d, converted %v, for a person %v", r.Imported, r.Redirects, r.Converted, r.ForPerson())
	}
	l := load(t, dir)
	if len(l.Site.Articles) != 300 {
		t.Errorf("published %d articles, want 300", len(l.Site.Articles))
	}
}
