// Package clean repairs text that was copied or scraped from the web, and
// finds what it cannot repair. Its functions are pure: they take text (and,
// for relative times, the time the text was fetched) and return text or
// findings, so digest add and digest pull clean what they fetch with them,
// and digest check reports the same defects in articles already written.
//
// The rules, each a function here:
//
//	Mojibake     UTF-8 that was read as Windows-1252 or Latin-1 ("â€™" for ’,
//	             "Ã©" for é, "Â" before a space) is decoded again; text
//	             that is right is never changed (see Mojibake for how)
//	Invisible    zero-width spaces, soft hyphens, byte-order marks, stray
//	             control characters removed; odd spaces made plain; NFC
//	Entities     HTML entities left in plain text (&amp;amp;, &#8217;) decoded
//	Boilerplate  player lines ("Audio By …"), share and cookie notices, and
//	             "Latest/Related stories" lists removed from Markdown
//	ParseDate    dates in a dozen formats, and relative times ("4 hours ago")
//	             resolved against the time the text was fetched
//	LostSpaces   words run together ("removethe", "stormThe", "port.The")
//	             found, never changed
//
// Text and Markdown apply them in the right order; Inspect finds every
// defect in an article's source for digest check.
package clean

import (
	"regexp"
	"strings"
)

// Finding is a defect found in a text: what and where (byte offsets).
type Finding struct {
	Rule  Rule
	Start int    // byte offset of the defect
	End   int    // byte offset just after it
	Text  string // the text found, shortened for messages
	Fix   string // what it should read, where known
}

// Rule names a kind of defect.
type Rule string

// The kinds of defect.
const (
	RuleMojibake    Rule = "mojibake"
	RuleInvisible   Rule = "invisible character"
	RuleEntity      Rule = "HTML entity"
	RuleBoilerplate Rule = "boilerplate"
	RuleRelative    Rule = "relative time"
	RuleLostSpace   Rule = "lost space"
)

// Text cleans a short plain text, such as a headline, a summary, a name or
// an image's description: entities decoded, mojibake repaired, invisible
// characters removed and runs of white space made one space.
func Text(s string) string {
	s = Entities(s)
	s = Mojibake(s)
	s = Invisible(s)
	return strings.Join(strings.Fields(s), " ")
}

// Markdown cleans a Markdown body made from a web page: mojibake repaired,
// invisible characters removed, boilerplate blocks removed (returned as
// findings, with offsets in the text after repair), and no more than one
// blank line in a row.
func Markdown(md string) (string, []Finding) {
	md = Mojibake(md)
	md = Invisible(md)
	md, removed := Boilerplate(md)
	md = blankLines.ReplaceAllString(md, "\n\n")
	return strings.TrimSpace(md) + "\n", removed
}

var blankLines = regexp.MustCompile(`\n[ \t]*\n(?:[ \t]*\n)+`)

// shorten cuts s to at most n runes for messages.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
