package wire

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/fetch"
)

var update = flag.Bool("update", false, "rewrite the golden drafts in testdata/golden")

// now is when the tests run: the Monday the fixtures were written for.
var now = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// wireServer serves testdata/www with the faults of real sites.
type wireServer struct {
	*httptest.Server
	feedHits atomic.Int32
}

func newWireServer(t *testing.T) *wireServer {
	t.Helper()
	ws := &wireServer{}
	file := func(name, contentType string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			data, err := os.ReadFile(filepath.Join("testdata/www", name))
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			w.Header().Set("Content-Type", contentType)
			w.Write(data)
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/gazette", file("gazette.html", "text/html; charset=utf-8"))
	// the header says UTF-8; the bytes (and the page's meta tag) are Windows-1252
	mux.Handle("/tidewater", file("tidewater.html", "text/html; charset=utf-8"))
	mux.Handle("/northvale", file("northvale.html", "text/html"))
	mux.HandleFunc("/go/northvale", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/northvale?utm_source=newsletter", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/feeds/gazette.xml", func(w http.ResponseWriter, r *http.Request) {
		ws.feedHits.Add(1)
		if r.Header.Get("If-None-Match") == `"g1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		data, _ := os.ReadFile("testdata/www/gazette-feed.xml")
		w.Header().Set("ETag", `"g1"`)
		w.Header().Set("Content-Type", "application/rss+xml; charset=iso-8859-1") // the bytes are UTF-8
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			zw.Write(data)
			zw.Close()
			return
		}
		w.Write(data)
	})
	mux.HandleFunc("/feeds/tide.atom", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-Modified-Since") == "Mon, 30 Nov 2026 09:00:00 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Last-Modified", "Mon, 30 Nov 2026 09:00:00 GMT")
		file("tide-feed.atom", "application/atom+xml")(w, r)
	})
	mux.Handle("/feeds/wire.json", file("wire-feed.json", "application/feed+json"))
	mux.Handle("/feeds/broken.xml", file("broken-feed.xml", "application/rss+xml"))
	mux.HandleFunc("/feeds/500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) })
	mux.HandleFunc("/feeds/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/feeds/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<rss><channel>"))
		for range 2 << 10 {
			w.Write(bytes.Repeat([]byte("x"), 1<<10))
		}
	})
	ws.Server = httptest.NewServer(mux)
	t.Cleanup(ws.Close)
	return ws
}

func testSite(t *testing.T, toml string) (*Site, *[]string) {
	t.Helper()
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "site.toml"), []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, errs := config.Parse([]byte(toml))
	if errs.Err() != nil {
		t.Fatal(errs.Err())
	}
	var warnings []string
	return &Site{
		Root: root, Config: cfg, Now: now,
		Client: &fetch.Client{UserAgent: "digest-test", Timeout: 500 * time.Millisecond, MaxBytes: 1 << 20, Now: func() time.Time { return now }},
		Warn:   func(f string, a ...any) { warnings = append(warnings, fmt.Sprintf(f, a...)) },
	}, &warnings
}

// golden compares a draft with testdata/golden/name, the test server's
// address written as http://wire.test.
func golden(t *testing.T, s *Site, rel, serverURL, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(s.Root, rel))
	if err != nil {
		t.Fatal(err)
	}
	if _, errs := content.NewParser(s.Config).Parse(rel, data); errs.Err() != nil {
		t.Errorf("%s does not parse: %v", name, errs.Err())
	}
	got := strings.ReplaceAll(string(data), serverURL, "http://wire.test")
	path := filepath.Join("testdata/golden", name)
	if *update {
		os.MkdirAll("testdata/golden", 0o755)
		os.WriteFile(path, []byte(got), 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s:\n%s", rel, path, got)
	}
	return got
}

func TestAddGoldenDrafts(t *testing.T) {
	ws := newWireServer(t)
	tests := []struct {
		path, golden string
		opt          AddOptions
	}{
		{"/gazette?utm_source=share", "gazette.md", AddOptions{Topic: "World", Tags: []string{"ports", "weather"}}},
		{"/tidewater", "tidewater.md", AddOptions{}},
		{"/go/northvale", "northvale-full.md", AddOptions{Full: true, Topic: "Business"}},
	}
	for _, tt := range tests {
		s, warnings := testSite(t, "timezone = \"Europe/London\"\n")
		added, err := Add(context.Background(), s, ws.URL+tt.path, tt.opt)
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		got := golden(t, s, added.Path, ws.URL, tt.golden)
		for _, bad := range []string{"â€", "Â", "Audio By", "Latest Stories", "Share this", "cookies", "utm_", "fbclid", "javascript:", "\u200b", "Listen to this"} {
			if strings.Contains(got, bad) {
				t.Errorf("%s: %q in the draft", tt.golden, bad)
			}
		}
		if tt.golden == "tidewater.md" {
			if added.Charset.Name != "windows-1252" || len(added.Charset.Overruled) != 1 {
				t.Errorf("tidewater charset %+v", added.Charset)
			}
			if len(*warnings) != 1 || !strings.Contains((*warnings)[0], `words run together? "removethe"`) {
				t.Errorf("tidewater warnings %q", *warnings)
			}
		}
	}
}

func TestAddRefusesWhatItCannotRead(t *testing.T) {
	ws := newWireServer(t)
	s, _ := testSite(t, "")
	for path, want := range map[string]string{
		"/feeds/500":       "500 Internal Server Error",
		"/feeds/slow":      "timed out",
		"/feeds/huge":      "larger than the limit",
		"/nowhere":         "404 Not Found",
		"/feeds/wire.json": "not a web page but application/feed+json",
	} {
		_, err := Add(context.Background(), s, ws.URL+path, AddOptions{})
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), ws.URL+path+": ") {
			t.Errorf("%s: %v, want URL: …%s", path, err, want)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(s.Root, "content")); len(entries) > 0 {
		t.Errorf("failed adds wrote %d entries", len(entries))
	}
}

func TestAddTwiceIsRefused(t *testing.T) {
	ws := newWireServer(t)
	s, _ := testSite(t, "")
	first, err := Add(context.Background(), s, ws.URL+"/gazette", AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Add(context.Background(), s, ws.URL+"/gazette?utm_medium=email", AddOptions{})
	if err == nil || !strings.Contains(err.Error(), "already drafted as "+first.Path) {
		t.Errorf("second add: %v", err)
	}
	os.Remove(filepath.Join(s.Root, first.Path))
	if _, err := Add(context.Background(), s, ws.URL+"/gazette", AddOptions{}); err != nil {
		t.Errorf("after the draft was deleted: %v", err)
	}
}

const sources = `timezone = "UTC"
topics = ["World", "Business"]

[[sources]]
name = "Harbour Gazette"
url = "%[1]s/feeds/gazette.xml"
topic = "World"
tags = ["ports"]
exclude = ["sport"]

[[sources]]
name = "Tidewater Times"
url = "%[1]s/feeds/tide.atom"

[[sources]]
name = "Northvale Business Wire"
url = "%[1]s/feeds/wire.json"
topic = "Business"

[[sources]]
name = "Broken"
url = "%[1]s/feeds/broken.xml"

[[sources]]
name = "Down"
url = "%[1]s/feeds/500"

[[sources]]
name = "Slow"
url = "%[1]s/feeds/slow"

[[sources]]
name = "Huge"
url = "%[1]s/feeds/huge"
`

func TestPull(t *testing.T) {
	ws := newWireServer(t)
	s, warnings := testSite(t, fmt.Sprintf(sources, ws.URL))
	res, err := Pull(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, w := range res.Written {
		paths = append(paths, fmt.Sprintf("%s %v", filepath.Base(w.Path), w.Also))
	}
	want := "harbour-reopens-after-week-long-storm-closure.md [Tidewater Times Northvale Business Wire] floods-close-the-river-port.md [] northvale-energy-shares-slide-12-on-profit-warning.md []"
	if strings.Join(paths, " ") != want {
		t.Errorf("written:\n%s\nwant:\n%s", strings.Join(paths, " "), want)
	}
	if res.Filtered != 1 || res.Feeds != 3 || len(res.Failed) != 5 {
		t.Errorf("filtered %d feeds %d failed %d: %v", res.Filtered, res.Feeds, len(res.Failed), res.Failed)
	}
	failures := fmt.Sprint(res.Failed)
	for _, want := range []string{
		`/feeds/gazette.xml: item 3: "Council budget vote delayed" links to "javascript:alert(1)", not an http(s) URL (source "Harbour Gazette")`,
		`/feeds/broken.xml: bad XML at line`, `/feeds/500: the server answered 500`, `/feeds/slow: no complete answer within 500ms (timed out) (source "Slow")`,
		`/feeds/huge: the response is larger than the limit of 1 MB`,
	} {
		if !strings.Contains(failures, want) {
			t.Errorf("failures lack %q:\n%s", want, strings.ReplaceAll(failures, ") ", ")\n"))
		}
	}
	for _, w := range res.Written {
		golden(t, s, w.Path, ws.URL, "pull-"+filepath.Base(w.Path))
	}
	if len(*warnings) > 0 {
		t.Errorf("warnings: %q", *warnings)
	}

	// again: nothing new; the gazette feed answers 304, the Atom feed too
	hits := ws.feedHits.Load()
	again, err := Pull(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Written) != 0 || len(again.Merged) != 0 || again.NotModified != 2 || again.Already != 2 {
		t.Errorf("second pull: %+v", again)
	}
	if ws.feedHits.Load() != hits+1 {
		t.Errorf("the gazette feed was asked %d times", ws.feedHits.Load()-hits)
	}
}

func TestPullRebuildsDamagedState(t *testing.T) {
	ws := newWireServer(t)
	s, warnings := testSite(t, fmt.Sprintf(sources, ws.URL))
	if _, err := Pull(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(s.Root, StateFile)
	for _, damage := range []string{"{not json", `{"version": 99}`, ""} {
		if damage == "" {
			os.Remove(state)
		} else {
			os.WriteFile(state, []byte(damage), 0o644)
		}
		*warnings = nil
		res, err := Pull(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Written) != 0 {
			t.Errorf("after state %q: pulled again %+v", damage, res.Written)
		}
		if damage != "" && (len(*warnings) != 1 || !strings.Contains((*warnings)[0], ".digest/pull.json is damaged")) {
			t.Errorf("after state %q: warnings %q", damage, *warnings)
		}
		if damage == "" && len(*warnings) != 0 {
			t.Errorf("a deleted state warned: %q", *warnings)
		}
	}
}

func TestPullMergesLaterSources(t *testing.T) {
	ws := newWireServer(t)
	only := func(names ...string) string {
		var b strings.Builder
		b.WriteString("timezone = \"UTC\"\n")
		for _, n := range names {
			fmt.Fprintf(&b, "[[sources]]\nname = %q\nurl = \"%s/feeds/%s\"\n", n, ws.URL, map[string]string{"Harbour Gazette": "gazette.xml", "Tidewater Times": "tide.atom"}[n])
		}
		return b.String()
	}
	s, _ := testSite(t, only("Harbour Gazette"))
	first, err := Pull(context.Background(), s)
	if err != nil || len(first.Written) != 2 {
		t.Fatalf("%+v %v", first, err)
	}
	cfg, _ := config.Parse([]byte(only("Harbour Gazette", "Tidewater Times")))
	s.Config = cfg
	second, err := Pull(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Written) != 1 || len(second.Merged) != 1 || second.Merged[0].Path != first.Written[0].Path {
		t.Fatalf("second pull %+v", second)
	}
	data, _ := os.ReadFile(filepath.Join(s.Root, first.Written[0].Path))
	a, errs := content.NewParser(s.Config).Parse(first.Written[0].Path, data)
	if errs.Err() != nil || len(a.AlsoCovered()) != 1 || a.AlsoCovered()[0].Name != "Tidewater Times" {
		t.Errorf("merged draft:\n%s", data)
	}
}

func TestPullWithoutSources(t *testing.T) {
	s, _ := testSite(t, "")
	if _, err := Pull(context.Background(), s); err != ErrNoSources {
		t.Errorf("%v", err)
	}
}

func TestNearDuplicate(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Floods close river port", "Floods close the river port, officials say", true},
		{"Harbour reopens after week-long storm closure", "Harbour reopens after a week’s storm closure", true},
		{"Council votes on budget", "Council approves budget", false},
		{"Rovers win", "Rovers lose", false},
		{"Port reopens", "Port reopens", true},
		{"Northvale shares slide", "Offshore wind sets record", false},
	}
	for _, tt := range tests {
		if got := nearDuplicate(tt.a, tt.b); got != tt.want {
			t.Errorf("nearDuplicate(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
	if !hasWord("Rovers top the league: SPORT", "sport") || hasWord("a transport strike", "sport") {
		t.Error("hasWord")
	}
}
