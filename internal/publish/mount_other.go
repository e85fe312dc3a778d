//go:build !unix

package publish

// mountPoint would tell a mount point; here a rename of one fails instead,
// with the system's error.
func mountPoint(string) bool { return false }
