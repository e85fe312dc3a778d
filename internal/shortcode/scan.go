// Package shortcode finds the template tags that other static site
// generators let writers put in Markdown, and converts the common ones into
// plain Markdown that digest renders as it is:
//
//	Hugo      {{< name args >}}, {{% name args %}}, {{< /name >}}, {{< name />}}
//	          escaped as {{</* name */>}}
//	Liquid    {% tag args %}, {% endtag %}, {{ expression | filter }}
//	          (Jekyll, and Eleventy's default for Markdown); {% raw %}…{% endraw %}
//	Tera      {{ name(key=value) }}, {% name(key=value) %}…{% end %} (Zola's
//	          shortcodes), escaped as {{/* name() */}}
//
// Scan lists the tags of a text with their positions; Convert rewrites a
// text, tag by tag (see convert.go for what becomes what), and lists every
// tag it left as written, with its line, for a person to finish.
//
// Both work on any input: a tag that never closes is text, positions are
// always inside the input, and scanning takes time in proportion to the
// input's length.
package shortcode

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Dialect is the tag syntax of one family of generators.
type Dialect int

// The dialects.
const (
	Hugo   Dialect = iota + 1 // {{< name >}} and {{% name %}}
	Liquid                    // {% tag %} and {{ expression }}: Jekyll, Eleventy
	Tera                      // {{ name() }} and {% name() %}…{% end %}: Zola
)

// Kind is the role of a tag.
type Kind int

// The kinds of tag.
const (
	Open    Kind = iota + 1 // {{< name >}}, {% name %}, {% name() %}: may have a closing tag
	Close                   // {{< /name >}}, {% endname %}, {% end %}
	Single                  // {{< name />}}: Hugo's self-closing form
	Output                  // {{ expression }} (Liquid), {{ name() }} (Tera)
	Escaped                 // {{</* … */>}}, {{/* … */}}: to be shown as written, unescaped
)

// Tag is one tag found in a text.
type Tag struct {
	Start, End int    // the tag is text[Start:End]
	Line, Col  int    // where it starts, from 1 (Col in characters)
	Kind       Kind   //
	Name       string // the shortcode or tag name, lower-case; a Close names what it closes (Tera's {% end %}: "")
	Args       string // what follows the name; an Output's whole expression; an Escaped tag's unescaped text
}

// maxTag bounds the length of one tag: a longer one is text. Real tags,
// even a figure with many parameters over several lines, are far shorter.
const maxTag = 16 << 10

// Scan lists the tags of text in the given dialect, in order. Tags do not
// overlap. Text between {% raw %} and {% endraw %} and inside Liquid
// comments is not scanned.
func Scan(text string, d Dialect) []Tag {
	s := scanner{text: text, d: d}
	return s.run()
}

type scanner struct {
	text  string
	d     Dialect
	tags  []Tag
	pos   position
	found map[string]search // the last search for each delimiter
}

// search remembers where a delimiter was last looked for and found, so
// that many openers without a closer cost one search, not one each.
type search struct{ from, at int } // looked in text[from:], found at at (-1: nowhere)

// find returns the first index of delim at or after from, or -1.
func (s *scanner) find(delim string, from int) int {
	if m, ok := s.found[delim]; ok && from >= m.from && (m.at < 0 || m.at >= from) {
		return m.at
	}
	at := strings.Index(s.text[from:], delim)
	if at >= 0 {
		at += from
	}
	if s.found == nil {
		s.found = map[string]search{}
	}
	s.found[delim] = search{from, at}
	return at
}

// closer finds delim after from, within maxTag of the tag's start.
func (s *scanner) closer(delim string, start, from int) int {
	at := s.find(delim, from)
	if at < 0 || at+len(delim)-start > maxTag {
		return -1
	}
	return at
}

func (s *scanner) run() []Tag {
	for i := 0; i < len(s.text); {
		j := strings.IndexByte(s.text[i:], '{')
		if j < 0 {
			break
		}
		i += j
		if end := s.try(i); end > i {
			i = end
			continue
		}
		i++
	}
	return s.tags
}

