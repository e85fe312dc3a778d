package clean

import (
	"strings"
	"testing"
	"time"
)

func TestInvisible(t *testing.T) {
	tests := []struct{ in, want string }{
		{"zero\u200bwidth", "zerowidth"},
		{"\ufeffHeadline", "Headline"},
		{"hyphen\u00adated", "hyphenated"},
		{"thin\u2009space and em\u2003space", "thin space and em space"},
		{"keep\u00a0no-break and 👩\u200d💻", "keep\u00a0no-break and 👩\u200d💻"},
		{"Persian حال\u200cتان keeps its joiner", "Persian حال\u200cتان keeps its joiner"},
		{"e\u0301te\u0301", "été"},
		{"bell\x07 and line\u2028break", "bell and line\nbreak"},
	}
	for _, tt := range tests {
		if got := Invisible(tt.in); got != tt.want {
			t.Errorf("Invisible(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if f := FindInvisible("a\u200bb\r\n"); len(f) != 1 || f[0].Start != 1 || !strings.Contains(f[0].Text, "zero-width space") {
		t.Errorf("FindInvisible = %+v", f)
	}
}

func TestEntities(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Tom &amp;amp; Jerry", "Tom & Jerry"},
		{"It&#8217;s and it&amp;#8217;s and &rsquo;", "It’s and it’s and ’"},
		{"no&nbsp;break", "no\u00a0break"},
		{"AT&T and R&D and &unknownthing;", "AT&T and R&D and &unknownthing;"},
		{"&#x2014;dash", "—dash"},
	}
	for _, tt := range tests {
		if got := Entities(tt.in); got != tt.want {
			t.Errorf("Entities(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if f := FindEntities("fine &amp; and bad &amp;rsquo; here"); len(f) != 1 || f[0].Text != "&amp;rsquo;" || f[0].Fix != "’" {
		t.Errorf("FindEntities = %+v", f)
	}
}

func TestText(t *testing.T) {
	in := "  Port\u200b reopens &amp;amp; storm   passesâ€™ \n"
	if got, want := Text(in), "Port reopens & storm passes’"; got != want {
		t.Errorf("Text(%q) = %q, want %q", in, got, want)
	}
}

func TestParseDate(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	want := time.Date(2026, 11, 30, 9, 30, 0, 0, time.UTC)
	for _, s := range []string{
		"Mon, 30 Nov 2026 09:30:00 +0000",
		"Mon, 30 Nov 2026 09:30:00 GMT",
		"Tue, 30 Nov 2026 09:30:00 GMT", // wrong weekday
		"30 Nov 2026 09:30:00 +0000",
		"Monday, 30 November 2026 10:30:00 +0100",
		"Mon, 30 Nov 2026 04:30:00 EST",
		"Mon, 30 Nov 2026 01:30:00 PST",
		"Mon, 30 Nov 2026 09:30:00 +0000 (UTC)",
		"2026-11-30T09:30:00Z",
		"2026-11-30T09:30:00.000+00:00",
		"2026-11-30T10:30:00+0100",
		"2026-11-30T10:30+01:00",
		"2026-11-30 09:30:00 +0000",
		"30-Nov-26 09:30:00 +0000",
		"November 30, 2026 9:30 AM +0000",
		"2.5 hours ago" + "x", // not a date: checked below
	} {
		got, ok := ParseDate(s, now, time.UTC)
		if strings.HasSuffix(s, "x") {
			if ok {
				t.Errorf("ParseDate(%q) = %v, want failure", s, got)
			}
			continue
		}
		if !ok || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	// no zone: the site's
	if got, _ := ParseDate("2026-11-30 10:30", now, berlin); !got.Equal(want) {
		t.Errorf("zone-less time in Berlin = %v", got)
	}
	if got, _ := ParseDate("30 November 2026", now, time.UTC); !got.Equal(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("a bare date = %v", got)
	}
}

func TestRelativeTime(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	tests := map[string]time.Time{
		"4 hours ago":           now.Add(-4 * time.Hour),
		"4 hours":               now.Add(-4 * time.Hour),
		"Updated 35 mins ago":   now.Add(-35 * time.Minute),
		"an hour ago":           now.Add(-time.Hour),
		"2d":                    now.AddDate(0, 0, -2),
		"yesterday":             now.AddDate(0, 0, -1),
		"3 weeks ago":           now.AddDate(0, 0, -21),
		"Published: 2 days ago": now.AddDate(0, 0, -2),
	}
	for s, want := range tests {
		if got, ok := RelativeTime(s, now); !ok || !got.Equal(want) {
			t.Errorf("RelativeTime(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"the storm hit 4 hours ago", "hours", "4 horses"} {
		if _, ok := RelativeTime(s, now); ok {
			t.Errorf("RelativeTime(%q) read a time", s)
		}
	}
}

const scraped = `Audio By Carbonatix

The harbour reopened on Tuesday after a week of storms, officials said, and the first ferry left at dawn.

Share this article

Facebook Twitter WhatsApp Email

We use cookies to improve your experience. By continuing you accept our cookie policy.

"It was the longest closure in memory," said the harbour master.

ADVERTISEMENT

4 hours

## More on the storm

The council will meet on Friday to count the cost, and insurers have already sent assessors to the quay.

Latest Stories

- [Floods close river port](/a) 4 hours
- [Council votes on budget](/b) 5 hours

Eastmoor by-election campaign closes

35 mins
`

func TestBoilerplate(t *testing.T) {
	got, removed := Boilerplate(scraped)
	for _, gone := range []string{"Audio By", "Share this", "Facebook", "cookies", "ADVERTISEMENT", "4 hours\n", "Latest Stories", "Floods close", "Eastmoor", "35 mins"} {
		if strings.Contains(got, gone) {
			t.Errorf("%q left in:\n%s", gone, got)
		}
	}
	for _, kept := range []string{"The harbour reopened", "longest closure", "## More on the storm", "The council will meet"} {
		if !strings.Contains(got, kept) {
			t.Errorf("%q removed:\n%s", kept, got)
		}
	}
	if len(removed) != 10 {
		t.Errorf("removed %d blocks, want 10: %+v", len(removed), removed)
	}
	for _, r := range removed {
		if !strings.HasPrefix(scraped[r.Start:], strings.Fields(r.Text)[0]) && !strings.HasPrefix(scraped[r.Start:], "- ") {
			t.Errorf("finding %+v does not point at its text", r)
		}
	}
}

func TestBoilerplateKeepsCodeAndProse(t *testing.T) {
	md := "Share prices rose sharply on Monday as investors returned, traders said.\n\n```\nShare this article\n```\n\nRelated\n\nThe minister, who spoke for an hour, said the plan would cost more than expected. It passed.\n"
	if got, removed := Boilerplate(md); got != md || removed != nil {
		t.Errorf("changed:\n%s\nremoved %+v", got, removed)
	}
}

func TestTimedListWithoutHeading(t *testing.T) {
	md := "Story text here.\n\n- Port reopens 4 hours ago\n- Budget passes 6 hours ago\n- Weather warning 1 day ago\n"
	got, _ := Boilerplate(md)
	if strings.Contains(got, "Port reopens") {
		t.Errorf("timed list kept:\n%s", got)
	}
}

func TestLostSpaces(t *testing.T) {
	text := "Officials said they would removethe barrier. The storm passed and the port reopened after the stormThe ferry left. It docked at the port.The crowd cheered, and the mayor said the barrier would remove soon."
	var got []string
	for _, f := range LostSpaces(text) {
		got = append(got, f.Text+"→"+f.Fix)
		if text[f.Start:f.End] != f.Text {
			t.Errorf("finding %+v does not point at its text", f)
		}
	}
	want := []string{"removethe→remove the", "stormThe→storm The", "port.The→port. The"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("LostSpaces = %v, want %v", got, want)
	}
}

func TestLostSpacesLeavesWordsAlone(t *testing.T) {
	text := "The therapist said the theory would breathe life into another thousand islands. The husband will seethe; they see the errand through. Visit example.com or iPhone, eBay, McDonald and macOS. The end. Then the theme."
	if f := LostSpaces(text); len(f) > 0 {
		t.Errorf("LostSpaces found %+v in right text", f)
	}
}

func TestInspect(t *testing.T) {
	src := "---\ntitle: \"Portâ€™s week\"\ndate: 2026-11-30\n---\nAudio By Carbonatix\n\nThe zero\u200bwidth and &amp;rsquo; and the removethe word. The port, the quay and the ferry would remove it.\n\n4 hours ago\n"
	var rules []string
	for _, f := range Inspect(src) {
		rules = append(rules, string(f.Rule))
	}
	want := "mojibake boilerplate invisible character HTML entity lost space relative time"
	if strings.Join(rules, " ") != want {
		t.Errorf("Inspect rules = %q, want %q", strings.Join(rules, " "), want)
	}
}
