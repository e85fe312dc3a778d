package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/digest-ssg/digest/internal/importer"
	"github.com/digest-ssg/digest/internal/render"
)

const importHelp = `
Makes a new digest site in DIR (default: the current folder) from the Hugo,
Jekyll, Zola or Eleventy site in SRC, or from a folder of Markdown posts
with front matter. The generator is recognised by its config files and
folders; --from names it when the folder looks like more than one. SRC is
only read. DIR must be new or empty, and not inside SRC.

Each post becomes content/YYYY/MM/DD/<slug>.md, its front matter rewritten
into digest's keys in its own format (YAML stays YAML, TOML stays TOML);
keys digest has no meaning for go under params. The slug keeps the old
URL's last segment. The old URLs (from the site's permalink settings and
each post's aliases, url, permalink, path or redirect_from) are listed in
the post's aliases, from which digest build writes redirect pages and a
_redirects file. Page-bundle files are copied beside their articles, and
static files into static/. figure, image, youtube, vimeo, gist, tweet,
highlight, ref, relref, post_url, link and site.baseurl are converted;
every shortcode or Liquid tag left is listed with its file and line. A
relative link that would lead elsewhere from the post's new address is
written from the site's root.

It ends with a report: the posts found and imported, the drafts, the
warnings by kind, and what needs a person. Exit status 0 when the site was
made, 1 when it was refused, 2 for wrong usage.

Examples:
  digest import ../old-blog news
  digest import --from jekyll ~/sites/weekly weekly-digest
  digest import -v ../old-blog news    # list every warning`

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var from string
	var verbose bool
	fs := newFlagSet("import", "import [--from hugo|jekyll|zola|eleventy] SRC [DIR] [flags]", importHelp, stdout)
	fs.StringVar(&from, "from", "", "the source's `generator`: hugo, jekyll, zola or eleventy (default: recognised from its files)")
	fs.BoolVar(&verbose, "v", false, "shorthand for --verbose")
	fs.BoolVar(&verbose, "verbose", false, "list every warning, not only those that need a person")
	pos, help, err := parseWithArgs(fs, args, 2, stdout, stderr)
	if help || err != nil {
		return err
	}
	gen := importer.Generator(strings.ToLower(from))
	if from != "" && !slices.Contains(importer.Generators(), gen) {
		fmt.Fprintf(stderr, "digest import: --from %q: not a generator digest imports from (use hugo, jekyll, zola or eleventy)\n", from)
		return errUsage
	}
	if len(pos) == 0 {
		fmt.Fprintln(stderr, "digest import: name the site to import: digest import SRC [DIR]")
		fs.Usage()
		return errUsage
	}
	src, dir := pos[0], "."
	if len(pos) > 1 {
		dir = pos[1]
	}
	r, err := importer.Import(ctx, src, dir, importer.Options{From: gen})
	if err != nil {
		fmt.Fprintf(stderr, "digest import: %v\n", err)
		return &siteError{count: 1}
	}
	printImport(stdout, r, src, dir, verbose)
	return nil
}

// parseWithArgs parses flags and up to max positional arguments, which
// may come before, between or after the flags.
func parseWithArgs(fs *flag.FlagSet, args []string, max int, stdout, stderr io.Writer) (pos []string, help bool, err error) {
	for len(args) > 0 {
		if help, err := parseFlagsOnly(fs, args, stdout, stderr); help || err != nil {
			return nil, help, err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) > max {
		fmt.Fprintf(stderr, "digest %s: unexpected argument %q\n", fs.Name(), pos[max])
		fs.Usage()
		return nil, false, errUsage
	}
	return pos, false, nil
}

// printImport prints the report: what was imported, the warnings by
// class, and those that need a person, one per line.
func printImport(w io.Writer, r *importer.Report, src, dir string, verbose bool) {
	kind := "the " + r.Generator.Name() + " site"
	if r.Generator == importer.Folder {
		kind = "the folder of posts"
	}
	fmt.Fprintf(w, "imported %d of %s from %s in %s (%s) into %s: %s\n",
		r.Imported, render.Plural(r.Found, "post", "posts"), kind, src, r.Evidence, dir, render.Plural(r.Drafts, "draft", "drafts"))
	if r.OldURLsInParams {
		fmt.Fprintf(w, "old URLs: %d, kept under params.old_urls (this version of digest makes no redirect pages)\n", r.Redirects)
	} else {
		fmt.Fprintf(w, "old URLs: %d, redirected to the new ones\n", r.Redirects)
	}
	fmt.Fprintf(w, "copied: %s, %s\n", render.Plural(r.Static, "static file", "static files"), render.Plural(r.Bundled, "page-bundle file", "page-bundle files"))
	if s := r.ConvertedSummary(); s != "" {
		fmt.Fprintf(w, "converted: %s\n", s)
	}
	if r.RawHTML {
		fmt.Fprintln(w, "raw HTML: let through (markdown.raw_html = true), as the old site did")
	}
	counts := r.Counts()
	if len(counts) > 0 {
		fmt.Fprintln(w, "warnings:")
		for _, c := range r.Classes() {
			fmt.Fprintf(w, "  %4d  %s\n", counts[c], c.Describe(counts[c]))
		}
	}
	list := r.ForPerson()
	if verbose {
		list = r.Warnings
	}
	if len(list) > 0 {
		title := "needs a person"
		if verbose {
			title = "every warning"
		}
		fmt.Fprintf(w, "%s (%d):\n", title, len(list))
		for _, wn := range list {
			fmt.Fprintf(w, "  %s\n", wn.Format(src, dir))
		}
	}
	cd := ""
	if dir != "." {
		cd = "cd " + dir + " && "
	}
	fmt.Fprintf(w, "next: %sdigest build\n", cd)
}
