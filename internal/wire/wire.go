// Package wire brings stories in from the web as drafts: Add reads one
// web page (digest add), Pull the new items of the feeds site.toml lists
// (digest pull). Both fetch (internal/fetch), read (internal/extract,
// internal/feed), clean (internal/clean), and write drafts through the
// code digest new uses (internal/scaffold), never overwriting a file.
//
// What has been drafted is remembered in the site's .digest/pull.json
// (see state.go): a small file, written whole or not at all, that can be
// deleted at any time. A missing or damaged one is rebuilt from the
// source_url of the articles in content/, so no story is pulled twice
// even then.
package wire

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/digest-ssg/digest/internal/clean"
	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/fetch"
)

// Site is where drafts go and how pages are fetched.
type Site struct {
	Root   string
	Config *config.Config
	Client *fetch.Client
	Now    time.Time
	// Warn reports something the editor should know that stopped nothing
	// (a damaged state file, words run together).
	Warn func(format string, args ...any)
}

func (s *Site) warn(format string, args ...any) {
	if s.Warn != nil {
		s.Warn(format, args...)
	}
}

// summaryLimit is the longest summary a draft gets from a page or feed.
const summaryLimit = 300

// shorten cuts plain text at a word to at most n bytes, with an ellipsis.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimRight(s[:cut], " ,;:.-–—") + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// quote makes Markdown a block quote.
func quote(md string) string {
	lines := strings.Split(strings.TrimSpace(md), "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = ">"
		} else {
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
}

// readLink is the line that sends readers to the original.
func readLink(outlet, link string) string {
	return fmt.Sprintf("[Read the story at %s](<%s>)", escapeLinkText(outlet), link)
}

// escapeLinkText keeps an outlet's name from ending a Markdown link.
func escapeLinkText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, `*`, `\*`, `_`, `\_`, "`", "\\`", `<`, `&lt;`)
	return r.Replace(s)
}

// splitTags reads "a, b,c" as a list.
func splitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// cleanNames cleans a list of names, dropping empty ones.
func cleanNames(list []string) []string {
	var out []string
	for _, n := range list {
		if n = clean.Text(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func parseURL(s string) *url.URL {
	u, _ := url.Parse(s)
	return u
}