// try reads a tag at i and returns where it ends, or i when there is none.
func (s *scanner) try(i int) int {
	if i+2 >= len(s.text) {
		return i
	}
	switch s.d {
	case Hugo:
		return s.hugo(i)
	case Liquid:
		return s.liquid(i)
	case Tera:
		return s.tera(i)
	}
	return i
}

// add records a tag, computing its line and column.
func (s *scanner) add(t Tag) {
	t.Line, t.Col = s.pos.at(s.text, t.Start)
	s.tags = append(s.tags, t)
}

// position turns increasing byte offsets of a text into lines and
// columns, counting each byte once.
type position struct {
	at0, line, col int // text[at0] is on line, col (line 0: not started)
}

// at returns the line and column (in characters) of offset off, which
// must not be less than the last one asked for.
func (p *position) at(text string, off int) (line, col int) {
	if p.line == 0 {
		p.line, p.col = 1, 1
	}
	for p.at0 < off {
		k := strings.IndexByte(text[p.at0:off], '\n')
		if k < 0 {
			p.col += utf8.RuneCountInString(text[p.at0:off])
			p.at0 = off
			break
		}
		p.at0 += k + 1
		p.line, p.col = p.line+1, 1
	}
	return p.line, p.col
}

// skipSpace returns the first index at or after i that is not a space.
func (s *scanner) skipSpace(i int) int {
	for i < len(s.text) && isSpace(s.text[i]) {
		i++
	}
	return i
}

