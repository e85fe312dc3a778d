package publish

import "os"

// exchangeByRename swaps two folders with two renames, for systems without
// an atomic exchange. Between the renames, the old build is kept at a.
func exchangeByRename(a, b string) error {
	old := a + ".old"
	if err := os.Rename(b, old); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		os.Rename(old, b)
		return err
	}
	return os.Rename(old, a)
}
