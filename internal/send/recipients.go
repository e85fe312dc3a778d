package send

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/mail"
	"strings"

	"github.com/digest-ssg/digest/internal/diag"
)

// Recipient is one address an edition goes to.
type Recipient struct {
	Address string // the bare address, e.g. ann@example.com
	Name    string // the display name, if the list gives one
	// ID stands for the address in unsubscribe links ({id} in
	// [email] unsubscribe_url): the first 16 hex digits of the SHA-256 of
	// the address in lower case, so an unsubscribe page that holds the
	// list can tell who it is without the address in the link.
	ID string
}

// key is what tells two recipients apart: the address, in lower case.
func (r Recipient) key() string { return strings.ToLower(r.Address) }

// NewRecipient reads one address, "ann@example.com" or "Ann Lee
// <ann@example.com>".
func NewRecipient(s string) (Recipient, error) {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil || !strings.Contains(a.Address, "@") {
		return Recipient{}, fmt.Errorf("%q is not an email address (write ann@example.com or Ann Lee <ann@example.com>)", strings.TrimSpace(s))
	}
	sum := sha256.Sum256([]byte(strings.ToLower(a.Address)))
	return Recipient{Address: a.Address, Name: a.Name, ID: hex.EncodeToString(sum[:8])}, nil
}

// ReadRecipients reads a list of recipients, named file in messages: one
// address a line; blank lines and lines starting with # are skipped, and
// so is the rest of a line after " #". A line that is no address, and an
// address listed twice, is reported at its line and column and skipped
// (the problems are warnings: the others still go).
func ReadRecipients(r io.Reader, file string) ([]Recipient, diag.List, error) {
	var out []Recipient
	var problems diag.List
	first := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimPrefix(sc.Text(), "\uFEFF")
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		text := strings.TrimSpace(line)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		pos := diag.Pos{File: file, Line: n, Col: 1 + len(line) - len(strings.TrimLeft(line, " \t"))}
		rc, err := NewRecipient(text)
		if err != nil {
			problems.Warn(pos, "%v; skipped", err)
			continue
		}
		if at, ok := first[rc.key()]; ok {
			problems.Warn(pos, "%s is listed twice (first on line %d); it gets one email", rc.Address, at)
			continue
		}
		first[rc.key()] = n
		out = append(out, rc)
	}
	return out, problems, sc.Err()
}
