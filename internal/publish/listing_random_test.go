package publish

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// TestListingRandom: random builds (some aborted half-way), with random
// changes by hand to the output and the kept build between them (stray
// files and folders, pages and folders removed, a file made and removed,
// names that are a file in some builds and a folder in others); every
// committed build's output is exactly what it wrote.
func TestListingRandom(t *testing.T) {
	requireStamps(t)
	for seed := uint64(1); seed <= 12; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { listingRandom(t, seed) })
	}
}

func listingRandom(t *testing.T, seed uint64) {
	r := rand.New(rand.NewPCG(seed, seed*7))
	root := site(t)
	out := filepath.Join(root, "build")
	kept := Kept(out)
	store := &memStore{data: map[string][]byte{}}
	universe := []string{
		"a/index.html", "a/b/index.html", "a/b/c/index.html", "a/b/c/x.html",
		"a/d/index.html", "a/d/e.html", "f/index.html", "f/g/index.html",
		"f/h/index.html", "f/h/i.html", "j/k/l/m.html", "j/k/n.html",
		"a/b/extra.html", "f/g/z.html",
	}
	// names that are a file in some rounds and a folder in others
	flip := []string{"a/d/e.html", "f/h/i.html"}
	totalListed, totalDirs := 0, 0
	var present map[string]bool
	for round := range 60 {
		if round == 0 || r.IntN(3) == 0 {
			present = map[string]bool{}
			for _, p := range universe {
				present[p] = r.IntN(4) != 0
			}
		} else {
			p := universe[r.IntN(len(universe))]
			present[p] = !present[p]
		}
		pages := map[string]string{"index.html": "home"}
		for _, p := range universe {
			if present[p] {
				pages[p] = fmt.Sprint(p, " v", r.IntN(2))
			}
		}
		for _, f := range flip {
			if r.IntN(8) == 0 {
				delete(pages, f)
				pages[f+"/index.html"] = "flipped"
			}
		}
		o, err := BeginWith(root, out, Options{Listings: store})
		if err != nil {
			t.Fatal(err)
		}
		names := make([]string, 0, len(pages))
		for n := range pages {
			names = append(names, n)
		}
		sort.Strings(names)
		r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
		abort := r.IntN(6) == 0
		for i, n := range names {
			if abort && i == len(names)/2 {
				break
			}
			if err := o.Write(n, []byte(pages[n])); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if abort {
			o.Abort()
		} else {
			if err := o.Commit(); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			sameFiles(t, fmt.Sprint("seed ", seed, " round ", round), files(t, out), pages)
			if o.recycled {
				totalListed += int(o.dirsRead.Load())
				totalDirs += folders(pages)
			}
		}
		// changes by hand
		for range r.IntN(3) {
			dir := []string{out, kept}[r.IntN(2)]
			if !isBuild(dir) {
				continue
			}
			p := universe[r.IntN(len(universe))]
			full := filepath.Join(dir, filepath.FromSlash(p))
			switch r.IntN(5) {
			case 0: // a stray file beside a page
				if _, err := os.Stat(filepath.Dir(full)); err == nil {
					os.WriteFile(filepath.Join(filepath.Dir(full), "stray.html"), []byte("stray"), 0o644)
				}
			case 1: // a page removed
				os.Remove(full)
			case 2: // a stray folder
				if _, err := os.Stat(filepath.Dir(full)); err == nil && os.MkdirAll(filepath.Join(filepath.Dir(full), "sdir"), 0o755) == nil {
					os.WriteFile(filepath.Join(filepath.Dir(full), "sdir", "s.html"), []byte("stray"), 0o644)
				}
			case 3: // made and removed: the same names
				tmp := filepath.Join(filepath.Dir(full), "tmp")
				os.WriteFile(tmp, nil, 0o644)
				os.Remove(tmp)
			case 4: // a page's folder removed
				os.RemoveAll(filepath.Join(dir, filepath.FromSlash(path.Dir(p))))
			}
		}
		if r.IntN(2) == 0 {
			time.Sleep(15 * time.Millisecond)
		}
	}
	t.Logf("seed %d: listed %d of %d folders", seed, totalListed, totalDirs)
}
