package check

import (
	"context"
	"strings"
	"testing"
)

func TestTextWarnings(t *testing.T) {
	l := load(t, map[string]string{
		"content/scraped.md": "---\ntitle: \"Portâ€™s week\"\ndate: 2026-01-05T08:00:00Z\n---\nAudio By Carbonatix\n\n" +
			"The harbour reopened at dawn and the crews said they would removethe barrier once the water fell; the mayor thanked the crews.\u200b\n\n" +
			"It&amp;rsquo;s done.\n\n4 hours\n",
		"content/draft.md": "---\ntitle: Draft\ndate: 2026-01-05T08:00:00Z\ndraft: true\n---\nThe cafÃ© opened.\n",
		"content/fine.md":  "---\ntitle: \"L’été »\"\ndate: 2026-01-05T08:00:00Z\n---\nCAFÉ\u00a0! It’s “fine” — really.\n",
	})
	r, err := Run(context.Background(), l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) > 0 {
		t.Errorf("problems: %v", r.Problems)
	}
	got := r.Warnings.Error()
	for _, want := range []string{
		`content/draft.md:6:8: mojibake "Ã©" should read "é"`,
		`content/scraped.md:2:13: mojibake "â€™" should read "’"`,
		`content/scraped.md:5:1: "Audio By Carbonatix" looks like a web page's furniture`,
		`content/scraped.md:7:60: words run together? "removethe" (should it read "remove the"?)`,
		`content/scraped.md:7:127: an invisible zero-width space (U+200B)`,
		`content/scraped.md:9:3: "&amp;rsquo;" is an HTML entity escaped twice`,
		`content/scraped.md:11:1: "4 hours" is a relative time copied from a web page`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "fine.md") {
		t.Errorf("right text warned:\n%s", got)
	}
	for _, w := range r.Warnings {
		if !w.Warning {
			t.Errorf("%v is not a warning", w)
		}
	}
}
