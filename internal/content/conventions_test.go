package content

import (
	"strings"
	"testing"
	"time"
)

// The conventions of other generators that digest reads natively
// (issue 13, item 2), one table test each.

// TestDatedFileNames: a Jekyll post named 2020-10-02-ruby-2-7-2-released.md
// failed without a date in its front matter, and built at
// /2020/10/02/2020-10-02-ruby-2-7-2-released/ with one. The day of the
// name is the date when the front matter has none, and never in the slug.
func TestDatedFileNames(t *testing.T) {
	p := newParser(t, `timezone = "Europe/London"`)
	london, _ := time.LoadLocation("Europe/London")
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, london) }
	for _, tt := range []struct {
		file, front string
		slug        string
		date        time.Time
		dateOnly    bool
	}{
		{"content/2020-10-02-ruby-2-7-2-released.md", "", "ruby-2-7-2-released", day(2020, 10, 2), true},
		{"content/posts/2020-10-02-ruby.markdown", "", "ruby", day(2020, 10, 2), true},
		{"content/2024-4-9-one-digit.md", "", "one-digit", day(2024, 4, 9), true},
		{"content/2020-10-02-ruby/index.md", "", "ruby", day(2020, 10, 2), true},
		{"content/2020-10-02-ruby.md", "date: 2020-10-03T09:30:00Z\n", "ruby", time.Date(2020, 10, 3, 9, 30, 0, 0, time.UTC), false},
		{"content/2020-10-02-ruby.md", "date: 2020-10-03\n", "ruby", day(2020, 10, 3), true},
		{"content/2020-10-02-ruby.md", "slug: Own Slug\n", "own-slug", day(2020, 10, 2), true},
		{"content/2020-10-02-.md", "", "headline", day(2020, 10, 2), true},
		{"content/2020-10-02.md", "date: 2020-10-02T08:00:00Z\n", "2020-10-02", time.Date(2020, 10, 2, 8, 0, 0, 0, time.UTC), false},
		{"content/20201002-x.md", "date: 2020-10-02T08:00:00Z\n", "20201002-x", time.Date(2020, 10, 2, 8, 0, 0, 0, time.UTC), false},
	} {
		a, errs := p.Parse(tt.file, []byte("---\ntitle: Headline\n"+tt.front+"---\nBody.\n"))
		if a == nil {
			t.Errorf("%s with %q: %v", tt.file, tt.front, errs)
			continue
		}
		if a.Slug != tt.slug || !a.Date.Equal(tt.date) || a.DateOnly != tt.dateOnly {
			t.Errorf("%s with %q: slug %q, date %v (date alone: %v); want %q, %v (%v)", tt.file, tt.front, a.Slug, a.Date, a.DateOnly, tt.slug, tt.date, tt.dateOnly)
		}
	}
	for _, file := range []string{"content/2020-02-30-no-such-day.md", "content/2020-13-01-x.md", "content/202-10-02-x.md", "content/story.md"} {
		_, errs := p.Parse(file, []byte("---\ntitle: Headline\n---\n"))
		want := file + ":2:1: date: missing (add the publication time, e.g. date: 2026-02-10T09:30:00Z, or start the file name with the day: 2026-02-10-"
		if !strings.HasPrefix(errs.Error(), want) {
			t.Errorf("%s: %v, want %s…", file, errs, want)
		}
	}
}

// TestDateOnly: a date without a time is shown as the day alone (it
// used to show an invented "00:00 UTC").
func TestDateOnly(t *testing.T) {
	p := newParser(t, "")
	for front, want := range map[string]bool{
		"---\ndate: 2026-01-05\n":                true,
		"---\ndate: \"2026-1-5\"\n":              true,
		"---\npublished: 2026-01-05\n":           true,
		"---\ndate: 2026-01-05T00:00:00Z\n":      false,
		"---\ndate: 2026-01-05 08:00\n":          false,
		"---\ndate: 2026-01-05 00:00:00 +0000\n": false,
		"+++\ndate = 2026-01-05\n":               true,
		"+++\ndate = 2026-01-05T08:00:00\n":      false,
	} {
		fence := front[:3]
		a := parseOK(t, p, front+titleLine(fence)+fence+"\n")
		if a.DateOnly != want {
			t.Errorf("%q: DateOnly = %v, want %v", front, a.DateOnly, want)
		}
	}
}

func titleLine(fence string) string {
	if fence == "+++" {
		return "title = \"T\"\n"
	}
	return "title: T\n"
}
