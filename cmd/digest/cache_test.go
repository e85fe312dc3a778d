package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/digest-ssg/digest/internal/buildcache"
)

// cacheEntries lists the files of the build cache in dir: the files of
// its variants' folders (entries, and the articles log).
func cacheEntries(ts *testscript.TestScript, dir string) []string {
	files, err := filepath.Glob(filepath.Join(ts.MkAbs(dir), "*", "*"))
	ts.Check(err)
	return files
}

// cmdCacheDamage damages every entry of the build cache in DIR, as a
// full disk, a crash, a bad sector or a copy of another machine's cache
// would: "truncate" cuts each in half, "flip" changes one byte of its
// data, "swap" puts each entry's bytes under another entry's name, and
// "garbage" writes text over it.
func cmdCacheDamage(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cachedamage DIR truncate|flip|swap|garbage")
	}
	files := cacheEntries(ts, args[0])
	if len(files) < 2 {
		ts.Fatalf("%s holds %d entries; want at least 2 to damage", args[0], len(files))
	}
	var datas [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		ts.Check(err)
		datas = append(datas, b)
	}
	for i, f := range files {
		b := datas[i]
		if len(b) == 0 {
			continue // nothing to damage
		}
		switch args[1] {
		case "truncate":
			b = b[:len(b)/2]
		case "flip":
			b = slices.Clone(b)
			b[len(b)-1] ^= 0x20
		case "swap":
			b = datas[(i+1)%len(datas)]
		case "garbage":
			b = []byte("not an entry\n")
		default:
			ts.Fatalf("unknown damage %q", args[1])
		}
		ts.Check(os.WriteFile(f, b, 0o644))
	}
}

// cmdCacheEntries checks how many entries the build cache in DIR holds:
// entry files, and records of the articles log (see buildcache.Entries).
func cmdCacheEntries(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: cacheentries DIR N")
	}
	want, err := strconv.Atoi(args[1])
	ts.Check(err)
	got, err := buildcache.Entries(ts.MkAbs(args[0]))
	ts.Check(err)
	if (got == want) == neg {
		ts.Fatalf("%s holds %d entries, want %d", args[0], got, want)
	}
}
