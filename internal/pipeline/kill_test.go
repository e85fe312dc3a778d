package pipeline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/digest-ssg/digest/internal/corpus"
)

// TestKilledBuildLeavesOldOrNewOutput checks the guarantee "a build either
// finishes and replaces the output as a whole, or fails and leaves the
// previous output exactly as it was (killed mid-way included)" with the
// real command: it builds a 300-article site, then again and again starts
// a build of changed content and SIGKILLs it after a random delay between
// zero and the time a whole build takes. After each kill, build/ must be
// exactly the previous build or exactly the new one, file for file and
// byte for byte. The next successful build must leave no temporary folder.
// Every build here uses the build cache (.digest/cache), which the killed
// builds were writing: the builds after them must still give exactly the
// expected output.
func TestKilledBuildLeavesOldOrNewOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and a 300-article site many times")
	}
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("needs SIGKILL")
	}
	const (
		minTrials = 50
		maxTrials = 60
		budget    = 35 * time.Second // for the trials, on top of the setup
	)
	bin := killTestCommand(t)

	site := filepath.Join(t.TempDir(), "site")
	if err := os.Mkdir(site, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := corpus.Write(site, corpus.Options{Articles: 300, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(site, "build")

	// Two versions of the content: as generated, and with one headline
	// changed (which changes its article, its day, topic and tag pages,
	// the feeds and the home page).
	file, oldSrc := killTestArticle(t, site)
	newSrc := bytes.Replace(oldSrc, []byte("title: "), []byte("title: Corrected "), 1)
	if bytes.Equal(newSrc, oldSrc) {
		newSrc = bytes.Replace(oldSrc, []byte("title = \""), []byte("title = \"Corrected "), 1)
	}
	if bytes.Equal(newSrc, oldSrc) {
		t.Fatalf("%s: no title to change", file)
	}
	versions := [2][]byte{oldSrc, newSrc}
	names := [2]string{"old", "new"}
	current := 0 // the version in content/
	setContent := func(v int) {
		t.Helper()
		current = v
		if err := os.WriteFile(file, versions[v], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	build := func() time.Duration {
		t.Helper()
		start := time.Now()
		cmd := exec.Command(bin, "build", "-s", site)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("digest build: %v\n%s", err, b)
		}
		return time.Since(start)
	}

	// The expected trees, from complete builds; the old one twice, to
	// check that builds are deterministic (else no comparison holds).
	var snaps [2]map[string]string
	var full time.Duration
	setContent(0)
	build()
	snaps[0] = killTestSnapshot(t, out)
	setContent(1)
	full = build()
	snaps[1] = killTestSnapshot(t, out)
	setContent(0)
	full = max(full, build())
	if again := killTestSnapshot(t, out); !killTestSame(again, snaps[0]) {
		t.Fatalf("two builds of the same content differ: %s", killTestDiff(snaps[0], again))
	}
	if killTestSame(snaps[0], snaps[1]) {
		t.Fatal("changing a headline did not change the output")
	}
	t.Logf("a full build takes %v; %d files", full, len(snaps[0]))

	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 7))
	state := 0 // which version build/ holds
	var kept, replaced, finished, trials int
	// trial starts a build of the other version, kills it after delay and
	// checks that build/ is one of the two complete builds.
	trial := func(delay time.Duration) {
		t.Helper()
		trials++
		next := 1 - state
		setContent(next)
		cmd := exec.Command(bin, "build", "-s", site)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		if err == nil {
			finished++ // it finished before the kill
		} else if ee, ok := err.(*exec.ExitError); !ok || !killedBySIGKILL(ee) {
			t.Fatalf("trial %d (kill after %v): the build failed by itself: %v", trials, delay, err)
		}
		got := killTestSnapshot(t, out)
		switch {
		case killTestSame(got, snaps[state]):
			kept++
		case killTestSame(got, snaps[next]):
			replaced++
			state = next
		default:
			t.Fatalf("trial %d (kill after %v of a %v build, seed %d): build/ is neither the complete %s build nor the complete %s one:\n%s\nversus the %s build:\n%s",
				trials, delay, full, seed, names[state], names[next],
				killTestDiff(snaps[state], got), names[next], killTestDiff(snaps[next], got))
		}
		if err == nil && state != next {
			t.Fatalf("trial %d: the build finished but build/ is still the previous one", trials)
		}
	}

	// Builds after a kill also remove what the killed one left, so they
	// take longer: measure one such build, and kill up to that time.
	trial(full / 2)
	setContent(1 - state)
	full = max(full, build())
	state = 1 - state
	t.Logf("a full build after a killed one takes %v", full)

	start := time.Now()
	for trials < maxTrials && (trials < minTrials || time.Since(start) < budget) {
		trial(time.Duration(rng.Int64N(int64(full) + 1)))
	}
	t.Logf("%d trials (seed %d): %d kept the previous output, %d ended with the new one (%d of them finished before the kill); trials took %v",
		trials, seed, kept, replaced, finished, time.Since(start).Round(time.Millisecond))

	// A successful build cleans up what the killed ones left.
	build()
	if got := killTestSnapshot(t, out); !killTestSame(got, snaps[current]) {
		t.Errorf("the build after the trials is not the expected %s build: %s", names[current], killTestDiff(snaps[current], got))
	}
	entries, err := os.ReadDir(site)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch name := e.Name(); {
		case strings.HasPrefix(name, ".build.tmp-"):
			files, marked := killTestLeftover(filepath.Join(site, name))
			t.Errorf("after a successful build, a killed build's folder %s (%d files, marker %s: %v) is still beside build/", name, files, ".digest-build", marked)
		case name == ".build.prev":
			// The output before last, kept for the next build to write over.
			if _, marked := killTestLeftover(filepath.Join(site, name)); !marked {
				t.Errorf("the kept build %s has no marker", name)
			}
		case name == ".digest":
			// digest's working files: the build cache, which every build
			// here read and wrote, killed ones included.
		case name != "site.toml" && name != "content" && name != "build":
			t.Errorf("after the trials the site holds %s, which is none of its own", name)
		}
	}
}

