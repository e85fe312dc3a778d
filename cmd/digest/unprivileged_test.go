//go:build linux

package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// nobody is the unprivileged user (and group) the tests run digest as.
const nobody = 65534

// TestUnprivileged runs digest as an unprivileged user, through setpriv,
// for the faults that root never meets (root reads and writes whatever
// the permissions say): unreadable content files and folders, an
// unreadable static/, an output folder that cannot be written, and a
// kept build that is read-only or another user's. Each failure must exit
// 1, name the file or folder and the fix, and leave the previous output
// exactly as it was. CI runs as root, with DIGEST_REQUIRE_MOUNT=1 so that
// these tests cannot skip there.
func TestUnprivileged(t *testing.T) {
	u := newUnprivileged(t)

	t.Run("unreadable article", func(t *testing.T) {
		site := u.site(t)
		u.mustBuild(t, site)
		before := snapshotOutput(t, site)
		chmod(t, filepath.Join(site, "content/2026/02/10/second.md"), 0)
		u.wantFailure(t, site, 1, "content/2026/02/10/second.md: cannot read: permission denied (give the user running digest read access to it, e.g. chmod a+r content/2026/02/10/second.md)\n"+
			"digest: 1 error; the previous output was left as it was\n")
		sameOutput(t, site, before)
	})

	t.Run("unreadable folder of articles", func(t *testing.T) {
		site := u.site(t)
		u.mustBuild(t, site)
		before := snapshotOutput(t, site)
		chmod(t, filepath.Join(site, "content/2026/02/10"), 0o311)
		u.wantFailure(t, site, 1, "content/2026/02/10: cannot read: permission denied (give the user running digest read access to it, e.g. chmod -R a+rX content/2026/02/10)\n"+
			"digest: 1 error; the previous output was left as it was\n")
		sameOutput(t, site, before)
	})

	t.Run("unreadable content folder", func(t *testing.T) {
		site := u.site(t)
		u.mustBuild(t, site)
		before := snapshotOutput(t, site)
		chmod(t, filepath.Join(site, "content"), 0)
		u.wantFailure(t, site, 1, "digest: cannot read content/: permission denied (give the user running digest read access to it, e.g. chmod -R a+rX content)\n")
		sameOutput(t, site, before)
	})

	// An unreadable static/ was skipped as if there were none: the site
	// was published without its files, and without the theme's style.css.
	t.Run("unreadable static folder", func(t *testing.T) {
		site := u.site(t)
		u.mustBuild(t, site)
		before := snapshotOutput(t, site)
		chmod(t, filepath.Join(site, "static"), 0)
		u.wantFailure(t, site, 1, "static: cannot read: permission denied (give the user running digest read access to it, e.g. chmod -R a+rX static)\n"+
			"digest: 1 error; the previous output was left as it was\n")
		sameOutput(t, site, before)
	})

	// The site and its output are root's; the user may read them, not
	// write: the new build cannot be made beside the output.
	t.Run("output folder that cannot be written", func(t *testing.T) {
		site := u.site(t)
		chown(t, site, 0)
		u.mustRun(t, false, site, "build")
		before := snapshotOutput(t, site)
		u.wantFailure(t, site, 1, "digest: cannot write the output folder build: permission denied (a build is written into a new folder beside it, then swapped in: give the user running digest read and write access to "+site+", or choose another --out)\n")
		sameOutput(t, site, before)
	})

	// The output is root's, in a folder anyone may write in but only the
	// owner of a folder may rename it (the sticky bit, as in /tmp): the new
	// build is made but cannot be swapped in.
	t.Run("output folder that cannot be renamed", func(t *testing.T) {
		site := u.site(t)
		shared := u.dir(t, "www-", 0o777|fs.ModeSticky)
		out := filepath.Join(shared, "site")
		u.mustRun(t, false, site, "build", "--out", out)
		before, err := treeListing(out, true)
		if err != nil {
			t.Fatal(err)
		}
		u.wantFailure(t, site, 1, "digest: cannot replace "+out+": operation not permitted (a finished build is swapped in by renaming folders, which needs the right to rename it: build as the user who owns it, or choose another --out)\n", "--out", out)
		if after, err := treeListing(out, true); err != nil || after != before {
			t.Errorf("the output changed (%v):\n%s", err, lineDiff(before, after))
		}
		if m, _ := filepath.Glob(filepath.Join(shared, ".site.tmp-*")); len(m) > 0 {
			t.Errorf("the failed build left %v", m)
		}
	})

	// chmod -R a-w on the kept build (a backup tool, a cautious user): a
	// build written over it gives its folders their write permission back,
	// clears what changed and sweeps what went, and the output is exactly
	// what a fresh build makes.
	t.Run("read-only kept build", func(t *testing.T) {
		site := u.site(t)
		u.mustBuild(t, site)
		u.mustBuild(t, site) // the first is kept
		kept := filepath.Join(site, ".build.prev")
		if _, err := os.Stat(filepath.Join(kept, ".digest-build")); err != nil {
			t.Fatalf("no kept build: %v", err)
		}
		writeFiles(t, site, map[string]string{"content/2026/02/10/first.md": edited})
		chown(t, site, nobody)
		if err := os.Remove(filepath.Join(site, "content/2026/02/10/second.md")); err != nil {
			t.Fatal(err)
		}
		readOnly(t, kept)
		u.mustRun(t, true, site, "build")
		u.sameAsFresh(t, site)
		if m, _ := filepath.Glob(filepath.Join(site, ".build.tmp-*")); len(m) > 0 {
			t.Errorf("the build left %v", m)
		}
	})

	// chmod -R a-w on the output: it is swapped out as it is, kept, and
	// written over by the build after.
	t.Run("read-only output", func(t *testing.T) {
		site := u.site(t)
		u.mustBuild(t, site)
		readOnly(t, filepath.Join(site, "build"))
		writeFiles(t, site, map[string]string{"content/2026/02/10/first.md": edited})
		chown(t, site, nobody)
		u.mustBuild(t, site)
		writeFiles(t, site, map[string]string{"content/2026/02/10/third.md": third})
		chown(t, site, nobody)
		u.mustBuild(t, site)
		u.sameAsFresh(t, site)
	})

	// The kept build is root's (root built the site once): the user cannot
	// write over it, and builds into a new folder instead.
	t.Run("kept build of another user", func(t *testing.T) {
		site := u.site(t)
		u.mustRun(t, false, site, "build")
		u.mustRun(t, false, site, "build")
		chown(t, filepath.Join(site, "build"), nobody)
		writeFiles(t, site, map[string]string{"content/2026/02/10/first.md": edited})
		chown(t, filepath.Join(site, "content"), nobody)
		u.mustBuild(t, site)
		u.sameAsFresh(t, site)
	})
}

