package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/text/encoding/charmap"
)

// cmdWireServe is the script command
//
//	wireserve DIR
//
// which serves the files under DIR on a free 127.0.0.1 port, sets $WIRE
// to its URL, and logs each request as "GET /path STATUS" in $WORK/wire.log.
// Every file has an ETag (a conditional request gets 304). A file
// NAME.headers beside NAME holds header lines to send with it; two are
// the server's own: "X-Wire-Encode: windows-1252" sends the file in that
// character set, "X-Wire-Status: 500" answers with that status. Paths:
//
//	/redirect/N/PATH   N redirects (301), then PATH
//	/gzip/PATH         PATH, gzip-compressed
//	/status/CODE       an empty answer with that status
//	/slow              no answer for 10 seconds
//	/huge              9 MB of text
func cmdWireServe(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: wireserve DIR")
	}
	dir := ts.MkAbs(args[0])
	logName := ts.MkAbs("wire.log")
	var mu sync.Mutex
	logf := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		f, err := os.OpenFile(logName, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintf(f, format+"\n", a...)
			f.Close()
		}
	}
	var handle func(w http.ResponseWriter, r *http.Request, path string)
	handle = func(w http.ResponseWriter, r *http.Request, path string) {
		switch {
		case strings.HasPrefix(path, "/redirect/"):
			n, rest, _ := strings.Cut(strings.TrimPrefix(path, "/redirect/"), "/")
			count, _ := strconv.Atoi(n)
			target := "/" + rest
			if count > 1 {
				target = fmt.Sprintf("/redirect/%d/%s", count-1, rest)
			}
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			logf("GET %s 301", path)
			http.Redirect(w, r, target, http.StatusMovedPermanently)
		case strings.HasPrefix(path, "/gzip/"):
			gw := &gzipWriter{ResponseWriter: w}
			handle(gw, r, strings.TrimPrefix(path, "/gzip"))
			gw.close()
		case strings.HasPrefix(path, "/status/"):
			code, _ := strconv.Atoi(strings.TrimPrefix(path, "/status/"))
			logf("GET %s %d", path, code)
			w.WriteHeader(code)
		case path == "/slow":
			logf("GET %s slow", path)
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		case path == "/huge":
			logf("GET %s 200", path)
			w.Header().Set("Content-Type", "text/html")
			line := bytes.Repeat([]byte("<p>huge</p>"), 100)
			for written := 0; written < 9<<20; written += len(line) {
				if _, err := w.Write(line); err != nil {
					return
				}
			}
		default:
			serveWireFile(w, r, dir, path, logf)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handle(w, r, r.URL.Path)
	}))
	ts.Defer(srv.Close)
	ts.Setenv("WIRE", srv.URL)
}

// serveWireFile serves one file of the fixture folder with its headers.
func serveWireFile(w http.ResponseWriter, r *http.Request, dir, path string, logf func(string, ...any)) {
	name := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(path, "/")))
	data, err := os.ReadFile(name)
	if err != nil || !strings.HasPrefix(name, dir) {
		logf("GET %s 404", path)
		http.NotFound(w, r)
		return
	}
	status := http.StatusOK
	if hdr, err := os.ReadFile(name + ".headers"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(hdr))
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), ":")
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			switch {
			case !ok:
			case k == "X-Wire-Encode":
				if enc, err := charmap.Windows1252.NewEncoder().Bytes(data); err == nil && strings.EqualFold(v, "windows-1252") {
					data = enc
				}
			case k == "X-Wire-Status":
				status, _ = strconv.Atoi(v)
			default:
				w.Header().Set(k, v)
			}
		}
	}
	etag := fmt.Sprintf(`"%x"`, sha256.Sum256(data))[:18] + `"`
	if r.Header.Get("If-None-Match") == etag {
		logf("GET %s 304", path)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", http.DetectContentType(data))
	}
	logf("GET %s %d", path, status)
	w.WriteHeader(status)
	w.Write(data)
}

// gzipWriter compresses what a handler writes, unless it answers 304.
type gzipWriter struct {
	http.ResponseWriter
	zw *gzip.Writer
}

func (g *gzipWriter) WriteHeader(code int) {
	if code == http.StatusOK {
		g.Header().Set("Content-Encoding", "gzip")
		g.Header().Del("Content-Length")
		g.zw = gzip.NewWriter(g.ResponseWriter)
	}
	g.ResponseWriter.WriteHeader(code)
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if g.zw == nil {
		return g.ResponseWriter.Write(b)
	}
	return g.zw.Write(b)
}

func (g *gzipWriter) close() {
	if g.zw != nil {
		g.zw.Close()
	}
}
