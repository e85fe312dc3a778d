package config

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/meta"
)

// Email holds the [email] table: the email edition that every build
// writes, and how digest send mails it.
type Email struct {
	Enabled     bool
	From        string // "Name <address>" or an address; checked
	ReplyTo     string
	Server      string
	Port        int    // 587, or 465 with TLS "implicit", unless set
	TLS         string // "starttls" or "implicit"
	Username    string // the from address when not set (see Login)
	PasswordEnv string // the environment variable that holds the password
	Rate        string // as written, e.g. "5/s"
	// Interval is the time between two messages, from Rate.
	Interval time.Duration
	// UnsubscribeURL is an https URL with {address} and/or {id}, filled
	// in for each recipient; "" when the site has none.
	UnsubscribeURL string
	// Placeholder is the unsubscribe link of the built email, which a
	// mail service or digest send replaces with the recipient's.
	Placeholder string
}

// The values of [email] tls.
const (
	TLSStartTLS = "starttls"
	TLSImplicit = "implicit"
)

// DefaultPasswordEnv is where digest send looks for the SMTP password.
const DefaultPasswordEnv = "DIGEST_SMTP_PASSWORD"

// DefaultPlaceholder is the unsubscribe link of a built email, in the
// form most mail services' templates take (Buttondown, Kit, Brevo…).
const DefaultPlaceholder = "{{unsubscribe_url}}"

func defaultEmail() Email {
	return Email{
		Enabled: true, Port: 587, TLS: TLSStartTLS, PasswordEnv: DefaultPasswordEnv,
		Rate: "5/s", Interval: 200 * time.Millisecond, Placeholder: DefaultPlaceholder,
	}
}

// Login is the SMTP user name: username, or the from address.
func (e *Email) Login() string {
	if e.Username != "" {
		return e.Username
	}
	if a, err := mail.ParseAddress(e.From); err == nil {
		return a.Address
	}
	return ""
}

func (c *Config) emailKeys() map[string]setter {
	e := &c.Email
	return map[string]setter{
		"enabled":                 flag(&e.Enabled),
		"from":                    text(&e.From),
		"reply_to":                text(&e.ReplyTo),
		"server":                  text(&e.Server),
		"port":                    whole(&e.Port),
		"tls":                     text(&e.TLS),
		"username":                text(&e.Username),
		"password_env":            text(&e.PasswordEnv),
		"rate":                    text(&e.Rate),
		"unsubscribe_url":         text(&e.UnsubscribeURL),
		"unsubscribe_placeholder": text(&e.Placeholder),
		"password": func(*meta.Node) error {
			return fmt.Errorf("the password never goes into site.toml, which is shared and published with the site (remove it, and set the environment variable %s when you run digest send)", c.Email.PasswordEnv)
		},
	}
}

