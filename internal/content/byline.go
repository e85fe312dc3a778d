package content

import (
	"net/url"
	"strings"

	"github.com/digest-ssg/digest/internal/diag"
)

// author is one author of a byline: a name, and the page about them.
type author struct {
	name, url string
}

// byline reads one entry of authors: a name ("Ann Lee"), or a byline as
// other sites write them in Markdown, "By [Ann Lee](https://…) (Reuters)"
// or "[Ann](https://…) and Bo Chan": each link is an author with the
// link's text as the name, and the names outside links, separated by
// commas, "and" or "&", are authors without a page. A leading "By" is
// dropped, and so is what stands in brackets outside a link (an
// affiliation, "(Reuters)"), which is not a name. bad lists the link
// addresses that are neither http(s) URLs nor paths on the site: their
// authors are kept without a page.
func byline(s string) (authors []author, bad []string) {
	s = strings.TrimSpace(s)
	if len(s) > 3 && strings.EqualFold(s[:3], "by ") {
		s = strings.TrimSpace(s[3:])
	}
	if _, _, _, _, ok := nextLink(s); !ok {
		return []author{{name: s}}, nil // a name, commas and all ("Martin Luther King, Jr.")
	}
	for {
		start, text, href, rest, ok := nextLink(s)
		if !ok {
			return append(authors, plainNames(s)...), bad
		}
		authors = append(authors, plainNames(s[:start])...)
		a := author{name: strings.TrimSpace(text)}
		if authorURL(href) {
			a.url = href
		} else {
			bad = append(bad, href)
		}
		if a.name != "" {
			authors = append(authors, a)
		}
		s = rest
	}
}

// nextLink finds the first Markdown link [text](href) in s: where it
// starts, its parts, and what follows it.
func nextLink(s string) (start int, text, href, rest string, ok bool) {
	for from := 0; ; {
		open := strings.IndexByte(s[from:], '[')
		if open < 0 {
			return 0, "", "", "", false
		}
		open += from
		mid := strings.Index(s[open:], "](")
		if mid < 0 {
			return 0, "", "", "", false
		}
		mid += open
		end := closingParen(s, mid+2)
		if end < 0 {
			return 0, "", "", "", false
		}
		text, href = s[open+1:mid], strings.TrimSpace(s[mid+2:end])
		if strings.Contains(text, "[") {
			from = open + 1 // "[[Ann](…)": the link starts at the inner [
			continue
		}
		if i := strings.IndexAny(href, " \t"); i >= 0 {
			href = href[:i] // [Ann](https://… "Ann's page"): the title is not the address
		}
		href = strings.TrimSuffix(strings.TrimPrefix(href, "<"), ">")
		return open, text, href, s[end+1:], true
	}
}

// closingParen finds the ) that closes the ( before s[from:], past
// pairs of brackets inside (https://x.org/a_(b)), or -1.
func closingParen(s string, from int) int {
	depth := 0
	for i := from; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}

// authorURL reports whether a link in a byline can be an author's page:
// an http(s) URL or a path on the site.
func authorURL(href string) bool {
	if strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "//") {
		return true
	}
	u, err := url.Parse(href)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// plainNames are the names in the text of a byline outside its links:
// separated by commas, semicolons, "&" or "and", without what stands in
// brackets (and stray square brackets).
func plainNames(s string) []author {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	var out []author
	for _, part := range strings.FieldsFunc(b.String(), func(r rune) bool { return strings.ContainsRune(",;&·|[]", r) }) {
		for _, name := range splitAnd(part) {
			if name = strings.TrimSpace(name); name != "" {
				out = append(out, author{name: name})
			}
		}
	}
	return out
}

// splitAnd splits "Ann Lee and Bo Chan" at the word "and".
func splitAnd(s string) []string {
	words := strings.Fields(s)
	var out []string
	start := 0
	for i, w := range words {
		if strings.EqualFold(w, "and") {
			out = append(out, strings.Join(words[start:i], " "))
			start = i + 1
		}
	}
	return append(out, strings.Join(words[start:], " "))
}

// authors reads the bylines of an article: the authors' names, as plain
// text, and the addresses of their pages, nil when none has one. A link
// that cannot be an author's page is a warning at the key.
func (p *Parser) authors(bylines []string, d *decoder, errs *diag.List) (names, urls []string) {
	var withURL bool
	for _, b := range bylines {
		authors, bad := byline(b)
		for _, href := range bad {
			f := d.setFrom["authors"]
			errs.Warn(d.pos(f.Line, f.Col), "authors: the link %q is not an http(s) URL or a path on the site (the author is shown without it)", href)
		}
		for _, a := range authors {
			name, _ := p.md.title(a.name)
			names = append(names, name)
			urls = append(urls, a.url)
			withURL = withURL || a.url != ""
		}
	}
	if !withURL {
		urls = nil
	}
	return names, urls
}
