package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/corpus"
	"github.com/digest-ssg/digest/internal/search"
)

// BenchmarkServe measures the dev server on generated sites:
//
//	edit-ms-p50/p95  from a file write to the reload message reaching a
//	                 connected client (a WebSocket, as a browser tab has)
//	render-ms        the changed page rendered on request, after the reload
//	search-ms        after the reload, the search index's file of a word
//	                 the edit added, served with the word in it (the index
//	                 brought up to date with the edit)
//	start-ms         from starting "digest serve" to the first page served
//
//	go test ./cmd/digest -run '^$' -bench Serve -benchtime 1x
//	DIGEST_BENCH_SIZES=1000,10000 go test ./cmd/digest -run '^$' -bench Serve -benchtime 1x
func BenchmarkServe(b *testing.B) {
	sizes := []int{1000, 10000}
	if s := os.Getenv("DIGEST_BENCH_SIZES"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			var n int
			fmt.Sscan(f, &n)
			sizes = append(sizes, n)
		}
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			for b.Loop() {
				benchServe(b, n)
			}
		})
	}
}

func benchServe(b *testing.B, n int) {
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Articles: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	files, _ := content.List(os.DirFS(dir))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	base, stop := startServe(b, dir)
	defer stop()
	if _, err := get(base + "/"); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "start-ms")

	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/_digest/ws", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.CloseNow()
	time.Sleep(100 * time.Millisecond)

	// The index is made once, as a first search makes it.
	if _, err := get(base + "/search/h/0.json"); err != nil {
		b.Fatal(err)
	}
	heads := search.LayoutFor(n).Heads
	const edits = 25
	var lat, render, searched []time.Duration
	file := filepath.Join(dir, files[len(files)/2])
	orig, _ := os.ReadFile(file)
	slug := strings.TrimSuffix(filepath.Base(file), ".md")
	day := strings.Join(strings.Split(filepath.ToSlash(filepath.Dir(files[len(files)/2])), "/")[1:], "/")
	page := fmt.Sprintf("%s/%s/%s/", base, day, slug)
	for i := range edits {
		word := fmt.Sprintf("kittiwake%d", i)
		text := strings.Replace(string(orig), "\n---\n", fmt.Sprintf("\n---\nEdit number %d. A %s.\n\n", i, word), 1)
		t0 := time.Now()
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		rctx, rcancel := context.WithTimeout(ctx, 10*time.Second)
		_, msg, err := conn.Read(rctx)
		rcancel()
		if err != nil || !strings.Contains(string(msg), "reload") {
			b.Fatalf("no reload after edit %d: %q %v", i, msg, err)
		}
		lat = append(lat, time.Since(t0))
		t1 := time.Now()
		body, err := get(page)
		if err != nil || !strings.Contains(body, fmt.Sprintf("Edit number %d.", i)) {
			b.Fatalf("page %s does not show edit %d: %v", page, i, err)
		}
		render = append(render, time.Since(t1))
		term := search.Terms("en", word)[0]
		h := fnv.New32a()
		h.Write([]byte(term))
		t2 := time.Now()
		shard, err := get(fmt.Sprintf("%s/search/h/%d.json", base, h.Sum32()%uint32(heads)))
		if err != nil || !strings.Contains(shard, `"`+term+`"`) {
			b.Fatalf("the index does not hold %q after edit %d: %v", term, i, err)
		}
		searched = append(searched, time.Since(t2))
		time.Sleep(60 * time.Millisecond) // let the watcher settle between edits
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	slices.Sort(lat)
	slices.Sort(render)
	slices.Sort(searched)
	b.ReportMetric(ms(lat[len(lat)/2]), "edit-ms-p50")
	b.ReportMetric(ms(lat[len(lat)*95/100]), "edit-ms-p95")
	b.ReportMetric(ms(render[len(render)/2]), "render-ms-p50")
	b.ReportMetric(ms(searched[len(searched)/2]), "search-ms-p50")
}

func get(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return string(body), fmt.Errorf("%s: %s", url, resp.Status)
	}
	return string(body), err
}
