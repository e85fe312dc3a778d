package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"
)

// exampleIn copies the example site (site.toml, content/, static/) into a
// new folder, with site.toml's language set to lang.
func exampleIn(t *testing.T, lang string) string {
	t.Helper()
	dir := t.TempDir()
	for _, sub := range []string{"content", "static"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join("..", "..", sub))); err != nil {
			t.Fatal(err)
		}
	}
	toml, err := os.ReadFile(filepath.Join("..", "..", "site.toml"))
	if err != nil {
		t.Fatal(err)
	}
	toml = regexp.MustCompile(`(?m)^language = ".*"$`).ReplaceAll(toml, []byte(`language = "`+lang+`"`))
	if err := os.WriteFile(filepath.Join(dir, "site.toml"), toml, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// layout measures where the parts of a front page are, in CSS pixels from
// the left of the viewport.
const layout = `(() => {
	const r = (s) => { const e = document.querySelector(s); return e ? e.getBoundingClientRect() : null; };
	const items = [...document.querySelectorAll(".site-nav li")].map((li) => li.getBoundingClientRect());
	return JSON.stringify({
		dir: getComputedStyle(document.body).direction,
		width: innerWidth,
		scroll: document.documentElement.scrollWidth,
		nav0: items[0].right, nav0left: items[0].left, nav1: items[1].right,
		search: r(".site-search button").left,
		edition: r(".edition") && r(".edition").left,
		latest: r(".latest") && r(".latest").left,
		leadImage: r(".lead-image") && r(".lead-image").left,
		leadTitle: r(".lead-title") && r(".lead-title").left,
		kicker: document.querySelector(".edition-header .kicker").textContent,
	});
})()`

type measured struct {
	Dir                          string
	Width, Scroll                float64
	Nav0, Nav0left, Nav1, Search float64
	Edition, Latest              float64
	LeadImage, LeadTitle         float64
	Kicker                       string
}

// TestBrowserArabicSiteIsRightToLeft serves the example site in Arabic,
// and in French for comparison, and checks in a real browser that the
// Arabic pages mirror: the menu runs from the right, the search box sits
// at the left, the "Latest stories" column is left of the edition, and
// the lead story's picture is left of its headline; the French pages are
// the other way round. Screenshots of the home page in French, Arabic and
// Japanese at 390 and 1280 px go to $DIGEST_SCREENSHOTS when it is set.
func TestBrowserArabicSiteIsRightToLeft(t *testing.T) {
	ctx := browser(t)
	shots := os.Getenv("DIGEST_SCREENSHOTS")
	for _, lang := range []string{"ar", "fr", "ja"} {
		base, stop := startServe(t, exampleIn(t, lang), "--no-livereload")
		rtl := lang == "ar"
		for _, width := range []int64{1280, 390} {
			for _, path := range []string{"/", "/2026/11/26/"} {
				var m measured
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+path)); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal([]byte(evalString(t, ctx, layout)), &m); err != nil {
					t.Fatal(err)
				}
				where := fmt.Sprintf("%s %s at %d px", lang, path, width)
				if m.Scroll > m.Width {
					t.Errorf("%s: the page is %v px wide in a %v px window", where, m.Scroll, m.Width)
				}
				if (m.Dir == "rtl") != rtl {
					t.Errorf("%s: the page runs %s", where, m.Dir)
				}
				// The menu: the first item ("Latest") at the start of the line.
				if rtl != (m.Nav0 > m.Nav1) {
					t.Errorf("%s: the menu's first item ends at %v, the second at %v", where, m.Nav0, m.Nav1)
				}
				if width == 390 && (rtl && m.Nav0 < m.Width-40 || !rtl && m.Nav0left > 40) {
					t.Errorf("%s: the phone menu does not start at the %s edge (first item %v–%v)", where, map[bool]string{true: "right", false: "left"}[rtl], m.Nav0left, m.Nav0)
				}
				if rtl != (m.Search < m.Width/2) {
					t.Errorf("%s: the search button is at %v", where, m.Search)
				}
				if width == 1280 && path == "/" && rtl != (m.Latest < m.Edition) {
					t.Errorf("%s: the Latest column is at %v, the edition at %v", where, m.Latest, m.Edition)
				}
				if width == 1280 && path == "/2026/11/26/" && rtl != (m.LeadImage < m.LeadTitle) {
					t.Errorf("%s: the lead picture is at %v, its headline at %v", where, m.LeadImage, m.LeadTitle)
				}
				if want := map[string]string{"ar": "العدد", "fr": "Édition", "ja": "号"}[lang]; path != "/" && m.Kicker != want {
					t.Errorf("%s: the edition's kicker reads %q, want %q", where, m.Kicker, want)
				}
				if shots != "" && path == "/" {
					png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
					if err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(shots, fmt.Sprintf("home-%s-%d.png", lang, width)), png, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		stop()
	}
}

// TestBrowserRelativeTimesInArabic: the relative times take the words of
// the site's table and the Arabic plural forms (few for 3–10, many for
// 11–99, the dual for two), with Arabic-Indic digits.
func TestBrowserRelativeTimesInArabic(t *testing.T) {
	ctx := browser(t)
	base := readerSite(t, map[string]string{
		"site.toml":                   "title = \"أخبار\"\nlanguage = \"ar\"\n",
		"content/2026/01/05/story.md": "---\ntitle: خبر\ndate: 2026-01-05T08:00:00Z\n---\nنص.\n",
	})
	openWithFakeClock(t, ctx, base+"/2026/01/05/story/")
	const text = `document.querySelector(".story-header time").textContent`
	waitJS(t, ctx, text+` === "منذ ٤ دقائق"`, "an Arabic relative time")
	for _, step := range []struct{ now, want string }{
		{"2026-01-05T08:00:20Z", "الآن"},
		{"2026-01-05T08:01:00Z", "منذ دقيقة"},
		{"2026-01-05T08:02:00Z", "منذ دقيقتين"},
		{"2026-01-05T08:11:00Z", "منذ ١١ دقيقة"},
		{"2026-01-05T10:00:00Z", "منذ ساعتين"},
		{"2026-01-05T13:00:00Z", "منذ ٥ ساعات"},
	} {
		chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`window.__now = Date.parse(%q); window.__tick(); true`, step.now)))
		if got := evalString(t, ctx, text); got != step.want {
			t.Errorf("at %s the time reads %q, want %q", step.now, got, step.want)
		}
	}
}

// TestBrowserSearchSpeaksTheSiteLanguage: the search page's script writes
// its counts with the words of the site's table, the plural form its
// language has for the count, and the site's digits.
func TestBrowserSearchSpeaksTheSiteLanguage(t *testing.T) {
	ctx := browser(t)
	for _, c := range []struct{ lang, query, want string }{
		{"ar", "vaccine", "خبران عن «vaccine»."},
		{"fr", "vaccine", "2 articles pour «\u00a0vaccine\u00a0»."},
		{"ru", "vaccine", "2 материала по запросу «vaccine»."},
		{"ar", "zzzz", "لا أخبار تطابق «zzzz»."},
	} {
		base, stop := startServe(t, exampleIn(t, c.lang), "--no-livereload")
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/?q="+c.query)); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, fmt.Sprintf(`document.querySelector("#search-status").textContent === %q`, c.want), c.lang+" search status")
		stop()
	}
}
