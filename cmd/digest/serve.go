package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/digest-ssg/digest"
	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/pipeline"
	"github.com/digest-ssg/digest/internal/render"
	"github.com/digest-ssg/digest/internal/server"
	"github.com/digest-ssg/digest/internal/watch"
)

const serveHelp = `
Serves the site at http://127.0.0.1:1313 while you edit it. Every page is
rendered from the current files when the browser asks for it; after each
change every open page reloads (a stylesheet change is applied without a
reload). While the site has errors, the last good version stays up with
the errors shown over it and in the terminal. build/ is not touched.

Examples:
  digest serve
  digest serve --drafts --future
  digest serve --port 8080 -s ~/sites/morning`

// serveFlags are the options of digest serve.
type serveFlags struct {
	siteFlags
	port         int
	bind         string
	noLiveReload bool
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f serveFlags
	fs := newFlagSet("serve", "serve [flags]", serveHelp, stdout)
	f.register(fs)
	fs.IntVar(&f.port, "port", 1313, "the `port` to listen on; the next free one is taken if it is busy")
	fs.StringVar(&f.bind, "bind", "127.0.0.1", "the `address` to listen on; other machines can reach anything but a loopback address")
	fs.BoolVar(&f.noLiveReload, "no-livereload", false, "do not reload pages after changes")
	if help, err := parseFlags(fs, args, stdout, stderr); help || err != nil {
		return err
	}
	if err := f.check("serve", stderr); err != nil {
		return err
	}
	if f.port < 0 || f.port > 65535 {
		fmt.Fprintf(stderr, "digest serve: --port %d is not a port number (use 1 to 65535)\n", f.port)
		return errUsage
	}
	root, err := filepath.Abs(f.source)
	if err != nil {
		return err
	}
	if err := pipeline.CheckSource(f.source); err != nil {
		fmt.Fprintf(stderr, "digest serve: %v\n", err)
		return &siteError{count: 1}
	}
	return serve(ctx, root, f, stdout, stderr)
}

func serve(ctx context.Context, root string, f serveFlags, stdout, stderr io.Writer) error {
	session := pipeline.NewSession(os.DirFS(root), digest.Theme(), pipeline.Options{
		Source: root, BaseURL: f.baseURL, Drafts: f.drafts, Future: f.future, Expired: f.expired,
		Serve: true, Cache: f.cache(),
	})
	srv := server.New(f.bind, !f.noLiveReload)
	start := time.Now()
	// The folders are watched while the site loads: that takes as long
	// as a walk of content/ (a quarter of a second at 100,000 articles),
	// and an edit made during the rest of the load is then not missed:
	// its batch waits for the rebuild loop.
	type watchResult struct {
		w   *watch.Watcher
		err error
	}
	watched := make(chan watchResult, 1)
	go func() {
		w, err := watch.New(root, watch.Options{Out: outputFolder(root)})
		watched <- watchResult{w, err}
	}()
	l, errs := session.Load(pipeline.Changes{})
	srv.Update(l, errs)
	reportLoad(stdout, stderr, l, errs, time.Since(start), "loaded", srv.Serving())
	if l != nil {
		go l.PruneCache() // what the last session left of articles since edited or deleted
	}

	ln, err := listen(f.bind, f.port, stderr)
	wd := <-watched
	w := wd.w
	if err == nil && wd.err != nil {
		ln.Close()
		err = fmt.Errorf("cannot watch %s: %w", root, wd.err)
	}
	if err != nil {
		if w != nil {
			w.Close()
		}
		return err
	}
	if w.Notice != "" {
		fmt.Fprintf(stderr, "digest serve: %s\n", w.Notice)
	}
	if ip := net.ParseIP(f.bind); f.bind != "localhost" && (ip == nil || !ip.IsLoopback()) {
		fmt.Fprintf(stderr, "digest serve: warning: listening on %s: other machines on your network can see the site\n", f.bind)
	}
	base := "/"
	if cfg := session.Config(); cfg != nil {
		base = cfg.BasePath()
	}
	addr := ln.Addr().(*net.TCPAddr)
	shown := addr.String()
	if addr.IP.IsUnspecified() {
		shown = net.JoinHostPort("127.0.0.1", strconv.Itoa(addr.Port))
	}
	fmt.Fprintf(stdout, "serving %s at http://%s%s (Ctrl-C to stop)\n", root, shown, base)

	// Every goroutine started here is waited for before serve returns.
	watching, cancel := context.WithCancel(context.Background())
	var running sync.WaitGroup
	running.Go(func() { w.Run(watching) })
	running.Go(func() { rebuildLoop(w, session, srv, stdout, stderr) })
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	running.Go(func() { errc <- hs.Serve(ln) })
	var serveErr error
	select {
	case serveErr = <-errc:
	case <-ctx.Done():
	}
	shutdown, stop := context.WithTimeout(context.Background(), 2*time.Second)
	defer stop()
	hs.Shutdown(shutdown) // stops listening; waits for requests in flight
	srv.Close()           // ends the live-reload connections, and waits for them
	cancel()              // stops the watcher, which ends the rebuild loop
	running.Wait()
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	fmt.Fprintln(stdout, "stopped")
	return nil
}

