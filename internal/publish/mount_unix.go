//go:build unix && !linux

package publish

// mountPoint reports whether dir is a folder on another file system than
// the folder it is in: a mount point, which cannot be renamed.
func mountPoint(dir string) bool { return otherDevice(dir) }
