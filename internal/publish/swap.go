package publish

import "os"

// exchangeByRename swaps two folders with three renames, for systems
// without an atomic exchange: b is parked at old, a takes its place, and
// old goes to a. A build killed between the first two renames leaves no
// b, and the next one moves old back (recoverSwap).
func exchangeByRename(a, b, old string) error {
	if err := os.Rename(b, old); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		os.Rename(old, b)
		return err
	}
	// The new build is in place: the swap is done even if the old one
	// stays parked (the next build removes it).
	os.Rename(old, a)
	return nil
}
