// Package parallel runs independent pieces of work on a bounded number of
// goroutines. Callers keep results in input order by writing to index i.
package parallel

import (
	"context"
	"sync"
)

// For calls fn(i) for every i in [0, n) on up to workers goroutines
// (at least one). If ctx ends, no further call starts; For returns once
// the calls already started have returned.
func For(ctx context.Context, n, workers int, fn func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(workers, n)) {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
}
