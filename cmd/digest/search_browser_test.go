package main

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// staticHost serves a built site as a static host does: files by path,
// index.html for folders, and text (HTML, CSS, JS, JSON) gzipped for
// clients that accept it.
func staticHost(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Path
		if strings.HasSuffix(name, "/") {
			name += "index.html"
		}
		ct := mime.TypeByExtension(filepath.Ext(name))
		text := strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") || strings.Contains(ct, "javascript")
		if !text || !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			files.ServeHTTP(w, r)
			return
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			files.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Cache-Control", "no-store")
		gz := gzip.NewWriter(w)
		gz.Write(data)
		gz.Close()
	})
}

// counted counts the bytes a handler sends: each response's body as sent
// (gzipped when it is) and its headers, by path. It sees what the
// browser's network events do not show a page: requests of workers.
type counted struct {
	h     http.Handler
	mu    sync.Mutex
	bytes map[string]int64
}

func (c *counted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	cw := &countingWriter{ResponseWriter: w}
	c.h.ServeHTTP(cw, r)
	head := int64(len("HTTP/1.1 200 OK\r\n\r\n"))
	for k, vs := range w.Header() {
		for _, v := range vs {
			head += int64(len(k) + len(v) + 4)
		}
	}
	c.mu.Lock()
	c.bytes[r.URL.Path] += cw.n + head
	c.mu.Unlock()
}

// take returns the bytes sent so far by path, and their sum, and starts
// counting afresh.
func (c *counted) take() (map[string]int64, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	got, sum := c.bytes, int64(0)
	for _, n := range got {
		sum += n
	}
	c.bytes = map[string]int64{}
	return got, sum
}

type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.n += int64(n)
	return n, err
}

// transfers counts the bytes a browser tab receives over the network
// (Network.loadingFinished's encodedDataLength: headers and the body as
// sent, gzipped), by URL.
type transfers struct {
	mu    sync.Mutex
	urls  map[network.RequestID]string
	bytes map[string]int64
}

func watchTransfers(ctx context.Context) *transfers {
	tr := &transfers{urls: map[network.RequestID]string{}, bytes: map[string]int64{}}
	chromedp.Listen(ctx, func(ev any) {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			tr.urls[e.RequestID] = e.Request.URL
		case *network.EventLoadingFinished:
			tr.bytes[tr.urls[e.RequestID]] += int64(e.EncodedDataLength)
		}
	})
	return tr
}

// take returns the bytes counted so far by URL, and their sum, and starts
// counting afresh.
func (tr *transfers) take() (map[string]int64, int64) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	got, sum := tr.bytes, int64(0)
	for _, n := range got {
		sum += n
	}
	tr.bytes = map[string]int64{}
	return got, sum
}

// searchSite is a small site whose search results are known in advance.
var searchSite = map[string]string{
	"site.toml":    "title = \"Search Test\"\nbase_url = \"https://news.example.org/\"\ntopics = [\"World\", \"Business\", \"Sports\"]\n",
	"content/a.md": "---\ntitle: Harbour strike halts the port\ndate: 2026-03-02T08:00:00Z\ntopic: Business\n---\nDockers walked out at dawn. The harbour strike closed every berth.\n",
	"content/b.md": "---\ntitle: Cup final tonight\ndate: 2026-03-03T08:00:00Z\ntopic: Sports\n---\nThe striker said the harbour end of the ground would be loud. A strike on goal decides it.\n",
	"content/c.md": "---\ntitle: Harbour lights festival\ndate: 2026-03-04T08:00:00Z\ntopic: World\n---\nLanterns along the harbour wall, and no mention of any walkout.\n",
	"content/d.md": "---\ntitle: Strike talks resume\ndate: 2026-02-01T08:00:00Z\ntopic: Business\nsummary: Unions and the port authority meet again.\n---\nTalks to end the **strike** resumed in the harbour office. [Read more](https://example.com/strike).\n",
	"content/g.md": "---\ntitle: Strike, strike, strike\ndate: 2026-01-15T08:00:00Z\ntopic: Business\n---\nThe third walkout this winter.\n",
	"content/e.md": "---\ntitle: Café owners in Zürich protest\ndate: 2026-03-05T08:00:00Z\ntopic: World\n---\nThe cafés of Zürich shut for a day.\n",
	"content/f.md": "---\ntitle: 東京で大雨\ndate: 2026-03-05T09:00:00Z\ntopic: World\n---\n東京都では大雨が続いた。\n",
}

