package pipeline

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/publish"
	"github.com/digest-ssg/digest/internal/render"
)

// A build must not publish a site that lost most of its articles by
// accident. Two checks stand in the way: checkContent refuses a content/
// folder that is there but cannot be read, and checkShrink a build that
// would publish far fewer articles than the one it replaces.

// checkContent refuses a content/ folder (at p) that is there but cannot
// be read: a link to a folder that is gone (an unmounted share, a moved
// folder), a file, a folder digest may not read. Taken for a site without
// articles, any of these would publish an empty site. A site with no
// content/ at all has no articles yet, and builds.
func checkContent(p string) error {
	shown := p + string(filepath.Separator)
	info, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil && info.Mode()&fs.ModeSymlink != 0 {
		target, _ := os.Readlink(p)
		info, err = os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
			return fmt.Errorf("%s is a link to %s, which does not exist (mount or restore that folder, or point the link at the folder of articles)", shown, target)
		case err == nil && !info.IsDir():
			return fmt.Errorf("%s is a link to %s, which is a file, not a folder of articles (point the link at the folder of articles)", shown, target)
		}
	}
	if err == nil && !info.IsDir() {
		return fmt.Errorf("%s is a file, not the folder of the site's articles (rename it, and keep the articles in a folder named %s)", p, content.Dir)
	}
	if err == nil {
		err = readable(p)
	}
	if err != nil {
		return contentUnreadable(shown, p, err)
	}
	return nil
}

// readable reports why the folder dir cannot be listed, if it cannot.
func readable(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.ReadDir(1); err != nil && err != io.EOF {
		return err
	}
	return nil
}

// contentUnreadable says why content/ cannot be read, and what to do.
func contentUnreadable(shown, p string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	fix := "make sure the folder is there and can be read"
	switch {
	case errors.Is(err, fs.ErrPermission):
		fix = "give the user running digest read access to it, e.g. chmod -R a+rX " + p
	case errors.Is(err, syscall.ELOOP):
		fix = "a link on the way to it leads round in a loop: point the link at the folder of articles"
	}
	return fmt.Errorf("cannot read %s: %v (%s)", shown, err, fix)
}

// ShrinkError refuses a build that would replace an output with far fewer
// articles than the build before published: none where there were some,
// or fewer than half as many. That is most often an accident (content/
// moved or not mounted, a bad merge, a wrong -s), and the previous output
// stays; Options.AllowShrink lets such a build through.
type ShrinkError struct {
	Articles int    // how many this build would publish
	Previous int    // how many the output's build published
	Missing  string // content/, when that folder does not exist
}

func (e *ShrinkError) Error() string {
	gone := "more than half gone"
	if e.Articles == 0 {
		gone = "all of them gone"
	}
	fix := "if this is intended, build again with --allow-shrink"
	if e.Missing != "" {
		gone += ": there is no " + e.Missing
		fix = "restore " + e.Missing + ", or " + fix
	}
	return fmt.Sprintf("this build would publish %s where the previous build published %d (%s); nothing was changed (%s)",
		render.Plural(e.Articles, "article", "articles"), e.Previous, gone, fix)
}

// checkShrink refuses, unless opt.AllowShrink, to replace a build that
// published previous.Articles with one publishing articles, if that loses
// more than half of them. An output whose marker holds no count (written
// by an older digest) is replaced whatever it held.
func checkShrink(previous publish.Record, articles int, opt Options) error {
	if opt.AllowShrink || !previous.Counted || articles*2 >= previous.Articles {
		return nil
	}
	e := &ShrinkError{Articles: articles, Previous: previous.Articles}
	dir := filepath.Join(opt.Source, content.Dir)
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		e.Missing = dir + string(filepath.Separator)
	}
	return e
}
