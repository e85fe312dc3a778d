package check

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/digest-ssg/digest"
	"github.com/digest-ssg/digest/internal/pipeline"
)

func load(t *testing.T, files map[string]string) *pipeline.Loaded {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	l, errs := pipeline.Load(fsys, digest.Theme(), pipeline.Options{Now: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)})
	if l == nil {
		t.Fatal(errs)
	}
	return l
}

func TestRelativeLinksAndBasePath(t *testing.T) {
	l := load(t, map[string]string{
		"site.toml": "base_url = \"https://x.example/news/\"\n",
		"content/a.md": "---\ntitle: A\ndate: 2026-01-05T08:00:00Z\n---\n" +
			"[up](../) [sibling](../b/) [self anchor](#top-part) [abs same site](https://x.example/news/archive/)\n\n" +
			"[outside base](/elsewhere/) [bad sibling](../zzz/) [mail](mailto:a@b.c) [other site](//other.example.com/report)\n\n## Top part\n",
		"content/b.md": "---\ntitle: B\ndate: 2026-01-05T09:00:00Z\n---\nx\n",
	})
	r, err := Run(context.Background(), l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := r.Problems.Error()
	for _, want := range []string{
		"content/a.md:7:1: link /elsewhere/ points outside the site's base path /news/",
		"content/a.md:7:29: link ../zzz/ leads nowhere: no page or static file /news/2026/01/05/zzz/",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	if len(r.Problems) != 2 {
		t.Errorf("%d problems, want 2:\n%s", len(r.Problems), got)
	}
}

func TestExternalLinks(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/ok":
		case "/gone":
			http.NotFound(w, r)
		case "/no-head":
			if r.Method == http.MethodHead {
				w.WriteHeader(http.StatusMethodNotAllowed)
			}
		case "/slow":
			time.Sleep(2 * time.Second)
		}
	}))
	defer srv.Close()
	l := load(t, map[string]string{
		"content/a.md": "---\ntitle: A\ndate: 2026-01-05T08:00:00Z\n---\n" +
			"[ok](" + srv.URL + "/ok) [again](" + srv.URL + "/ok)\n\n[gone](" + srv.URL + "/gone)\n\n" +
			"[no head](" + srv.URL + "/no-head)\n\n[slow](" + srv.URL + "/slow)\n",
	})
	cache := filepath.Join(t.TempDir(), "links.json")
	ext := &External{Client: &http.Client{Timeout: 300 * time.Millisecond}, CacheFile: cache, Concurrency: 2}
	r, err := Run(context.Background(), l, Options{External: ext})
	if err != nil {
		t.Fatal(err)
	}
	got := r.Problems.Error()
	if !strings.Contains(got, "content/a.md:7:1: outbound link "+srv.URL+"/gone answers 404 Not Found") ||
		!strings.Contains(got, "content/a.md:11:1: outbound link "+srv.URL+"/slow fails") || len(r.Problems) != 2 || r.External != 4 {
		t.Errorf("%d outbound links, problems:\n%s", r.External, got)
	}
	// A second run asks again only about the links that failed.
	hits.Store(0)
	if _, err := Run(context.Background(), l, Options{External: ext}); err != nil {
		t.Fatal(err)
	}
	if n := hits.Load(); n != 2 {
		t.Errorf("second run made %d requests, want 2 (the failures only)", n)
	}
}

