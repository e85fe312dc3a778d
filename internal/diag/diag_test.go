package diag

import "testing"

func TestErrSortsAndDropsRepeats(t *testing.T) {
	var l List
	l.Add(Pos{File: "b.md", Line: 2, Col: 1}, "two")
	l.Add(Pos{File: "a.md", Line: 9}, "one")
	l.Add(Pos{File: "b.md", Line: 2, Col: 1}, "two")
	l.Warn(Pos{File: "c.md"}, "just a warning")
	err := l.Err()
	if err == nil {
		t.Fatal("Err() = nil")
	}
	if got, want := err.Error(), "a.md:9: one\nb.md:2:1: two"; got != want {
		t.Errorf("Err() = %q, want %q", got, want)
	}
	var warnOnly List
	warnOnly.Warn(Pos{File: "c.md"}, "w")
	if warnOnly.Err() != nil {
		t.Error("a list of warnings is an error")
	}
}

func TestClosest(t *testing.T) {
	keys := []string{"title", "topic", "tags", "timezone", "summary"}
	for in, want := range map[string]string{"tittle": "title", "tpoic": "topic", "timezon": "timezone", "sumary": "summary", "xyzzy": ""} {
		if got := Closest(in, keys); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFileNamesArePrintedSoTheyCanBeCopied: a name that is not printable
// UTF-8 is quoted with Go's escapes; it used to be printed raw, mangled to
// U+FFFD by terminals, or broken over lines.
func TestFileNamesArePrintedSoTheyCanBeCopied(t *testing.T) {
	for file, want := range map[string]string{
		"content/café story.md": "content/café story.md:3:7: x",
		"content/caf\xe9.md":    `"content/caf\xe9.md":3:7: x`,
		"content/a\nb.md":       `"content/a\nb.md":3:7: x`,
		"content/\u202Egnp.md":  `"content/\u202egnp.md":3:7: x`,
	} {
		if got := Errorf(Pos{File: file, Line: 3, Col: 7}, "x").Error(); got != want {
			t.Errorf("%q: got %s, want %s", file, got, want)
		}
	}
}
