package shortcode

import (
	"strings"
)

// args are a tag's parameters: positional ones in order, and named ones.
type args struct {
	pos   []string
	named map[string]string
}

// get returns the named parameter key, else the positional one at index
// i (i < 0: none).
func (a args) get(key string, i int) string {
	if v, ok := a.named[key]; ok {
		return v
	}
	if i >= 0 && i < len(a.pos) {
		return a.pos[i]
	}
	return ""
}

// first returns the first of the named parameters that is set.
func (a args) first(keys ...string) string {
	for _, k := range keys {
		if v := a.named[k]; v != "" {
			return v
		}
	}
	return ""
}

// parseArgs reads parameters in any dialect's form: values separated by
// spaces or commas, each a bare word or quoted ("…", '…' or `…`), named
// ones written key=value (or, in Liquid, also key: value). Keys are
// lower-cased.
func parseArgs(s string, d Dialect) args {
	a := args{named: map[string]string{}}
	p := argParser{s: s, d: d}
	for {
		p.skipSeparators()
		if p.i >= len(p.s) {
			return a
		}
		start := p.i
		v, quoted := p.value()
		if p.i == start { // a character no value can start with
			p.i++
			continue
		}
		if !quoted && p.assign() {
			p.skipSpaces()
			val, _ := p.value()
			a.named[strings.ToLower(v)] = val
			continue
		}
		a.pos = append(a.pos, v)
	}
}

type argParser struct {
	s string
	i int
	d Dialect
}

func (p *argParser) skipSpaces() {
	for p.i < len(p.s) && isSpace(p.s[p.i]) {
		p.i++
	}
}

func (p *argParser) skipSeparators() {
	for p.i < len(p.s) && (isSpace(p.s[p.i]) || p.s[p.i] == ',') {
		p.i++
	}
}

// assign consumes "=" (or ":" in Liquid), with spaces around, and reports
// whether it was there.
func (p *argParser) assign() bool {
	j := p.i
	for j < len(p.s) && isSpace(p.s[j]) {
		j++
	}
	if j < len(p.s) && (p.s[j] == '=' || p.colon(j)) {
		p.i = j + 1
		return true
	}
	return false
}

// colon reports whether s[i] is a Liquid "key: value" colon (a colon
// followed by a space, so that a URL's "https://" is not one).
func (p *argParser) colon(i int) bool {
	return p.d == Liquid && p.s[i] == ':' && (i+1 == len(p.s) || isSpace(p.s[i+1]))
}

// value reads one bare or quoted value.
func (p *argParser) value() (string, bool) {
	if p.i >= len(p.s) {
		return "", false
	}
	switch q := p.s[p.i]; q {
	case '"', '\'', '`':
		return p.quoted(q), true
	case '[':
		return p.bracketed(), false
	}
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if isSpace(c) || c == ',' || c == '=' || p.colon(p.i) {
			break
		}
		p.i++
	}
	return p.s[start:p.i], false
}

// quoted reads a value in quotes; in double quotes a backslash escapes the
// next character. An unterminated quote runs to the end.
func (p *argParser) quoted(q byte) string {
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == q:
			p.i++
			return b.String()
		case c == '\\' && q == '"' && p.i+1 < len(p.s):
			p.i++
			c = p.s[p.i]
		}
		b.WriteByte(c)
		p.i++
	}
	return b.String()
}

// bracketed reads a Tera list, [a, b], as written.
func (p *argParser) bracketed() string {
	start := p.i
	depth := 0
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case '[':
			depth++
		case ']':
			depth--
		}
		p.i++
		if depth == 0 {
			break
		}
	}
	return p.s[start:p.i]
}
