package importer

import (
	"path"
	"regexp"
	"strings"
)

// relinker makes a post's relative links lead where they led: a relative
// link was read from the post's old address, and the post now has
// another, so one that would now lead elsewhere is rewritten from the
// site's root (to the new address of a post it named by its old one).
// Links to a page bundle's files, copied beside the article, work as
// they are and are left alone, as are links that lead to the same place
// from both addresses.
type relinker struct {
	base  string            // the base path, without its final slash
	moved map[string]string // urlKey of an old URL → the new URL
}

func newRelinker(base string, posts []*post) *relinker {
	rl := &relinker{base: base, moved: map[string]string{}}
	for _, ps := range posts {
		if ps.oldURL != "" {
			rl.moved[urlKey(ps.oldURL)] = ps.url
		}
		for _, a := range ps.aliases {
			rl.moved[urlKey(a)] = ps.url
		}
	}
	return rl
}

// relative matches a link destination a relative link may have: after
// "](" (an inline link or image) or "]: " (a reference definition).
var relative = regexp.MustCompile(`(\]\(\s*<?|\]:[ \t]+<?)([^\s()<>]+)`)

// fix rewrites the relative links of a post's body, outside code, and
// says how many it rewrote.
func (rl *relinker) fix(body string, ps *post, bundle map[string]bool) (string, int) {
	if ps.oldURL == "" || !strings.Contains(body, "](") && !strings.Contains(body, "]:") {
		return body, 0
	}
	n := 0
	var out strings.Builder
	for _, seg := range splitCode(body) {
		if seg.code {
			out.WriteString(seg.text)
			continue
		}
		out.WriteString(relative.ReplaceAllStringFunc(seg.text, func(m string) string {
			sub := relative.FindStringSubmatch(m)
			dest, ok := rl.dest(sub[2], ps, bundle)
			if !ok {
				return m
			}
			n++
			return sub[1] + dest
		}))
	}
	return out.String(), n
}

// dest rewrites one destination, if it is relative and would lead
// elsewhere from the new address.
func (rl *relinker) dest(d string, ps *post, bundle map[string]bool) (string, bool) {
	if d == "" || d[0] == '/' || d[0] == '#' || d[0] == '?' || hasScheme(d) {
		return "", false
	}
	p, rest := d, ""
	if i := strings.IndexAny(d, "?#"); i >= 0 {
		p, rest = d[:i], d[i:]
	}
	if p == "" {
		return "", false
	}
	if ps.bundle != "" && bundle[path.Clean(strings.TrimPrefix(p, "./"))] {
		return "", false // a bundle file, copied beside the article
	}
	old := resolve(ps.oldURL, p)
	if old == resolve(ps.url, p) {
		return "", false
	}
	if to, ok := rl.moved[urlKey(old)]; ok {
		old = to
	}
	return rl.base + old + rest, true
}

var scheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

func hasScheme(d string) bool { return scheme.MatchString(d) }

// resolve resolves a relative path against a page's address as a browser
// does, keeping a final slash.
func resolve(page, rel string) string {
	dir := page
	if !strings.HasSuffix(dir, "/") {
		dir = path.Dir(dir) + "/"
	}
	out := path.Join(dir, rel)
	if strings.HasSuffix(rel, "/") || rel == "." || rel == ".." || strings.HasSuffix(rel, "/.") || strings.HasSuffix(rel, "/..") {
		out = strings.TrimSuffix(out, "/") + "/"
	}
	return out
}

// segment is a piece of Markdown: code (fenced blocks, code spans) or not.
type segment struct {
	text string
	code bool
}

var fenceLine = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")

// splitCode cuts Markdown into code and the rest: fenced code blocks by
// their fences, code spans by their runs of backticks. (Indented code blocks are
// not told apart; a link in one is rare.)
func splitCode(md string) []segment {
	var out []segment
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			out = append(out, splitSpans(text.String())...)
			text.Reset()
		}
	}
	fence := ""
	var code strings.Builder
	for _, line := range strings.SplitAfter(md, "\n") {
		m := fenceLine.FindStringSubmatch(line)
		switch {
		case fence == "" && m != nil:
			flush()
			fence = m[1]
			code.WriteString(line)
		case fence != "":
			code.WriteString(line)
			if m != nil && m[1][0] == fence[0] && len(m[1]) >= len(fence) && strings.TrimSpace(line[len(m[0]):]) == "" {
				out = append(out, segment{code.String(), true})
				code.Reset()
				fence = ""
			}
		default:
			text.WriteString(line)
		}
	}
	flush()
	if code.Len() > 0 {
		out = append(out, segment{code.String(), true})
	}
	return out
}

// splitSpans cuts code spans out of text: a run of backticks opens one,
// and the next run of the same length closes it.
func splitSpans(s string) []segment {
	type run struct{ at, n int }
	var runs []run
	byLen := map[int][]int{} // run length → indexes into runs, in order
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		n := 1
		for i+n < len(s) && s[i+n] == '`' {
			n++
		}
		byLen[n] = append(byLen[n], len(runs))
		runs = append(runs, run{i, n})
		i += n
	}
	var out []segment
	start, next := 0, map[int]int{} // next: the first candidate in byLen[n]
	for k := 0; k < len(runs); k++ {
		r := runs[k]
		if r.at < start {
			continue // inside a span already cut
		}
		l := byLen[r.n]
		j := next[r.n]
		for j < len(l) && l[j] <= k {
			j++
		}
		next[r.n] = j
		if j == len(l) {
			continue // never closed: plain backticks
		}
		end := runs[l[j]].at + r.n
		out = append(out, segment{s[start:r.at], false}, segment{s[r.at:end], true})
		start = end
	}
	return append(out, segment{s[start:], false})
}
