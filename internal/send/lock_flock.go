//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package send

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// errLocked: another process holds the lock.
var errLocked = errors.New("locked")

// lockFile takes an exclusive lock on an open file without waiting: a
// second digest send of the same edition must not run beside the first.
func lockFile(f *os.File) (func(), error) {
	err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	switch {
	case errors.Is(err, unix.EWOULDBLOCK):
		return nil, errLocked
	case errors.Is(err, unix.ENOLCK) || errors.Is(err, unix.ENOTSUP) || errors.Is(err, unix.EOPNOTSUPP):
		return func() {}, nil // a file system without locks: go on without
	case err != nil:
		return nil, err
	}
	return func() { unix.Flock(int(f.Fd()), unix.LOCK_UN) }, nil
}
