package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digest-ssg/digest"
	"github.com/digest-ssg/digest/internal/corpus"
	"github.com/digest-ssg/digest/internal/minify"
)

// A build minifies the templates and the article bodies once, instead of
// every page. Its pages must mean what the pages of an unminified build
// mean once minified whole (the way every page was minified before):
// minifying both gives the same bytes. And they must be smaller than the
// unminified pages.
func TestMinifiedTemplatesMakeMinifiedPages(t *testing.T) {
	gen := t.TempDir()
	if err := corpus.Write(gen, corpus.Options{Articles: 150, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	raw := t.TempDir()
	// Raw HTML in the bodies, scripts and preformatted text included.
	os.WriteFile(filepath.Join(raw, "site.toml"), []byte("title = \"Raw\"\n[markdown]\nraw_html = true\n"), 0o644)
	writeFile(t, filepath.Join(raw, "content/2026/11/27/raw.md"), []byte("---\ntitle: Raw\ndate: 2026-11-27T08:00:00Z\ntopic: World\n---\n"+
		"<div class=\"box\">\n  <p>Spaced   out   &#43; <b>bold</b> </p>\n</div>\n\n<script>var a = 1  <  2 ? \"&#43;\" : '';</script>\n\n"+
		"```\ncode   with   spaces\n\tand tabs\n```\n\nA line  \nbreak and *emphasis*.\n"))
	whole := minify.New(true)
	for name, src := range map[string]string{"example": repoRoot, "corpus": gen, "raw html": raw} {
		t.Run(name, func(t *testing.T) {
			minified, unminified := t.TempDir()+"/min", t.TempDir()+"/raw"
			if _, err := Run(context.Background(), Options{Source: src, Out: minified, Theme: digest.Theme(), Now: now}); err != nil {
				t.Fatal(err)
			}
			if _, err := Run(context.Background(), Options{Source: src, Out: unminified, Theme: digest.Theme(), Now: now, NoMinify: true}); err != nil {
				t.Fatal(err)
			}
			got, want := readTree(t, minified), readTree(t, unminified)
			if len(got) != len(want) {
				t.Fatalf("%d files minified, %d not", len(got), len(want))
			}
			pages, smaller := 0, 0
			for name, page := range got {
				if !strings.HasSuffix(name, ".html") {
					continue
				}
				pages++
				if len(page) < len(want[name]) {
					smaller++
				}
				a, err := whole.File(name, page)
				if err != nil {
					t.Fatal(err)
				}
				b, err := whole.File(name, want[name])
				if err != nil {
					t.Fatal(err)
				}
				if string(a) != string(b) {
					t.Errorf("%s: minified whole, the page differs from the unminified build's at %s", name, firstDiff(string(b), string(a)))
				}
			}
			if pages < 5 || smaller != pages {
				t.Errorf("%d of %d pages are smaller than unminified", smaller, pages)
			}
		})
	}
}
