package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// Scripts mail through Mailpit (github.com/axllent/mailpit), a real SMTP
// server that keeps what it receives and shows it through its HTTP API.
// .ci/run installs it (go install github.com/axllent/mailpit@v1.33.1)
// and sets DIGEST_REQUIRE_MAILPIT=1; elsewhere a script that needs it
// starts with [!mailpit] skip.

// mailpitBinary finds the mailpit command: on PATH, or where go install
// puts it.
func mailpitBinary() string {
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	for _, dir := range []string{os.Getenv("GOBIN"), filepath.Join(os.Getenv("GOPATH"), "bin"), filepath.Join(os.Getenv("HOME"), "go", "bin")} {
		if p := filepath.Join(dir, "mailpit"); dir != "" && isExecutable(p) {
			return p
		}
	}
	return ""
}

func isExecutable(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular() && info.Mode()&0o111 != 0
}

// mailpitCondition is the [mailpit] condition: Mailpit is installed. With
// DIGEST_REQUIRE_MAILPIT set, a missing Mailpit fails the script.
func mailpitCondition() (bool, error) {
	if mailpitBinary() != "" {
		return true, nil
	}
	if os.Getenv("DIGEST_REQUIRE_MAILPIT") != "" {
		return false, fmt.Errorf("DIGEST_REQUIRE_MAILPIT is set but mailpit is not installed (go install github.com/axllent/mailpit@v1.33.1)")
	}
	return false, nil
}

// cmdMailpit starts Mailpit on free ports of 127.0.0.1 for the rest of
// the script, and sets SMTP_PORT and MAILPIT (its API's base URL). It
// refuses mail to addresses at example.net, so that scripts can see
// failures.
func cmdMailpit(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: mailpit")
	}
	bin := mailpitBinary()
	if bin == "" {
		ts.Fatalf("mailpit is not installed")
	}
	smtpPort, httpPort := freePort(ts), freePort(ts)
	// Its database in a folder of its own, removed with the script: a
	// Mailpit without one makes a file in the system's temporary folder,
	// which it cannot remove when it is killed.
	dbDir, err := os.MkdirTemp("", "digest-mailpit-")
	ts.Check(err)
	ts.Defer(func() { os.RemoveAll(dbDir) })
	cmd := exec.Command(bin, "--database", filepath.Join(dbDir, "mailpit.db"), "--smtp", "127.0.0.1:"+smtpPort, "--listen", "127.0.0.1:"+httpPort,
		"--disable-version-check", "--quiet", "--smtp-disable-rdns",
		"--smtp-allowed-recipients", `@example\.(com|org)$`)
	cmd.Stdout, cmd.Stderr = ts.Stderr(), ts.Stderr()
	ts.Check(cmd.Start())
	ts.Defer(func() { cmd.Process.Kill(); cmd.Wait() })
	api := "http://127.0.0.1:" + httpPort
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(api + "/api/v1/messages")
		if err == nil {
			resp.Body.Close()
			if c, err := net.Dial("tcp", "127.0.0.1:"+smtpPort); err == nil {
				c.Close()
				break
			}
		}
		if time.Now().After(deadline) {
			ts.Fatalf("mailpit did not start: %v", err)
		}
	}
	ts.Setenv("SMTP_PORT", smtpPort)
	ts.Setenv("MAILPIT", api)
}

func freePort(ts *testscript.TestScript) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// mailpitGet decodes a JSON answer of Mailpit's API.
func mailpitGet(ts *testscript.TestScript, path string, into any) {
	resp, err := http.Get(ts.Getenv("MAILPIT") + path)
	ts.Check(err)
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		ts.Fatalf("%s: %s", path, resp.Status)
	}
	ts.Check(json.NewDecoder(resp.Body).Decode(into))
}

// mailsTo lists the IDs of the messages Mailpit holds for an address.
func mailsTo(ts *testscript.TestScript, addr string) []string {
	var found struct {
		Messages []struct {
			ID string
			To []struct{ Address string }
		}
	}
	mailpitGet(ts, "/api/v1/search?limit=1000&query="+url.QueryEscape(`to:"`+addr+`"`), &found)
	var ids []string
	for _, m := range found.Messages {
		for _, to := range m.To {
			if strings.EqualFold(to.Address, addr) {
				ids = append(ids, m.ID)
			}
		}
	}
	return ids
}

