package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestEmailFitsNarrowScreens opens the example site's email in chromium
// at 600 px (the email's width) and 360 px (a phone), in light and dark
// mode, and checks that nothing makes the page scroll sideways and that
// the dark-mode rules apply. The screenshots go to $DIGEST_SCREENSHOTS
// when it is set, to be looked at.
func TestEmailFitsNarrowScreens(t *testing.T) {
	ctx := browser(t)
	out := t.TempDir()
	if err := run(context.Background(), []string{"build", "-s", "../..", "-o", out}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	shots := os.Getenv("DIGEST_SCREENSHOTS")
	for _, c := range []struct {
		width  int64
		scheme string
	}{{600, "light"}, {360, "light"}, {360, "dark"}} {
		scheme := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: c.scheme}}})
			return err
		})
		err := chromedp.Do(ctx, chromedp.EmulateViewport(c.width, 900), scheme,
			chromedp.Navigate("file://"+filepath.Join(out, "2026/11/26/email.html")))
		if err != nil {
			t.Fatal(err)
		}
		scrollWidth, _ := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`))
		innerWidth, _ := chromedp.Run(ctx, chromedp.Evaluate[int64](`window.innerWidth`))
		background, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('table table')).backgroundColor`))
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if scrollWidth > innerWidth {
			t.Errorf("at %d px (%s) the email is %d px wide: it scrolls sideways", c.width, c.scheme, scrollWidth)
		}
		want := map[string]string{"light": "rgb(251, 250, 246)", "dark": "rgb(22, 21, 20)"}[c.scheme]
		if background != want {
			t.Errorf("at %d px (%s) the email's sheet is %s, want %s", c.width, c.scheme, background, want)
		}
		if shots != "" {
			name := filepath.Join(shots, fmt.Sprintf("email-%s-%d.png", c.scheme, c.width))
			if err := os.WriteFile(name, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot: %s", name)
		}
	}
}
