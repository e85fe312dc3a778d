package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/digest-ssg/digest/internal/fetch"
	"github.com/digest-ssg/digest/internal/wire"
)

const addHelp = `
Fetches a web page and writes a draft of its story, as digest new does:
content/YYYY/MM/DD/<slug>.md, dated now in the site's timezone, marked
draft: true, never overwriting a file (a numbered name when the headline's
is taken), and prints its path. The draft has the headline, the outlet
(source), the canonical URL without tracking parameters (source_url), the
page's description (summary), its lead image and alt text, and under
params the original's publication time and authors. The body is the
story's first paragraph as a quote and a link to the original; with
--full, the whole text in Markdown (for your own or licensed content).

The text is cleaned on the way: mojibake repaired, invisible characters
removed, player, share and cookie lines and "latest stories" lists
dropped; words that seem to have lost the space between them are
reported, not changed. A page already drafted (its draft still there) is
refused. Only http and https URLs are fetched.

Examples:
  digest add https://news.example.com/2026/11/30/port-reopens
  digest add --topic World --tags ports,weather https://news.example.com/port
  digest add --full https://our-newsroom.example.org/story`

func runAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var wf wireFlags
	var topic, tags string
	var full bool
	fs := newFlagSet("add", "add URL [flags]", addHelp, stdout)
	wf.register(fs)
	fs.StringVar(&topic, "topic", "", "the draft's `topic`")
	fs.StringVar(&tags, "tags", "", "comma-separated `tags`")
	fs.BoolVar(&full, "full", false, "the whole text of the story, not an excerpt")
	raw, help, err := parseWithArg(fs, args, stdout, stderr)
	if help || err != nil {
		return err
	}
	if strings.TrimSpace(raw) == "" {
		fmt.Fprintln(stderr, "digest add: give the story's URL: digest add https://…")
		return errUsage
	}
	if _, err := fetch.CheckURL(raw); err != nil {
		fmt.Fprintf(stderr, "digest add: %v\n", err)
		return errUsage
	}
	s, err := wf.wireSite("add", stderr)
	if err != nil {
		return err
	}
	added, err := wire.Add(ctx, s, raw, wire.AddOptions{Topic: topic, Tags: splitList(tags), Full: full})
	if errors.Is(err, context.Canceled) {
		return err
	}
	if err != nil {
		fmt.Fprintf(stderr, "digest add: %v\n", err)
		return &siteError{count: 1}
	}
	fmt.Fprintln(stdout, added.Path)
	return nil
}

// splitList reads "a, b,c" as a list.
func splitList(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}
