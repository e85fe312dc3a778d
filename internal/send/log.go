package send

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// LogDir is where the send logs are, relative to the site root: one file
// per edition, .digest/send/YYYY-MM-DD.log.
const LogDir = ".digest/send"

// The send log says, one line per event, what happened to each address:
//
//	2026-11-27T07:00:01Z	sending	ann@example.com
//	2026-11-27T07:00:01Z	sent	ann@example.com	<digest.20261127.…@example.org>
//	2026-11-27T07:00:02Z	failed	bo@example.com	550 5.1.1 no such user
//	2026-11-27T07:00:03Z	unknown	cy@example.com	the connection broke after the message was sent
//
// A line is appended and synced to disk before the message goes out
// ("sending") and once the server answered, so a send that is stopped,
// even killed, and started again knows whom it mailed. An address whose
// last line is "sent" is never mailed again; "failed" is tried again;
// "sending" (the send stopped during that message) and "unknown" (the
// server's answer never came) are not, since the message may have
// arrived: they are reported, and deleting their lines sends them.
//
// Lines are only ever appended. The log is never trusted when damaged
// (a line that cannot be read, or a last line cut short): the send stops
// and says where, rather than risk mailing someone twice.

// Statuses of the send log.
const (
	statusSending = "sending"
	statusSent    = "sent"
	statusFailed  = "failed"
	statusUnknown = "unknown"
)

// sendLog is the log of one edition's sends, open for appending and
// locked against another digest send of the same edition.
type sendLog struct {
	name   string // as shown in messages: relative to the site root
	f      *os.File
	last   map[string]logEntry // by recipient key: the address's last line
	unlock func()
}

type logEntry struct {
	status, detail string
	line           int
}

// openLog opens (or creates) the log of the edition of day under root,
// locks it, and reads it.
func openLog(root, day string) (*sendLog, error) {
	rel := filepath.ToSlash(filepath.Join(LogDir, day+".log"))
	path := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("cannot keep the send log: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cannot keep the send log: %w", err)
	}
	unlock, err := lockFile(f)
	if err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, fmt.Errorf("another digest send of this edition is running (it holds %s); wait for it to finish", rel)
		}
		return nil, fmt.Errorf("cannot lock %s: %w", rel, err)
	}
	l := &sendLog{name: rel, f: f, last: map[string]logEntry{}, unlock: unlock}
	if err := l.read(); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// read takes in the lines already written.
func (l *sendLog) read() error {
	data, err := os.ReadFile(l.f.Name())
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", l.name, err)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		n := bytes.Count(data, []byte("\n")) + 1
		return fmt.Errorf("%s:%d: the last line is cut short (digest was stopped while writing it), so it cannot tell whether that address was mailed; look at the line, delete it or complete it, and send again", l.name, n)
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if line == "" {
			continue
		}
		f := strings.SplitN(line, "\t", 4)
		_, terr := time.Parse(time.RFC3339, f[0])
		if len(f) < 3 || terr != nil || !validStatus(f[1]) || !strings.Contains(f[2], "@") {
			return fmt.Errorf("%s:%d: damaged line %q (want TIME<tab>STATUS<tab>ADDRESS): digest does not trust a damaged log, lest it mail someone twice; fix or delete the line and send again", l.name, i+1, line)
		}
		e := logEntry{status: f[1], line: i + 1}
		if len(f) == 4 {
			e.detail = f[3]
		}
		l.last[strings.ToLower(f[2])] = e
	}
	return nil
}

func validStatus(s string) bool {
	switch s {
	case statusSending, statusSent, statusFailed, statusUnknown:
		return true
	}
	return false
}

// write appends a line and syncs it to disk.
func (l *sendLog) write(now time.Time, status string, r Recipient, detail string) error {
	line := now.UTC().Format(time.RFC3339) + "\t" + status + "\t" + r.Address
	if detail != "" {
		line += "\t" + strings.Join(strings.Fields(detail), " ")
	}
	if _, err := l.f.WriteString(line + "\n"); err != nil {
		return fmt.Errorf("cannot write %s: %w", l.name, err)
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("cannot write %s: %w", l.name, err)
	}
	l.last[r.key()] = logEntry{status: status, detail: detail}
	return nil
}

// Close unlocks and closes the log.
func (l *sendLog) Close() error {
	l.unlock()
	return l.f.Close()
}
