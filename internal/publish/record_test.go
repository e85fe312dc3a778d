package publish

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"testing"
)

func TestRecordReadsBack(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name   string
		marker string // "" for none
		want   Record
	}{
		{"counted", string(markerText(Record{Articles: 120, Counted: true})), Record{Articles: 120, Counted: true}},
		{"none counted", string(markerText(Record{Counted: true})), Record{Counted: true}},
		{"not counted", string(markerText(Record{})), Record{}},
		// Markers of digest before it counted: no count, no check.
		{"old", "This folder was written by digest build and is replaced by the next build.\n", Record{}},
		{"empty", "\x00", Record{}},
		{"garbage", markerLine + "articles: many\n", Record{}},
		{"negative", markerLine + "articles: -3\n", Record{}},
		{"no marker", "", Record{}},
	} {
		d := filepath.Join(dir, tc.name)
		mustMkdir(t, d)
		switch tc.marker {
		case "":
		case "\x00":
			mustWrite(t, filepath.Join(d, Marker), "")
		default:
			mustWrite(t, filepath.Join(d, Marker), tc.marker)
		}
		if got := readRecord(d); got != tc.want {
			t.Errorf("%s: readRecord = %+v, want %+v", tc.name, got, tc.want)
		}
	}
	if got := readRecord(filepath.Join(dir, "missing")); got != (Record{}) {
		t.Errorf("a missing folder records %+v", got)
	}
}

// buildWith builds files into out, recording rec.
func buildWith(t *testing.T, root, out string, rec Record, files map[string]string) {
	t.Helper()
	buildOptions(t, root, out, Options{Record: rec}, files)
}

// buildOptions builds files into out with opt, and returns the build.
func buildOptions(t *testing.T, root, out string, opt Options, files map[string]string) *Output {
	t.Helper()
	o, err := BeginWith(root, out, opt)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := o.Write(name, []byte(data)); err != nil {
			o.Abort()
			t.Fatal(err)
		}
	}
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	return o
}

// TestMarkerRecordsEachBuild: the output's marker records its own build,
// also when that build was written over the kept one, whose marker
// recorded the build before last.
func TestMarkerRecordsEachBuild(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	for i, n := range []int{5, 3, 4, 4} {
		buildWith(t, root, out, Record{Articles: n, Counted: true}, map[string]string{"index.html": "x"})
		if got := readRecord(out); got != (Record{Articles: n, Counted: true}) {
			t.Errorf("build %d of %d articles: the output records %+v", i+1, n, got)
		}
	}
	if _, err := os.Lstat(filepath.Join(Kept(out), Marker+".new")); err == nil {
		t.Error("the marker's temporary file is left in the kept build")
	}
	// A build that counts nothing records nothing, over a kept build that did.
	buildWith(t, root, out, Record{}, map[string]string{"index.html": "x"})
	if got := readRecord(out); got != (Record{}) {
		t.Errorf("a build that counted nothing records %+v", got)
	}
}

// TestRefusedBuildChangesNothing: when Accept refuses the build, the
// output, the kept build and even a killed build's leftovers stay as they
// were, and Accept saw what the output's marker records.
func TestRefusedBuildChangesNothing(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	buildWith(t, root, out, Record{Articles: 9, Counted: true}, map[string]string{"index.html": "one"})
	buildWith(t, root, out, Record{Articles: 8, Counted: true}, map[string]string{"index.html": "two"})
	leftover := filepath.Join(root, ".build.tmp-123")
	mustMkdir(t, leftover)
	mustWrite(t, filepath.Join(leftover, Marker), markerLine)
	before := tree(t, root)

	refusal := errors.New("refused")
	var seen Record
	o, err := BeginWith(root, out, Options{
		Record: Record{Articles: 1, Counted: true},
		Accept: func(previous Record) error { seen = previous; return refusal },
	})
	if !errors.Is(err, refusal) || o != nil {
		t.Fatalf("BeginWith = %v, %v; want the refusal", o, err)
	}
	if seen != (Record{Articles: 8, Counted: true}) {
		t.Errorf("Accept saw %+v, want the output's 8 articles", seen)
	}
	if after := tree(t, root); !maps.Equal(before, after) {
		t.Errorf("a refused build changed the site's folder:\nbefore %v\nafter  %v", before, after)
	}
	// The lock was let go: the next build goes ahead.
	buildWith(t, root, out, Record{Articles: 1, Counted: true}, map[string]string{"index.html": "three"})
}

// TestFileWithOtherPermissionsIsWrittenAnew: a file of the output whose
// permissions are not those of a new file (chmod -R a-w on the output,
// or on the kept build, whose unchanged files are the same files) is not
// linked into the new build, which would keep them; it is written anew,
// as a build into a new folder would.
func TestFileWithOtherPermissionsIsWrittenAnew(t *testing.T) {
	root := site(t)
	out := filepath.Join(root, "build")
	files := map[string]string{"same.html": "same", "locked.html": "locked"}
	for range 2 { // the second keeps the first
		buildWith(t, root, out, Record{}, files)
	}
	if err := os.Chmod(filepath.Join(out, "locked.html"), 0o444); err != nil {
		t.Fatal(err)
	}
	want, err := os.Lstat(filepath.Join(out, "same.html"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 { // written over the kept build, then anew
		buildWith(t, root, out, Record{}, files)
		locked, err := os.Lstat(filepath.Join(out, "locked.html"))
		if err != nil {
			t.Fatal(err)
		}
		if locked.Mode() != want.Mode() {
			t.Errorf("build %d: locked.html is %v, want %v as a new file", i+1, locked.Mode(), want.Mode())
		}
	}
	if !sameFile(t, filepath.Join(out, "same.html"), filepath.Join(Kept(out), "same.html")) {
		t.Error("an unchanged file is no longer shared with the kept build")
	}
}
