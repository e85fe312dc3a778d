package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// These tests look at pages as a reader does, in a real browser (see
// browser_test.go): times that read "4 minutes ago", pictures that do not
// move the text, a menu that reaches every topic on a phone.

// readerSite writes a site of files and serves it with "digest serve".
func readerSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base, stop := startServe(t, dir, "--no-livereload")
	t.Cleanup(stop)
	return base
}

// call runs one DevTools command in the browser tab.
func call[P, R any](c cdp.Command[P, R], params P) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, c, params)
		return err
	})
}

func evalString(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return s
}

// fakeClock is run before the page's scripts: Date.now() says
// window.__now, and the relative-time script's 30-second timer is kept
// as window.__tick, to be run when the test moves the clock.
const fakeClock = `window.__now = Date.parse("2026-01-05T08:04:00Z");
Date.now = () => window.__now;
const realSetInterval = window.setInterval;
window.setInterval = function (f, ms) {
	if (ms === 30000) { window.__tick = f; return 0; }
	return realSetInterval.apply(this, arguments);
};`

// openWithFakeClock opens url in UTC with the clock of fakeClock.
func openWithFakeClock(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	err := chromedp.Do(ctx,
		call(emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "UTC"}),
		call(page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: fakeClock}),
		chromedp.Navigate(url),
	)
	if err != nil {
		t.Fatal(err)
	}
}

func TestBrowserRelativeTimesAppearAndUpdate(t *testing.T) {
	ctx := browser(t)
	base := readerSite(t, map[string]string{
		"site.toml":                   "title = \"Times\"\nlanguage = \"en-GB\"\n",
		"content/2026/01/05/story.md": "---\ntitle: Early story\ndate: 2026-01-05T08:00:00Z\n---\nBody.\n",
	})
	openWithFakeClock(t, ctx, base+"/2026/01/05/story/")
	const text = `document.querySelector(".story-header time").textContent`
	waitJS(t, ctx, text+` === "4 minutes ago"`, "relative time on the article page")
	if title := evalString(t, ctx, `document.querySelector(".story-header time").title`); title != "5 January 2026, 08:00 UTC" {
		t.Errorf("the absolute time is not kept as the title: %q", title)
	}
	for _, step := range []struct{ now, want string }{
		{"2026-01-05T08:00:20Z", "just now"},
		{"2026-01-05T09:00:00Z", "1 hour ago"},
		{"2026-01-05T11:30:00Z", "3 hours ago"},
		{"2026-01-06T09:00:00Z", "yesterday, 08:00"},
		{"2026-01-08T09:00:00Z", "5 January 2026, 08:00 UTC"}, // older: as written
		{"2026-01-04T09:00:00Z", "5 January 2026, 08:00 UTC"}, // a clock that is behind
	} {
		chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`window.__now = Date.parse(%q); window.__tick(); true`, step.now)))
		if got := evalString(t, ctx, text); got != step.want {
			t.Errorf("at %s the time reads %q, want %q", step.now, got, step.want)
		}
	}
	// The home page's edition shows the time only, which becomes relative too.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `[...document.querySelectorAll("main time")].every(t => t.textContent === "4 minutes ago")`, "relative times on the home page")

	// Without JavaScript the absolute time stays.
	if err := chromedp.Do(ctx,
		call(emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}),
		chromedp.Navigate(base+"/2026/01/05/story/"),
	); err != nil {
		t.Fatal(err)
	}
	if got := evalString(t, ctx, text); got != "5 January 2026, 08:00 UTC" {
		t.Errorf("without JavaScript the time reads %q", got)
	}
}

