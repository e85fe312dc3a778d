package parallel

import (
	"context"
	"sync/atomic"
	"testing"
)

func TestForCallsEachIndexOnce(t *testing.T) {
	out := make([]int, 1000)
	var running, most atomic.Int32
	For(context.Background(), len(out), 3, func(i int) {
		if r := running.Add(1); r > most.Load() {
			most.Store(r)
		}
		out[i] += i + 1
		running.Add(-1)
	})
	for i, v := range out {
		if v != i+1 {
			t.Fatalf("index %d called %d times", i, v/(i+1))
		}
	}
	if most.Load() > 3 {
		t.Errorf("%d calls at once, want at most 3", most.Load())
	}
}

func TestForStopsStartingWorkWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	For(ctx, 1000, 1, func(i int) {
		if calls.Add(1) == 10 {
			cancel()
		}
	})
	if n := calls.Load(); n >= 1000 || n < 10 {
		t.Errorf("%d calls after cancelling at the 10th", n)
	}
}

func TestForCancelledBeforeStartCallsNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	For(ctx, 100, 4, func(i int) { t.Errorf("called with %d after the context ended", i) })
}

func TestForNothingToDo(t *testing.T) {
	For(context.Background(), 0, 4, func(i int) { t.Errorf("called with %d for no work", i) })
}
