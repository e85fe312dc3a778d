// Package parallel runs independent pieces of work on a bounded number of
// goroutines. Callers keep results in input order by writing to index i.
package parallel

import (
	"context"
	"sync"
	"sync/atomic"
)

// For calls fn(i) for every i in [0, n) on up to workers goroutines
// (at least one). If ctx ends, no further call starts; For returns once
// the calls already started have returned.
//
// Each worker takes the next index from a shared counter, so handing out
// work needs no goroutine of its own and no switch between goroutines.
func For(ctx context.Context, n, workers int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(workers, n)) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}
