package publish

import (
	"errors"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// exchange swaps two folders atomically, so the output folder always
// exists and is always a complete build. Where the file system cannot,
// it falls back to renames through spare (exchangeByRename).
func exchange(a, b, spare string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, syscall.ENOSYS) || errors.Is(err, syscall.EINVAL) {
		return exchangeByRename(a, b, spare)
	}
	return err
}

// flushEarly tells whether to flush while a build goes on: here a flush
// is one syncfs(2), whatever the size of the tree.
const flushEarly = true

// syncTree flushes the new build to disk before the swap, so that a crash
// right after it cannot leave empty files behind: one syncfs(2) for the
// whole file system instead of an fsync per file.
func syncTree(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := unix.Syncfs(int(f.Fd())); err != nil {
		return syncEachFile(dir)
	}
	return nil
}
