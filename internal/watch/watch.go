package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Options tune a Watcher.
type Options struct {
	Out      string        // the output folder, relative to the root, slash-separated
	Quiet    time.Duration // how long events must pause before a batch is sent (default 10ms)
	MaxWait  time.Duration // the longest a batch waits while events keep coming (default 400ms)
	Interval time.Duration // polling interval when the OS cannot watch (default 1s)
}

// Watcher watches a site and sends batches of changes.
type Watcher struct {
	root    string
	opt     Options
	fsw     *fsnotify.Watcher
	add     func(path string) error // fsw.Add; tests put a failing one here
	batches chan Batch
	first   map[string]stamp // when polling: the files as New found them
	// Notice is set when the watcher had to fall back to polling, and says why.
	Notice string
}

// watched are the parts of a site that are watched recursively.
var watched = []string{"content", "templates", "static", "i18n"}

// New starts watching the site at root. If the system's limit on watches
// is reached, it falls back to polling and says so in Notice.
func New(root string, opt Options) (*Watcher, error) {
	return newWatcher(root, opt, nil)
}

// newWatcher is New with the way folders are added to the OS watch made
// replaceable, to test what happens at the system's limit.
func newWatcher(root string, opt Options, add func(string) error) (*Watcher, error) {
	if opt.Quiet == 0 {
		opt.Quiet = 10 * time.Millisecond
	}
	if opt.MaxWait == 0 {
		opt.MaxWait = 400 * time.Millisecond
	}
	if opt.Interval == 0 {
		opt.Interval = time.Second
	}
	w := &Watcher{root: root, opt: opt, batches: make(chan Batch, 1)}
	fsw, err := fsnotify.NewBufferedWatcher(4096)
	if err != nil {
		w.Notice = fmt.Sprintf("cannot watch files (%v); checking for changes every %s instead", err, opt.Interval)
		w.first = w.snapshot()
		return w, nil
	}
	w.fsw, w.add = fsw, add
	if w.add == nil {
		w.add = fsw.Add
	}
	if err := w.addAll(); err != nil {
		fsw.Close()
		w.fsw = nil
		if !errors.Is(err, syscall.ENOSPC) && !errors.Is(err, syscall.EMFILE) {
			return nil, err
		}
		w.Notice = fmt.Sprintf("the system's limit on watched folders is reached (raise fs.inotify.max_user_watches, e.g. sudo sysctl fs.inotify.max_user_watches=524288); checking for changes every %s instead", opt.Interval)
		w.first = w.snapshot()
	}
	return w, nil
}

// Close stops a watcher that was never run; Run stops one that is.
func (w *Watcher) Close() {
	if w.fsw != nil {
		w.fsw.Close()
	}
}

// Batches delivers the batches of changes.
func (w *Watcher) Batches() <-chan Batch { return w.batches }

// addAll watches the root (for site.toml and the top folders appearing)
// and every folder under the watched parts.
func (w *Watcher) addAll() error {
	if err := w.add(w.root); err != nil {
		return err
	}
	for _, dir := range watched {
		if err := w.addTree(filepath.Join(w.root, dir), nil); err != nil {
			return err
		}
	}
	return nil
}

// addTree watches dir and the folders below it. found, if not nil, is
// called with every file inside, which may have been made before its
// folder was watched.
func (w *Watcher) addTree(dir string, found func(string)) error {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		rel := w.rel(p)
		if Classify(rel, w.opt.Out) == Ignore && p != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return w.add(p)
		}
		if found != nil {
			found(rel)
		}
		return nil
	})
	return err
}

func (w *Watcher) rel(p string) string {
	r, err := filepath.Rel(w.root, p)
	if err != nil {
		return p
	}
	return filepath.ToSlash(r)
}

// Run watches until ctx ends, then closes Batches.
func (w *Watcher) Run(ctx context.Context) {
	defer close(w.batches)
	if w.fsw == nil {
		w.poll(ctx)
		return
	}
	defer w.fsw.Close()
	var pending Batch
	var quiet, deadline <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if w.handle(ev, &pending) && quiet == nil {
				deadline = time.After(w.opt.MaxWait)
			}
			if !pending.Empty() {
				quiet = time.After(w.opt.Quiet)
			}
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				pending.Rescan, pending.Templates, pending.Static = true, true, append(pending.Static, "static")
				pending.Content = append(pending.Content, "content")
				quiet = time.After(w.opt.Quiet)
			}
		case <-quiet:
			w.send(ctx, &pending)
			quiet, deadline = nil, nil
		case <-deadline:
			w.send(ctx, &pending)
			quiet, deadline = nil, nil
		}
	}
}

func (w *Watcher) send(ctx context.Context, b *Batch) {
	if b.Empty() {
		return
	}
	select {
	case w.batches <- *b:
	case <-ctx.Done():
	}
	*b = Batch{}
}

// handle adds one event to the pending batch and reports whether it
// mattered.
func (w *Watcher) handle(ev fsnotify.Event, b *Batch) bool {
	if ev.Op == fsnotify.Chmod {
		return false
	}
	rel := w.rel(ev.Name)
	kind := Classify(rel, w.opt.Out)
	if rel == "content" || rel == "templates" || rel == "static" {
		// A top folder made, moved or removed.
		kind = Classify(rel+"/", w.opt.Out)
	}
	if kind == Ignore {
		return false
	}
	rescan := ev.Op.Has(fsnotify.Remove) || ev.Op.Has(fsnotify.Rename)
	if ev.Op.Has(fsnotify.Create) {
		if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
			rescan = true
			w.addTree(ev.Name, func(f string) { b.add(f, Classify(f, w.opt.Out), false) })
		}
	}
	b.add(rel, kind, rescan)
	return true
}