func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// buildAndHost builds the site in dir and serves its output as a static
// host would; it returns the base URL.
func buildAndHost(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	if err := run(context.Background(), []string{"build", "-s", dir, "-o", out}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(staticHost(out))
	t.Cleanup(srv.Close)
	return srv.URL
}

// noCache makes the tab fetch every file anew.
func noCache(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatal(err)
	}
}

// do runs browser actions or fails the test.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// results lists the result headlines on the search page.
const resultsJS = `[...document.querySelectorAll("#search-results h2")].map(h => h.textContent).join("|")`

func TestBrowserSearch(t *testing.T) {
	ctx := browser(t)
	base := buildAndHost(t, writeSite(t, searchSite))
	noCache(t, ctx)
	tr := watchTransfers(ctx)
	// The search box in the header of any page leads to the search page.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"),
		chromedp.SendKeys("#site-search-q", "harbour strike\n")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `location.pathname === "/search/" && new URLSearchParams(location.search).get("q") === "harbour strike"`, "the header's box opens /search/?q=")
	// Both words, in the title first; then in the body, by score; b has
	// "striker" and "strike": the stem matches, the stem's other word too.
	want := "Harbour strike halts the port|Strike talks resume|Cup final tonight"
	waitJS(t, ctx, resultsJS+` === "`+want+`"`, "results of a two-word search, best first")
	_, sum := tr.take()
	t.Logf("two-word search on a 7-article site: %d bytes transferred, page included", sum)
	waitJS(t, ctx, `document.querySelector("#search-results mark") !== null && [...document.querySelectorAll("#search-results mark")].map(m => m.textContent.toLowerCase()).every(w => ["harbour", "strike", "striker"].includes(w))`, "matched words highlighted")
	waitJS(t, ctx, `document.querySelector("#search-status").textContent.startsWith("3 stories")`, "the count is announced")

	// Typing: the last word is a prefix ("har" finds harbour).
	typeQuery(t, ctx, "lanterns har")
	waitJS(t, ctx, resultsJS+` === "Harbour lights festival"`, "prefix of the word being typed")
	// Folding: case and accents; CJK by pairs of characters.
	for q, want := range map[string]string{"CAFE zurich": "Café owners in Zürich protest", "東京": "東京で大雨", "大雨": "東京で大雨"} {
		typeQuery(t, ctx, q+" ")
		waitJS(t, ctx, resultsJS+` === "`+want+`"`, "search for "+q)
	}

	// A topic filter, from the URL; then the back button.
	do(t, ctx, chromedp.Navigate(base+"/search/?q=strike&topic=business"))
	waitJS(t, ctx, resultsJS+` === "Strike, strike, strike|Strike talks resume|Harbour strike halts the port"`, "filtered by topic (a shorter title weighs more)")
	choose(t, ctx, "sort", "date")
	waitJS(t, ctx, `location.search.includes("sort=date")`, "sort in the URL")
	waitJS(t, ctx, resultsJS+` === "Harbour strike halts the port|Strike talks resume|Strike, strike, strike"`, "newest first")
	choose(t, ctx, "to", "2026-02")
	waitJS(t, ctx, resultsJS+` === "Strike talks resume|Strike, strike, strike"`, "filtered by date")

	// Keyboard: down from the box to the first result, Enter follows it;
	// back returns to the same search.
	if err := chromedp.Do(ctx, chromedp.Focus("#search-q"), chromedp.KeyEvent(kb.ArrowDown)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.activeElement.closest("#search-results") !== null`, "arrow down moves to the results")
	do(t, ctx, chromedp.KeyEvent("\r"))
	waitJS(t, ctx, `location.pathname === "/2026/02/01/d/" && document.querySelector("h1").textContent === "Strike talks resume"`, "following a result")
	do(t, ctx, chromedp.NavigateBack())
	waitJS(t, ctx, `document.querySelector("#search-q").value === "strike" && `+resultsJS+` === "Strike talks resume|Strike, strike, strike"`, "back to the search")
}

// typeQuery empties the search box and types q into it.
func typeQuery(t *testing.T, ctx context.Context, q string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#search-q").value = "", true`)); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.SendKeys("#search-q", q))
}

