package content

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode"

	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/meta"
)

// frontMatter is the decoded front matter of one article, before the
// article's derived values are computed.
type frontMatter struct {
	title, topic, summary, source, sourceURL string
	image, imageAlt, slug                    string
	tags, authors, aliases                   []string
	date, updated, expires                   time.Time
	draft, featured                          bool
	unpublished                              bool // published: false
	dateOnly                                 bool // a date without a time
	params                                   map[string]any
}

// decoder turns front matter nodes into a frontMatter, collecting errors.
type decoder struct {
	file    string
	offset  int // file line of the front matter's first line, minus one
	loc     *time.Location
	errs    *diag.List
	setFrom map[string]*meta.Field // canonical key → the field that set it
	fm      frontMatter
	listing *meta.Field // a key that makes the file a listing page (see listingKeys)
}

func (d *decoder) pos(line, col int) diag.Pos {
	return diag.Pos{File: d.file, Line: line + d.offset, Col: col}
}

func (d *decoder) fail(n *meta.Node, key string, format string, args ...any) {
	d.errs.Add(d.pos(n.Line, n.Col), "%s: %s", key, fmt.Sprintf(format, args...))
}

// decode reads every field of the front matter's root map.
func (d *decoder) decode(root *meta.Node) {
	d.setFrom = map[string]*meta.Field{}
	keys := Keys()
	for _, f := range root.Fields {
		fd := fieldFor(f.Key)
		if _, ok := listingKeys[strings.ToLower(f.Key)]; fd == nil && ok {
			d.listing = f
			continue
		}
		if meant, ok := foreignKeys[strings.ToLower(f.Key)]; fd == nil && ok {
			d.errs.Add(d.pos(f.Line, f.Col), "unknown key %q: %s", f.Key, meant)
			continue
		}
		if fd == nil {
			msg := diag.UnknownKey(f.Key, keys)
			if diag.Closest(f.Key, keys) == "" {
				msg += " (put free-form values under params:)"
			}
			d.errs.Add(d.pos(f.Line, f.Col), "%s", msg)
			continue
		}
		if prev, ok := d.setFrom[fd.key]; ok && !fd.merge {
			d.errs.Add(d.pos(f.Line, f.Col), "%s: already set by %q on line %d (keep one)", f.Key, prev.Key, prev.Line+d.offset)
			continue
		}
		d.setFrom[fd.key] = f
		fd.set(d, f)
	}
	d.settle()
	if _, ok := d.setFrom["title"]; !ok {
		d.errs.Add(d.pos(root.Line, root.Col), "title: missing (every article needs a headline: title: \"...\")")
	}
	if _, ok := d.setFrom["date"]; !ok {
		d.dateFromName(root)
	}
}

// paths reads a list of site-relative URL paths, such as the addresses an
// article had on an old site: each starts with "/", and one whose last
// segment has no extension is a folder (a slash is added).
func (d *decoder) paths(n *meta.Node, key string) []string {
	items := []*meta.Node{n}
	if n.Kind == meta.List {
		items = n.List
	}
	var out []string
	for _, item := range items {
		for _, s := range d.textList(item, key) {
			p, err := sitePath(s)
			if err != nil {
				d.fail(item, key, "%q %v", s, err)
				continue
			}
			out = append(out, p)
		}
	}
	return out
}

// sitePath checks and cleans one site-relative URL path.
func sitePath(s string) (string, error) {
	switch {
	case strings.Contains(s, "://") || strings.HasPrefix(s, "//"):
		return "", errors.New("is not a path on this site (give the old address without scheme and host, e.g. /2014/12/12/old-title/)")
	case !strings.HasPrefix(s, "/"):
		return "", errors.New("is not a path from the site's root (start it with /, e.g. /posts/old-title/)")
	case strings.ContainsAny(s, "?#\\") || strings.ContainsFunc(s, unicode.IsControl):
		return "", errors.New("has a query, fragment, backslash or control character (give the path alone, e.g. /posts/old-title/)")
	}
	for _, seg := range strings.Split(s, "/") {
		if seg == ".." || seg == "." {
			return "", errors.New("has . or .. in it (give the path as the old site showed it, e.g. /posts/old-title/)")
		}
	}
	p := path.Clean(s)
	if p == "/" {
		return "", errors.New("is the home page, which cannot redirect to an article (remove it)")
	}
	if strings.HasSuffix(s, "/") || path.Ext(p) == "" {
		p += "/"
	}
	return p, nil
}

