package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Marker is the file digest writes into every output folder it makes. A
// non-empty folder without it is not digest's, and is never replaced.
const Marker = ".digest-build"

// sources are the parts of a site an output folder must never be in.
var sources = []string{"content", "templates", "static", "site.toml", ".git"}

// CheckOutput refuses an output folder that would put the site at risk,
// before anything is written: the site root itself or a folder above it,
// the file system root or the home folder, a folder inside the site's
// sources, a folder holding a .git, or a non-empty folder digest did not
// make.
func CheckOutput(siteRoot, out string) error {
	if strings.TrimSpace(out) == "" {
		return errors.New("the output folder is empty (use e.g. --out build)")
	}
	if info, err := os.Lstat(out); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		if _, err := os.Stat(out); err != nil {
			target, _ := os.Readlink(out)
			return fmt.Errorf("refusing to use %s as the output folder: it is a link to %s, which does not exist (make that folder, or remove the link)", out, target)
		}
	}
	root, err := realPath(siteRoot)
	if err != nil {
		return err
	}
	dest, err := realPath(out)
	if err != nil {
		return err
	}
	shown := out
	if home, err := os.UserHomeDir(); err == nil {
		if h, err := realPath(home); err == nil && h == dest {
			return fmt.Errorf("refusing to use %s as the output folder: it is your home folder (use e.g. --out build)", shown)
		}
	}
	switch {
	case dest == filepath.VolumeName(dest)+string(filepath.Separator):
		return fmt.Errorf("refusing to use %s as the output folder: it is the root of the file system (use e.g. --out build)", shown)
	case dest == root:
		return fmt.Errorf("refusing to use %s as the output folder: it is the site itself (use e.g. --out build)", shown)
	case within(dest, root):
		return fmt.Errorf("refusing to use %s as the output folder: it contains the site (use a folder inside the site, e.g. --out build)", shown)
	}
	for _, s := range sources {
		src := filepath.Join(root, s)
		if dest == src && s == "site.toml" {
			return fmt.Errorf("refusing to use %s as the output folder: it is the site's site.toml (use e.g. --out build)", shown)
		}
		if dest == src || within(src, dest) {
			return fmt.Errorf("refusing to use %s as the output folder: it is inside the site's %s (use e.g. --out build)", shown, s)
		}
	}
	if mountPoint(dest) {
		return fmt.Errorf("refusing to use %s as the output folder: it is a mount point, and a finished build is swapped in by renaming the folder (use a folder inside it, e.g. --out %s)", shown, filepath.Join(shown, "site"))
	}
	return checkContents(dest, shown)
}

// checkContents refuses an existing folder that digest did not make.
func checkContents(dest, shown string) error {
	info, err := os.Stat(dest)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("refusing to use %s as the output folder: it is a file (remove it or choose another --out)", shown)
	}
	entries, err := os.ReadDir(dest)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dest, ".git")); err == nil {
		return fmt.Errorf("refusing to replace %s: it holds a .git folder (publish from a copy, or choose another --out)", shown)
	}
	if _, err := os.Stat(filepath.Join(dest, Marker)); err != nil {
		return fmt.Errorf("refusing to replace %s: it holds files digest did not write (empty it or choose another --out)", shown)
	}
	return nil
}

// realPath makes p absolute and resolves symbolic links in the part of it
// that exists.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for cur := abs; ; {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest), nil
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}

// within reports whether p is strictly inside dir.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
