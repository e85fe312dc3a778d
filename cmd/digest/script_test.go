package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain makes the test binary double as the digest command, so that
// scripts can run "digest ..." (or "exec digest ...") as a real process.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"digest": main})
}

// TestScripts runs every testdata/script/*.txtar. Besides the built-in
// commands, scripts may use:
//
//	exits N CMD [ARGS...]   run CMD, expect exit status N exactly; its stdout
//	                        and stderr can be checked by the next commands
//	snapshot DIR FILE       record every entry under DIR (path, type, mode,
//	                        size, modification time, SHA-256) in FILE; compare
//	                        two snapshots with cmp to prove nothing changed
//	cmptree DIR1 DIR2       the two trees hold the same paths with the same
//	                        bytes (! cmptree: they differ)
//	glob PATTERN            some path matches PATTERN (! glob: none does)
//	samefile PATH1 PATH2    the two paths are one file (hard links to it)
//	freeport VAR            sets VAR to a free TCP port on 127.0.0.1
//	httpwait URL REGEXP     polls URL (for up to 10 s) until its body matches
//	                        (! httpwait: until it no longer matches)
//	wireserve DIR           serves DIR's files on 127.0.0.1 as $WIRE, with
//	                        redirects, gzip, 304, errors, a slow and a huge
//	                        answer (see wire_test.go)
//	mailpit                 starts Mailpit, an SMTP server, as $SMTP_PORT,
//	                        its API as $MAILPIT (see mailpit_test.go;
//	                        condition [mailpit]: it is installed)
//	mailcount N ADDR...     each address has exactly N messages in Mailpit
//	mailshow ADDR           prints the one message to ADDR: source, then
//	                        subject, text and HTML as Mailpit decoded them
//	htmlcheck ADDR MIN      Mailpit's HTML compatibility check of that
//	                        message, logged; fails under MIN % supported
//	waitlines FILE RE N     waits until N lines of FILE match RE
//	cachedamage DIR HOW     damages every entry of the build cache in DIR
//	                        (truncate, flip, swap, garbage; see cache_test.go)
//	cacheentries DIR N      the build cache in DIR holds N entries
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":        cmdExits,
			"snapshot":     cmdSnapshot,
			"cmptree":      cmdCmptree,
			"glob":         cmdGlob,
			"samefile":     cmdSamefile,
			"freeport":     cmdFreeport,
			"httpwait":     cmdHTTPWait,
			"wireserve":    cmdWireServe,
			"mailpit":      cmdMailpit,
			"mailcount":    cmdMailcount,
			"mailshow":     cmdMailshow,
			"htmlcheck":    cmdHTMLCheck,
			"waitlines":    cmdWaitlines,
			"cachedamage":  cmdCacheDamage,
			"cacheentries": cmdCacheEntries,
		},
		Setup: func(env *testscript.Env) error {
			repo, err := filepath.Abs("../..")
			env.Setenv("REPO", repo) // the example site
			return err
		},
		Condition: func(cond string) (bool, error) {
			if cond == "mailpit" {
				return mailpitCondition()
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}

// scriptEnv is the environment a script's commands run with.
func scriptEnv(ts *testscript.TestScript) []string {
	var env []string
	for _, k := range []string{"WORK", "PATH", "HOME", "TMPDIR", "GOCOVERDIR", "GORACE", "GOTRACEBACK", "TZ"} {
		if v := ts.Getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exits")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exits N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad status %q", args[0])
	}
	cmd := exec.Command(args[1], args[2:]...)
	cmd.Dir = ts.MkAbs(".")
	cmd.Env = scriptEnv(ts)
	cmd.Stdout = ts.Stdout()
	cmd.Stderr = ts.Stderr()
	err = cmd.Run()
	got := 0
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		got = ee.ExitCode()
	default:
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", strings.Join(args[1:], " "), got, want)
	}
}

// treeListing describes every entry under dir, sorted by path. With
// times, modification times are included.
func treeListing(dir string, times bool) (string, error) {
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		line := fmt.Sprintf("%s %s", rel, info.Mode())
		switch {
		case info.Mode().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			line += fmt.Sprintf(" %d sha256:%x", len(data), sha256.Sum256(data))
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			line += " -> " + target
		}
		if times && !(rel == "." && info.IsDir()) {
			line += " mtime:" + info.ModTime().UTC().Format("2006-01-02T15:04:05.000000000Z")
		}
		lines = append(lines, line)
		return nil
	})
	if err != nil {
		return "", err
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n") + "\n", nil
}

func cmdSnapshot(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: snapshot DIR FILE")
	}
	list, err := treeListing(ts.MkAbs(args[0]), true)
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(list), 0o644))
}

