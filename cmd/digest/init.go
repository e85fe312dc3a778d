package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/digest-ssg/digest"
	"github.com/digest-ssg/digest/internal/scaffold"
)

const initHelp = `
Makes a new site in DIR (default: the current folder): a commented
site.toml, a sample article and a .gitignore for the output. The site
builds and serves at once; the built-in theme needs no files of its own.
A folder that is not empty is refused unless --force, and even then no
existing file is overwritten.

With --language, the site is in that language from the start: its
site.toml (title, description, default topic) and its sample article are
written in it, and the pages show the theme's words, dates and direction
in it. Built in: ar de en es fa fr hi it ja ko nl pt ru sw tr uk zh.

Examples:
  digest init morning-brief
  digest init --language fa akhbar   # a Persian site, right to left
  digest init --templates    # also copy the theme, to customise it`

func runInit(_ context.Context, args []string, stdout, stderr io.Writer) error {
	var force, templates bool
	var language string
	fs := newFlagSet("init", "init [DIR] [flags]", initHelp, stdout)
	fs.BoolVar(&force, "force", false, "add the site's files to a folder that is not empty, keeping the files there")
	fs.BoolVar(&templates, "templates", false, "also copy the built-in theme's templates/ and static/style.css, to customise them")
	fs.StringVar(&language, "language", "en", "the site's language (BCP 47, one digest has built in): site.toml and the sample article are written in it")
	dir, help, err := parseWithArg(fs, args, stdout, stderr)
	if help || err != nil {
		return err
	}
	if dir == "" {
		dir = "."
	}
	written, kept, err := scaffold.Init(dir, scaffold.InitOptions{Force: force, Templates: templates, Theme: digest.Theme(), Now: time.Now().UTC(), Language: language})
	if err != nil {
		fmt.Fprintf(stderr, "digest init: %v\n", err)
		return &siteError{count: 1}
	}
	for _, f := range written {
		fmt.Fprintf(stdout, "created %s\n", f)
	}
	for _, f := range kept {
		fmt.Fprintf(stdout, "kept    %s (already there)\n", f)
	}
	cd := ""
	if dir != "." {
		cd = "cd " + dir + " && "
	}
	fmt.Fprintf(stdout, "\nA new digest is ready. Next:\n  %sdigest serve    # preview at http://127.0.0.1:1313\n  digest new \"Headline\"   # add a story\n  digest build    # write the site into build/\n", cd)
	return nil
}