// cmdMailcount: mailcount N ADDRESS... — each address has exactly N
// messages in Mailpit.
func cmdMailcount(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: mailcount N ADDRESS...")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	for _, addr := range args[1:] {
		if got := len(mailsTo(ts, addr)); got != want {
			ts.Fatalf("%s has %d messages, want %d", addr, got, want)
		}
	}
}

// cmdMailshow: mailshow ADDRESS — prints the one message to ADDRESS: its
// source as sent, then the subject and both parts as Mailpit decoded
// them ("== subject", "== text", "== html"), for stdout to check.
func cmdMailshow(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mailshow ADDRESS")
	}
	ids := mailsTo(ts, args[0])
	if len(ids) != 1 {
		ts.Fatalf("%s has %d messages, want 1", args[0], len(ids))
	}
	resp, err := http.Get(ts.Getenv("MAILPIT") + "/api/v1/message/" + ids[0] + "/raw")
	ts.Check(err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	ts.Check(err)
	var m struct {
		Subject, Text, HTML string
	}
	mailpitGet(ts, "/api/v1/message/"+ids[0], &m)
	out := fmt.Sprintf("%s\n== subject\n%s\n== text\n%s\n== html\n%s\n", raw, m.Subject, m.Text, m.HTML)
	fmt.Fprint(ts.Stdout(), strings.ReplaceAll(out, "\r\n", "\n"))
}

// cmdHTMLCheck: htmlcheck ADDRESS MIN — runs Mailpit's HTML compatibility
// check (its scores of the HTML and CSS the message uses against what
// mail clients support, from caniemail.com) on the one message to
// ADDRESS, logs the score and each warning, and fails when less than MIN
// percent of it is fully supported.
func cmdHTMLCheck(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: htmlcheck ADDRESS MIN")
	}
	min, err := strconv.ParseFloat(args[1], 64)
	ts.Check(err)
	ids := mailsTo(ts, args[0])
	if len(ids) != 1 {
		ts.Fatalf("%s has %d messages, want 1", args[0], len(ids))
	}
	var check struct {
		Total struct {
			Tests, Nodes                    int
			Supported, Partial, Unsupported float64
		}
		Warnings []struct {
			Slug, Title string
			Score       struct {
				Found                           int
				Supported, Partial, Unsupported float64
			}
		}
	}
	mailpitGet(ts, "/api/v1/message/"+ids[0]+"/html-check", &check)
	t := check.Total
	ts.Logf("Mailpit HTML check: %.1f%% supported, %.1f%% partial, %.1f%% unsupported (%d tests on %d nodes)", t.Supported, t.Partial, t.Unsupported, t.Tests, t.Nodes)
	for _, w := range check.Warnings {
		ts.Logf("  %-20s found %2d: %5.1f%% supported, %5.1f%% partial, %5.1f%% unsupported", w.Title, w.Score.Found, w.Score.Supported, w.Score.Partial, w.Score.Unsupported)
	}
	fmt.Fprintf(ts.Stdout(), "supported %.1f\n", t.Supported)
	if t.Supported < min {
		ts.Fatalf("Mailpit's HTML check: %.1f%% supported, want at least %.1f%%", t.Supported, min)
	}
}

// cmdWaitlines: waitlines FILE REGEXP N — waits (up to 20 s) until N
// lines of FILE match REGEXP.
func cmdWaitlines(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: waitlines FILE REGEXP N")
	}
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	want, err := strconv.Atoi(args[2])
	ts.Check(err)
	got := 0
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		data, _ := os.ReadFile(ts.MkAbs(args[0]))
		got = len(re.FindAllString(string(data), -1))
		if got >= want {
			return
		}
	}
	ts.Fatalf("%s has %d lines matching %s after 20 s, want %d", args[0], got, args[1], want)
}
