package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/digest-ssg/digest"
	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/pipeline"
	"github.com/digest-ssg/digest/internal/render"
	"github.com/digest-ssg/digest/internal/send"
)

const sendHelp = `
Mails one edition (the latest, or the one of --date) to one address or to
every address of a list, over SMTP: the edition's email.html and
email.txt as one message (HTML with a plain-text alternative), each
recipient their own, with their unsubscribe link when site.toml's
[email] unsubscribe_url is set (also as the List-Unsubscribe and
List-Unsubscribe-Post headers, for one-click unsubscribing).

--to takes an address, or a file with one address a line ("ann@example.com"
or "Ann Lee <ann@example.com>"); blank lines and lines starting with #
are skipped. A line that is no address is reported with its line and
skipped.

The server, port, sender, reply-to address and rate come from [email] in
site.toml; the password only from the environment variable named by
password_env (DIGEST_SMTP_PASSWORD unless set). The connection must be
encrypted (STARTTLS, or tls = "implicit"), unless the server is on this
machine.

Nobody gets an edition twice: every message is recorded in
.digest/send/YYYY-MM-DD.log as it goes, so a send that is interrupted (or
fails half-way) and started again mails only those who have not had it.
Ctrl-C finishes the message on its way, then stops. A failure is
reported with the server's answer and tried again by the next send.

--dry-run writes the messages as .eml files into a folder (--out, by
default .digest/outbox/YYYY-MM-DD) instead of sending them.

Examples:
  digest send --to me@example.com --dry-run
  DIGEST_SMTP_PASSWORD=… digest send --to subscribers.txt
  digest send --date 2026-11-26 --to subscribers.txt`

