package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/pipeline"
	"github.com/digest-ssg/digest/internal/scaffold"
)

const newHelp = `
Writes a new article, content/YYYY/MM/DD/<slug>.md, dated now in the site's
timezone and marked draft: true, with every front matter key present, and
prints its path. It never overwrites a file. When site.toml lists topics,
--topic must be one of them. Drafts show with digest serve --drafts and
digest build --drafts; delete the draft line to publish.

For this command --source is the outlet of a curated story; -s still
names the site folder.

Examples:
  digest new "Floods close the river port" --topic World --tags rivers,weather
  digest new "Port reopens" --source "Harbour Gazette" --source-url https://example.com/story`

func runNew(_ context.Context, args []string, stdout, stderr io.Writer) error {
	var site, topic, tags, outlet, outletURL string
	fs := newFlagSet("new", `new "Headline" [flags]`, newHelp, stdout)
	fs.StringVar(&site, "s", ".", "the site's root `folder`")
	fs.StringVar(&topic, "topic", "", "the article's `topic`")
	fs.StringVar(&tags, "tags", "", "comma-separated `tags`")
	fs.StringVar(&outlet, "source", "", "the outlet's `name`, for a curated story (-s names the site folder)")
	fs.StringVar(&outletURL, "source-url", "", "the original story's `URL`")
	title, help, err := parseWithArg(fs, args, stdout, stderr)
	if help || err != nil {
		return err
	}
	if strings.TrimSpace(title) == "" {
		fmt.Fprintln(stderr, "digest new: give the headline first, in quotes: digest new \"Headline\"")
		return errUsage
	}
	if err := pipeline.CheckSource(site); err != nil {
		fmt.Fprintf(stderr, "digest new: %v\n", err)
		return &siteError{count: 1}
	}
	cfg, errs := config.Load(os.DirFS(site))
	if errs.Err() != nil {
		return reportWith(errs.Err(), stderr, "fix site.toml and try again")
	}
	var tagList []string
	for _, t := range strings.Split(tags, ",") {
		if t = strings.TrimSpace(t); t != "" {
			tagList = append(tagList, t)
		}
	}
	rel, err := scaffold.NewArticle(site, cfg, scaffold.Article{
		Title: title, Topic: topic, Tags: tagList, Source: outlet, SourceURL: outletURL,
	}, time.Now())
	if err != nil {
		fmt.Fprintf(stderr, "digest new: %v\n", err)
		return &siteError{count: 1}
	}
	fmt.Fprintln(stdout, rel)
	return nil
}
