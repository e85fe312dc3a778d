package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/digest-ssg/digest"
	"github.com/digest-ssg/digest/internal/corpus"
)

// gmailClip is the size of HTML past which Gmail cuts a message off
// behind a "[Message clipped]" link.
const gmailClip = 102 * 1024

// TestEmailOfABusyDayIsNotClipped: the email of a day with 40 stories,
// as a build writes it for users (minified), stays under the size at
// which Gmail clips a message, and lists every story once.
func TestEmailOfABusyDayIsNotClipped(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Options{Articles: 40, PerDay: 40, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "build")
	if _, err := Run(context.Background(), Options{Source: dir, Theme: digest.Theme(), Now: now}); err != nil {
		t.Fatal(err)
	}
	email, err := os.ReadFile(filepath.Join(out, "2026/11/27/email.html"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the email of a 40-story day: %d bytes of HTML (Gmail clips past %d)", len(email), gmailClip)
	if len(email) >= gmailClip {
		t.Errorf("the email of a 40-story day is %d bytes: Gmail clips past %d", len(email), gmailClip)
	}
	links := regexp.MustCompile(`<h[13][^>]*><a href="https://bench\.example\.org/2026/11/27/[^"]+/"`).FindAll(email, -1)
	if len(links) != 40 {
		t.Errorf("the email has %d headlines, want 40", len(links))
	}
	text, err := os.ReadFile(filepath.Join(out, "2026/11/27/email.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), "[40] https://bench.example.org/2026/11/27/") {
		t.Errorf("the text does not list 40 links:\n%s", text)
	}
}

// TestEmailPages: the example site's emails and the feed of editions,
// as published: absolute links only, no script, no style sheet linked,
// the preheader, and the feeds page and OPML pointing at editions.xml.
// With [email] enabled = false, none of them.
func TestEmailPages(t *testing.T) {
	out := t.TempDir() + "/out"
	if _, err := Run(context.Background(), Options{Source: repoRoot, Out: out, Theme: digest.Theme(), Now: now}); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	emails, _ := filepath.Glob(filepath.Join(out, "*/*/*/email.html"))
	if len(emails) != 3 {
		t.Fatalf("emails: %v, want one for each of the 3 editions", emails)
	}
	html := read("2026/11/26/email.html")
	for _, bad := range []string{"<script", "<link", "@import", `href="/`, `src="/`, "@font-face"} {
		if strings.Contains(html, bad) {
			t.Errorf("the email has %q", bad)
		}
	}
	for _, want := range []string{
		`<div style="display:none`, "Offshore turbines supplied more than half", // the preheader: the lead's dek
		`<a href="https://digest.example.org/2026/11/26/" style=`, // read on the web
		`<a href="{{unsubscribe_url}}"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the email lacks %s", want)
		}
	}
	feed := read("editions.xml")
	if n := strings.Count(feed, "<item>"); n != 3 {
		t.Errorf("editions.xml has %d items, want 3", n)
	}
	for _, page := range []string{"feeds/index.html", "feeds.opml"} {
		if !strings.Contains(read(page), "https://digest.example.org/editions.xml") && !strings.Contains(read(page), `href="/editions.xml"`) {
			t.Errorf("%s does not link to editions.xml", page)
		}
	}

	site := t.TempDir()
	writeFile(t, filepath.Join(site, "site.toml"), []byte("base_url = \"https://x.example/\"\n[email]\nenabled = false\n"))
	writeFile(t, filepath.Join(site, "content/a.md"), []byte("---\ntitle: A\ndate: 2026-11-27T08:00:00Z\n---\nBody.\n"))
	if _, err := Run(context.Background(), Options{Source: site, Theme: digest.Theme(), Now: now}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"2026/11/27/email.html", "2026/11/27/email.txt", "editions.xml"} {
		if _, err := os.Stat(filepath.Join(site, "build", name)); err == nil {
			t.Errorf("with [email] enabled = false, the build wrote %s", name)
		}
	}
	if strings.Contains(readFile(t, filepath.Join(site, "build/feeds/index.html")), "editions.xml") {
		t.Error("with the email off, the feeds page links to editions.xml")
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
