package clean

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ParseDate reads a date as feeds and pages write them: RFC 822 and 1123
// with or without the weekday (a wrong weekday is ignored), with a numeric
// or named zone (EST, PDT, CET, …), RFC 3339 and ISO 8601 with or without
// seconds, fraction, zone or colon in the offset, RFC 850, ANSI C, "2 January
// 2006", "January 2, 2006 3:04 PM" and "2006/01/02", and relative times
// ("4 hours ago", "yesterday"), which are resolved against now, the time
// the text was fetched. A time without zone is taken in loc. It reports
// false when it cannot read s.
func ParseDate(s string, now time.Time, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(strings.Join(strings.Fields(s), " "))
	if s == "" {
		return time.Time{}, false
	}
	if t, ok := RelativeTime(s, now); ok {
		return t, true
	}
	s = weekday.ReplaceAllString(s, "")
	s = zoneComment.ReplaceAllString(s, "")
	s = namedZone(s)
	for _, layout := range layouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

var layouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04:05",
	"2006/01/02",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05",
	"2 January 2006 15:04:05 -0700",
	"2 January 2006 15:04 -0700",
	"2 January 2006 15:04:05",
	"2 January 2006 15:04",
	"2 Jan 06 15:04:05 -0700",
	"2 Jan 06 15:04 -0700",
	"02-Jan-06 15:04:05 -0700",
	"02-Jan-2006 15:04:05 -0700",
	"2 Jan 2006",
	"2 January 2006",
	"January 2, 2006 3:04 PM -0700",
	"January 2, 2006 3:04 PM",
	"January 2, 2006 15:04",
	"January 2, 2006",
	"Jan 2, 2006 3:04 PM",
	"Jan 2, 2006",
	"Jan 2 15:04:05 2006",
	"Jan 2 15:04:05 -0700 2006",
}

// weekday matches a leading weekday, which feeds often get wrong.
var weekday = regexp.MustCompile(`(?i)^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*`)

// zoneComment matches a trailing comment such as "(UTC)" or "(GMT+01:00)".
var zoneComment = regexp.MustCompile(`\s*\([^()]*\)$`)

// zones are the named zones feeds use, as offsets; Go would read an unknown
// name as a zone of offset zero.
var zones = map[string]string{
	"UT": "+0000", "UTC": "+0000", "GMT": "+0000", "Z": "+0000", "WET": "+0000",
	"BST": "+0100", "CET": "+0100", "WEST": "+0100", "CEST": "+0200", "EET": "+0200", "EEST": "+0300",
	"MSK": "+0300", "IST": "+0530", "JST": "+0900", "KST": "+0900", "AEST": "+1000", "AEDT": "+1100",
	"EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500", "MST": "-0700", "MDT": "-0600",
	"PST": "-0800", "PDT": "-0700", "AKST": "-0900", "AKDT": "-0800", "HST": "-1000",
}

var trailingZone = regexp.MustCompile(`\s([A-Za-z]{1,4})$`)

// namedZone puts a trailing zone name's offset in its place.
func namedZone(s string) string {
	m := trailingZone.FindStringSubmatchIndex(s)
	if m == nil {
		return s
	}
	if off, ok := zones[strings.ToUpper(s[m[2]:m[3]])]; ok {
		return s[:m[2]] + off
	}
	if strings.EqualFold(s[m[2]:m[3]], "AM") || strings.EqualFold(s[m[2]:m[3]], "PM") {
		return s
	}
	return s[:m[0]] // an unknown zone name: read the time without it
}

// relative matches a relative time, alone or with a word in front
// ("Updated 4 hours ago", "4 hrs", "yesterday").
var relative = regexp.MustCompile(`(?i)^(?:(?:updated|published|posted|modified)[: ]\s*)?(?:(\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mos?|years?|yrs?|y)(?:\s+ago)?|just now|yesterday|today)\.?$`)

var numbers = map[string]int{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
	"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12}

// RelativeTime reads a text that is only a relative time, such as "4 hours
// ago", "4 hours", "Updated 35 mins ago", "2d" or "yesterday", as the time it
// stands for, counted back from now (the time the text was fetched).
func RelativeTime(s string, now time.Time) (time.Time, bool) {
	m := relative.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return time.Time{}, false
	}
	switch low := strings.ToLower(m[0]); {
	case strings.HasSuffix(low, "just now"), strings.HasSuffix(low, "today"), strings.HasSuffix(low, "today."):
		return now, true
	case strings.HasSuffix(low, "yesterday"), strings.HasSuffix(low, "yesterday."):
		return now.AddDate(0, 0, -1), true
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		n = numbers[strings.ToLower(m[1])]
	}
	unit := strings.ToLower(m[2])
	switch {
	case unit == "s" || strings.HasPrefix(unit, "sec"):
		return now.Add(-time.Duration(n) * time.Second), true
	case unit == "m" || strings.HasPrefix(unit, "min"):
		return now.Add(-time.Duration(n) * time.Minute), true
	case unit == "h" || strings.HasPrefix(unit, "h"):
		return now.Add(-time.Duration(n) * time.Hour), true
	case unit == "d" || strings.HasPrefix(unit, "day"):
		return now.AddDate(0, 0, -n), true
	case unit == "w" || strings.HasPrefix(unit, "w"):
		return now.AddDate(0, 0, -7*n), true
	case strings.HasPrefix(unit, "mo"):
		return now.AddDate(0, -n, 0), true
	default:
		return now.AddDate(-n, 0, 0), true
	}
}

// IsRelativeTime reports whether s is only a relative time.
func IsRelativeTime(s string) bool {
	_, ok := RelativeTime(s, time.Time{})
	return ok
}