// slowImages serves a square picture after a delay, so that it arrives
// after the page is laid out.
func slowImages(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(700 * time.Millisecond)
		w.Header().Set("Content-Type", "image/svg+xml")
		fmt.Fprint(w, `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><rect width="400" height="400" fill="#369"/></svg>`)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

func TestBrowserThumbnailsDoNotShiftTheLayout(t *testing.T) {
	ctx := browser(t)
	img := slowImages(t)
	files := map[string]string{"site.toml": "title = \"Pictures\"\ntopics = [\"World\", \"Business\"]\ntop_stories = 2\n"}
	for i := range 8 {
		topic := []string{"World", "Business"}[i%2]
		files[fmt.Sprintf("content/2026/01/05/s%d.md", i)] = fmt.Sprintf("---\ntitle: Story %d with a picture\ndate: 2026-01-05T%02d:00:00Z\ntopic: %s\nfeatured: %v\nimage: %s/p%d.svg\nimage_alt: A square\nsummary: A summary long enough to take two lines of a card on any screen, or nearly.\n---\nBody.\n", i, 8+i, topic, i == 0, img, i)
	}
	base := readerSite(t, files)
	// Every layout shift of the page is added up in window.__shift.
	// window.__shifts says what moved, for the failure's message.
	err := chromedp.Do(ctx, call(page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `window.__shift = 0; window.__shifts = [];
new PerformanceObserver(l => l.getEntries().forEach(e => {
  window.__shift += e.value;
  window.__shifts.push(e.value.toFixed(5) + " at " + Math.round(e.startTime) + " ms: " + (e.sources || []).map(s => {
    const n = s.node, r = s.previousRect, c = s.currentRect;
    const what = !n ? "?" : n.nodeType === 1 ? n.tagName.toLowerCase() + (n.className ? "." + String(n.className).split(" ").join(".") : "") : "text " + JSON.stringify((n.textContent || "").slice(0, 30));
    return what + " " + [r.x, r.y, r.width, r.height].map(Math.round) + " → " + [c.x, c.y, c.width, c.height].map(Math.round);
  }).join("; "));
})).observe({type: "layout-shift", buffered: true});`}))
	if err != nil {
		t.Fatal(err)
	}
	for _, width := range []int64{1280, 390} {
		for _, path := range []string{"/", "/2026/01/05/", "/topics/world/"} {
			err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+path))
			if err != nil {
				t.Fatal(err)
			}
			waitJS(t, ctx, `[...document.images].length > 0 && [...document.images].every(i => i.complete && i.naturalWidth > 0)`, "pictures loaded")
			what := fmt.Sprintf("%s at %d px", path, width)
			if shift := evalString(t, ctx, `String(window.__shift)`); shift != "0" {
				t.Errorf("%s: the layout shifted by %s as the pictures came: %s", what, shift, evalString(t, ctx, `window.__shifts.join(" | ")`))
			}
			// Every picture keeps the 16:9 box its width and height give it.
			if bad := evalString(t, ctx, `[...document.images].filter(i => { const r = i.getBoundingClientRect(); return r.width === 0 || Math.abs(r.width / r.height - 16 / 9) > 0.02 || !i.getAttribute("width") || !i.getAttribute("height") }).map(i => i.src).join(" ")`); bad != "" {
				t.Errorf("%s: pictures without a 16:9 box of their own: %s", what, bad)
			}
			if lazy := evalString(t, ctx, `String([...document.querySelectorAll("img.thumb")].every(i => i.loading === "lazy"))`); lazy != "true" {
				t.Errorf("%s: thumbnails that are not lazy", what)
			}
		}
	}
}

