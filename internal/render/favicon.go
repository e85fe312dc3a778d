package render

import (
	"bytes"
	"encoding/xml"
	"strings"
	"unicode"

	"github.com/digest-ssg/digest/internal/site"
)

// renderFavicon makes the site's icon: the first letter of its title,
// white on the theme's red, in a rounded square. A site's own
// static/favicon.svg replaces it.
func renderFavicon(p *site.Page) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">` +
		`<rect width="64" height="64" rx="12" fill="#a01b1f"/>`)
	if letter := initial(p.Site.Config.Title); letter != "" {
		b.WriteString(`<text x="32" y="47" text-anchor="middle" font-family="Georgia,'Times New Roman',serif" font-size="44" font-weight="700" fill="#fff">`)
		if err := xml.EscapeText(&b, []byte(letter)); err != nil {
			return nil, err
		}
		b.WriteString(`</text>`)
	}
	b.WriteString("</svg>\n")
	return b.Bytes(), nil
}

// initial is the letter that stands for a title: the first letter or
// digit of its first word that is not an English article ("The Harbour
// Digest": H), upper-case; "" when it has none.
func initial(title string) string {
	words := strings.Fields(title)
	if len(words) > 1 {
		switch strings.ToLower(words[0]) {
		case "the", "a", "an":
			words = words[1:]
		}
	}
	for _, r := range strings.Join(words, " ") {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return string(unicode.ToUpper(r))
		}
	}
	return ""
}
