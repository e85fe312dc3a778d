package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/digest-ssg/digest"
	"github.com/digest-ssg/digest/internal/check"
	"github.com/digest-ssg/digest/internal/pipeline"
	"github.com/digest-ssg/digest/internal/render"
)

const checkHelp = `
Checks the site without writing anything: everything a build checks, and
also that every internal link and #anchor leads somewhere (naming the
article's file, line and column where a bad link is used), that images exist
and have alt text, and that no story was filed twice on one day. It lists
drafts, scheduled and expired articles with when each goes live or went
away, and warns of text copied from the web that needs a look: mojibake
("â€™" for ’), invisible characters, entities escaped twice, player,
share and cookie lines, "latest stories" lists, relative times ("4
hours"), and words run together ("removethe"). With --external it also asks every outbound link, a few at a time,
remembering good answers for a day. Exit status 1 when anything is wrong.

Examples:
  digest check
  digest check --external`

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var sf siteFlags
	var external bool
	fs := newFlagSet("check", "check [flags]", checkHelp, stdout)
	sf.register(fs)
	fs.BoolVar(&external, "external", false, "also check outbound links (needs the network)")
	if help, err := parseFlags(fs, args, stdout, stderr); help || err != nil {
		return err
	}
	if err := sf.check("check", stderr); err != nil {
		return err
	}
	if err := pipeline.CheckSource(sf.source); err != nil {
		return err
	}
	l, errs := pipeline.Load(os.DirFS(sf.source), digest.Theme(), pipeline.Options{
		Source: sf.source, BaseURL: sf.baseURL, Drafts: sf.drafts, Future: sf.future, Expired: sf.expired,
		Cache: sf.cache(),
	})
	if l == nil {
		return reportWith(errs.Err(), stderr, "fix them and check again")
	}
	printWarnings(l.Warnings, stderr)
	var opt check.Options
	if external {
		opt.External = check.DefaultExternal()
	}
	r, err := check.Run(ctx, l, opt)
	if err != nil {
		return reportWith(err, stderr, "fix them and check again")
	}
	for _, n := range r.Notes {
		fmt.Fprintln(stdout, n)
	}
	printWarnings(r.Warnings, stderr)
	for _, p := range r.Problems {
		fmt.Fprintln(stderr, p.Error())
	}
	summary := fmt.Sprintf("checked %s, %s", render.Plural(r.Pages, "page", "pages"), render.Plural(r.Links, "internal link", "internal links"))
	if external {
		summary += fmt.Sprintf(", %s", render.Plural(r.External, "outbound link", "outbound links"))
	}
	if len(r.Problems) > 0 {
		fmt.Fprintf(stderr, "%s: %s\n", summary, render.Plural(len(r.Problems), "problem", "problems"))
		return &siteError{count: len(r.Problems)}
	}
	fmt.Fprintf(stdout, "%s: no problems\n", summary)
	return nil
}
