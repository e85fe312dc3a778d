package publish

import (
	"golang.org/x/sys/unix"
)

// mountPoint reports whether dir is the root of a mount: a file system,
// or a bind mount of a folder, mounted there. It cannot be renamed. A
// btrfs subvolume, which has a device number of its own but can be
// renamed, is not one. Kernels before 5.8 do not say; then a device
// number other than the parent folder's decides.
func mountPoint(dir string) bool {
	var st unix.Statx_t
	if err := unix.Statx(unix.AT_FDCWD, dir, unix.AT_SYMLINK_NOFOLLOW, unix.STATX_TYPE, &st); err != nil {
		return false
	}
	if st.Attributes_mask&unix.STATX_ATTR_MOUNT_ROOT != 0 {
		return st.Attributes&unix.STATX_ATTR_MOUNT_ROOT != 0
	}
	return otherDevice(dir)
}
