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
		"content/a.md:7: link /elsewhere/ points outside the site's base path /news/",
		"content/a.md:7: link ../zzz/ leads nowhere: no page or static file /news/2026/01/05/zzz/",
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
	if !strings.Contains(got, "content/a.md:7: outbound link "+srv.URL+"/gone answers 404 Not Found") ||
		!strings.Contains(got, "content/a.md:11: outbound link "+srv.URL+"/slow fails") || len(r.Problems) != 2 || r.External != 4 {
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