// decodeEmail reads and checks the [email] table.
func (c *Config) decodeEmail(f *meta.Field, errs *diag.List) {
	if f.Value.Kind != meta.Map {
		errs.Add(diag.Pos{File: File, Line: f.Line, Col: f.Col}, "email: want a table such as [email], found %s", f.Value.Kind)
		return
	}
	decodeKeys(f.Value, c.emailKeys(), "email.", errs)
	at := func(key string) diag.Pos {
		if k := f.Value.Get(key); k != nil {
			return diag.Pos{File: File, Line: k.Value.Line, Col: k.Value.Col}
		}
		return diag.Pos{File: File, Line: f.Line, Col: f.Col}
	}
	e := &c.Email
	for _, key := range []string{"from", "reply_to"} {
		v := map[string]string{"from": e.From, "reply_to": e.ReplyTo}[key]
		if v == "" {
			continue
		}
		if _, err := mail.ParseAddress(v); err != nil {
			errs.Add(at(key), "email.%s: %q is not an email address (write \"name@example.com\" or \"Name <name@example.com>\")", key, v)
		}
	}
	switch e.TLS {
	case TLSStartTLS:
	case TLSImplicit:
		if f.Value.Get("port") == nil {
			e.Port = 465
		}
	default:
		errs.Add(at("tls"), "email.tls: %q is not one of \"starttls\" (the server's port 587) and \"implicit\" (TLS from the first byte, port 465)", e.TLS)
	}
	if e.Port < 1 || e.Port > 65535 {
		errs.Add(at("port"), "email.port: %d is not a port (use 1 to 65535; usually 587 or 465)", e.Port)
	}
	if !envName.MatchString(e.PasswordEnv) {
		errs.Add(at("password_env"), "email.password_env: %q is not the name of an environment variable (e.g. \"DIGEST_SMTP_PASSWORD\")", e.PasswordEnv)
	}
	if d, err := ParseRate(e.Rate); err != nil {
		errs.Add(at("rate"), "email.rate: %v", err)
	} else {
		e.Interval = d
	}
	if e.UnsubscribeURL != "" {
		if err := checkUnsubscribeURL(e.UnsubscribeURL); err != nil {
			errs.Add(at("unsubscribe_url"), "email.unsubscribe_url: %v", err)
		}
	}
	if strings.TrimSpace(e.Placeholder) == "" {
		errs.Add(at("unsubscribe_placeholder"), "email.unsubscribe_placeholder: must not be empty (the default is %q)", DefaultPlaceholder)
	}
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// rateText matches "5/s", "0.5/s", "120/min", "1000/h".
var rateText = regexp.MustCompile(`^\s*([0-9]+(?:\.[0-9]+)?)\s*/\s*(s|sec|second|m|min|minute|h|hour)\s*$`)

// ParseRate reads a sending rate such as "5/s", "120/min" or "1000/h"
// and returns the time between two messages.
func ParseRate(s string) (time.Duration, error) {
	m := rateText.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a rate (write messages per second, minute or hour: \"5/s\", \"120/min\", \"1000/h\")", s)
	}
	n, _ := strconv.ParseFloat(m[1], 64)
	unit := map[string]time.Duration{"s": time.Second, "sec": time.Second, "second": time.Second,
		"m": time.Minute, "min": time.Minute, "minute": time.Minute, "h": time.Hour, "hour": time.Hour}[m[2]]
	if n <= 0 {
		return 0, fmt.Errorf("%q sends nothing (use more than 0)", s)
	}
	d := time.Duration(float64(unit) / n)
	if d < time.Millisecond {
		return 0, fmt.Errorf("%q is faster than 1000 messages a second, which no mail server accepts", s)
	}
	return d, nil
}

// unsubscribeField matches the fields of an unsubscribe_url: {address}, {id}.
var unsubscribeField = regexp.MustCompile(`\{[^{}]*\}`)

// checkUnsubscribeURL makes sure an unsubscribe_url names the recipient
// and is an https URL, as one-click unsubscribing needs (RFC 8058).
func checkUnsubscribeURL(s string) error {
	named := false
	for _, f := range unsubscribeField.FindAllString(s, -1) {
		switch f {
		case "{address}", "{id}":
			named = true
		default:
			return fmt.Errorf("%s is not a field digest fills in (use {address} for the recipient's address or {id} for its id)", f)
		}
	}
	if !named {
		return errors.New("it names no recipient: put {address} or {id} where the unsubscribe page expects them (e.g. \"https://news.example.com/unsubscribe?id={id}\")")
	}
	u, err := url.Parse(unsubscribeField.ReplaceAllString(s, "x"))
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q must be an https URL: mail programs unsubscribe in one click only over HTTPS (RFC 8058)", s)
	}
	return nil
}

// UnsubscribeFor fills the unsubscribe_url in for one recipient; "" when
// the site has none.
func (e *Email) UnsubscribeFor(address, id string) string {
	if e.UnsubscribeURL == "" {
		return ""
	}
	return strings.NewReplacer("{address}", url.QueryEscape(address), "{id}", url.QueryEscape(id)).Replace(e.UnsubscribeURL)
}
