package main

import (
	"bufio"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startServe runs "digest serve" on the site in dir, on a free port, and
// returns its base URL (without the final slash) and a function that
// stops it and waits until it has.
func startServe(tb testing.TB, dir string, args ...string) (base string, stop func()) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		run(ctx, append([]string{"serve", "-s", dir, "--port", "0"}, args...), pw, io.Discard)
		pw.Close()
		close(done)
	}()
	stop = func() { cancel(); <-done }
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		re := regexp.MustCompile(`at (http://\S+) `)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				urls <- strings.TrimSuffix(m[1], "/")
			}
		}
	}()
	select {
	case u := <-urls:
		return u, stop
	case <-time.After(60 * time.Second):
		stop()
		tb.Fatal("digest serve did not start")
	}
	return "", nil
}
