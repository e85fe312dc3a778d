package importer

import (
	"cmp"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
)

// Class groups the warnings of an import.
type Class int

// The classes of warning, those that need a person first.
const (
	NotConverted    Class = iota + 1 // a shortcode or Liquid tag left as written
	NotImported                      // a post that could not be read, or that digest would refuse
	PageNotImported                  // a page that is not a post (about, contact)
	NoDate                           // a post dated by its file's modification time
	NoRedirect                       // an old URL that no redirect can serve
	ValueMoved                       // a value digest cannot read, kept under params
	SlugClash                        // two posts on one day with one slug: one renamed
	NoAltText                        // an image converted without alt text
	SettingDropped                   // a site setting that digest cannot use
	LeftOut                          // a listing or index page: digest makes its own
	KeptInParams                     // a front-matter key digest has no meaning for
	SlugChanged                      // an old URL's last segment changed to fit digest's slugs
	NotCopied                        // a file of the old site not copied
	Rewritten                        // something rewritten on the way (JSON front matter, a title from the file name)
)

var classInfo = map[Class]struct {
	one, many string
	person    bool
}{
	NotConverted:    {"shortcode or Liquid tag not converted", "shortcodes and Liquid tags not converted", true},
	NotImported:     {"post not imported", "posts not imported", true},
	PageNotImported: {"page not imported (digest makes articles only)", "pages not imported (digest makes articles only)", true},
	NoDate:          {"post without a date, dated by its file", "posts without a date, dated by their files", true},
	NoRedirect:      {"old URL without a redirect", "old URLs without a redirect", true},
	ValueMoved:      {"value digest cannot read, kept under params", "values digest cannot read, kept under params", true},
	SlugClash:       {"post renamed: another has its day and slug", "posts renamed: others have their day and slug", true},
	NoAltText:       {"image without alt text", "images without alt text", true},
	SettingDropped:  {"site setting not carried over", "site settings not carried over", true},
	LeftOut:         {"listing, index or unpublished page left out", "listing, index and unpublished pages left out", false},
	KeptInParams:    {"front-matter key kept under params", "front-matter keys kept under params", false},
	SlugChanged:     {"URL segment changed to fit digest's slugs", "URL segments changed to fit digest's slugs", false},
	NotCopied:       {"file of the old site not copied", "files of the old site not copied", false},
	Rewritten:       {"value rewritten on the way", "values rewritten on the way", false},
}

// Describe names the class for a count of n.
func (c Class) Describe(n int) string {
	if n == 1 {
		return classInfo[c].one
	}
	return classInfo[c].many
}

// NeedsPerson reports whether warnings of the class ask a person to look.
func (c Class) NeedsPerson() bool { return classInfo[c].person }

// Warning is one thing the import could not do, or did in a way to check.
type Warning struct {
	Class Class
	// File is the slash path of the file concerned: in the new site when
	// it has one there (content/2014/12/12/story.md), else in the source
	// (InSource). "" for the site as a whole.
	File      string
	InSource  bool
	Line, Col int
	Msg       string
	Source    string // the source file (and line) it came from, when File is in the new site
}

// String formats the warning like a compiler message, with the source
// file it came from: "content/…/x.md:12:1: message (from _posts/x.md)".
func (w Warning) String() string { return w.Format("", "") }

// Format is String with the new site's folder in front of its files and
// the source's in front of the source's, so that both can be opened from
// where the import ran.
func (w Warning) Format(src, dir string) string {
	file := w.File
	if file != "" {
		if w.InSource {
			file = joinSlash(src, file)
		} else {
			file = joinSlash(dir, file)
		}
	}
	s := file
	if w.Line > 0 {
		s += fmt.Sprintf(":%d", w.Line)
		if w.Col > 0 {
			s += fmt.Sprintf(":%d", w.Col)
		}
	}
	if s != "" {
		s += ": "
	}
	s += w.Msg
	if w.Source != "" {
		s += " (from " + joinSlash(src, w.Source) + ")"
	}
	return s
}

// joinSlash puts a folder in front of a slash path.
func joinSlash(dir, p string) string {
	if dir == "" || dir == "." {
		return p
	}
	return strings.TrimSuffix(filepath.ToSlash(dir), "/") + "/" + p
}

// Report tells what an import did.
type Report struct {
	Generator Generator
	Evidence  string // what the generator was recognised by, e.g. "_config.yml, _posts/"
	Dir       string // the new site's folder

	Found     int // post files found in the source
	Imported  int // articles written, drafts included
	Drafts    int // of those, drafts
	Redirects int // old URLs written for redirect pages
	Static    int // files copied into static/
	Bundled   int // page-bundle files copied beside their articles

	Converted map[string]int // shortcodes and Liquid tags converted, by name
	Warnings  []Warning

	RawHTML bool // the new site lets raw HTML through, as the old one did
	// OldURLsInParams: this version of digest makes no redirect pages, so
	// the old URLs were kept under params.old_urls instead of aliases.
	OldURLsInParams bool
}

// warn records a warning about a file of the source ("" for the site).
func (r *Report) warn(c Class, file string, line int, format string, args ...any) {
	r.Warnings = append(r.Warnings, Warning{Class: c, File: file, InSource: file != "", Line: line, Msg: fmt.Sprintf(format, args...)})
}

// Counts returns the number of warnings of each class present.
func (r *Report) Counts() map[Class]int {
	n := map[Class]int{}
	for _, w := range r.Warnings {
		n[w.Class]++
	}
	return n
}

// Classes returns the classes present, those that need a person first.
func (r *Report) Classes() []Class {
	return slices.Sorted(maps.Keys(r.Counts()))
}

// ForPerson returns the warnings that need a person, by file and line.
func (r *Report) ForPerson() []Warning {
	var out []Warning
	for _, w := range r.Warnings {
		if w.Class.NeedsPerson() {
			out = append(out, w)
		}
	}
	sortWarnings(out)
	return out
}

func sortWarnings(ws []Warning) {
	slices.SortStableFunc(ws, func(a, b Warning) int {
		return cmp.Or(compareBool(a.InSource, b.InSource), cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}

// ConvertedSummary lists the conversions, "2 figure, 1 youtube", by name.
func (r *Report) ConvertedSummary() string {
	var parts []string
	for _, name := range slices.Sorted(maps.Keys(r.Converted)) {
		parts = append(parts, fmt.Sprintf("%d %s", r.Converted[name], name))
	}
	return strings.Join(parts, ", ")
}

// compareBool orders false before true: the new site's files first.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
