//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package send

import (
	"errors"
	"os"
)

var errLocked = errors.New("locked")

// lockFile: no lock on this system; one send at a time is up to the user.
func lockFile(*os.File) (func(), error) { return func() {}, nil }
