package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/digest-ssg/digest/internal/content"
)

// date is a publication time and whether it was written as a bare day.
type date struct {
	t       time.Time
	dayOnly bool
}

func (d date) zero() bool { return d.t.IsZero() }

// String writes the date as digest reads it unambiguously: a bare day as
// 2006-01-02, a time as RFC 3339 with its offset.
func (d date) String() string {
	if d.dayOnly {
		return d.t.Format("2006-01-02")
	}
	return d.t.Format(time.RFC3339Nano)
}

// looseDate matches the date forms other generators accept that digest's
// own parser does not: unpadded months, days and hours, a space before
// the zone, zone names (2014-1-5 9:05:00 -0500, 2014-01-05 09:05 UTC).
var looseDate = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ]+(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|z|UTC|GMT|[+-]\d{2}:?\d{2})?$`)

var bareDay = regexp.MustCompile(`^\d{4}-\d{1,2}-\d{1,2}$`)

// parseDate reads a date as the source generator wrote it. A time without
// a zone is in loc; a bare day is midnight in loc.
func parseDate(s string, loc *time.Location) (date, error) {
	s = strings.TrimSpace(s)
	if t, err := content.ParseTime(s, loc); err == nil {
		return date{t: t, dayOnly: bareDay.MatchString(s)}, nil
	}
	m := looseDate.FindStringSubmatch(s)
	if m == nil {
		return date{}, fmt.Errorf("cannot read %q as a date", s)
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	zone := loc
	switch z := m[8]; {
	case z == "Z" || z == "z" || z == "UTC" || z == "GMT":
		zone = time.UTC
	case z != "":
		z = strings.ReplaceAll(z, ":", "")
		h, _ := strconv.Atoi(z[1:3])
		mi, _ := strconv.Atoi(z[3:5])
		off := h*3600 + mi*60
		if z[0] == '-' {
			off = -off
		}
		zone = time.FixedZone("", off)
	}
	nanos := 0
	if m[7] != "" {
		f, _ := strconv.ParseFloat("0"+m[7], 64)
		nanos = int(f * 1e9)
	}
	t := time.Date(n(1), time.Month(n(2)), n(3), n(4), n(5), n(6), nanos, zone)
	if t.Month() != time.Month(n(2)) || t.Day() != n(3) || n(4) > 23 || n(5) > 59 || n(6) > 60 {
		return date{}, fmt.Errorf("%q is not a real date", s)
	}
	return date{t: t, dayOnly: m[4] == ""}, nil
}

// datePrefix matches a file name that starts with a date: Jekyll's
// 2014-12-12-title, Zola's 2014-12-12_title.
var datePrefix = regexp.MustCompile(`^(\d{4}-\d{1,2}-\d{1,2})[-_](.+)$`)

// dateFromName splits a file name (without extension) into the date it
// starts with and the rest.
func dateFromName(name string, loc *time.Location) (date, string, bool) {
	m := datePrefix.FindStringSubmatch(name)
	if m == nil {
		return date{}, name, false
	}
	d, err := parseDate(m[1], loc)
	if err != nil {
		return date{}, name, false
	}
	return d, m[2], true
}

// datePath matches a date written as folders (2019/05/13) or joined
// (2019-05-13) inside a path.
var datePath = regexp.MustCompile(`(?:^|/)(\d{4})[/-](\d{2})[/-](\d{2})(?:/|-|_|$)`)

// dateFromPath finds a date inside a URL path such as Zola's path =
// "2019/05/13/title".
func dateFromPath(p string, loc *time.Location) (date, bool) {
	m := datePath.FindStringSubmatch(p)
	if m == nil {
		return date{}, false
	}
	d, err := parseDate(m[1]+"-"+m[2]+"-"+m[3], loc)
	return d, err == nil
}
