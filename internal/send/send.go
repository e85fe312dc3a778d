// Package send mails an edition's email to a list of recipients over
// SMTP, for digest send. github.com/wneessen/go-mail writes the MIME and
// speaks SMTP; this package decides what goes to whom, and remembers it.
//
// Each recipient gets one message of its own: the edition's text and
// HTML as multipart/alternative, with its own unsubscribe link (from
// [email] unsubscribe_url, in the body and in the List-Unsubscribe and
// List-Unsubscribe-Post headers of RFC 8058), a Message-ID that is the
// same every time for that edition and address, and the Date.
//
// Messages go out one by one over one connection, paced by [email] rate.
// The send log (see log.go) makes sending at most once per address: a
// send that is interrupted or killed and started again mails only those
// who have not had it. Ctrl-C lets the message on its way finish first.
//
// The connection is encrypted: STARTTLS is required (tls = "starttls",
// port 587), or TLS from the first byte (tls = "implicit", port 465);
// only a server on this machine (loopback), such as a local relay or a
// test server, may go without. The password comes from the environment
// only (password_env), never from the site.
package send

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/digest-ssg/digest/internal/config"
)

// Options say what to send to whom.
type Options struct {
	Root       string // the site root: the log is kept in its .digest/send
	Config     *config.Config
	Edition    *Edition
	Recipients []Recipient
	Password   string // from the environment; "" logs in as no one
	// DryRun, when set, is a folder to write the messages into as .eml
	// files instead of sending them; the log is neither read nor written.
	DryRun  string
	Version string // digest's, for the User-Agent header
	Now     func() time.Time
	// Report is told of each message as it is settled.
	Report func(Outcome)
	// dial connects to the server; tests replace it, or only the network
	// connection under it (dialNet).
	dial    func(ctx context.Context, o *Options) (transport, error)
	dialNet gomail.DialContextFunc
}

// Outcome is what became of one recipient.
type Outcome struct {
	Recipient Recipient
	Status    string // "sent", "failed", "unknown", "skipped" (sent before), "held" (uncertain before), "written" (dry run)
	Detail    string // the server's answer, or the file written
}

// Result counts what a send did.
type Result struct {
	Sent, Failed, Unknown, Skipped, Held, Written int
	Log                                           string // the send log, relative to the site root
}

// transport sends messages over one connection.
type transport interface {
	Send(m *gomail.Msg) error
	Close() error
}

// Run sends the edition to every recipient who has not had it, or with
// DryRun writes the messages out. It stops between two messages when ctx
// is done (the result so far, and ctx's error).
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Report == nil {
		o.Report = func(Outcome) {}
	}
	if _, err := sender(o.Config); err != nil {
		return nil, err
	}
	if o.DryRun != "" {
		return writeAll(o)
	}
	if o.dial == nil {
		o.dial = dialSMTP
	}
	log, err := openLog(o.Root, o.Edition.Day)
	if err != nil {
		return nil, err
	}
	defer log.Close()
	res := &Result{Log: log.name}
	var todo []Recipient
	for _, rc := range o.Recipients {
		switch e := log.last[rc.key()]; e.status {
		case statusSent:
			res.Skipped++
			o.Report(Outcome{rc, "skipped", ""})
		case statusSending, statusUnknown:
			res.Held++
			o.Report(Outcome{rc, "held", fmt.Sprintf("%s:%d", log.name, e.line)})
		default:
			todo = append(todo, rc)
		}
	}
	if len(todo) == 0 {
		return res, nil
	}
	return res, sendAll(ctx, o, log, todo, res)
}