// unprivileged runs the test binary, as the digest command, as root or
// as nobody.
type unprivileged struct {
	bin  string // a copy of the test binary named digest, which runs main
	env  []string
	base string // a folder everyone may enter
}

// newUnprivileged readies the binary, or skips the test where it cannot
// run: as a user other than root, or without setpriv (util-linux).
func newUnprivileged(t *testing.T) *unprivileged {
	t.Helper()
	why := ""
	if _, err := exec.LookPath("setpriv"); err != nil {
		why = "setpriv (util-linux) is missing"
	}
	if os.Geteuid() != 0 {
		why = "the tests are not run as root, who alone can run digest as another user"
	}
	if why != "" {
		if os.Getenv("DIGEST_REQUIRE_MOUNT") != "" {
			t.Fatalf("cannot run digest as an unprivileged user: %s", why)
		}
		t.Skipf("skipping: running digest as an unprivileged user needs root and setpriv: %s (CI runs these as root, with DIGEST_REQUIRE_MOUNT=1)", why)
	}
	// Not t.TempDir, whose folders are 0700: nobody could not reach them.
	base, err := os.MkdirTemp("", "digest-unprivileged-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	chmod(t, base, 0o755)
	for dir := filepath.Dir(base); dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if info, err := os.Stat(dir); err != nil || info.Mode().Perm()&0o001 == 0 {
			t.Fatalf("%s cannot be entered by other users (%v): set TMPDIR to a folder they can reach", dir, err)
		}
	}
	u := &unprivileged{bin: filepath.Join(base, "bin", "digest"), base: base}
	mkdir(t, filepath.Dir(u.bin), 0o755)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	copyFile(t, self, u.bin, 0o755)
	home := filepath.Join(base, "home")
	mkdir(t, home, 0o755)
	chown(t, home, nobody)
	u.env = []string{"PATH=/usr/bin:/bin", "HOME=" + home, "TZ=UTC"}
	if testing.CoverMode() != "" {
		cover := filepath.Join(base, "cover")
		mkdir(t, cover, 0o777)
		u.env = append(u.env, "GOCOVERDIR="+cover)
	}
	return u
}

// site makes a site of two articles, a static file and site.toml, in a
// new folder that nobody owns.
func (u *unprivileged) site(t *testing.T) string {
	t.Helper()
	dir := u.dir(t, "site-", 0o755)
	writeFiles(t, dir, map[string]string{
		"site.toml":                    "title = \"Unprivileged\"\n",
		"content/2026/02/10/first.md":  first,
		"content/2026/02/10/second.md": second,
		"static/notes.txt":             "notes\n",
	})
	chown(t, dir, nobody)
	return dir
}

// dir makes a new folder in base, with mode.
func (u *unprivileged) dir(t *testing.T, prefix string, mode fs.FileMode) string {
	t.Helper()
	dir, err := os.MkdirTemp(u.base, prefix)
	if err != nil {
		t.Fatal(err)
	}
	chmod(t, dir, mode)
	return dir
}

