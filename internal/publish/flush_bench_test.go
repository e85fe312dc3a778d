package publish

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkFlush compares the two ways of making a new build durable
// before the swap (so that a power cut leaves no empty pages): one
// syncfs(2) of the whole file system (syncTree, what builds do on Linux),
// and an fsync of each file the build wrote (syncEachFile). With "busy",
// another process's data (64 MB, written and not flushed) is waiting on
// the same file system, as on a shared machine or a CI runner, and
// syncfs must write it too. Set DIGEST_FLUSH_DIR to measure on another
// disk than $TMPDIR's.
//
//	go test ./internal/publish -run '^$' -bench Flush -benchtime 5x
func BenchmarkFlush(b *testing.B) {
	root := os.Getenv("DIGEST_FLUSH_DIR")
	if root == "" {
		root = b.TempDir()
	}
	page := bytes.Repeat([]byte("<p>a page of the build</p>\n"), 450) // 12 KB, a page's size
	for _, files := range []int{1000, 12000} {
		for _, busy := range []bool{false, true} {
			for _, way := range []struct {
				name  string
				flush func(string) error
			}{{"syncfs", syncTree}, {"each-file", syncEachFile}} {
				b.Run(fmt.Sprintf("files=%d/busy=%v/%s", files, busy, way.name), func(b *testing.B) {
					for i := range b.N {
						b.StopTimer()
						dir := filepath.Join(root, fmt.Sprintf("flush-%d", i))
						writeTree(b, dir, files, page)
						if busy {
							writeOther(b, filepath.Join(root, "other.bin"))
						}
						b.StartTimer()
						if err := way.flush(dir); err != nil {
							b.Fatal(err)
						}
						b.StopTimer()
						os.RemoveAll(dir)
						os.Remove(filepath.Join(root, "other.bin"))
						syncTree(root)
					}
				})
			}
		}
	}
}

// writeTree writes files pages in folders of 10, as a build does.
func writeTree(b *testing.B, dir string, files int, page []byte) {
	for i := range files {
		p := filepath.Join(dir, fmt.Sprintf("%03d", i/10), fmt.Sprintf("%d.html", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, page, 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

// writeOther leaves 64 MB of another program's data unflushed.
func writeOther(b *testing.B, name string) {
	if err := os.WriteFile(name, bytes.Repeat([]byte{'x'}, 64<<20), 0o644); err != nil {
		b.Fatal(err)
	}
}
