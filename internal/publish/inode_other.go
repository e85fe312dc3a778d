//go:build !unix

package publish

import "io/fs"

// inode is 0: no inode numbers here, so no file is kept (see Keep).
func inode(fs.FileInfo) uint64 { return 0 }
