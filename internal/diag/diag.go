// Package diag holds the problems found in a site: each one names a file,
// a line and a column, and reads like a compiler message:
//
//	content/2026/02/10/iran.md:3:7: date: cannot read "10th Feb" (use 2026-02-10 or 2026-02-10T09:30:00Z)
//
// A List gathers every problem of a build so they can be reported at once.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Pos is a place in a file of the site. Line and Col count from 1; zero
// means unknown, and is left out when printed.
type Pos struct {
	File string // slash-separated path relative to the site root
	Line int
	Col  int
}

// String formats p as file:line:col, leaving out unknown parts. A file
// name that is not printable UTF-8 is quoted, with Go's escapes, so that
// it can be copied and the line still reads as one problem.
func (p Pos) String() string {
	s := File(p.File)
	if p.Line > 0 {
		s += fmt.Sprintf(":%d", p.Line)
		if p.Col > 0 {
			s += fmt.Sprintf(":%d", p.Col)
		}
	}
	return s
}

// File returns a file name to print: as it is when it is printable
// UTF-8, else quoted with Go's escapes ("caf\xe9.md").
func File(name string) string {
	if Printable(name) {
		return name
	}
	return strconv.Quote(name)
}

// Printable reports whether s is valid UTF-8 with only printable
// characters and plain spaces: no control, format or invisible ones.
func Printable(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// Error is one problem at one place.
type Error struct {
	Pos     Pos
	Msg     string
	Warning bool // reported, but does not fail the build
}

// Error formats e as "file:line:col: message".
func (e *Error) Error() string {
	if e.Pos.File == "" {
		return e.Msg
	}
	return e.Pos.String() + ": " + e.Msg
}

// Errorf returns an Error at pos with a formatted message.
func Errorf(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// List is a list of problems. The zero value is an empty list ready to use.
type List []*Error

// Add appends an error at pos.
func (l *List) Add(pos Pos, format string, args ...any) {
	*l = append(*l, Errorf(pos, format, args...))
}

// Warn appends a warning at pos.
func (l *List) Warn(pos Pos, format string, args ...any) {
	e := Errorf(pos, format, args...)
	e.Warning = true
	*l = append(*l, e)
}

// Append adds every problem of other.
func (l *List) Append(other List) { *l = append(*l, other...) }

// Sort orders the list by file, line and column, keeping the order of
// problems at the same place.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
		)
	})
}

// Errors returns the problems that are not warnings.
func (l List) Errors() List {
	var out List
	for _, e := range l {
		if !e.Warning {
			out = append(out, e)
		}
	}
	return out
}

// Warnings returns the problems that are warnings.
func (l List) Warnings() List {
	var out List
	for _, e := range l {
		if e.Warning {
			out = append(out, e)
		}
	}
	return out
}

// Error joins the problems one per line.
func (l List) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns the list, sorted and with repeats removed (a template error
// hit by every page is reported once), as an error if it holds any problem
// that is not a warning, and nil otherwise.
func (l List) Err() error {
	errs := l.Errors()
	if len(errs) == 0 {
		return nil
	}
	errs.Sort()
	return slices.CompactFunc(errs, func(a, b *Error) bool { return a.Pos == b.Pos && a.Msg == b.Msg })
}