// killTestLeftover counts the files of a leftover folder and says whether
// it holds digest's marker.
func killTestLeftover(dir string) (files int, marked bool) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return nil
	})
	_, err := os.Stat(filepath.Join(dir, ".digest-build"))
	return files, err == nil
}

func killedBySIGKILL(ee *exec.ExitError) bool {
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// killTestCommand builds cmd/digest into a temporary folder.
func killTestCommand(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "digest")
	cmd := exec.Command(goTool, "build", "-o", bin, "github.com/digest-ssg/digest/cmd/digest")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/digest: %v\n%s", err, b)
	}
	return bin
}

// killTestArticle picks the first article of the site (by path) and
// returns its name and source.
func killTestArticle(t *testing.T, site string) (string, []byte) {
	t.Helper()
	var files []string
	err := filepath.WalkDir(filepath.Join(site, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no articles: %v", err)
	}
	slices.Sort(files)
	src, err := os.ReadFile(files[len(files)-1]) // the newest day
	if err != nil {
		t.Fatal(err)
	}
	return files[len(files)-1], src
}

// killTestSnapshot maps every path under dir (slash-separated, relative)
// to the SHA-256 of its content, or "dir" for a folder.
func killTestSnapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			m[rel] = "dir"
		case d.Type().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			m[rel] = hex.EncodeToString(sum[:])
		default:
			m[rel] = "type " + d.Type().String()
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	return m
}

func killTestSame(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// killTestDiff describes how got differs from want, in a few lines.
func killTestDiff(want, got map[string]string) string {
	var lines []string
	for k, v := range want {
		if w, ok := got[k]; !ok {
			lines = append(lines, "missing "+k)
		} else if w != v {
			lines = append(lines, "changed "+k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			lines = append(lines, "extra "+k)
		}
	}
	slices.Sort(lines)
	n := len(lines)
	if n > 10 {
		lines = append(lines[:10], fmt.Sprintf("… %d more", n-10))
	}
	return fmt.Sprintf("%d differences: %s", n, strings.Join(lines, "; "))
}
