package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

func server(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<p>hello %s</p>", r.Header.Get("User-Agent"))
	})
	mux.HandleFunc("/redirect/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		if n == 0 {
			http.Redirect(w, r, "/ok", http.StatusFound)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/redirect/%d", n-1), http.StatusMovedPermanently)
	})
	mux.HandleFunc("/to-ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://example.com/x", http.StatusFound)
	})
	mux.HandleFunc("/etag", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` || r.Header.Get("If-Modified-Since") == "Mon, 30 Nov 2026 09:00:00 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 30 Nov 2026 09:00:00 GMT")
		fmt.Fprint(w, "feed")
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			http.Error(w, "want gzip", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		fmt.Fprint(zw, "unzipped text")
		zw.Close()
	})
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write(bytes.Repeat([]byte{' '}, 3<<20))
		zw.Close()
	})
	mux.HandleFunc("/bad-gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		fmt.Fprint(w, "not gzip at all")
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		for range 3 << 10 {
			w.Write(bytes.Repeat([]byte("x"), 1<<10))
		}
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/status/{code}", func(w http.ResponseWriter, r *http.Request) {
		var code int
		fmt.Sscan(r.PathValue("code"), &code)
		w.WriteHeader(code)
	})
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func testClient() *Client {
	// Long enough for a loaded machine; TestFailures shortens it to
	// see a timeout.
	return &Client{UserAgent: "digest-test/1", Timeout: 5 * time.Second, MaxBytes: 1 << 20, MaxRedirects: 3}
}

func TestGet(t *testing.T) {
	s := server(t)
	c := testClient()
	resp, err := c.Get(context.Background(), Request{URL: s.URL + "/ok"})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "<p>hello digest-test/1</p>" {
		t.Errorf("body %q", resp.Body)
	}
}

func TestRedirectsUpToTheLimit(t *testing.T) {
	s := server(t)
	c := testClient()
	resp, err := c.Get(context.Background(), Request{URL: s.URL + "/redirect/2"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.URL != s.URL+"/ok" {
		t.Errorf("final URL %s", resp.URL)
	}
	_, err = c.Get(context.Background(), Request{URL: s.URL + "/redirect/5"})
	wantReason(t, err, "more than 3 redirects")
	_, err = c.Get(context.Background(), Request{URL: s.URL + "/to-ftp"})
	wantReason(t, err, "redirected to a URL that is not http or https")
}

func TestConditionalRequest(t *testing.T) {
	s := server(t)
	c := testClient()
	first, err := c.Get(context.Background(), Request{URL: s.URL + "/etag"})
	if err != nil || first.NotModified || first.ETag != `"v1"` {
		t.Fatalf("first: %+v %v", first, err)
	}
	again, err := c.Get(context.Background(), Request{URL: s.URL + "/etag", ETag: first.ETag})
	if err != nil || !again.NotModified {
		t.Fatalf("with ETag: %+v %v", again, err)
	}
	again, err = c.Get(context.Background(), Request{URL: s.URL + "/etag", LastModified: first.LastModified})
	if err != nil || !again.NotModified {
		t.Fatalf("with Last-Modified: %+v %v", again, err)
	}
}

func TestGzip(t *testing.T) {
	s := server(t)
	resp, err := testClient().Get(context.Background(), Request{URL: s.URL + "/gzip"})
	if err != nil || string(resp.Body) != "unzipped text" {
		t.Fatalf("%q %v", resp.Body, err)
	}
	_, err = testClient().Get(context.Background(), Request{URL: s.URL + "/bomb"})
	wantReason(t, err, "larger than the limit of 1 MB")
	_, err = testClient().Get(context.Background(), Request{URL: s.URL + "/bad-gzip"})
	wantReason(t, err, "gzip data is damaged")
}

func TestFailures(t *testing.T) {
	s := server(t)
	tests := []struct{ path, reason string }{
		{"/status/404", "404 Not Found (the page is gone"},
		{"/status/500", "500 Internal Server Error (a fault at the site"},
		{"/status/403", "refuses digest"},
		{"/huge", "larger than the limit of 1 MB"},
		{"/slow", "no complete answer within 500ms (timed out)"},
	}
	for _, tt := range tests {
		c := testClient()
		if tt.path == "/slow" {
			c.Timeout = 500 * time.Millisecond
		}
		_, err := c.Get(context.Background(), Request{URL: s.URL + tt.path})
		wantReason(t, err, tt.reason)
		if err != nil && !strings.HasPrefix(err.Error(), s.URL+tt.path+": ") {
			t.Errorf("error %q does not start with the URL", err)
		}
	}
	for _, u := range []string{"ftp://example.com/feed", "javascript:alert(1)", "file:///etc/passwd", "/relative"} {
		_, err := testClient().Get(context.Background(), Request{URL: u})
		wantReason(t, err, "http")
	}
}

func wantReason(t *testing.T, err error, reason string) {
	t.Helper()
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("want an *Error with %q, got %v", reason, err)
	}
	if !strings.Contains(fe.Reason, reason) {
		t.Errorf("reason %q, want it to say %q", fe.Reason, reason)
	}
}

func TestDecode(t *testing.T) {
	latin := func(s string) []byte {
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	page := "<html><head><meta charset=\"%s\"></head><body>Café “déjà” vu</body></html>"
	tests := []struct {
		name        string
		body        []byte
		contentType string
		charset, by string
		overruled   int
	}{
		{"UTF-8 everywhere", []byte(fmt.Sprintf(page, "utf-8")), "text/html; charset=utf-8", "utf-8", "the bytes", 0},
		{"header says Latin-1, bytes are UTF-8", []byte(fmt.Sprintf(page, "utf-8")), "text/html; charset=ISO-8859-1", "utf-8", "the bytes", 1},
		{"header says UTF-8, bytes and page are Windows-1252", latin(fmt.Sprintf(page, "windows-1252")), "text/html; charset=utf-8", "windows-1252", "the page", 1},
		{"no header, page says Latin-1", latin(fmt.Sprintf(page, "iso-8859-1")), "text/html", "windows-1252", "the page", 0},
		{"nothing declared, not UTF-8", latin("<p>Café “déjà” vu</p>"), "", "windows-1252", "default", 0},
		{"XML declaration wrong", []byte(`<?xml version="1.0" encoding="ISO-8859-1"?><rss><title>Café “déjà” vu</title></rss>`), "application/rss+xml", "utf-8", "the bytes", 1},
		{"byte-order mark", append([]byte{0xEF, 0xBB, 0xBF}, []byte("<p>Café “déjà” vu</p>")...), "text/html; charset=windows-1252", "utf-8", "byte-order mark", 0},
	}
	for _, tt := range tests {
		s, cs, err := Decode(tt.body, tt.contentType)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !strings.Contains(s, "Café “déjà” vu") || strings.HasPrefix(s, "\uFEFF") {
			t.Errorf("%s: decoded %q", tt.name, s)
		}
		if cs.Name != tt.charset || cs.By != tt.by || len(cs.Overruled) != tt.overruled {
			t.Errorf("%s: charset %+v, want %s by %s, %d overruled", tt.name, cs, tt.charset, tt.by, tt.overruled)
		}
	}
	if _, _, err := Decode(latin("<p>Café</p>"), "text/html; charset=x-klingon"); err == nil || !strings.Contains(err.Error(), `unknown character set "x-klingon"`) {
		t.Errorf("unknown charset: %v", err)
	}
	if _, _, err := Decode([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "image/png"); err == nil || !strings.Contains(err.Error(), "binary") {
		t.Errorf("binary: %v", err)
	}
}
