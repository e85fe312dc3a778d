// Package server is digest's dev server: it shows each page of the current
// version of the site when a browser asks for it (so no page is ever stale),
// pushes a reload to every open page after a change over one WebSocket per
// page, and while the site has errors keeps serving the last good site
// with the errors shown over every page.
//
// It reads the site only through the Site interface, which the pipeline's
// loaded site implements: the server imports neither the pipeline nor the
// output writer, so it cannot write the output folder. A new version
// replaces the old one with one pointer swap (Update).
//
// It is safe by default: it refuses requests whose Host is not a loopback
// name or the address it is bound to (DNS rebinding), refuses WebSocket
// connections from other origins, serves only the site's pages and
// static/ files (never content/, site.toml or anything outside), lists no
// folders, and cuts off slow or oversized requests.
package server

import (
	"bytes"
	"context"
	_ "embed"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/site"
)

//go:embed livereload.js
var liveReloadJS []byte

// Paths the server keeps for itself.
const (
	wsPath     = "/_digest/ws"
	scriptPath = "/_digest/livereload.js"
)

// Site is one version of the site being edited, as the server sees it.
// The pipeline's Loaded is one; the server never builds or writes
// anything itself. Its methods must be safe for concurrent use.
type Site interface {
	// Page returns the page at a site-relative URL, or nil.
	Page(url string) *site.Page
	// Render returns the page's bytes, rendered once per version.
	Render(p *site.Page) ([]byte, error)
	// OpenFile opens a file the build copies as it is (from static/, or
	// beside an article), by its slash path in the output, or fails with
	// fs.ErrNotExist for any other.
	OpenFile(name string) (fs.File, error)
	// BasePath is base_url's path, e.g. / or /news/.
	BasePath() string
}

// Server serves a site being edited.
type Server struct {
	state atomic.Pointer[state]
	// version counts the changes pages have been told of. A page carries
	// the version it was served at, so one that connects for live reload
	// only after a change (a page loading while a file is saved again) is
	// told to reload then (see serveWS).
	version    atomic.Uint64
	hub        *hub
	liveReload bool
	hosts      map[string]bool // allowed Host names, lower-case, without port
	closed     chan struct{}   // closed by Close: live-reload connections end
	closeOnce  sync.Once
	// clients counts the live-reload connections being served, so that
	// Close returns only once every one has ended; mu orders joining
	// after Close before Close's wait.
	mu      sync.Mutex
	clients sync.WaitGroup
}

// state is what the server shows: the last good version of the site and
// the problems of the newest load (nil when it succeeded).
type state struct {
	site Site
	errs diag.List
}

// New returns a server. bindHost is the address it listens on; requests
// naming it, or a loopback name, are accepted.
func New(bindHost string, liveReload bool) *Server {
	s := &Server{hub: newHub(), liveReload: liveReload, closed: make(chan struct{}), hosts: map[string]bool{
		"localhost": true, "127.0.0.1": true, "::1": true,
	}}
	// Versions start from the clock, so that a page still loading from
	// the previous run of the server never carries a version of this one.
	s.version.Store(uint64(time.Now().UnixNano()))
	switch bindHost = strings.ToLower(strings.Trim(bindHost, "[]")); bindHost {
	case "", "0.0.0.0", "::":
		// Listening on every address: the machine's own addresses and name
		// are the ones other machines will use.
		for _, h := range MachineHosts() {
			s.hosts[h] = true
		}
	default:
		s.hosts[bindHost] = true
	}
	return s
}

// MachineHosts lists this machine's IP addresses and host name, lower-case.
func MachineHosts() []string {
	var hosts []string
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if ipnet, ok := a.(*net.IPNet); ok {
				hosts = append(hosts, ipnet.IP.String())
			}
		}
	}
	if name, err := os.Hostname(); err == nil {
		hosts = append(hosts, strings.ToLower(name))
	}
	return hosts
}