// choose picks value in the search form's select named name, as a reader
// does.
func choose(t *testing.T, ctx context.Context, name, value string) {
	t.Helper()
	js := fmt.Sprintf(`(s => (s.value = %q, s.dispatchEvent(new Event("change", {bubbles: true}))))(document.querySelector('select[name="%s"]'))`, value, name)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserSearchWithoutJavaScript(t *testing.T) {
	ctx := browser(t)
	base := buildAndHost(t, writeSite(t, searchSite))
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(base+"/search/?q=harbour"))
	text, err := chromedp.Run(ctx, chromedp.TextContent(".search-nojs"))
	if err != nil {
		t.Fatal(err)
	}
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(".search-nojs a", "href"))
	if err != nil {
		t.Fatal(err)
	}
	href := attr.Value
	if !strings.Contains(text, "needs JavaScript") || href != "https://duckduckgo.com/?q=site%3Anews.example.org" {
		t.Errorf("without JavaScript: %q, link %q", text, href)
	}
}

// TestSearchBytes measures what a search transfers over the network (as
// the server sends it: gzipped bodies and headers, favicon left out), in
// a real browser that types the query, on a site built beforehand (DIGEST_SEARCH_SITE, the
// output folder) for the queries in DIGEST_SEARCH_QUERIES (separated by
// "|"); with DIGEST_SEARCH_PAGEFIND=1 the queries run through Pagefind's
// own script over the same output instead (pagefind --site run on it).
// For BENCHMARKS.md; skipped otherwise.
func TestSearchBytes(t *testing.T) {
	out := os.Getenv("DIGEST_SEARCH_SITE")
	if out == "" {
		t.Skip("set DIGEST_SEARCH_SITE to a built site to measure searches")
	}
	queries := strings.Split(os.Getenv("DIGEST_SEARCH_QUERIES"), "|")
	pagefind := os.Getenv("DIGEST_SEARCH_PAGEFIND") != ""
	host := &counted{h: staticHost(out), bytes: map[string]int64{}}
	srv := httptest.NewServer(host)
	defer srv.Close()
	for _, q := range queries {
		ctx := browser(t)
		noCache(t, ctx)
		host.take()
		start := time.Now()
		var shown string
		if pagefind {
			do(t, ctx, chromedp.Navigate(srv.URL+"/404.html"))
			_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(async () => {
  const pf = await import("/pagefind/pagefind.js");
  const r = await pf.search(`+fmt.Sprintf("%q", q)+`);
  const data = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
  window.__shown = r.results.length + " results: " + data.map(d => d.meta.title).join(" | ");
})(), true`))
			if err != nil {
				t.Fatal(err)
			}
			waitJS(t, ctx, `window.__shown !== undefined`, "pagefind results")
			shown, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`window.__shown`))
		} else {
			do(t, ctx, chromedp.Navigate(srv.URL+"/search/"))
			waitJS(t, ctx, `document.querySelector("#search-q") !== null`, "search page")
			do(t, ctx, chromedp.SendKeys("#search-q", q))
			waitJS(t, ctx, fmt.Sprintf(`document.querySelector("#search-status").textContent.includes(%q)`, "“"+strings.TrimSpace(q)+"”"), "results")
			time.Sleep(500 * time.Millisecond) // the results' records
			shown, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#search-status").textContent + " " + `+resultsJS))
		}
		time.Sleep(300 * time.Millisecond)
		byURL, sum := host.take()
		sum -= byURL["/favicon.ico"]
		delete(byURL, "/favicon.ico")
		files := len(byURL)
		fmt.Printf("query %q: %d bytes in %d requests (%v); %s\n", q, sum, files, time.Since(start).Round(time.Millisecond), shown)
		if testing.Verbose() {
			for u, n := range byURL {
				fmt.Printf("  %7d %s\n", n, strings.TrimPrefix(u, srv.URL))
			}
		}
	}
}
