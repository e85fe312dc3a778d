package watch

import (
	"slices"
	"strings"
)

// Batch is a set of changes delivered together.
type Batch struct {
	Config    bool     // site.toml changed: reload everything
	Templates bool     // a template changed: parse the templates again
	Content   []string // content paths that changed (files or folders), sorted
	Static    []string // static paths that changed, sorted
	// Rescan is set when files may have appeared or gone without an event
	// of their own (a folder moved, removed or created): list content/ again.
	Rescan bool
}

// Empty reports whether the batch holds no change.
func (b *Batch) Empty() bool {
	return !b.Config && !b.Templates && !b.Rescan && len(b.Content) == 0 && len(b.Static) == 0
}

// OnlyCSS reports whether only stylesheets changed, which a browser can
// apply without reloading the page.
func (b *Batch) OnlyCSS() bool {
	if b.Config || b.Templates || b.Rescan || len(b.Content) > 0 || len(b.Static) == 0 {
		return false
	}
	for _, p := range b.Static {
		if !strings.HasSuffix(p, ".css") {
			return false
		}
	}
	return true
}

// add records one changed path.
func (b *Batch) add(rel string, kind Kind, rescan bool) {
	switch kind {
	case Config:
		b.Config = true
	case Template:
		b.Templates = true
	case Content:
		b.Content = insert(b.Content, rel)
		b.Rescan = b.Rescan || rescan
	case Static:
		b.Static = insert(b.Static, rel)
	}
}

func insert(list []string, s string) []string {
	i, found := slices.BinarySearch(list, s)
	if found {
		return list
	}
	return slices.Insert(list, i, s)
}
