package send

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/digest-ssg/digest/internal/config"
)

func TestReadRecipients(t *testing.T) {
	list := "\uFEFF# subscribers\nann@example.com\n  Bo Ché <bo@example.org>  # since May\n\nnot an address\nANN@example.com\n<cy@example.net>\n"
	got, problems, err := ReadRecipients(strings.NewReader(list), "subs.txt")
	if err != nil {
		t.Fatal(err)
	}
	var addrs []string
	for _, r := range got {
		addrs = append(addrs, r.Name+"|"+r.Address)
	}
	if strings.Join(addrs, ",") != "|ann@example.com,Bo Ché|bo@example.org,|cy@example.net" {
		t.Errorf("recipients = %q", addrs)
	}
	want := []string{
		`subs.txt:5:1: "not an address" is not an email address (write ann@example.com or Ann Lee <ann@example.com>); skipped`,
		`subs.txt:6:1: ANN@example.com is listed twice (first on line 2); it gets one email`,
	}
	if len(problems) != 2 || problems[0].Error() != want[0] || problems[1].Error() != want[1] {
		t.Errorf("problems = %v", problems)
	}
	if len(got[0].ID) != 16 {
		t.Errorf("id = %q", got[0].ID)
	}
	if r, _ := NewRecipient("ANN@Example.com"); r.ID != got[0].ID {
		t.Error("an address's id depends on its case")
	}
}

func testConfig(t *testing.T, extra string) *config.Config {
	t.Helper()
	c, errs := config.Parse([]byte("title = \"Le Quotidien\"\nbase_url = \"https://news.example.org/\"\n[email]\nfrom = \"news@example.org\"\nserver = \"127.0.0.1\"\nrate = \"1000/s\"\n" + extra))
	if errs != nil {
		t.Fatal(errs)
	}
	return c
}

var testEdition = &Edition{
	Day: "2026-11-27", URL: "https://news.example.org/2026/11/27/",
	Subject: "Zürich’s trams · 港のフェリー",
	HTML:    `<html><body><p>Grüße, 港</p><a href="{{unsubscribe_url}}">Unsubscribe</a></body></html>`,
	Text:    "Grüße, 港\nUnsubscribe: {{unsubscribe_url}}\n",
}

// parse reads a message back as a mail program would.
func parse(t *testing.T, m *gomail.Msg) (*mail.Message, map[string]string) {
	t.Helper()
	var b bytes.Buffer
	if _, err := m.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(&b)
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	parts := map[string]string{}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p)
		parts[p.Header.Get("Content-Type")] = strings.ReplaceAll(string(body), "\r\n", "\n")
	}
	return msg, parts
}

// TestMessageForAnyLanguage: the message is multipart/alternative, text
// then HTML, in UTF-8 whatever the language, with the recipient's
// unsubscribe link in both parts and in the RFC 8058 headers, and the
// same Message-ID each time for an edition and an address.
func TestMessageForAnyLanguage(t *testing.T) {
	c := testConfig(t, "reply_to = \"Rédaction <desk@example.org>\"\nunsubscribe_url = \"https://news.example.org/u?id={id}&e={address}\"\n")
	rc, _ := NewRecipient("Zoë Åberg <zoe+news@example.com>")
	m, err := message(testEdition, c, rc, time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC), "1.0")
	if err != nil {
		t.Fatal(err)
	}
	msg, parts := parse(t, m)
	var dec mime.WordDecoder
	subject, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
	to, _ := msg.Header.AddressList("To")
	from, _ := msg.Header.AddressList("From")
	if subject != testEdition.Subject || to[0].Name != "Zoë Åberg" || from[0].Name != "Le Quotidien" || from[0].Address != "news@example.org" {
		t.Errorf("subject %q, to %v, from %v", subject, to, from)
	}
	unsub := "https://news.example.org/u?id=" + rc.ID + "&e=zoe%2Bnews%40example.com"
	for h, want := range map[string]string{
		"List-Unsubscribe":      "<" + unsub + ">, <mailto:desk@example.org?subject=Unsubscribe>",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"Date":                  "Fri, 27 Nov 2026 07:00:00 +0000",
		"Precedence":            "bulk",
	} {
		if got := msg.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	if text := parts["text/plain; charset=UTF-8"]; text != "Grüße, 港\nUnsubscribe: "+unsub+"\n" {
		t.Errorf("text part = %q", text)
	}
	if html := parts["text/html; charset=UTF-8"]; !strings.Contains(html, `<p>Grüße, 港</p><a href="`+strings.ReplaceAll(unsub, "&", "&amp;")+`">`) {
		t.Errorf("html part = %q", html)
	}
	again, _ := message(testEdition, c, rc, time.Now(), "1.0")
	other, _ := message(testEdition, c, Recipient{Address: "bo@example.com"}, time.Now(), "1.0")
	if id := m.GetMessageID(); id != again.GetMessageID() || id == other.GetMessageID() || !strings.HasSuffix(id, "@news.example.org>") {
		t.Errorf("Message-IDs %s %s %s", id, again.GetMessageID(), other.GetMessageID())
	}

	// Without unsubscribe_url: unsubscribing by mail, and no one-click.
	m, err = message(testEdition, testConfig(t, ""), rc, time.Now(), "1.0")
	if err != nil {
		t.Fatal(err)
	}
	msg, parts = parse(t, m)
	if got := msg.Header.Get("List-Unsubscribe"); got != "<mailto:news@example.org?subject=Unsubscribe>" || msg.Header.Get("List-Unsubscribe-Post") != "" {
		t.Errorf("without unsubscribe_url: List-Unsubscribe %q, Post %q", got, msg.Header.Get("List-Unsubscribe-Post"))
	}
	if !strings.Contains(parts["text/html; charset=UTF-8"], `href="mailto:news@example.org?subject=Unsubscribe"`) {
		t.Errorf("html part = %q", parts["text/html; charset=UTF-8"])
	}
}

