package render

import (
	"bytes"
	"html"
	"html/template"
	"image"
	_ "image/gif" // the lead pictures an email shows
	_ "image/jpeg"
	_ "image/png"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode/utf8"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/site"
)

// The email edition (see package site): email.html is a page template
// within its own layout, email-base.html, whose style sheet is inlined
// (inline.go); email.txt is a text/template, made into the plain text by
// renderEmailText; /editions.xml carries the latest emails whole.

// emailText is the template of the email's plain text.
const emailText = "email.txt"

// emailWidth is the widest a picture in the email is shown: the 600 px
// of the email less its margins.
const emailWidth = 552

// textFuncs are the functions of the text templates.
func textFuncs(cfg *config.Config) texttemplate.FuncMap {
	m := texttemplate.FuncMap{
		"absURL":         func(u string) string { return joinURL(cfg.BaseURL, u) },
		"date":           cfg.Lang.Format,
		"plural":         Plural,
		"join":           func(sep string, items []string) string { return strings.Join(items, sep) },
		"upper":          strings.ToUpper,
		"wrap":           wrap,
		"repeat":         func(n int, s string) string { return strings.Repeat(s, max(n, 0)) },
		"unsubscribeURL": func() string { return cfg.Email.Placeholder },
	}
	maps.Copy(m, langFuncs(cfg.Lang))
	return m
}

// renderEmailText makes an edition's plain text from templates/email.txt:
// trailing spaces go, and so do blank lines past one in a row, so that the
// template can be written for reading.
func (r *Renderer) renderEmailText(p *site.Page) ([]byte, error) {
	var b bytes.Buffer
	if err := r.run.text.ExecuteTemplate(&b, emailText, p); err != nil {
		return nil, templateError(err)
	}
	var out []byte
	blank := 0
	lines := strings.Split(strings.ReplaceAll(b.String(), "\r\n", "\n"), "\n")
	for _, line := range lines {
		line = strings.TrimRight(line, " \t")
		if line == "" {
			blank++
			continue
		}
		if len(out) > 0 && blank > 0 {
			out = append(out, '\n')
		}
		blank = 0
		out = append(out, line...)
		out = append(out, '\n')
	}
	return out, nil
}

// wrap breaks text into lines of at most width characters, between words
// (a word longer than a line, such as a URL, gets a line of its own).
func wrap(width int, text string) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(text) {
		l := utf8.RuneCountInString(w)
		switch {
		case n == 0:
		case n+1+l > width:
			b.WriteByte('\n')
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += l
	}
	return b.String()
}

// EmailImage is a picture as the email shows it: an absolute URL, and a
// width and height that fit the email.
type EmailImage struct {
	URL, Alt      string
	Width, Height int
}

// emailImageKey is the Memo key of an article's EmailImage.
type emailImageKey struct{}

// emailImage is the article's picture for the email, or nil: a PNG, JPEG
// or GIF file of the site's static/ folder, whose size digest reads so
// that the email can give it. Pictures elsewhere on the web, whose size
// is not known, and SVG and WebP, which many mail programs do not show,
// are left out.
func emailImage(fsys fs.FS, cfg *config.Config, a *site.Article) *EmailImage {
	if a == nil || a.Image == "" || strings.Contains(a.Image, "://") {
		return nil
	}
	v, _ := a.Memo(emailImageKey{}, func() (any, error) {
		f, err := fsys.Open(path.Join("static", path.Clean("/"+a.Image)))
		if err != nil {
			return (*EmailImage)(nil), nil
		}
		defer f.Close()
		c, _, err := image.DecodeConfig(f)
		if err != nil || c.Width == 0 || c.Height == 0 {
			return (*EmailImage)(nil), nil
		}
		w := min(c.Width, emailWidth)
		return &EmailImage{URL: joinURL(cfg.BaseURL, a.Image), Alt: a.ImageAlt, Width: w, Height: (c.Height*w + c.Width/2) / c.Width}, nil
	})
	return v.(*EmailImage)
}

// outlookOnly wraps HTML in a conditional comment that only Outlook for
// Windows reads (it lays emails out with Word, which knows no max-width):
// for the fixed-width table that keeps the email 600 px wide there. Use
// it with HTML written in the template, never with an article's text.
func outlookOnly(h string) template.HTML {
	return template.HTML("<!--[if mso]>" + h + "<![endif]-->")
}

// unsubscribeHref is the unsubscribe link's href attribute: the
// placeholder that a mail service, or digest send, replaces with the
// recipient's own link. It is written as it is, not escaped as a URL, for
// it is often not one ("*|UNSUB|*", "{{unsubscribe_url}}").
func unsubscribeHref(cfg *config.Config) template.HTMLAttr {
	return template.HTMLAttr(`href="` + html.EscapeString(cfg.Email.Placeholder) + `"`)
}

// renderEditionsFeed makes /editions.xml: RSS 2.0 whose items are the
// latest editions, each with its email as content (the email's body:
// mail services put it into their own message), for the RSS-to-email
// features of mail services. An item's title is the email's subject.
func (r *Renderer) renderEditionsFeed(p *site.Page) ([]byte, error) {
	cfg := p.Site.Config
	l := links{cfg.BaseURL}
	ch := rssChannel{
		Title: p.Title, Link: l.abs("/"), Description: p.Description,
		Self:      rssSelf{Href: l.abs(p.URL), Rel: "self", Type: "application/rss+xml"},
		Language:  cfg.Language,
		Generator: "digest",
	}
	if !p.Modified.IsZero() {
		ch.LastBuildDate = p.Modified.Format(time.RFC1123Z)
	}
	for _, email := range p.Entries {
		page, err := r.Render(email)
		if err != nil {
			return nil, err
		}
		e := email.Edition
		item := rssItem{
			Title: EmailSubject(page), Link: l.abs(e.URL), GUID: rssGUID{"true", l.abs(e.URL)},
			PubDate: e.Articles[0].Date.Format(time.RFC1123Z), Description: html.EscapeString(email.Description),
			Content: emailBody(page),
		}
		ch.Items = append(ch.Items, item)
	}
	return marshalXML(rssFeed{Version: "2.0", Content: "http://purl.org/rss/1.0/modules/content/",
		DC: "http://purl.org/dc/elements/1.1/", Atom: "http://www.w3.org/2005/Atom", Channel: ch})
}

var (
	titleElement = regexp.MustCompile(`(?is)<title>(.*?)</title>`)
	bodyElement  = regexp.MustCompile(`(?is)<body[^>]*>(.*)</body>`)
)

// EmailSubject is the subject of an email page: its <title>, as text.
func EmailSubject(page []byte) string {
	m := titleElement.FindSubmatch(page)
	if m == nil {
		return ""
	}
	return strings.Join(strings.Fields(html.UnescapeString(string(m[1]))), " ")
}

// emailBody is what the <body> of an email page holds.
func emailBody(page []byte) string {
	if m := bodyElement.FindSubmatch(page); m != nil {
		return strings.TrimSpace(string(m[1]))
	}
	return string(page)
}