// word returns the end of the run of name characters at i; extra are the
// characters allowed besides letters, digits and "_".
func (s *scanner) word(i int, extra string) int {
	for i < len(s.text) && (isWordByte(s.text[i]) || strings.IndexByte(extra, s.text[i]) >= 0) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isWordByte(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

// escaped reads an escaped tag at i: open, "/*", the text, "*/" and
// close, spaces allowed around the comment marks. It is shown as open,
// the text and close: Hugo shows {{</* x */>}} as {{< x >}}.
func (s *scanner) escaped(i int, open, close string) int {
	j := s.skipSpace(i + len(open))
	if !strings.HasPrefix(s.text[j:], "/*") {
		return i
	}
	k := s.closer("*/", i, j+2)
	if k < 0 {
		return i
	}
	after := s.skipSpace(k + 2)
	if !strings.HasPrefix(s.text[after:], close) || after+len(close)-i > maxTag {
		return i
	}
	end := after + len(close)
	s.add(Tag{Start: i, End: end, Kind: Escaped, Args: open + s.text[j+2:k] + close})
	return end
}

// hugo reads {{< … >}} or {{% … %}} at i.
func (s *scanner) hugo(i int) int {
	if !strings.HasPrefix(s.text[i:], "{{<") && !strings.HasPrefix(s.text[i:], "{{%") {
		return i
	}
	open, close := s.text[i:i+3], "%}}"
	if open == "{{<" {
		close = ">}}"
	}
	if end := s.escaped(i, open, close); end > i {
		return end
	}
	j := s.skipSpace(i + 3)
	kind := Open
	if j < len(s.text) && s.text[j] == '/' {
		kind, j = Close, s.skipSpace(j+1)
	}
	nameEnd := s.word(j, "-./")
	if nameEnd == j || s.text[j] == '/' || (nameEnd < len(s.text) && !isSpace(s.text[nameEnd]) && !strings.HasPrefix(s.text[nameEnd:], close)) {
		return i
	}
	at := s.closer(close, i, nameEnd)
	if at < 0 {
		return i
	}
	name := s.text[j:nameEnd]
	if kind == Open && strings.HasSuffix(name, "/") && s.skipSpace(nameEnd) == at {
		kind, name = Single, strings.TrimRight(name, "/")
	}
	args := strings.TrimSpace(s.text[nameEnd:at])
	if kind == Open {
		if rest, ok := strings.CutSuffix(args, "/"); ok {
			kind, args = Single, strings.TrimSpace(rest)
		}
	}
	if name == "" {
		return i
	}
	s.add(Tag{Start: i, End: at + 3, Kind: kind, Name: strings.ToLower(name), Args: args})
	return at + 3
}

// liquid reads {% … %} or {{ … }} at i.
func (s *scanner) liquid(i int) int {
	switch {
	case strings.HasPrefix(s.text[i:], "{{"):
		at := s.closer("}}", i, i+2)
		if at < 0 {
			return i
		}
		expr := strings.TrimSpace(trimDashes(s.text[i+2 : at]))
		s.add(Tag{Start: i, End: at + 2, Kind: Output, Args: expr})
		return at + 2
	case strings.HasPrefix(s.text[i:], "{%"):
		j := i + 2
		if s.text[j] == '-' {
			j++
		}
		j = s.skipSpace(j)
		nameEnd := s.word(j, "-")
		if nameEnd == j || ('0' <= s.text[j] && s.text[j] <= '9') {
			return i
		}
		at := s.closer("%}", i, nameEnd)
		if at < 0 {
			return i
		}
		name := strings.ToLower(strings.TrimSuffix(s.text[j:nameEnd], "-"))
		if name == "" {
			return i
		}
		args := strings.TrimSpace(trimDashes(strings.TrimSpace(s.text[nameEnd:at])))
		t := Tag{Start: i, End: at + 2, Kind: Open, Name: name, Args: args}
		if rest, ok := strings.CutPrefix(name, "end"); ok && rest != "" {
			t.Kind, t.Name = Close, rest
		}
		s.add(t)
		if t.Kind == Open && (name == "raw" || name == "comment") {
			return s.skipTo(t.End, name)
		}
		return t.End
	}
	return i
}

// trimDashes removes Liquid's whitespace-control marks: {%- … -%}.
func trimDashes(s string) string {
	s = strings.TrimPrefix(s, "-")
	return strings.TrimSuffix(s, "-")
}

var endTag = map[string]*regexp.Regexp{
	"raw":     regexp.MustCompile(`\{%-?\s*endraw\s*-?%\}`),
	"comment": regexp.MustCompile(`\{%-?\s*endcomment\s*-?%\}`),
}

// skipTo finds the end tag of a raw or comment block starting at from and
// records it; the text between is not scanned. Without an end tag the
// scan goes on after the opening tag.
func (s *scanner) skipTo(from int, name string) int {
	key := "end" + name
	if m, ok := s.found[key]; ok && m.at < 0 && from >= m.from {
		return from
	}
	loc := endTag[name].FindStringIndex(s.text[from:])
	if loc == nil {
		if s.found == nil {
			s.found = map[string]search{}
		}
		s.found[key] = search{from, -1}
		return from
	}
	s.add(Tag{Start: from + loc[0], End: from + loc[1], Kind: Close, Name: name})
	return from + loc[1]
}

// tera reads {{ name(…) }}, {% name(…) %} or {% end %} at i.
func (s *scanner) tera(i int) int {
	var close string
	var kind Kind
	switch {
	case strings.HasPrefix(s.text[i:], "{{"):
		close, kind = "}}", Output
	case strings.HasPrefix(s.text[i:], "{%"):
		close, kind = "%}", Open
	default:
		return i
	}
	if end := s.escaped(i, s.text[i:i+2], close); end > i {
		return end
	}
	j := s.skipSpace(i + 2)
	nameEnd := s.word(j, "")
	if nameEnd == j || ('0' <= s.text[j] && s.text[j] <= '9') {
		return i
	}
	name := s.text[j:nameEnd]
	k := s.skipSpace(nameEnd)
	if kind == Open && name == "end" && strings.HasPrefix(s.text[k:], close) {
		s.add(Tag{Start: i, End: k + 2, Kind: Close})
		return k + 2
	}
	if k >= len(s.text) || s.text[k] != '(' {
		return i
	}
	at := s.closer(close, i, k+1)
	if at < 0 {
		return i
	}
	inner := strings.TrimRight(s.text[k+1:at], " \t\r\n")
	args, ok := strings.CutSuffix(inner, ")")
	if !ok {
		return i
	}
	s.add(Tag{Start: i, End: at + 2, Kind: kind, Name: strings.ToLower(name), Args: strings.TrimSpace(args)})
	return at + 2
}