// fakeTransport records messages; fail says what to answer for an
// address.
type fakeTransport struct {
	sent []string
	fail func(addr string) error
}

func (f *fakeTransport) Send(m *gomail.Msg) error {
	addr := m.GetToString()[0]
	if f.fail != nil {
		if err := f.fail(addr); err != nil {
			return err
		}
	}
	f.sent = append(f.sent, addr)
	return nil
}
func (f *fakeTransport) Close() error { return nil }

func recipients(addrs ...string) []Recipient {
	var out []Recipient
	for _, a := range addrs {
		r, _ := NewRecipient(a)
		out = append(out, r)
	}
	return out
}

// TestSendNeverMailsTwice: a second send mails only those the first did
// not reach; a refused address is tried again, and one whose message may
// have arrived (the connection broke at the end of it) is held.
func TestSendNeverMailsTwice(t *testing.T) {
	root := t.TempDir()
	ft := &fakeTransport{fail: func(addr string) error {
		switch {
		case strings.Contains(addr, "refused"):
			return &gomail.SendError{Reason: gomail.ErrSMTPRcptTo}
		case strings.Contains(addr, "broken"):
			return &gomail.SendError{Reason: gomail.ErrSMTPDataClose}
		}
		return nil
	}}
	o := Options{Root: root, Config: testConfig(t, ""), Edition: testEdition, Version: "1",
		dial: func(context.Context, *Options) (transport, error) { return ft, nil }}
	o.Recipients = recipients("a@example.com", "refused@example.com", "broken@example.com")
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 1 || res.Failed != 1 || res.Unknown != 1 || res.Log != ".digest/send/2026-11-27.log" {
		t.Errorf("first send: %+v", res)
	}
	ft.fail = nil
	o.Recipients = recipients("a@example.com", "refused@example.com", "broken@example.com", "b@example.com")
	res, err = Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 2 || res.Skipped != 1 || res.Held != 1 {
		t.Errorf("second send: %+v", res)
	}
	if got := strings.Join(ft.sent, ","); got != "<a@example.com>,<refused@example.com>,<b@example.com>" {
		t.Errorf("sent %s", got)
	}

	// Stopped between two messages: the rest go next time.
	ctx, cancel := context.WithCancel(context.Background())
	o.Recipients = recipients("c@example.com", "d@example.com")
	o.Report = func(Outcome) { cancel() }
	if _, err := Run(ctx, o); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	o.Report = nil
	if res, _ := Run(context.Background(), o); res.Sent != 1 || res.Skipped != 1 {
		t.Errorf("after a cancel: %+v", res)
	}
}

// TestDamagedLogStopsTheSend: a log with a line that cannot be read, or
// whose last line was cut short, is not trusted.
func TestDamagedLogStopsTheSend(t *testing.T) {
	for what, log := range map[string]string{
		"garbage":   "2026-11-27T07:00:00Z\tsent\ta@example.com\t<x>\nnonsense\n",
		"cut short": "2026-11-27T07:00:00Z\tsent\ta@example.com\t<x>\n2026-11-27T07:00:01Z\tsent\tb@exa",
	} {
		root := t.TempDir()
		name := filepath.Join(root, ".digest/send/2026-11-27.log")
		os.MkdirAll(filepath.Dir(name), 0o755)
		os.WriteFile(name, []byte(log), 0o644)
		ft := &fakeTransport{}
		_, err := Run(context.Background(), Options{Root: root, Config: testConfig(t, ""), Edition: testEdition,
			Recipients: recipients("b@example.com"), dial: func(context.Context, *Options) (transport, error) { return ft, nil }})
		if err == nil || !strings.Contains(err.Error(), ".digest/send/2026-11-27.log:2:") || len(ft.sent) > 0 {
			t.Errorf("%s: %v, sent %v", what, err, ft.sent)
		}
	}
}

// TestSendRefusesPlainTextOffLoopback: a server that is not on this
// machine and offers no STARTTLS is not sent to (the password would cross
// the network in the clear).
func TestSendRefusesPlainTextOffLoopback(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				io.WriteString(c, "220 plain.example ESMTP\r\n")
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					switch strings.ToUpper(strings.Fields(line + " x")[0]) {
					case "EHLO", "HELO":
						io.WriteString(c, "250-plain.example\r\n250 8BITMIME\r\n")
					case "QUIT":
						io.WriteString(c, "221 bye\r\n")
						return
					default:
						io.WriteString(c, "250 ok\r\n")
					}
				}
			}()
		}
	}()
	c := testConfig(t, "")
	c.Email.Server = "smtp.example.org"
	ft := 0
	_, err = Run(context.Background(), Options{Root: t.TempDir(), Config: c, Edition: testEdition, Recipients: recipients("a@example.com"),
		dialNet: func(ctx context.Context, network, _ string) (net.Conn, error) {
			ft++
			return (&net.Dialer{}).DialContext(ctx, network, ln.Addr().String())
		}})
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") || ft == 0 {
		t.Errorf("plain text off loopback: %v", err)
	}
	if !isLoopback("127.0.0.1") || !isLoopback("::1") || !isLoopback("localhost") || isLoopback("smtp.example.org") || isLoopback("10.0.0.1") {
		t.Error("isLoopback")
	}
}