// published reads Jekyll's published: a flag, whose false makes a draft,
// or (as other generators use the name) the publication date.
func (d *decoder) published(f *meta.Field) {
	if b, err := f.Value.AsBool(); err == nil {
		d.fm.unpublished = !b
		return
	}
	if prev, ok := d.setFrom["date"]; ok && prev != f {
		d.errs.Add(d.pos(f.Line, f.Col), "%s: already set by %q on line %d (keep one)", f.Key, prev.Key, prev.Line+d.offset)
		return
	}
	d.setFrom["date"] = f
	d.pubDate(f)
}

// pubDate reads the publication date, noting a date without a time.
func (d *decoder) pubDate(f *meta.Field) {
	d.fm.date, d.fm.dateOnly = d.timeOf(f.Value, f.Key, true)
}

// dateFromName takes the date of an article whose front matter has none
// from its file name, as Jekyll names posts (2020-10-02-story.md; for
// index.md, its folder's name), or reports it missing.
func (d *decoder) dateFromName(root *meta.Node) {
	name := stem(d.file)
	day, _, ok := datedName(name)
	if !ok {
		what := "file name"
		if IsBundle(d.file) {
			what = "folder's name"
		} else {
			name = path.Base(d.file)
		}
		d.errs.Add(d.pos(root.Line, root.Col), "date: missing (add the publication time, e.g. date: 2026-02-10T09:30:00Z, or start the %s with the day: 2026-02-10-%s)", what, name)
		return
	}
	d.fm.date, _, _ = parseTime(day, d.loc)
	d.fm.dateOnly = true
}

// settle resolves keys that say one thing two ways: published: false is
// a draft, which draft: false contradicts.
func (d *decoder) settle() {
	if !d.fm.unpublished {
		return
	}
	if f, ok := d.setFrom["draft"]; ok && !d.fm.draft {
		d.errs.Add(d.pos(f.Line, f.Col), "draft: false, but published: false on line %d (keep one)", d.setFrom["published"].Line+d.offset)
		return
	}
	d.fm.draft = true
}

// table reads the free-form values of params.
func (d *decoder) table(n *meta.Node, key string) map[string]any {
	if n.Kind != meta.Map {
		d.fail(n, key, "want a table of free-form values, found %s", n.Kind)
		return nil
	}
	return n.Interface().(map[string]any)
}

func (d *decoder) text(n *meta.Node, key string) string {
	if n.Kind == meta.Null {
		return ""
	}
	s, err := n.AsText()
	if err != nil {
		d.fail(n, key, "%v", err)
	}
	return strings.TrimSpace(dropControls(s))
}