// outputFolder is the output folder site.toml names, which the watcher
// leaves alone; a site.toml that cannot be read names the default, and
// its error is the load's to report.
func outputFolder(root string) string {
	cfg, _ := config.Load(os.DirFS(root))
	if cfg == nil || cfg.Output == "" {
		return config.Default().Output
	}
	return cfg.Output
}

// listen opens the port, or the next free one if it is busy.
func listen(bind string, port int, stderr io.Writer) (net.Listener, error) {
	var firstErr error
	for p := port; p < port+20 && p <= 65535; p++ {
		ln, err := net.Listen("tcp", net.JoinHostPort(bind, strconv.Itoa(p)))
		if err == nil {
			if p != port {
				fmt.Fprintf(stderr, "digest serve: port %d is in use; using %d instead\n", port, p)
			}
			return ln, nil
		}
		if firstErr == nil {
			firstErr = err
		}
		if !errors.Is(err, syscall.EADDRINUSE) || port == 0 {
			break
		}
	}
	return nil, fmt.Errorf("cannot listen on %s port %d: %w (try --port)", bind, port, firstErr)
}

// rebuildLoop applies each batch of changes and tells the pages, until
// the watcher stops.
func rebuildLoop(w *watch.Watcher, session *pipeline.Session, srv *server.Server, stdout, stderr io.Writer) {
	for b := range w.Batches() {
		if b.OnlyCSS() {
			srv.CSSChanged()
			fmt.Fprintf(stdout, "%s changed: styles updated\n", describe(b))
			continue
		}
		start := time.Now()
		l, errs := session.Load(changes(b))
		srv.Update(l, errs)
		reportLoad(stdout, stderr, l, errs, time.Since(start), describe(b)+" changed: rebuilt", srv.Serving())
	}
}

// changes tells the pipeline what a batch of file events changed.
func changes(b watch.Batch) pipeline.Changes {
	return pipeline.Changes{Config: b.Config, Templates: b.Templates, Content: b.Content, Static: len(b.Static) > 0, Rescan: b.Rescan}
}

func describe(b watch.Batch) string {
	var names []string
	if b.Config {
		names = append(names, "site.toml")
	}
	if b.Templates {
		names = append(names, "templates")
	}
	names = append(names, b.Content...)
	names = append(names, b.Static...)
	switch {
	case len(names) == 0:
		return "files"
	case len(names) > 3:
		return fmt.Sprintf("%s and %d more", names[0], len(names)-1)
	}
	s := names[0]
	for _, n := range names[1:] {
		s += ", " + n
	}
	return s
}

// reportLoad prints the outcome of a load in the terminal; serving tells
// whether a good version of the site is served.
func reportLoad(stdout, stderr io.Writer, l *pipeline.Loaded, errs diag.List, took time.Duration, what string, serving bool) {
	if l == nil {
		for _, e := range errs.Err().(diag.List) {
			fmt.Fprintln(stderr, e.Error())
		}
		outcome := "still serving the last good version"
		if !serving {
			outcome = "no version of the site could be loaded yet: the browser shows the errors until they are fixed"
		}
		fmt.Fprintf(stderr, "digest serve: %s; %s\n", render.Plural(len(errs.Errors()), "error", "errors"), outcome)
		return
	}
	printWarnings(l.Warnings, stderr)
	fmt.Fprintf(stdout, "%s: %s in %s\n", what, render.Plural(len(l.Site.Articles), "article", "articles"), took.Round(100*time.Microsecond))
}
