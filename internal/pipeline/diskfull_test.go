package pipeline

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/digest-ssg/digest"
)

// TestDiskFullKeepsPreviousOutput builds on a tiny file system (a tmpfs;
// mounting one needs root, so elsewhere the test skips): a build that runs
// out of space fails with the system's error and leaves the previous
// output exactly as it was, and no temporary folder behind; the same when
// the build writes over the kept build beside the output, and once there
// is room again, the next build is exact.
func TestDiskFullKeepsPreviousOutput(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", dir).CombinedOutput(); err != nil {
		if os.Getenv("DIGEST_REQUIRE_MOUNT") != "" {
			t.Fatalf("cannot mount a tmpfs: %v %s", err, out)
		}
		t.Skipf("skipping: cannot mount a small tmpfs to fill (needs root): %v %s", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	writeFile(t, filepath.Join(dir, "content/a.md"), []byte("---\ntitle: Small\ndate: 2026-01-05T08:00:00Z\n---\nx\n"))
	out := filepath.Join(dir, "build")
	opt := Options{Source: dir, Theme: digest.Theme(), Now: now}
	for range 2 { // the second keeps the first beside the output
		if _, err := Run(context.Background(), opt); err != nil {
			t.Fatalf("the first builds do not fit: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".build.prev", ".digest-build")); err != nil {
		t.Fatalf("no kept build: %v", err)
	}
	before := readTree(t, out)
	// A static file too big for what is left.
	writeFile(t, filepath.Join(dir, "static/big.bin"), bytes.Repeat([]byte("x"), 200<<10))
	_, err := Run(context.Background(), opt)
	if err == nil || !strings.Contains(err.Error(), "no space left on device") {
		t.Fatalf("build on a full disk: %v, want a no-space error", err)
	}
	sameTree(t, "the previous output after the failed build", readTree(t, out), before)
	if m, _ := filepath.Glob(filepath.Join(dir, ".build.tmp-*")); len(m) > 0 {
		t.Errorf("temporary folders left: %v", m)
	}

	// With room again, the half-written kept build is written over.
	if err := os.Remove(filepath.Join(dir, "static/big.bin")); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), opt); err != nil {
		t.Fatalf("the build after freeing space: %v", err)
	}
	sameTree(t, "the build after freeing space", readTree(t, out), before)
}

// sameTree fails the test unless got holds the files of want, byte for
// byte, and no others.
func sameTree(t *testing.T, what string, got, want map[string][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d files, want %d", what, len(got), len(want))
	}
	for name, data := range want {
		if g, ok := got[name]; !ok || !bytes.Equal(g, data) {
			t.Errorf("%s: %s differs (there: %v)", what, name, ok)
		}
	}
}
