// Package watch tells the dev server what changed in a site: it watches
// site.toml, content/, templates/ and static/ (recursively, including
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
	"strings"
)

// Kind is what part of the site a path belongs to.
type Kind int

// The parts of a site.
const (
	Ignore   Kind = iota
	Config        // site.toml
	Content       // content/**.md, or a folder under content/
	Template      // templates/**
	Static        // static/**
)

// Classify says which part of the site a slash path, relative to the
// site root, belongs to. out is the output folder, relative and
// slash-separated ("build"); nothing under it matters. It is pure, so the
// rules can be tested as a table.
func Classify(rel, out string) Kind {
	rel = path.Clean(rel)
	if rel == "site.toml" {
		return Config
	}
	if out != "" && (rel == out || strings.HasPrefix(rel, out+"/")) {
		return Ignore
	}
	for _, seg := range strings.Split(rel, "/") {
		if editorTemp(seg) {
			return Ignore
		}
	}
	top, rest, _ := strings.Cut(rel, "/")
	switch top {
	case "content":
		// Folders matter too: a folder moved in or out carries articles.
		if rest == "" || path.Ext(rest) == "" || strings.EqualFold(path.Ext(rest), ".md") {
			return Content
		}
	case "templates":
		return Template
	case "static":
		return Static
	}
	return Ignore
}

// editorTemp reports whether a file or folder name is one that editors,
// version control or the OS make and remove on their own.
func editorTemp(name string) bool {
	switch {
	case name == "4913": // vim's check that it may write in a folder
		return true
	case strings.HasPrefix(name, "."), strings.HasPrefix(name, "_"), strings.HasPrefix(name, "#"):
		// .git, .DS_Store, .foo.swp, emacs's .#lock, #autosave#, _drafts
		return true
	case strings.HasSuffix(name, "~"), strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"),
		strings.HasSuffix(name, ".tmp"), strings.HasSuffix(name, ".bak"),
		strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"): // JetBrains safe write
		return true
	case strings.HasPrefix(name, "sed") && len(name) == 9 && !strings.Contains(name, "."): // sed -i's sedXXXXXX
		return true
	}
	return false
}
