package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/digest-ssg/digest/internal/render"
	"github.com/digest-ssg/digest/internal/wire"
)

const pullHelp = `
Reads the feeds site.toml lists as [[sources]] (RSS, Atom or JSON Feed)
and writes a draft for each new item, as digest add does, printing each
path: the item's headline, the source's name, the item's link without
tracking parameters, its summary, picture, time and authors, and the
source's topic and tags. A source's include keywords keep only the items
that have one of them in the headline or summary; its exclude keywords
leave out the items that have any.

An item already pulled is never pulled again: what was drafted is kept
in .digest/pull.json (safe to delete: it is rebuilt from the articles in
content/). The same story from several sources (the same link, or
near-duplicate headlines on the same day) becomes one draft, from the
source listed first, with the others under "Also covered by"; a later
source's version of a story drafted earlier is added to that draft.

Feeds are asked a few at a time, with conditional requests, so an
unchanged feed costs little. A feed or item that fails is reported with
its URL and why; the others go on, and the exit status is 1.

Example site.toml:
  [[sources]]
  name = "Harbour Gazette"
  url = "https://gazette.example.com/feed.xml"
  topic = "World"
  tags = ["ports"]
  exclude = ["sport"]

Examples:
  digest pull
  digest pull -s morning-brief --timeout 10s`

func runPull(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var wf wireFlags
	fs := newFlagSet("pull", "pull [flags]", pullHelp, stdout)
	wf.register(fs)
	if help, err := parseFlags(fs, args, stdout, stderr); help || err != nil {
		return err
	}
	s, err := wf.wireSite("pull", stderr)
	if err != nil {
		return err
	}
	res, err := wire.Pull(ctx, s)
	if errors.Is(err, context.Canceled) {
		return err
	}
	if res == nil {
		fmt.Fprintf(stderr, "digest pull: %v\n", err)
		return &siteError{count: 1}
	}
	for _, w := range res.Written {
		if len(w.Also) > 0 {
			fmt.Fprintf(stdout, "%s (also covered by %s)\n", w.Path, strings.Join(w.Also, ", "))
		} else {
			fmt.Fprintln(stdout, w.Path)
		}
	}
	for _, m := range res.Merged {
		fmt.Fprintf(stdout, "%s: also covered by %s\n", m.Path, m.Source)
	}
	for _, f := range res.Failed {
		fmt.Fprintf(stderr, "digest pull: %v\n", f)
	}
	fmt.Fprintln(stdout, pullSummary(res))
	if err != nil {
		fmt.Fprintf(stderr, "digest pull: %v\n", err)
		return &siteError{count: 1}
	}
	if len(res.Failed) > 0 {
		fmt.Fprintf(stderr, "digest pull: %s failed\n", render.Plural(len(res.Failed), "feed or item", "feeds or items"))
		return &siteError{count: len(res.Failed)}
	}
	return nil
}

// pullSummary says what a pull did, e.g. "pulled 3 new stories from 2
// feeds (1 unchanged); 1 also covered, 4 already pulled, 2 filtered out".
func pullSummary(r *wire.Pulled) string {
	s := fmt.Sprintf("pulled %s from %s", render.Plural(len(r.Written), "new story", "new stories"), render.Plural(r.Feeds+r.NotModified, "feed", "feeds"))
	if r.NotModified > 0 {
		s += fmt.Sprintf(" (%d unchanged)", r.NotModified)
	}
	return s + fmt.Sprintf("; %d also covered, %d already pulled, %d filtered out", len(r.Merged), r.Already, r.Filtered)
}