// TestEveryUseOfABadLinkIsPlaced: each use of a broken link is reported
// at its own line and column, reference links ([text][name]) where they
// are used, whatever their address looks like in the file. A repeated
// broken link used to be reported once, at the first line holding its
// address, and a reference link whose address the page writes escaped
// (</a b/> becomes /a%20b/) with no line at all.
func TestEveryUseOfABadLinkIsPlaced(t *testing.T) {
	l := load(t, map[string]string{
		"content/a.md": "---\ntitle: A\ndate: 2026-01-05T08:00:00Z\n---\n" +
			"A [gone](/gone/) and [gone again](/gone/).\n\n" + // line 5
			"A [spaced][sp], [the same][sp] and [Sp].\n\n" + // line 7
			"Café [x][é] and ![chart][img] <https://x.example/nowhere/>.\n\n" + // line 9
			"[sp]: </no where/>\n[é]: /gone/\n[img]: /chart.png\n",
		"site.toml": "base_url = \"https://x.example/\"\n",
	})
	r, err := Run(context.Background(), l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"content/a.md:5:3: link /gone/ leads nowhere: no page or static file /gone/",
		"content/a.md:5:22: link /gone/ leads nowhere: no page or static file /gone/",
		"content/a.md:7:3: link /no%20where/ leads nowhere: no page or static file /no where/",
		"content/a.md:7:17: link /no%20where/ leads nowhere: no page or static file /no where/",
		"content/a.md:7:36: link /no%20where/ leads nowhere: no page or static file /no where/",
		"content/a.md:9:6: link /gone/ leads nowhere: no page or static file /gone/",
		"content/a.md:9:17: image /chart.png leads nowhere: no page or static file /chart.png",
		"content/a.md:9:31: link https://x.example/nowhere/ leads nowhere: no page or static file /nowhere/",
	}, "\n")
	if got := r.Problems.Error(); got != want {
		t.Errorf("problems:\n%s\nwant:\n%s", got, want)
	}
}

// TestOddFileNamesArePrintedQuoted: a file name with an invisible or
// control character is printed quoted, so that it reads as it is and can
// be copied; a bidi override (U+202E) used to turn the rest of the line
// around.
func TestOddFileNamesArePrintedQuoted(t *testing.T) {
	l := load(t, map[string]string{
		"content/\u202eevil.md": "---\ntitle: Port reopens\ndate: 2026-01-05T08:00:00Z\n---\nx\n",
		"content/b.md":          "---\ntitle: Port Reopens!\ndate: 2026-01-05T09:00:00Z\n---\nx\n",
		"content/d\u200b.md":    "---\ntitle: D\ndate: 2026-01-05T10:00:00Z\ndraft: true\n---\nx\n",
	})
	r, err := Run(context.Background(), l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Problems.Error(), `content/b.md:1: likely the same story twice on 2026-01-05: "content/\u202eevil.md" has the same headline ("Port Reopens!")`; got != want {
		t.Errorf("problems:\n%s\nwant:\n%s", got, want)
	}
	if got, want := strings.Join(r.Notes, "\n"), `"content/d\u200b.md": draft, not published (preview with --drafts; delete draft: true to publish)`; got != want {
		t.Errorf("notes:\n%s\nwant:\n%s", got, want)
	}
}

// TestFailingOutboundLinkIsReportedWhereverUsed: an outbound link is asked
// about once, and its failure reported at every use; it used to be
// reported at the first only.
func TestFailingOutboundLinkIsReportedWhereverUsed(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.NotFound(w, r)
	}))
	defer srv.Close()
	l := load(t, map[string]string{
		"content/a.md": "---\ntitle: A\ndate: 2026-01-05T08:00:00Z\n---\n" +
			"[gone](" + srv.URL + "/gone)\n\nSee [it again](" + srv.URL + "/gone).\n",
	})
	r, err := Run(context.Background(), l, Options{External: &External{Client: srv.Client()}})
	if err != nil {
		t.Fatal(err)
	}
	want := "content/a.md:5:1: outbound link " + srv.URL + "/gone answers 404 Not Found\n" +
		"content/a.md:7:5: outbound link " + srv.URL + "/gone answers 404 Not Found"
	if got := r.Problems.Error(); got != want || r.External != 1 || hits.Load() != 1 {
		t.Errorf("%d addresses, %d requests, problems:\n%s\nwant:\n%s", r.External, hits.Load(), got, want)
	}
}
