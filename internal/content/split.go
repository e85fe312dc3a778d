package content

import (
	"bytes"
	"fmt"
)

// Format is the language of an article's front matter.
type Format int

// The front matter formats.
const (
	YAML Format = iota // between lines "---"
	TOML               // between lines "+++"
)

// splitError is a problem with the fences around front matter.
type splitError struct {
	line int
	msg  string
}

func (e *splitError) Error() string { return e.msg }

// split cuts a file into front matter and body. bodyLine is the line of the
// file where the body starts, so that positions inside the front matter
// (which starts on line 2) and the body map back to the file.
func split(src []byte) (format Format, front, body []byte, bodyLine int, err error) {
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	fence := string(bytes.TrimRight(first, " \t\r"))
	switch fence {
	case "---":
		format = YAML
	case "+++":
		format = TOML
	default:
		if len(bytes.TrimSpace(src)) == 0 {
			return 0, nil, nil, 0, &splitError{1, "the file is empty (start it with front matter: a line ---, then title: and date:, then ---)"}
		}
		return 0, nil, nil, 0, &splitError{1, "missing front matter: the file must start with a line --- (YAML) or +++ (TOML), then title: and date:, then the same line again"}
	}
	line := 2
	for len(rest) > 0 || line == 2 {
		var cur []byte
		cur, after, found := bytes.Cut(rest, []byte("\n"))
		if string(bytes.TrimRight(cur, " \t\r")) == fence {
			front = src[len(first)+1 : len(src)-len(rest)]
			return format, front, after, line + 1, nil
		}
		if !found {
			break
		}
		rest = after
		line++
	}
	return 0, nil, nil, 0, &splitError{1, fmt.Sprintf("front matter starts with %s on line 1 but never ends (add a line %s after the last key)", fence, fence)}
}
