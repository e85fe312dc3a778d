// Command gencorpus writes a generated news site for benchmarks:
//
//	go run ./cmd/gencorpus -n 10000 -o /tmp/corpus-10k
//	go run ./cmd/gencorpus -n 10000 -rich -o /tmp/corpus-10k-rich   # for search
//
// The same -n and -seed always give the same files.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/digest-ssg/digest/internal/corpus"
)

func main() {
	n := flag.Int("n", 1000, "number of articles")
	out := flag.String("o", "", "the `folder` to write the site into (must not exist)")
	seed := flag.Uint64("seed", 1, "random seed")
	rich := flag.Bool("rich", false, "a large vocabulary with Zipf's law, and names of people and places (for search benchmarks)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: gencorpus -n N -o FOLDER [-seed S]")
		os.Exit(2)
	}
	if _, err := os.Stat(*out); err == nil {
		fmt.Fprintf(os.Stderr, "gencorpus: %s exists; choose a new folder\n", *out)
		os.Exit(1)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
	if err := corpus.Write(*out, corpus.Options{Articles: *n, Seed: *seed, Rich: *rich}); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d articles to %s\n", *n, *out)
}