func cmdCmptree(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: cmptree DIR1 DIR2")
	}
	a, err := treeListing(ts.MkAbs(args[0]), false)
	ts.Check(err)
	b, err := treeListing(ts.MkAbs(args[1]), false)
	ts.Check(err)
	same := a == b
	switch {
	case same && neg:
		ts.Fatalf("%s and %s are identical", args[0], args[1])
	case !same && !neg:
		al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
		var diff []string
		for _, l := range al {
			if !slices.Contains(bl, l) {
				diff = append(diff, "- "+l)
			}
		}
		for _, l := range bl {
			if !slices.Contains(al, l) {
				diff = append(diff, "+ "+l)
			}
		}
		ts.Fatalf("%s and %s differ:\n%s", args[0], args[1], strings.Join(diff, "\n"))
	}
}

func cmdSamefile(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: samefile PATH1 PATH2")
	}
	a, err := os.Lstat(ts.MkAbs(args[0]))
	ts.Check(err)
	b, err := os.Lstat(ts.MkAbs(args[1]))
	ts.Check(err)
	if same := os.SameFile(a, b); same == neg {
		ts.Fatalf("%s and %s: same file %v", args[0], args[1], same)
	}
}

func cmdGlob(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: glob PATTERN")
	}
	matches, err := filepath.Glob(ts.MkAbs(args[0]))
	ts.Check(err)
	switch {
	case len(matches) == 0 && !neg:
		ts.Fatalf("nothing matches %s", args[0])
	case len(matches) > 0 && neg:
		ts.Fatalf("%s matches %s", args[0], strings.Join(matches, ", "))
	}
}

// TestExitCodes checks the exit status of each kind of outcome by calling
// run and exitCode directly: 0 success, 1 the site has errors, 2 wrong usage.
func TestExitCodes(t *testing.T) {
	good := t.TempDir()
	writeFiles(t, good, map[string]string{
		"site.toml":          "title = \"Good\"\n",
		"content/a-story.md": "---\ntitle: A story\ndate: 2026-02-10T09:30:00Z\n---\nBody.\n",
	})
	bad := t.TempDir()
	writeFiles(t, bad, map[string]string{
		"site.toml":      "",
		"content/bad.md": "---\ntitle: Bad\ndate: 10th Feb\n---\nBody.\n",
	})
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"no command", nil, 2},
		{"unknown command", []string{"bogus"}, 2},
		{"unknown flag", []string{"build", "--nope"}, 2},
		{"stray argument", []string{"build", "-s", good, "extra"}, 2},
		{"flag missing its value", []string{"build", "--out"}, 2},
		{"version with argument", []string{"version", "extra"}, 2},
		{"help", []string{"help"}, 0},
		{"--help", []string{"--help"}, 0},
		{"build --help", []string{"build", "--help"}, 0},
		{"build -h", []string{"build", "-h"}, 0},
		{"help build", []string{"help", "build"}, 0},
		{"version", []string{"version"}, 0},
		{"version --help", []string{"version", "--help"}, 0},
		{"good build", []string{"build", "-s", good, "--out", filepath.Join(t.TempDir(), "out")}, 0},
		{"site errors", []string{"build", "-s", bad, "--out", filepath.Join(t.TempDir(), "out")}, 1},
		{"refused output", []string{"build", "-s", good, "--out", filepath.Join(good, "content")}, 1},
		{"bad --base-url", []string{"build", "-s", good, "--base-url", "ftp://x", "--out", filepath.Join(t.TempDir(), "out")}, 2},
		{"add without a URL", []string{"add", "-s", good}, 2},
		{"add an ftp URL", []string{"add", "-s", good, "ftp://example.com/x"}, 2},
		{"add --help", []string{"add", "--help"}, 0},
		{"pull --help", []string{"pull", "--help"}, 0},
		{"pull without sources", []string{"pull", "-s", good}, 1},
		{"pull with a bad --timeout", []string{"pull", "-s", good, "--timeout", "0s"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, &stdout, &stderr)
			if got := exitCode(err, &stderr); got != tt.want {
				t.Errorf("digest %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(tt.args, " "), got, tt.want, &stdout, &stderr)
			}
			switch tt.want {
			case 0:
				if stderr.Len() > 0 {
					t.Errorf("digest %s succeeded but wrote to stderr:\n%s", strings.Join(tt.args, " "), &stderr)
				}
			default:
				if stderr.Len() == 0 {
					t.Errorf("digest %s failed without a word on stderr", strings.Join(tt.args, " "))
				}
			}
		})
	}
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func cmdFreeport(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: freeport VAR")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	ts.Setenv(args[0], strconv.Itoa(port))
}

func cmdHTTPWait(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: httpwait URL REGEXP")
	}
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	var last string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(args[0])
		if err != nil {
			last = err.Error()
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		last = fmt.Sprintf("%d %s", resp.StatusCode, body)
		if re.Match(body) != neg {
			return
		}
	}
	ts.Fatalf("%s: body never %smatched %q; last answer:\n%.2000s", args[0], map[bool]string{true: "stopped matching", false: ""}[neg], args[1], last)
}
