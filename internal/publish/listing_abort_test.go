package publish

import (
	"fmt"
	"testing"
)

// TestListingReaderAfterAbort: Abort waits for the goroutine Begin starts
// to read the record, so the Store is the caller's again once it returns
// (under -race, a Store written to then, as here, is not raced on).
func TestListingReaderAfterAbort(t *testing.T) {
	root, out, store := listedSite(t, 5)
	for round := 5; round < 9; round++ {
		o, err := BeginWith(root, out, Options{Listings: store})
		if err != nil {
			t.Fatal(err)
		}
		o.Abort()
		// The store is the caller's again; it writes to it.
		store.data[fmt.Sprint("other", round)] = nil // without the lock: nothing else holds it
		buildListed(t, root, out, store, listedPages(round))
	}
}