// sendAll sends to each recipient in turn, paced, over one connection
// that is made again after it fails.
func sendAll(ctx context.Context, o Options, log *sendLog, todo []Recipient, res *Result) error {
	var conn transport
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	next := time.Time{}
	for _, rc := range todo {
		if err := waitUntil(ctx, next); err != nil {
			return err
		}
		next = time.Now().Add(o.Config.Email.Interval)
		m, err := message(o.Edition, o.Config, rc, o.Now(), o.Version)
		if err != nil {
			return err
		}
		if conn == nil {
			if conn, err = o.dial(ctx, &o); err != nil {
				return err
			}
		}
		if err := log.write(o.Now(), statusSending, rc, ""); err != nil {
			return err
		}
		// A message on its way is finished even when ctx is done: the
		// connection's own timeouts bound it.
		status, detail := settle(m, conn.Send(m))
		if err := log.write(o.Now(), status, rc, detail); err != nil {
			return err
		}
		switch status {
		case statusSent:
			res.Sent++
		case statusFailed:
			res.Failed++
		default:
			res.Unknown++
		}
		o.Report(Outcome{rc, status, detail})
		if status != statusSent {
			conn.Close() // it may be broken: the next message makes a new one
			conn = nil
		}
	}
	return nil
}

// settle tells what became of a message from Send's error: sent, failed
// (the server refused it, or it never reached the end of its text, so
// nothing was delivered) or unknown (the connection broke while the
// server was accepting it).
func settle(m *gomail.Msg, err error) (status, detail string) {
	if err == nil || m.IsDelivered() {
		return statusSent, m.GetMessageID()
	}
	var se *gomail.SendError
	if errors.As(err, &se) && se.Reason == gomail.ErrSMTPDataClose && se.ErrorCode() == 0 {
		return statusUnknown, err.Error()
	}
	return statusFailed, err.Error()
}

func waitUntil(ctx context.Context, t time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d := time.Until(t)
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// smtpTransport is a go-mail client with its connection.
type smtpTransport struct{ c *gomail.Client }

func (t smtpTransport) Send(m *gomail.Msg) error { return t.c.Send(m) }
func (t smtpTransport) Close() error             { return t.c.Close() }

// dialSMTP connects to [email] server, encrypted as the site says (see
// the package comment), and logs in when there is a password.
func dialSMTP(ctx context.Context, o *Options) (transport, error) {
	e := &o.Config.Email
	if e.Server == "" {
		return nil, errors.New("site.toml's [email] has no server: name the SMTP server to send through (server = \"smtp.example.com\")")
	}
	opts := []gomail.Option{gomail.WithPort(e.Port), gomail.WithTimeout(30 * time.Second)}
	switch {
	case e.TLS == config.TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case isLoopback(e.Server):
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if o.dialNet != nil {
		opts = append(opts, gomail.WithDialContextFunc(o.dialNet))
	}
	if o.Password != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(e.Login()), gomail.WithPassword(o.Password))
	}
	c, err := gomail.NewClient(e.Server, opts...)
	if err != nil {
		return nil, fmt.Errorf("SMTP server %s:%d: %w", e.Server, e.Port, err)
	}
	if err := c.DialWithContext(ctx); err != nil {
		return nil, fmt.Errorf("SMTP server %s:%d: %w%s", e.Server, e.Port, err, dialHint(e))
	}
	return smtpTransport{c}, nil
}

func dialHint(e *config.Email) string {
	if e.TLS == config.TLSStartTLS && !isLoopback(e.Server) {
		return " (digest sends only over an encrypted connection: the server must offer STARTTLS on this port, or set tls = \"implicit\" for port 465)"
	}
	return ""
}

// isLoopback tells whether the server is on this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// writeAll writes each recipient's message into o.DryRun as a .eml file.
func writeAll(o Options) (*Result, error) {
	if err := os.MkdirAll(o.DryRun, 0o755); err != nil {
		return nil, err
	}
	res := &Result{}
	for i, rc := range o.Recipients {
		m, err := message(o.Edition, o.Config, rc, o.Now(), o.Version)
		if err != nil {
			return nil, err
		}
		name := filepath.Join(o.DryRun, fmt.Sprintf("%04d-%s.eml", i+1, unsafeChars.ReplaceAllString(rc.Address, "_")))
		if err := m.WriteToFile(name); err != nil {
			return nil, err
		}
		res.Written++
		o.Report(Outcome{rc, "written", name})
	}
	return res, nil
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9@._+-]`)
