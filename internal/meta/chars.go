package meta

import (
	"fmt"
	"unicode/utf8"
)

// checkChars refuses, with its line and column, the first character of
// src that the format does not allow and that editors do not show:
// control characters (tab and line ends aside), and for YAML the
// characters it reads as line breaks in the middle of a line (U+0085,
// U+2028, U+2029, a carriage return alone). The parsers' own messages
// for these have no column, and for the line breaks name a later line.
// Control characters written as escapes in quoted values are not
// refused here; the caller drops them from the text.
func checkChars(src []byte, yaml bool) error {
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		switch {
		case r == '\n':
			line, col = line+1, 1
			i++
			continue
		case r == '\r' && i+1 < len(src) && src[i+1] == '\n':
		case r == utf8.RuneError && size == 1:
			// Not UTF-8: the caller checks that first, with the position.
		default:
			if msg := badChar(r, yaml); msg != "" {
				return &SyntaxError{Line: line, Col: col, Msg: msg}
			}
		}
		col++
		i += size
	}
	return nil
}

// badChar says what is wrong with r in a document of the format, or "".
func badChar(r rune, yaml bool) string {
	const (
		hidden = ", invisible in most editors"
		breaks = ", which YAML reads as a line break"
		fix    = " (delete it, or put a space in its place)"
	)
	switch {
	case r == '\r' && yaml:
		return "a carriage return (U+000D) without a line feed" + hidden + breaks + fix
	case r == '\r':
		return "a carriage return (U+000D) without a line feed" + hidden + fix
	case yaml && (r == 0x85 || r == 0x2028 || r == 0x2029):
		return fmt.Sprintf("%s (U+%04X)%s%s%s", lineBreakName(r), r, hidden, breaks, fix)
	case r < 0x20 && r != '\t', r == 0x7F, yaml && r >= 0x80 && r <= 0x9F, yaml && (r == 0xFFFE || r == 0xFFFF):
		return fmt.Sprintf("a control character (U+%04X)%s (delete it)", r, hidden)
	}
	return ""
}

func lineBreakName(r rune) string {
	switch r {
	case 0x85:
		return "a next-line character"
	case 0x2028:
		return "a line separator"
	}
	return "a paragraph separator"
}