// run runs digest in dir, as nobody or as root, and returns its stdout,
// stderr and exit status.
func (u *unprivileged) run(t *testing.T, asNobody bool, dir string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(u.bin, args...)
	if asNobody {
		cmd = exec.Command("setpriv", append([]string{"--reuid=65534", "--regid=65534", "--clear-groups", "--", u.bin}, args...)...)
	}
	cmd.Dir = dir
	cmd.Env = u.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return stdout.String(), stderr.String(), 0
	case errors.As(err, &ee):
		return stdout.String(), stderr.String(), ee.ExitCode()
	}
	t.Fatalf("digest %s: %v", strings.Join(args, " "), err)
	return "", "", 0
}

// mustRun runs digest and fails the test unless it succeeds without a
// word on stderr.
func (u *unprivileged) mustRun(t *testing.T, asNobody bool, dir string, args ...string) {
	t.Helper()
	stdout, stderr, code := u.run(t, asNobody, dir, args...)
	if code != 0 || stderr != "" {
		t.Fatalf("digest %s (as nobody: %v): exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), asNobody, code, stdout, stderr)
	}
}

// mustBuild builds the site as nobody.
func (u *unprivileged) mustBuild(t *testing.T, dir string) {
	t.Helper()
	u.mustRun(t, true, dir, "build")
}

// wantFailure builds the site as nobody, and fails the test unless the
// build exits with status code, prints nothing on stdout, and exactly
// wantStderr on stderr.
func (u *unprivileged) wantFailure(t *testing.T, dir string, code int, wantStderr string, args ...string) {
	t.Helper()
	stdout, stderr, got := u.run(t, true, dir, append([]string{"build"}, args...)...)
	if got != code || stdout != "" || stderr != wantStderr {
		t.Errorf("digest build as nobody: exit %d, want %d\nstdout:\n%s\nstderr:\n%s\nwant stderr:\n%s", got, code, stdout, stderr, wantStderr)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".build.tmp-*")); len(m) > 0 {
		t.Errorf("the failed build left %v", m)
	}
}

// sameAsFresh fails the test unless the site's output holds what a build
// into a new folder holds.
func (u *unprivileged) sameAsFresh(t *testing.T, site string) {
	t.Helper()
	fresh := filepath.Join(site, "fresh")
	u.mustRun(t, true, site, "build", "--out", fresh)
	want, err := treeListing(fresh, false)
	if err != nil {
		t.Fatal(err)
	}
	got, err := treeListing(filepath.Join(site, "build"), false)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("the output differs from a fresh build:\n%s", lineDiff(want, got))
	}
}

// snapshotOutput records the output and the kept build beside it, modes
// and times included.
func snapshotOutput(t *testing.T, site string) string {
	t.Helper()
	var all strings.Builder
	for _, dir := range []string{"build", ".build.prev"} {
		list, err := treeListing(filepath.Join(site, dir), true)
		if errors.Is(err, fs.ErrNotExist) {
			list = "(none)\n"
		} else if err != nil {
			t.Fatal(err)
		}
		all.WriteString(dir + ":\n" + list)
	}
	return all.String()
}

// sameOutput fails the test if the output or the kept build changed.
func sameOutput(t *testing.T, site, before string) {
	t.Helper()
	if after := snapshotOutput(t, site); after != before {
		t.Errorf("the output changed:\n%s", lineDiff(before, after))
	}
}

// lineDiff lists the lines of a missing from b ("- ") and those of b
// missing from a ("+ ").
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var diff []string
	for _, l := range al {
		if !slices.Contains(bl, l) {
			diff = append(diff, "- "+l)
		}
	}
	for _, l := range bl {
		if !slices.Contains(al, l) {
			diff = append(diff, "+ "+l)
		}
	}
	return strings.Join(diff, "\n")
}

func chmod(t *testing.T, p string, mode fs.FileMode) {
	t.Helper()
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, p string, mode fs.FileMode) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	chmod(t, p, mode) // past the umask, and with the sticky bit
}

// chown gives everything under dir to uid (and the group of that number).
func chown(t *testing.T, dir string, uid int) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, uid)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// readOnly takes the write permission from every folder and file under
// dir, as chmod -R a-w does.
func readOnly(t *testing.T, dir string) {
	t.Helper()
	var all []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type()&fs.ModeSymlink == 0 {
			all = append(all, p)
		}
		return nil
	})
	for i := len(all) - 1; i >= 0; i-- { // the folders last, as chmod -R ends
		info, err := os.Lstat(all[i])
		if err != nil {
			t.Fatal(err)
		}
		chmod(t, all[i], info.Mode().Perm()&^0o222)
	}
}

func copyFile(t *testing.T, from, to string, mode fs.FileMode) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}

const (
	first  = "---\ntitle: First\ndate: 2026-02-10T08:00:00Z\n---\nOne.\n"
	edited = "---\ntitle: First, edited\ndate: 2026-02-10T08:00:00Z\n---\nOne, edited.\n"
	second = "---\ntitle: Second\ndate: 2026-02-10T09:00:00Z\n---\nTwo.\n"
	third  = "---\ntitle: Third\ndate: 2026-02-10T10:00:00Z\n---\nThree.\n"
)
