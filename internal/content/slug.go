package content

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxSlugBytes keeps every path segment well under the 255-byte limit of
// common file systems.
const maxSlugBytes = 120

// Slugify turns a headline, topic, tag or file name into a URL segment:
// lower-case letters and digits of any script, joined by single hyphens,
// in Unicode NFC, at most maxSlugBytes bytes, cut on a rune boundary.
// It returns "" when nothing usable is left.
func Slugify(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	hyphen := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’':
			// "Don't" → "dont"
		default:
			hyphen = true
		}
	}
	out := b.String()
	if len(out) > maxSlugBytes {
		cut := maxSlugBytes
		for cut > 0 && !utf8.RuneStart(out[cut]) {
			cut--
		}
		out = strings.TrimRight(out[:cut], "-")
	}
	return out
}
