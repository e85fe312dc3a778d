package shortcode

import (
	"strings"
)

// expr evaluates a Liquid output expression when it names only the site's
// address: site.baseurl, site.url or quoted text, through the filters
// relative_url, absolute_url, url (Eleventy's), prepend and append.
func (c *converter) expr(e string) (string, bool) {
	parts := splitOutside(e, '|')
	v, ok := c.value(strings.TrimSpace(parts[0]))
	if !ok {
		return "", false
	}
	for _, f := range parts[1:] {
		if v, ok = c.filter(v, strings.TrimSpace(f)); !ok {
			return "", false
		}
	}
	return v, true
}

// value reads site.baseurl, site.url or a quoted text.
func (c *converter) value(s string) (string, bool) {
	switch s {
	case "site.baseurl":
		return c.opt.BasePath, true
	case "site.url":
		return c.opt.SiteURL, true
	}
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] && !strings.ContainsRune(s[1:len(s)-1], rune(s[0])) {
		return s[1 : len(s)-1], true
	}
	return "", false
}

// filter applies one filter to v.
func (c *converter) filter(v, f string) (string, bool) {
	name, arg, _ := strings.Cut(f, ":")
	name, arg = strings.TrimSpace(name), strings.TrimSpace(arg)
	switch name {
	case "relative_url", "url":
		if strings.Contains(v, "://") || strings.HasPrefix(v, "//") {
			return v, true
		}
		return c.opt.BasePath + ensureSlash(v), true
	case "absolute_url":
		if strings.Contains(v, "://") {
			return v, true
		}
		return c.opt.SiteURL + c.opt.BasePath + ensureSlash(v), true
	case "prepend", "append":
		a, ok := c.value(arg)
		if !ok {
			return "", false
		}
		if name == "prepend" {
			return a + v, true
		}
		return v + a, true
	}
	return "", false
}

func ensureSlash(s string) string {
	if strings.HasPrefix(s, "/") {
		return s
	}
	return "/" + s
}

// splitOutside splits s at sep where it is not inside quotes.
func splitOutside(s string, sep byte) []string {
	var parts []string
	var q byte
	start := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == sep:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// exprName names an output expression by what it starts with:
// "site.baseurl", "page.title", or the first filter of quoted text.
func exprName(e string) string {
	parts := splitOutside(e, '|')
	head := strings.TrimSpace(parts[0])
	if head != "" && (head[0] == '"' || head[0] == '\'') && len(parts) > 1 {
		name, _, _ := strings.Cut(strings.TrimSpace(parts[1]), ":")
		return strings.TrimSpace(name)
	}
	if k := strings.IndexAny(head, " \t\r\n"); k >= 0 {
		head = head[:k]
	}
	return head
}
