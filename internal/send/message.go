package send

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"net/mail"
	"net/url"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/render"
	"github.com/digest-ssg/digest/internal/site"
)

// Edition is one edition's email, as the build makes it.
type Edition struct {
	Day     string // YYYY-MM-DD, in the site's timezone
	URL     string // the edition's page, absolute
	Subject string // the email's <title>
	HTML    string // email.html, with the unsubscribe placeholder
	Text    string // email.txt, likewise
}

// EditionOf renders the email of the edition of day (YYYY-MM-DD; "" for
// the latest) from the site's model, as digest build writes it.
func EditionOf(s *site.Site, r *render.Renderer, day string) (*Edition, error) {
	if !s.Config.IsAbsolute() {
		return nil, fmt.Errorf("base_url is %q: an email is read away from the site, so its links must be absolute (set base_url to the site's address, such as \"https://news.example.com/\")", s.Config.BaseURL)
	}
	if !s.Config.Email.Enabled {
		return nil, fmt.Errorf("site.toml's [email] enabled is false: the site makes no email (remove the line to make one)")
	}
	if len(s.Editions) == 0 {
		return nil, fmt.Errorf("the site has no edition to send: it has no published article")
	}
	e := s.Editions[0]
	if day != "" {
		e = nil
		for _, ed := range s.Editions {
			if ed.Date.Format("2006-01-02") == day {
				e = ed
			}
		}
		if e == nil {
			return nil, fmt.Errorf("no edition on %s (the latest: %s)", day, latestDays(s.Editions, 5))
		}
	}
	htmlPage, err := r.Render(s.Page(e.URL + "email.html"))
	if err != nil {
		return nil, err
	}
	text, err := r.Render(s.Page(e.URL + "email.txt"))
	if err != nil {
		return nil, err
	}
	return &Edition{
		Day: e.Date.Format("2006-01-02"), URL: strings.TrimSuffix(s.Config.BaseURL, "/") + e.URL,
		Subject: render.EmailSubject(htmlPage), HTML: string(htmlPage), Text: string(text),
	}, nil
}

func latestDays(eds []*site.Edition, n int) string {
	var days []string
	for _, e := range eds[:min(n, len(eds))] {
		days = append(days, e.Date.Format("2006-01-02"))
	}
	return strings.Join(days, ", ")
}

// message is the email of ed for one recipient: text and HTML as
// multipart/alternative, UTF-8 and quoted-printable, the subject and
// names encoded for any language (go-mail does the MIME), the
// unsubscribe links filled in.
func message(ed *Edition, cfg *config.Config, rc Recipient, now time.Time, version string) (*gomail.Msg, error) {
	e := &cfg.Email
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	from, err := sender(cfg)
	if err != nil {
		return nil, err
	}
	m.FromMailAddress(from)
	m.ToMailAddress(&mail.Address{Name: rc.Name, Address: rc.Address})
	if e.ReplyTo != "" {
		if err := m.ReplyTo(e.ReplyTo); err != nil {
			return nil, fmt.Errorf("[email] reply_to: %w", err)
		}
	}
	m.Subject(ed.Subject)
	m.SetDateWithValue(now)
	m.SetMessageIDWithValue(messageID(ed, cfg, rc))
	m.SetBulk()
	m.SetUserAgent("digest/" + version)
	unsubscribe := e.UnsubscribeFor(rc.Address, rc.ID)
	mailto := unsubscribeMailto(cfg, from)
	if unsubscribe != "" {
		if err := m.SetListUnsubscribeOneClick(unsubscribe, mailto); err != nil {
			return nil, fmt.Errorf("[email] unsubscribe_url: %w", err)
		}
	} else {
		unsubscribe = mailto
		m.SetListUnsubscribe(mailto)
	}
	m.SetBodyString(gomail.TypeTextPlain, strings.ReplaceAll(ed.Text, e.Placeholder, unsubscribe))
	placeholder := html.EscapeString(e.Placeholder)
	m.AddAlternativeString(gomail.TypeTextHTML, strings.ReplaceAll(ed.HTML, `href="`+placeholder+`"`, `href="`+html.EscapeString(unsubscribe)+`"`))
	return m, nil
}

// sender is [email] from, with the site's title as the name when it
// gives none.
func sender(cfg *config.Config) (*mail.Address, error) {
	if cfg.Email.From == "" {
		return nil, fmt.Errorf("site.toml's [email] has no from: say who the email comes from (from = \"%s <news@example.com>\")", cfg.Title)
	}
	a, err := mail.ParseAddress(cfg.Email.From)
	if err != nil {
		return nil, fmt.Errorf("[email] from: %w", err)
	}
	if a.Name == "" {
		a.Name = cfg.Title
	}
	return a, nil
}

// unsubscribeMailto asks to unsubscribe by mail, to reply_to or the
// sender.
func unsubscribeMailto(cfg *config.Config, from *mail.Address) string {
	to := from.Address
	if a, err := mail.ParseAddress(cfg.Email.ReplyTo); err == nil {
		to = a.Address
	}
	return "mailto:" + to + "?subject=" + url.PathEscape("Unsubscribe")
}

// messageID is the same for an edition and a recipient every time, so
// that a mail system that receives one message twice can tell.
func messageID(ed *Edition, cfg *config.Config, rc Recipient) string {
	host := "localhost"
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	sum := sha256.Sum256([]byte(ed.URL + "\x00" + rc.key()))
	return "digest." + strings.ReplaceAll(ed.Day, "-", "") + "." + hex.EncodeToString(sum[:12]) + "@" + host
}
