package content

import (
	"path"
	"strings"
	"time"
)

// stem is the name an article file gives its article: the file's name
// without its extension, or for a page bundle's index.md, the folder's.
func stem(file string) string {
	base := strings.TrimSuffix(path.Base(file), path.Ext(file))
	if strings.EqualFold(base, "index") {
		base = path.Base(path.Dir(file))
	}
	return base
}

// datedName splits a name that starts with a day and a hyphen, as Jekyll
// names posts (and Hugo reads with :filename): "2020-10-02-ruby-released"
// is the day "2020-10-02" and the rest "ruby-released". The month and the
// day may have one digit (2024-4-9-); the day must exist.
func datedName(name string) (day, rest string, ok bool) {
	y, after, ok := strings.Cut(name, "-")
	if !ok || len(y) != 4 || !digits(y) {
		return "", "", false
	}
	m, after, ok := strings.Cut(after, "-")
	if !ok || len(m) < 1 || len(m) > 2 || !digits(m) {
		return "", "", false
	}
	d, rest, ok := strings.Cut(after, "-")
	if !ok || len(d) < 1 || len(d) > 2 || !digits(d) {
		return "", "", false
	}
	day = y + "-" + pad2(m) + "-" + pad2(d)
	if _, err := time.Parse(dateLayout, day); err != nil {
		return "", "", false // 2020-02-30, 2020-13-01
	}
	return day, rest, true
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
