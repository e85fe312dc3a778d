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

// reserved are names Windows will not give a file or folder, whatever the
// extension: a slug equal to one gets "-1" added, so a site can be copied
// to any file system.
var reserved = map[string]bool{
	"con": true, "prn": true, "aux": true, "nul": true,
	"com1": true, "com2": true, "com3": true, "com4": true, "com5": true, "com6": true, "com7": true, "com8": true, "com9": true,
	"lpt1": true, "lpt2": true, "lpt3": true, "lpt4": true, "lpt5": true, "lpt6": true, "lpt7": true, "lpt8": true, "lpt9": true,
}

// Slugify turns a headline, topic, tag or file name into a URL segment:
// lower-case letters and digits of any script, joined by single hyphens,
// in Unicode NFC, at most maxSlugBytes bytes, cut on a rune boundary, and
// never a name Windows reserves (con, nul, com1…). It returns "" when
// nothing usable is left.
func Slugify(s string) string {
	s = norm.NFC.String(strings.ToValidUTF8(s, " "))
	var b strings.Builder
	hyphen := false
	for _, r := range s {
		switch {
		case unicode.IsMark(r) && (b.Len() == 0 || hyphen):
			// A combining mark with no letter to sit on is dropped.
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
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
	out := norm.NFC.String(b.String()) // lower-casing can undo NFC
	if len(out) > maxSlugBytes {
		cut := maxSlugBytes
		for cut > 0 && !utf8.RuneStart(out[cut]) {
			cut--
		}
		out = strings.TrimRight(out[:cut], "-")
	}
	if reserved[out] {
		out += "-1"
	}
	return out
}
