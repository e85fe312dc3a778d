package publish

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Record is what the marker file of a build says about it. Markers that
// digest wrote before it counted articles hold no count.
type Record struct {
	Articles int  // how many articles the build published
	Counted  bool // whether the marker holds that count
}

// Options say what a new build records, and what it needs of the build it
// replaces.
type Options struct {
	// Record is written into the new build's marker.
	Record Record
	// Accept, when set, is given the record of the build in the output
	// folder once the folder is locked against other builds, before
	// anything is written; what it returns is Begin's error, and then
	// nothing is changed.
	Accept func(previous Record) error
	// Listings, when set, keeps what the folders of a build written over
	// the build before last held, so that the build after next need not
	// list them all (see listing.go).
	Listings Store
}

// markerLine opens every marker, for whoever finds the folder.
const markerLine = "This folder was written by digest build and is replaced by the next build.\n"

// articlesKey starts the marker's line with the count of articles.
const articlesKey = "articles: "

// markerText is the text of a marker recording rec.
func markerText(rec Record) []byte {
	if !rec.Counted {
		return []byte(markerLine)
	}
	return []byte(markerLine + articlesKey + strconv.Itoa(rec.Articles) + "\n")
}

// readRecord reads the record in the marker of the build in dir. A folder
// without a marker, or one that cannot be read, records nothing.
func readRecord(dir string) Record {
	f, err := os.Open(filepath.Join(dir, Marker))
	if err != nil {
		return Record{}
	}
	defer f.Close()
	lines := bufio.NewScanner(io.LimitReader(f, 4<<10))
	for lines.Scan() {
		if v, ok := strings.CutPrefix(lines.Text(), articlesKey); ok {
			if n, err := strconv.Atoi(v); err == nil && n >= 0 {
				return Record{Articles: n, Counted: true}
			}
		}
	}
	return Record{}
}

// rewriteMarker puts a new marker recording rec into a kept build, in
// place of the one it has. The new marker takes the old one's name in one
// rename, so the folder is never without one.
func rewriteMarker(dir string, rec Record) error {
	p := filepath.Join(dir, Marker)
	next := p + ".new"
	if err := writeExclusive(next, markerText(rec)); err != nil {
		return err
	}
	if err := os.Rename(next, p); err != nil {
		os.Remove(next)
		return err
	}
	return nil
}
