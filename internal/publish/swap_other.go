//go:build !linux

package publish

func exchange(a, b, spare string) error { return exchangeByRename(a, b, spare) }

func syncTree(dir string) error { return syncEachFile(dir) }

// flushEarly is false here: a flush walks the whole tree, so it is done
// once, before the swap.
const flushEarly = false
