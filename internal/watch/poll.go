package watch

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// stamp is what polling compares to find a changed file.
type stamp struct {
	size int64
	mod  time.Time
}

// poll finds changes by listing the site every interval, for systems
// where watching is not possible.
func (w *Watcher) poll(ctx context.Context) {
	prev := w.first // taken by New, so that a change before Run is found
	if prev == nil {
		prev = w.snapshot()
	}
	w.first = nil
	t := time.NewTicker(w.opt.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cur := w.snapshot()
		var b Batch
		for p, s := range cur {
			if old, ok := prev[p]; !ok || old != s {
				b.add(p, Classify(p, w.opt.Out), !ok)
			}
		}
		for p := range prev {
			if _, ok := cur[p]; !ok {
				b.add(p, Classify(p, w.opt.Out), true)
			}
		}
		prev = cur
		w.send(ctx, &b)
	}
}

func (w *Watcher) snapshot() map[string]stamp {
	files := map[string]stamp{}
	if info, err := os.Stat(filepath.Join(w.root, "site.toml")); err == nil {
		files["site.toml"] = stamp{info.Size(), info.ModTime()}
	}
	for _, dir := range watched {
		filepath.WalkDir(filepath.Join(w.root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			rel := w.rel(p)
			if Classify(rel, w.opt.Out) == Ignore {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() {
				if info, err := d.Info(); err == nil {
					files[rel] = stamp{info.Size(), info.ModTime()}
				}
			}
			return nil
		})
	}
	return files
}