// dropControls removes control characters (NUL, escape codes and the
// like; line breaks become spaces) that pasted text can carry and no page
// should show.
func dropControls(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

func (d *decoder) requiredText(n *meta.Node, key string) string {
	s := d.text(n, key)
	if s == "" && n.Kind != meta.List && n.Kind != meta.Map {
		d.fail(n, key, "must not be empty")
	}
	return s
}

func (d *decoder) textList(n *meta.Node, key string) []string {
	if n.Kind == meta.Null {
		return nil
	}
	list, err := n.AsTextList()
	if err != nil {
		d.fail(n, key, "%v", err)
		return nil
	}
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (d *decoder) flag(n *meta.Node, key string) bool {
	b, err := n.AsBool()
	if err != nil {
		d.fail(n, key, "%v", err)
	}
	return b
}

func (d *decoder) time(n *meta.Node, key string, required bool) time.Time {
	t, _ := d.timeOf(n, key, required)
	return t
}

// timeOf reads a date or date-time, and reports whether it was a date
// alone.
func (d *decoder) timeOf(n *meta.Node, key string, required bool) (t time.Time, dateOnly bool) {
	if n.Kind == meta.Null {
		if required {
			d.fail(n, key, "has no value (add the publication time, e.g. %s: 2026-02-10T09:30:00Z)", key)
		}
		return time.Time{}, false
	}
	t, dateOnly, err := parseTime(n.Text, d.loc)
	if err != nil || n.Kind == meta.List || n.Kind == meta.Map {
		d.fail(n, key, "cannot read %q (use 2026-02-10 or 2026-02-10T09:30:00Z)", n.Text)
	}
	return t, dateOnly
}

// url accepts only absolute http and https URLs.
func (d *decoder) url(n *meta.Node, key string) string {
	s := d.text(n, key)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		d.fail(n, key, "%q is not an http(s) URL (use e.g. https://example.com/story)", s)
		return ""
	}
	return u.String()
}

// imageRef accepts an http(s) URL or a path on the site.
func (d *decoder) imageRef(n *meta.Node, key string) string {
	s := d.text(n, key)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
	case u.Scheme == "http" || u.Scheme == "https":
		if u.Host != "" {
			return u.String()
		}
	case u.Scheme == "" && u.Host == "" && !strings.Contains(u.Path, ".."):
		return u.String()
	}
	d.fail(n, key, "%q is not an image path or http(s) URL (use e.g. /images/photo.jpg)", s)
	return ""
}

// padDate writes a date's month and day with two digits: 2024-4-9 and
// 2024-4-9T08:00 become 2024-04-09 and 2024-04-09T08:00.
func padDate(s string) string {
	y, rest, ok := strings.Cut(s, "-")
	if !ok || len(y) != 4 {
		return s
	}
	m, rest, ok := strings.Cut(rest, "-")
	if !ok || len(m) == 0 || len(m) > 2 {
		return s
	}
	day := rest
	if i := strings.IndexAny(rest, "T "); i >= 0 {
		day, rest = rest[:i], rest[i:]
	} else {
		rest = ""
	}
	if len(day) == 0 || len(day) > 2 || (len(m) == 2 && len(day) == 2) {
		return s
	}
	for _, c := range m + day {
		if c < '0' || c > '9' {
			return s
		}
	}
	return y + "-" + pad2(m) + "-" + pad2(day) + rest
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// timeLayouts are the date forms accepted, most specific first.
var timeLayouts = []struct {
	layout string
	zoned  bool
}{
	{time.RFC3339Nano, true},
	{"2006-01-02T15:04Z07:00", true},
	{"2006-01-02 15:04:05.999999999Z07:00", true},
	{"2006-01-02 15:04:05Z07:00", true},
	{"2006-01-02 15:04Z07:00", true},
	{"2006-01-02 15:04:05 -0700", true},
	{"2006-01-02 15:04:05 Z07:00", true},
	{"2006-01-02T15:04:05.999999999", false},
	{"2006-01-02 15:04:05.999999999", false},
	{"2006-01-02T15:04", false},
	{"2006-01-02 15:04", false},
	{dateLayout, false},
}

// dateLayout is a date without a time.
const dateLayout = "2006-01-02"

// ParseTime reads a date or date-time. A time without a zone is in loc; a
// bare date is midnight in loc. A month or day of one digit (2024-4-9) is
// read as 2024-04-09.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	t, _, err := parseTime(s, loc)
	return t, err
}

// parseTime is ParseTime, and reports whether s was a date alone.
func parseTime(s string, loc *time.Location) (t time.Time, dateOnly bool, err error) {
	s = padDate(strings.TrimSpace(s))
	for _, l := range timeLayouts {
		if l.zoned {
			if t, err := time.Parse(l.layout, s); err == nil {
				return t, false, nil
			}
			continue
		}
		if t, err := time.ParseInLocation(l.layout, s, loc); err == nil {
			return t, l.layout == dateLayout, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("cannot read %q as a date", s)
}