func runSend(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var source, date, to, out string
	var dryRun bool
	fs := newFlagSet("send", "send [--date YYYY-MM-DD] --to FILE|ADDRESS [--dry-run] [flags]", sendHelp, stdout)
	fs.StringVar(&source, "s", ".", "shorthand for --source")
	fs.StringVar(&source, "source", ".", "the site's root `folder`")
	fs.StringVar(&date, "date", "", "the edition to send, as `YYYY-MM-DD` (default the latest)")
	fs.StringVar(&to, "to", "", "who gets it: `FILE|ADDRESS` (a file lists one address a line)")
	fs.BoolVar(&dryRun, "dry-run", false, "write the messages as .eml files instead of sending them")
	fs.StringVar(&out, "out", "", "with --dry-run: the `folder` for the .eml files (default .digest/outbox/YYYY-MM-DD)")
	if help, err := parseFlags(fs, args, stdout, stderr); help || err != nil {
		return err
	}
	if err := checkSendFlags(date, to, out, dryRun, stderr); err != nil {
		fs.Usage()
		return err
	}
	if err := pipeline.CheckSource(source); err != nil {
		fmt.Fprintf(stderr, "digest send: %v\n", err)
		return &siteError{count: 1}
	}
	recipients, err := readRecipients(source, to, stderr)
	if err != nil {
		return err
	}
	l, errs := pipeline.Load(os.DirFS(source), digest.Theme(), pipeline.Options{Source: source, Now: time.Now()})
	if l == nil {
		return reportWith(errs.Err(), stderr, "fix them and send again")
	}
	ed, err := send.EditionOf(l.Site, l.Renderer, date)
	if err != nil {
		return sendFailed(err, stderr)
	}
	version, _ := buildVersion()
	o := send.Options{
		Root: source, Config: l.Config, Edition: ed, Recipients: recipients, Version: version,
		Report: func(oc send.Outcome) { reportOutcome(oc, stdout, stderr) },
	}
	if dryRun {
		o.DryRun = out
		if o.DryRun == "" {
			o.DryRun = filepath.Join(source, ".digest", "outbox", ed.Day)
		}
	} else if o.Password, err = password(&l.Config.Email); err != nil {
		return sendFailed(err, stderr)
	}
	res, err := send.Run(ctx, o)
	if res != nil {
		fmt.Fprintln(stdout, sendSummary(ed, res, o.DryRun))
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	if err != nil {
		return sendFailed(err, stderr)
	}
	if n := res.Failed + res.Unknown + res.Held; n > 0 {
		return &siteError{count: n}
	}
	return nil
}

var dateFlag = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func checkSendFlags(date, to, out string, dryRun bool, stderr io.Writer) error {
	switch {
	case to == "":
		fmt.Fprintln(stderr, "digest send: --to is required: an address, or a file of addresses")
	case date != "" && !dateFlag.MatchString(date):
		fmt.Fprintf(stderr, "digest send: --date %q: write the edition's day as YYYY-MM-DD\n", date)
	case out != "" && !dryRun:
		fmt.Fprintln(stderr, "digest send: --out goes with --dry-run")
	default:
		return nil
	}
	return errUsage
}

// readRecipients reads --to: a file of addresses, or one address.
func readRecipients(source, to string, stderr io.Writer) ([]send.Recipient, error) {
	f, err := os.Open(to)
	if errors.Is(err, os.ErrNotExist) && strings.Contains(to, "@") {
		rc, err := send.NewRecipient(to)
		if err != nil {
			return nil, sendFailed(fmt.Errorf("--to %v", err), stderr)
		}
		return []send.Recipient{rc}, nil
	}
	if err != nil {
		return nil, sendFailed(fmt.Errorf("--to: %w (give an address, or a file with one address a line)", err), stderr)
	}
	defer f.Close()
	list, problems, err := send.ReadRecipients(f, filepath.ToSlash(to))
	if err != nil {
		return nil, sendFailed(fmt.Errorf("cannot read %s: %w", to, err), stderr)
	}
	printWarnings(problems, stderr)
	if len(list) == 0 {
		return nil, sendFailed(fmt.Errorf("%s lists no address", to), stderr)
	}
	return list, nil
}

// password reads the SMTP password from the environment.
func password(e *config.Email) (string, error) {
	pw := os.Getenv(e.PasswordEnv)
	if pw == "" && e.Username != "" {
		return "", fmt.Errorf("[email] username is set but $%s is empty: set the password in that environment variable (never in site.toml)", e.PasswordEnv)
	}
	return pw, nil
}

func reportOutcome(oc send.Outcome, stdout, stderr io.Writer) {
	switch oc.Status {
	case "failed":
		fmt.Fprintf(stderr, "digest send: %s: failed: %s (the next send tries again)\n", oc.Recipient.Address, oc.Detail)
	case "unknown":
		fmt.Fprintf(stderr, "digest send: %s: the connection broke while the server took the message, so it may have arrived: %s (not sent again; to send it anyway, delete its lines from the send log)\n", oc.Recipient.Address, oc.Detail)
	case "held":
		fmt.Fprintf(stderr, "digest send: %s: an earlier send stopped while mailing this address, so it may have had the edition (%s); not sent again (delete its lines from the log to send it)\n", oc.Recipient.Address, oc.Detail)
	case "written":
		fmt.Fprintln(stdout, oc.Detail)
	}
}

// sendSummary says what a send did, e.g. "sent 2026-11-27 to 3 of 5
// addresses (2 had it already) → .digest/send/2026-11-27.log".
func sendSummary(ed *send.Edition, r *send.Result, dryRun string) string {
	if dryRun != "" {
		return fmt.Sprintf("wrote %s of %s → %s", render.Plural(r.Written, "message", "messages"), ed.Day, dryRun)
	}
	total := r.Sent + r.Failed + r.Unknown + r.Skipped + r.Held
	s := fmt.Sprintf("sent %s to %d of %s", ed.Day, r.Sent, render.Plural(total, "address", "addresses"))
	var notes []string
	if r.Skipped > 0 {
		notes = append(notes, fmt.Sprintf("%d had it already", r.Skipped))
	}
	if r.Failed > 0 {
		notes = append(notes, fmt.Sprintf("%d failed", r.Failed))
	}
	if r.Unknown+r.Held > 0 {
		notes = append(notes, fmt.Sprintf("%d uncertain", r.Unknown+r.Held))
	}
	if len(notes) > 0 {
		s += " (" + strings.Join(notes, ", ") + ")"
	}
	return s + " → " + r.Log
}

func sendFailed(err error, stderr io.Writer) error {
	var list diag.List
	if errors.As(err, &list) {
		return reportWith(err, stderr, "fix them and send again")
	}
	fmt.Fprintf(stderr, "digest send: %v\n", err)
	return &siteError{count: 1}
}
