package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/digest-ssg/digest/internal/parallel"
)

// checkFolders refuses, before anything is written, a source that is not
// a folder, and a new site's folder that is not empty, is a file, is
// inside the source or holds it.
func checkFolders(src, dir string) error {
	info, err := os.Stat(src)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s does not exist (give the folder of the site to import)", src)
	case err != nil:
		return err
	case !info.IsDir():
		return fmt.Errorf("%s is a file, not a folder (give the folder of the site to import)", src)
	}
	if err := checkEmpty(dir); err != nil {
		return err
	}
	srcReal, err := realPath(src)
	if err != nil {
		return err
	}
	dirReal, err := realPath(dir)
	if err != nil {
		return err
	}
	switch {
	case within(dirReal, srcReal):
		return fmt.Errorf("%s is inside %s, the site being imported, which digest import never writes to (choose a folder outside it)", dir, src)
	case within(srcReal, dirReal):
		return fmt.Errorf("%s holds %s, the site being imported (choose a new, empty folder)", dir, src)
	}
	return nil
}

// checkEmpty refuses a folder that holds anything, or a file.
func checkEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		if info, serr := os.Stat(dir); serr == nil && !info.IsDir() {
			return fmt.Errorf("%s is a file (give a new folder for the digest site)", dir)
		}
		return err
	case len(entries) > 0:
		return fmt.Errorf("%s is not empty (give a new folder for the digest site, e.g. digest import SRC %s-digest; import never writes into a folder that holds files)", dir, filepath.Clean(dir))
	}
	return nil
}

// realPath is a path made absolute with its links resolved, as far as it
// exists.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for cur := abs; ; cur = filepath.Dir(cur) {
		if real, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(real, rest), nil
		}
		if filepath.Dir(cur) == cur {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(cur), rest)
	}
}

// within reports whether path p is dir or inside it.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// Write writes the site into dir, which must not exist or be empty. It
// writes into a new folder beside dir and moves it into place at the
// end, so that a failure (or Ctrl-C) leaves no half site behind.
func (s *Site) Write(ctx context.Context, dir string) (err error) {
	if err := checkEmpty(dir); err != nil {
		return err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".import-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := s.writeInto(ctx, tmp); err != nil {
		return err
	}
	return moveInto(tmp, abs)
}

// writeInto writes every file of the site under root, a few at a time
// (most of the time goes to the file system).
func (s *Site) writeInto(ctx context.Context, root string) error {
	names := slices.Sorted(maps.Keys(s.Files))
	n := len(names) + len(s.Copies)
	errs := make([]error, n)
	parallel.For(ctx, n, 4, func(i int) {
		if i < len(names) {
			errs[i] = writeFile(filepath.Join(root, filepath.FromSlash(names[i])), s.Files[names[i]])
			return
		}
		c := s.Copies[i-len(names)]
		if err := copyFile(s.from, c.From, filepath.Join(root, filepath.FromSlash(c.To))); err != nil {
			errs[i] = fmt.Errorf("copying %s: %w", c.From, err)
		}
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	return errors.Join(errs...)
}

func writeFile(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, data, 0o644)
}

// copyFile copies a file of the source, refusing to write over one
// already written (two source files for one place).
func copyFile(fsys fs.FS, from, to string) error {
	in, err := fsys.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// moveInto puts the written site at dir: renaming the folder when dir
// does not exist, else moving its entries into the empty dir (so that a
// shell standing in dir stays in the site).
func moveInto(tmp, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	if err := checkEmpty(dir); err != nil {
		return err
	}
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return err
	}
	var moved []string
	for _, e := range entries {
		if err := os.Rename(filepath.Join(tmp, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			for _, m := range moved {
				os.Rename(filepath.Join(dir, m), filepath.Join(tmp, m))
			}
			return err
		}
		moved = append(moved, e.Name())
	}
	return os.Remove(tmp)
}