// Update installs the result of a load: a new version of the site, or
// the problems that kept it from loading, when the last good version
// stays (v is then not used). Every page is told to reload.
func (s *Server) Update(v Site, errs diag.List) {
	st := &state{site: v}
	if err := errs.Err(); err != nil {
		st.errs = err.(diag.List)
		st.site = nil
		if prev := s.state.Load(); prev != nil {
			st.site = prev.site
		}
	}
	s.state.Store(st)
	s.version.Add(1) // after the store: a page carrying the new version shows the new state
	s.hub.broadcast(msgReload)
}

// Close ends every live-reload connection, so that pages notice the server
// has gone (http.Server.Shutdown does not close them) and reload when it
// is back, and returns when each has ended. Call it when shutting down.
func (s *Server) Close() {
	s.mu.Lock()
	s.closeOnce.Do(func() { close(s.closed) })
	s.mu.Unlock()
	s.clients.Wait()
}

// track counts one more live-reload connection, unless Close was called.
func (s *Server) track() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.closed:
		return false
	default:
	}
	s.clients.Add(1)
	return true
}

// CSSChanged tells every page to apply changed stylesheets without a reload.
func (s *Server) CSSChanged() {
	s.version.Add(1)
	s.hub.broadcast(msgCSS)
}

// Serving reports whether a good version of the site is served (with or
// without errors over it), rather than the errors alone.
func (s *Server) Serving() bool {
	st := s.state.Load()
	return st != nil && st.site != nil
}

// Clients is the number of pages connected for live reload.
func (s *Server) Clients() int { return s.hub.count() }

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hostAllowed(r.Host) {
		http.Error(w, "digest serve: this host name is not allowed (open the site at http://localhost or http://127.0.0.1)", http.StatusForbidden)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	switch r.URL.Path {
	case wsPath:
		s.serveWS(w, r)
		return
	case scriptPath:
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write(liveReloadJS)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// The version is read before the state: a page may come out newer
	// than its version says (one reload too many), never older.
	v := s.version.Load()
	st := s.state.Load()
	if st == nil || st.site == nil {
		s.serveErrorsOnly(w, st, v)
		return
	}
	s.serveSite(w, r, st, v)
}

// hostAllowed checks the Host header against loopback names and the bound
// address, so a DNS-rebinding page cannot read the site.
func (s *Server) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	return s.hosts[host]
}

