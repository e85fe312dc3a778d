// Package watch tells the dev server what changed in a site: it watches
// site.toml, i18n/, content/, templates/ and static/ (recursively, including
// folders made later), drops what does not matter (editor temporary
// files, .git, the output folder, chmod-only events), and delivers the
// rest in batches after a short quiet spell, so an editor's save or a
// large git checkout gives one rebuild, not hundreds.
//
// A batch names paths, not operations: editors save in many ways (write
// in place, write a copy and rename it over, delete and recreate), so the
// receiver looks at the disk to learn what each path now holds.
package watch

import (
	"path"
	"slices"
	"strings"

	"github.com/digest-ssg/digest/internal/content"
)

// Kind is what part of the site a path belongs to.
type Kind int

// The parts of a site.
const (
	Ignore   Kind = iota
	Config        // site.toml, and the site's language tables (i18n/*.toml)
	Content       // content/**.md (or .markdown…: content.IsMarkdown), or a folder under content/
	Template      // templates/**
	Static        // static/**
)

// Classify says which part of the site a slash path, relative to the
// site root, belongs to. out is the output folder, relative and
// slash-separated ("build"); nothing under it matters. The rules are the
// build's: in content/ and static/ the names it skips (content.Ignored);
// in templates/ hidden names and editors' temporary files. It is pure, so
// the rules can be tested as a table.
func Classify(rel, out string) Kind {
	rel = path.Clean(rel)
	if rel == "site.toml" {
		return Config
	}
	if out != "" && (rel == out || strings.HasPrefix(rel, out+"/")) {
		return Ignore
	}
	top, rest, _ := strings.Cut(rel, "/")
	segs := strings.Split(rest, "/")
	if rest == "" {
		segs = nil
	}
	switch top {
	case "content":
		if slices.ContainsFunc(segs, content.Ignored) {
			return Ignore
		}
		// Folders matter too: a folder moved in or out carries articles.
		if rest == "" || path.Ext(rest) == "" || content.IsMarkdown(rest) {
			return Content
		}
	case "i18n":
		if rest == "" || len(segs) == 1 && path.Ext(segs[0]) == ".toml" && !strings.HasPrefix(segs[0], ".") {
			return Config
		}
		return Ignore
	case "templates":
		if slices.ContainsFunc(segs, func(s string) bool { return strings.HasPrefix(s, ".") }) ||
			(len(segs) > 0 && content.EditorTemp(segs[len(segs)-1])) {
			return Ignore
		}
		return Template
	case "static":
		if slices.ContainsFunc(segs, content.Ignored) {
			return Ignore
		}
		return Static
	}
	return Ignore
}
