package clean

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Invisible removes the characters a reader cannot see but that break
// searching, word counts and line breaking: zero-width spaces, word
// joiners, byte-order marks, soft hyphens, the object replacement
// character and control characters other than tab and newline. Unusual
// spaces (en, em, thin, hair, medium mathematical) become plain spaces,
// line and paragraph separators newlines, and the text is put in Unicode's
// composed form (NFC). No-break spaces, which typography uses on purpose,
// and the zero-width joiners that emoji and Indic and Persian scripts need
// are kept.
func Invisible(s string) string {
	if !strings.ContainsFunc(s, invisible) && norm.NFC.IsNormalString(s) {
		return s
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\u2028' || r == '\u2029':
			return '\n'
		case r >= '\u2000' && r <= '\u200A', r == '\u205F':
			return ' '
		case invisible(r):
			return -1
		}
		return r
	}, s)
	return norm.NFC.String(s)
}

// invisible reports whether Invisible removes or replaces r.
func invisible(r rune) bool {
	switch r {
	case '\t', '\n':
		return false
	case '\r':
		return true
	case '\u200B', '\u2060', '\uFEFF', '\u00AD', '\u180E', '\uFFFC',
		'\u2061', '\u2062', '\u2063', '\u2064', '\u2028', '\u2029', '\u205F':
		return true
	}
	return (r >= '\u2000' && r <= '\u200A') || unicode.IsControl(r)
}

// FindInvisible reports each invisible character in s (carriage returns,
// which line ends hold, are not reported).
func FindInvisible(s string) []Finding {
	var out []Finding
	for i, r := range s {
		if r == '\r' || r == '\t' || !invisible(r) {
			continue
		}
		out = append(out, Finding{Rule: RuleInvisible, Start: i, End: i + len(string(r)), Text: invisibleName(r)})
	}
	return out
}

func invisibleName(r rune) string {
	names := map[rune]string{
		'\u200B': "zero-width space", '\u2060': "word joiner", '\uFEFF': "byte-order mark",
		'\u00AD': "soft hyphen", '\uFFFC': "object replacement character",
		'\u2028': "line separator", '\u2029': "paragraph separator",
	}
	if n, ok := names[r]; ok {
		return fmt.Sprintf("%s (U+%04X)", n, r)
	}
	if r >= '\u2000' && r <= '\u205F' {
		return fmt.Sprintf("unusual space (U+%04X)", r)
	}
	return fmt.Sprintf("control character (U+%04X)", r)
}

// entity matches a complete HTML character reference, double-escaped or
// not: &amp; &#8217; &#x2019; &amp;nbsp; &amp;#39;
var entity = regexp.MustCompile(`&(?:amp;)*(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});`)

// Entities decodes the HTML character references left in plain text, also
// those escaped twice or more (&amp;amp; is "&", &amp;#8217; is ’).
// Only complete references (ending in ";") that HTML knows are decoded, so
// "AT&T" and "R&D" stay as they are.
func Entities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return entity.ReplaceAllStringFunc(s, decodeEntity)
}

func decodeEntity(ref string) string {
	for strings.HasPrefix(ref, "&amp;") && len(ref) > len("&amp;") {
		ref = "&" + ref[len("&amp;"):]
	}
	if dec := html.UnescapeString(ref); dec != ref {
		return dec
	}
	return ref
}

// doubled matches a character reference escaped twice, which Markdown
// shows as the reference's text instead of the character.
var doubled = regexp.MustCompile(`&amp;(?:amp;)*(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});`)

// FindEntities reports the character references in Markdown that were
// escaped twice (&amp;rsquo;), which readers see as code, not as ’. A single
// reference is Markdown's own way of writing a character and is not
// reported.
func FindEntities(md string) []Finding {
	var out []Finding
	for _, m := range doubled.FindAllStringIndex(md, -1) {
		ref := md[m[0]:m[1]]
		if dec := decodeEntity(ref); dec != ref {
			out = append(out, Finding{Rule: RuleEntity, Start: m[0], End: m[1], Text: ref, Fix: dec})
		}
	}
	return out
}