func (s *Server) serveSite(w http.ResponseWriter, r *http.Request, st *state, v uint64) {
	urlPath := r.URL.Path
	if strings.ContainsAny(urlPath, "\\\x00") {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	base := strings.TrimSuffix(st.site.BasePath(), "/")
	rel, ok := strings.CutPrefix(urlPath, base)
	if !ok || (rel != "" && !strings.HasPrefix(rel, "/")) {
		if urlPath == "/" {
			// The site lives under base_url's path: send the root there.
			http.Redirect(w, r, base+"/", http.StatusFound)
			return
		}
		s.notFound(w, st, v)
		return
	}
	if rel == "" {
		rel = "/"
	}
	// As in the build, a file in static/ replaces a generated page.
	if strings.HasSuffix(rel, "/") {
		if s.serveStatic(w, r, st, rel+"index.html") {
			return
		}
	} else if s.serveStatic(w, r, st, rel) {
		return
	}
	if p := st.site.Page(rel); p != nil {
		s.servePage(w, st, p, http.StatusOK, v)
		return
	}
	if !strings.HasSuffix(rel, "/") && st.site.Page(rel+"/") != nil {
		http.Redirect(w, r, base+rel+"/", http.StatusMovedPermanently)
		return
	}
	s.notFound(w, st, v)
}

// serveStatic serves a file the build copies as it is: from static/ (the
// site's over the theme's) or beside an article.
func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request, st *state, rel string) bool {
	name := strings.TrimPrefix(rel, "/")
	f, err := st.site.OpenFile(name)
	if err != nil {
		return false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return false
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	if rs, ok := f.(io.ReadSeeker); ok {
		http.ServeContent(w, r, name, info.ModTime(), rs)
		return true
	}
	io.Copy(w, f)
	return true
}

func (s *Server) notFound(w http.ResponseWriter, st *state, v uint64) {
	s.servePage(w, st, st.site.Page("/404.html"), http.StatusNotFound, v)
}

// servePage renders a page (once per version of the site) and adds the
// live-reload script and, while the site has errors, the overlay.
func (s *Server) servePage(w http.ResponseWriter, st *state, p *site.Page, status int, v uint64) {
	if p == nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	body, err := st.site.Render(p)
	if err != nil {
		s.serveErrorsOnly(w, &state{errs: diag.List{asDiag(err)}}, v)
		return
	}
	info := p.Kind.Info()
	ct := info.MediaType
	if info.Template {
		body = s.decorate(body, st.errs, v)
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	w.Write(body)
}

func asDiag(err error) *diag.Error {
	if d, ok := err.(*diag.Error); ok {
		return d
	}
	return &diag.Error{Msg: err.Error()}
}

// decorate adds the live-reload script, which is told the version v the
// page shows, and the error overlay before </body>.
func (s *Server) decorate(page []byte, errs diag.List, v uint64) []byte {
	var extra bytes.Buffer
	if len(errs) > 0 {
		overlayTmpl.Execute(&extra, errs)
	}
	if s.liveReload {
		extra.WriteString(`<script src="` + scriptPath + `" data-version="` + strconv.FormatUint(v, 10) + `" defer></script>`)
	}
	if extra.Len() == 0 {
		return page
	}
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+extra.Len())
	out = append(out, page[:i]...)
	out = append(out, extra.Bytes()...)
	return append(out, page[i:]...)
}

// serveErrorsOnly answers when no good site exists yet: the errors alone.
func (s *Server) serveErrorsOnly(w http.ResponseWriter, st *state, v uint64) {
	var errs diag.List
	if st != nil {
		errs = st.errs
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	page := []byte("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>digest: the site has errors</title></head><body></body></html>")
	w.Write(s.decorate(page, errs, v))
}

var overlayTmpl = template.Must(template.New("overlay").Parse(`<div id="digest-errors" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#fff;font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem"><div style="max-width:60rem;margin:0 auto"><p style="color:#ff8a80;font-weight:bold;font-size:1.1rem;margin:0 0 1rem">digest: the site has {{len .}} {{if eq (len .) 1}}error{{else}}errors{{end}}. The last good version is shown underneath; fix the file and the page reloads.</p><ol style="padding-left:1.5rem">{{range .}}<li style="margin:.5rem 0;white-space:pre-wrap"><span style="color:#80d8ff">{{.Pos}}</span>: {{.Msg}}</li>{{end}}</ol></div></div>`))

// serveWS keeps a page's live-reload connection. coder/websocket refuses
// connections whose Origin is not this host.
func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	if !s.liveReload {
		http.NotFound(w, r)
		return
	}
	if !s.track() {
		http.Error(w, "digest serve is stopping", http.StatusServiceUnavailable)
		return
	}
	defer s.clients.Done()
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	conn.SetReadLimit(512)
	ch := s.hub.join()
	defer s.hub.leave(ch)
	// A page that missed a change while it loaded reloads now. Joined
	// first, it misses no change made after this check either.
	if v := r.URL.Query().Get("v"); v != "" && v != strconv.FormatUint(s.version.Load(), 10) {
		s.hub.send(ch, msgReload)
	}
	// Pages send nothing: reading handles pings and closes, and the first
	// data frame (or an error) ends the connection at once.
	ctx, cancel := context.WithCancel(r.Context())
	reading := make(chan struct{})
	defer func() { cancel(); <-reading }()
	go func() {
		defer close(reading)
		conn.Reader(ctx)
		cancel()
	}()
	ping := time.NewTicker(30 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			// The page went away, or sent a frame (pages send none): drop it
			// at once rather than wait for a closing handshake.
			conn.CloseNow()
			return
		case <-s.closed:
			conn.Close(websocket.StatusGoingAway, "server stopped")
			return
		case msg := <-ch:
			wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			err := conn.Write(wctx, websocket.MessageText, []byte(msg))
			cancel()
			if err != nil {
				return
			}
		case <-ping.C:
			pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				return
			}
		}
	}
}
