package pipeline

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestSearchFilesKeptAcrossFolders: random edits, template changes and
// builds into two output folders with one cache, some without the cache;
// every build equals a clean one, whichever folder's files of the search
// index the snapshot was kept with, and some files are kept as the edits
// left them.
func TestSearchFilesKeptAcrossFolders(t *testing.T) {
	kept := 0
	for seed := range uint64(3) {
		e := newEditor(t, rand.New(rand.NewPCG(seed, 77)))
		cache := filepath.Join(t.TempDir(), "cache")
		outs := []string{filepath.Join(t.TempDir(), "build"), filepath.Join(t.TempDir(), "preview")}
		past := e.files
		for step := range 18 {
			what := ""
			switch k := e.rng.IntN(10); {
			case k < 6:
				f := past[e.rng.IntN(len(past))]
				e.write(f, e.read(f)+fmt.Sprintf("\nA paragraph %d about kittiwakes %d.\n", step, e.rng.IntN(5)))
				what = "edit " + f
			case k == 6:
				e.writeTemplate()
				what = "template"
			case k == 7:
				os.RemoveAll(filepath.Join(e.dir, "templates"))
				what = "no templates"
			default:
				what = "nothing"
			}
			out := outs[e.rng.IntN(2)]
			c := cache
			if e.rng.IntN(6) == 0 {
				c = ""
				what += " (no cache)"
			}
			got := e.build(out, c)
			clean := filepath.Join(t.TempDir(), "clean")
			e.build(clean, "")
			if diff := diffTrees(t, out, clean); diff != "" {
				t.Fatalf("seed %d step %d (%s into %s): differs:\n%s", seed, step, what, filepath.Base(out), diff)
			}
			kept += got.SearchKept
			os.RemoveAll(clean)
		}
	}
	if kept == 0 {
		t.Error("no file of the search index was kept as the edits left it")
	}
}
