package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/digest-ssg/digest"
	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/pipeline"
	"github.com/digest-ssg/digest/internal/render"
)

const buildHelp = `
Builds the site into its output folder (build/ unless site.toml's output
or --out says otherwise), minified, ready for any static host. The folder
is replaced as a whole only when the build succeeds; on errors every
problem is printed as file:line:col: message and the previous output is
kept as it was.

A build that would publish no article where the previous build published
some, or fewer than half as many, is refused and changes nothing, as it is
most often a mistake (content/ moved or not mounted); --allow-shrink lets it
through when it is intended.

Examples:
  digest build
  digest build -s ~/sites/morning --out /srv/www/morning
  digest build --drafts --base-url http://localhost:8080/`

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var sf siteFlags
	var out string
	var noMinify, allowShrink bool
	fs := newFlagSet("build", "build [flags]", buildHelp, stdout)
	sf.register(fs)
	fs.StringVar(&out, "o", "", "shorthand for --out")
	fs.StringVar(&out, "out", "", "the output `folder` (default: site.toml's output, \"build\")")
	fs.BoolVar(&noMinify, "no-minify", false, "write files without minifying them")
	fs.BoolVar(&allowShrink, "allow-shrink", false, "publish even if the build has fewer than half the articles of the previous one")
	if help, err := parseFlags(fs, args, stdout, stderr); help || err != nil {
		return err
	}
	if err := sf.check("build", stderr); err != nil {
		return err
	}
	if err := checkOut(fs, out, stderr); err != nil {
		return err
	}
	sum, err := pipeline.Run(ctx, pipeline.Options{
		Source: sf.source, Out: out, BaseURL: sf.baseURL, NoMinify: noMinify, AllowShrink: allowShrink,
		Drafts: sf.drafts, Future: sf.future, Expired: sf.expired,
		Theme: digest.Theme(), Cache: sf.cache(),
	})
	if err != nil {
		return report(err, stderr)
	}
	printWarnings(sum.Warnings, stderr)
	fmt.Fprintln(stdout, summaryLine(sum))
	if n := sum.Skipped.NextScheduled; n != nil {
		fmt.Fprintf(stdout, "next scheduled: %s goes live %s (rebuild then)\n", n.File, n.Date.Format("2006-01-02 15:04 MST"))
	}
	return nil
}

// checkOut refuses an -o/--out given an empty value, which would
// otherwise mean site.toml's output, as an empty output in site.toml is
// refused. Only a flag given counts: left out, out is "" too.
func checkOut(fs *flag.FlagSet, out string, stderr io.Writer) error {
	given := ""
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "o" || f.Name == "out" {
			given = f.Name
		}
	})
	if given == "" || strings.TrimSpace(out) != "" {
		return nil
	}
	name := "--out"
	if given == "o" {
		name = "-o"
	}
	fmt.Fprintf(stderr, "digest build: %s: must not be empty (leave the flag out to use site.toml's output, \"build\" by default)\n", name)
	return errUsage
}

// report prints the problems of a failed build, one per line.
func report(err error, stderr io.Writer) error {
	return reportWith(err, stderr, "the previous output was left as it was")
}

// reportWith prints the problems, one per line, and a closing line with
// the count and what that means.
func reportWith(err error, stderr io.Writer, outcome string) error {
	list, ok := err.(diag.List)
	if !ok {
		if e, isOne := err.(*diag.Error); isOne {
			list = diag.List{e}
		} else {
			return err
		}
	}
	for _, e := range list {
		fmt.Fprintln(stderr, e.Error())
	}
	fmt.Fprintf(stderr, "digest: %s; %s\n", render.Plural(len(list), "error", "errors"), outcome)
	return &siteError{count: len(list)}
}

func printWarnings(list diag.List, stderr io.Writer) {
	for _, w := range list {
		fmt.Fprintf(stderr, "%s: warning: %s\n", w.Pos, w.Msg)
	}
}

// summaryLine says what a build did, e.g.
// "built 14 articles, 62 pages, 70 files (412.3 KB) in 84ms; skipped 1 draft, 0 future, 0 expired → build".
func summaryLine(s *pipeline.Summary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "built %s, %s, %s (%s) in %s",
		render.Plural(s.Articles, "article", "articles"), render.Plural(s.Pages, "page", "pages"),
		render.Plural(int(s.Files), "file", "files"), formatBytes(s.Bytes), s.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(&b, "; skipped %s, %d future, %d expired → %s",
		render.Plural(s.Skipped.Drafts, "draft", "drafts"), s.Skipped.Future, s.Skipped.Expired, s.Out)
	return b.String()
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