func TestBrowserPhoneMenuReachesEveryTopic(t *testing.T) {
	ctx := browser(t)
	topics := []string{"World", "Politics", "Business", "Technology", "Science", "Health",
		"Sports", "Culture", "Climate", "Education", "Travel", "Opinion"}
	files := map[string]string{"site.toml": "title = \"Many Topics\"\ntopics = [\"" + strings.Join(topics, `", "`) + "\"]\n"}
	for i, topic := range topics {
		files[fmt.Sprintf("content/2026/01/05/s%d.md", i)] = fmt.Sprintf("---\ntitle: A %s story\ndate: 2026-01-05T08:%02d:00Z\ntopic: %s\n---\nBody.\n", topic, i, topic)
	}
	base := readerSite(t, files)
	for _, width := range []int64{390, 1280} {
		err := chromedp.Do(ctx,
			chromedp.EmulateViewport(width, 844, chromedp.EmulateMobile, chromedp.EmulateTouch),
			chromedp.Navigate(base+"/"),
		)
		if err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, `document.querySelectorAll(".site-nav a").length === 14`, "the menu")
		// Each item is on the screen, not cut off or scrolled away, and
		// is what a tap at its middle reaches.
		unreachable := evalString(t, ctx, `[...document.querySelectorAll(".site-nav a")].filter(a => {
			const r = a.getBoundingClientRect();
			if (r.width === 0 || r.left < 0 || r.right > innerWidth) return true;
			const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
			return !(hit === a || a.contains(hit));
		}).map(a => a.textContent).join(", ")`)
		if unreachable != "" {
			t.Errorf("at %d px the menu does not reach: %s", width, unreachable)
		}
		if width > 1000 {
			if rows := evalString(t, ctx, `String(new Set([...document.querySelectorAll(".site-nav a")].map(a => Math.round(a.getBoundingClientRect().top))).size)`); rows != "1" {
				t.Errorf("at %d px the menu takes %s lines, want one", width, rows)
			}
		}
		if over := evalString(t, ctx, `String(document.documentElement.scrollWidth > innerWidth)`); over != "false" {
			t.Errorf("at %d px the page scrolls sideways", width)
		}
	}
}

// TestBrowserBusyDayFitsOnAPhone: an edition of 40 stories in 12 topics,
// each with a summary of a few sentences, reads like a front page on a
// phone: the lead, the top stories with summaries cut to two lines, then
// each topic's headlines, in about three screens (at most 3.75) of a 390 × 844 phone
// rather than the ten that forty cards took.
func TestBrowserBusyDayFitsOnAPhone(t *testing.T) {
	ctx := browser(t)
	topics := []string{"World", "Politics", "Business", "Technology", "Science", "Health",
		"Sports", "Culture", "Climate", "Education", "Travel", "Opinion"}
	files := map[string]string{"site.toml": "title = \"Busy Day\"\ntopics = [\"" + strings.Join(topics, `", "`) + "\"]\n"}
	for i := range 40 {
		files[fmt.Sprintf("content/2026/01/05/s%02d.md", i)] = fmt.Sprintf("---\ntitle: Council agrees a plan for story %d after a long night of talks\ndate: 2026-01-05T%02d:%02d:00Z\ntopic: %s\nfeatured: %v\n---\n"+
			"The council agreed the plan late on Monday after a debate that ran past midnight, with members split on the cost. Officials said the first work would start in the spring and the rest would follow over two years. Residents who spoke at the meeting asked for more time.\n\nA second paragraph.\n",
			i, 6+i/4, i%4*15, topics[i%len(topics)], i == 0)
	}
	base := readerSite(t, files)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(base+"/2026/01/05/"),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelectorAll("main a[href*='/2026/01/05/s']").length >= 40`, "every story linked")
	// Two lines of summary at most, on every top story.
	if long := evalString(t, ctx, `[...document.querySelectorAll(".top-stories .dek")].filter(p => p.getBoundingClientRect().height > 2.2 * parseFloat(getComputedStyle(p).lineHeight)).length + ""`); long != "0" {
		t.Errorf("%s top stories show more than two lines of summary", long)
	}
	screens := evalString(t, ctx, `(document.querySelector("main").getBoundingClientRect().height / 844).toFixed(2)`)
	t.Logf("a 40-story day at 390 px: %s screens of 844 px", screens)
	if dir := os.Getenv("DIGEST_SCREENSHOTS"); dir != "" {
		if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(dir, "busy-day-390.png"), shot, 0o644)
		}
	}
	if s, _ := strconv.ParseFloat(screens, 64); s == 0 || s > 3.75 {
		t.Errorf("a 40-story day takes %s phone screens, want about three (at most 3.75)", screens)
	}
}
