package server

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/digest-ssg/digest"
	"github.com/digest-ssg/digest/internal/pipeline"
)

// FuzzServePath sends GET requests with fuzzed raw paths to the dev server
// and checks that no answer leaks site.toml, an article's source, a draft,
// a hidden file or a file outside the site, that none is a 5xx, and that
// nothing panics. Run it with
//
//	go test ./internal/server -run '^$' -fuzz FuzzServePath -fuzztime 20s
//
// Three servers answer each path:
//   - "mapfs": the site of server_test.go (testSite), built by newServer;
//   - "mapfs /news/": the same site published under base_url "/news/";
//   - "disk": the same site on disk, read through os.DirFS as digest serve
//     does, with symbolic links in static/ to site.toml, to content/ and to
//     a folder outside the site. The build does not follow links in
//     static/ ("Symbolic links in static/ are not followed"), and the server
//     must not serve what they point to either.
func FuzzServePath(f *testing.F) {
	for _, p := range []string{
		"/", "/2026/01/05/a/", "/2026/01/05/a", "/2026/01/05/", "/archive/", "/archive",
		"/topics/", "/topics/news/", "/tags/", "/feed.xml", "/atom.xml", "/feed.json", "/sitemap.xml",
		"/news-sitemap.xml", "/robots.txt", "/404.html", "/style.css", "/images/p.svg", "/images/", "/images",
		"/_digest/livereload.js", "/_digest/", "/_digest/ws", "/_digest/ws/",
		"/news/", "/news", "/news/2026/01/05/a/", "/newsx/", "/news/../site.toml", "/news//",
		"/2026/01/05/draft/", "/site.toml", "/content/a.md", "/templates/.secret", "/templates/base.html",
		"/../site.toml", "/%2e%2e/site.toml", "/static/../site.toml", "/..%2fsite.toml", "/..\\site.toml",
		"/.env", "/static/.env", "/images/../.env", "/images/./p.svg", "//images/p.svg", "/images//p.svg",
		"/x\x00.html", "\x00", "", "*", "site.toml", "images/p.svg", "/./", "/..", "/.", "/...",
		"/\u202Egvs.p/segami", "/caf\xe9", "/\xff\xfe", "/" + strings.Repeat("a/", 40), "/%", "/%zz",
		// links in static/ of the disk site
		"/leak.toml", "/drafts/draft.md", "/drafts/a.md", "/outside/secret.txt", "/outside/",
		"/news/leak.toml", "/news/outside/secret.txt",
	} {
		f.Add(p)
	}
	// The server used to follow the links (found by this target, since
	// fixed): the seeds "/leak.toml", "/drafts/a.md", "/outside/secret.txt".
	disk := diskServer(f, f.TempDir())
	var (
		once    sync.Once
		servers []fuzzServer
	)
	f.Fuzz(func(t *testing.T, p string) {
		once.Do(func() { servers = append(mapServers(t), fuzzServer{"disk", disk}) })
		if len(servers) == 0 {
			t.Fatal("the servers could not be made")
		}
		for _, s := range servers {
			r := httptest.NewRequest("GET", "http://127.0.0.1:1313/", nil)
			r.Host = "127.0.0.1:1313"
			r.URL.Path = p
			r.URL.RawPath = p
			r.RequestURI = p
			w := httptest.NewRecorder()
			s.h.ServeHTTP(w, r)
			body := w.Body.String()
			if w.Code >= 500 {
				t.Errorf("%s: GET %q: status %d\n%.300s", s.name, p, w.Code, body)
			}
			for _, secret := range fuzzSecrets {
				if strings.Contains(body, secret) {
					t.Errorf("%s: GET %q: status %d, the answer holds %q\n%.300s", s.name, p, w.Code, secret, body)
				}
			}
			if loc := w.Header().Get("Location"); strings.HasPrefix(loc, "//") || strings.Contains(loc, "://") {
				t.Errorf("%s: GET %q redirects off the site, to %q", s.name, p, loc)
			}
		}
	})
}

type fuzzServer struct {
	name string
	h    *Server
}

// fuzzSecrets are what no answer may hold: site.toml's text, an article's
// source, a draft, the hidden files' and the outside file's content.
var fuzzSecrets = []string{
	`title = "Served"`, "base_url = ", "title: Alpha story", "Hidden draft", "SECRET",
}

// mapServers are the server of server_test.go (newServer over testSite)
// and one for the same site under base_url "/news/".
func mapServers(t *testing.T) []fuzzServer {
	s, _ := newServer(t, testSite())
	news := testSite()
	news["site.toml"] = &fstest.MapFile{Data: []byte("title = \"Served\"\nbase_url = \"/news/\"\n")}
	sNews, _ := newServer(t, news)
	return []fuzzServer{{"mapfs", s}, {"mapfs /news/", sNews}}
}

// diskServer writes testSite under root, with links in static/ to
// site.toml, to content/ and to a folder outside the site, and serves it
// through os.DirFS as digest serve does.
func diskServer(t testing.TB, root string) *Server {
	site := filepath.Join(root, "site")
	outside := filepath.Join(root, "outside")
	for name, file := range testSite() {
		p := filepath.Join(site, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, file.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("SECRET outside the site\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"static/leak.toml": "../site.toml",
		"static/drafts":    "../content",
		"static/outside":   outside,
	} {
		if err := os.Symlink(target, filepath.Join(site, filepath.FromSlash(link))); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	sess := pipeline.NewSession(os.DirFS(site), digest.Theme(), pipeline.Options{Now: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)})
	l, errs := sess.Load(pipeline.Changes{})
	if l == nil {
		t.Fatal(errs)
	}
	disk := New("127.0.0.1", true)
	disk.Update(l, errs)
	return disk
}
