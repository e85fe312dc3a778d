package wire

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/rogpeppe/go-internal/renameio"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/extract"
)

// StateFile is where Add and Pull remember what they drafted, relative to
// the site root.
const StateFile = ".digest/pull.json"

// stateVersion is the layout of StateFile; another is rebuilt, not read.
// It is the file's own version, not digest's (as the build cache's key
// is): what was drafted stays true across upgrades, and a rebuild would
// forget items whose drafts were deleted.
const stateVersion = 1

// How long things are remembered: an item for half a year after a feed
// last listed it (feeds keep items for days or weeks), a draft for
// merging other outlets' versions for three days.
const (
	itemMemory  = 180 * 24 * time.Hour
	draftMemory = 3 * 24 * time.Hour
)

// state is what has been pulled and drafted.
type state struct {
	Version int                   `json:"version"`
	Feeds   map[string]*feedState `json:"feeds"`  // by feed URL
	Items   map[string]*itemState `json:"items"`  // "url KEY" or "guid FEED GUID"
	Drafts  []*draftState         `json:"drafts"` // recent drafts, for merging other outlets' versions
}

// feedState is what the last response of a feed said, for a conditional
// request.
type feedState struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// itemState is an item already drafted (or merged into a draft).
type itemState struct {
	File string    `json:"file"`
	Seen time.Time `json:"seen"` // last listed by a feed, or drafted
}

// draftState is a recent draft a later item may be the same story as.
type draftState struct {
	File    string    `json:"file"`
	Title   string    `json:"title"`
	Day     string    `json:"day"` // the story's day in the site's timezone, YYYY-MM-DD
	URL     string    `json:"url"` // the URL key of its source_url
	Written time.Time `json:"written"`
}

func newState() *state {
	return &state{Version: stateVersion, Feeds: map[string]*feedState{}, Items: map[string]*itemState{}}
}

// loadState reads the state file. A missing one is rebuilt from content/
// quietly; a damaged one with a warning: it is never trusted.
func loadState(s *Site) *state {
	name := filepath.Join(s.Root, filepath.FromSlash(StateFile))
	data, err := os.ReadFile(name)
	if err == nil {
		st := newState()
		if err = json.Unmarshal(data, st); err == nil && st.Version != stateVersion {
			err = fmt.Errorf("version %d, not %d", st.Version, stateVersion)
		}
		if err == nil && st.Feeds != nil && st.Items != nil {
			return st
		}
		if err == nil {
			err = errors.New("parts are missing")
		}
	}
	if !errors.Is(err, fs.ErrNotExist) {
		s.warn("%s is damaged (%v): ignoring it, and remembering what was drafted from the articles in content/", StateFile, shortErr(err))
	}
	return rebuildState(s)
}

func shortErr(err error) string {
	msg := err.Error()
	if len(msg) > 100 {
		msg = msg[:100] + "…"
	}
	return msg
}

// sourceLine matches the front-matter lines that name a story's URLs:
// source_url (YAML or TOML, alias included) and the url of params.also.
var sourceLine = regexp.MustCompile(`(?i)^\s*(?:-\s*)?(?:source_?url\s*[:=]|\{?\s*name\s*[:=].*\burl\s*[:=])\s*(.*)$`)

var quotedURL = regexp.MustCompile(`"(https?://[^"]+)"|'(https?://[^']+)'|(https?://\S+)`)

// rebuildState remembers the URLs of the articles in content/ as drafted,
// so that deleting the state file never pulls a story twice.
func rebuildState(s *Site) *state {
	st := newState()
	root := os.DirFS(s.Root)
	fs.WalkDir(root, content.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") || strings.HasPrefix(path.Base(p), ".") {
			return nil
		}
		f, err := root.Open(p)
		if err != nil {
			return nil
		}
		defer f.Close()
		for _, u := range frontMatterURLs(bufio.NewScanner(f)) {
			if key := extract.Key(u); key != "" {
				st.Items["url "+key] = &itemState{File: p, Seen: s.Now}
			}
		}
		return nil
	})
	return st
}

// frontMatterURLs reads the story URLs of an article's front matter.
func frontMatterURLs(sc *bufio.Scanner) []string {
	var out []string
	fence := ""
	for n := 0; sc.Scan() && n < 500; n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if n == 0 {
			fence = strings.TrimPrefix(line, "\uFEFF")
			if fence != "---" && fence != "+++" {
				return nil
			}
			continue
		}
		if line == fence {
			break
		}
		m := sourceLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, q := range quotedURL.FindAllStringSubmatch(m[0], -1) {
			u := q[1] + q[2] + q[3]
			if uq, err := strconv.Unquote(`"` + u + `"`); err == nil {
				u = uq
			}
			out = append(out, strings.TrimRight(u, `"'},`))
		}
	}
	return out
}

// has reports whether any of the keys was drafted, and marks it seen.
func (st *state) has(now time.Time, keys ...string) bool {
	found := false
	for _, k := range keys {
		if it, ok := st.Items[k]; ok {
			it.Seen = now
			found = true
		}
	}
	return found
}

// draftOf is the draft holding the story with that URL key, if its file
// is still there.
func (st *state) draftOf(s *Site, key string) string {
	if key == "" {
		return ""
	}
	it, ok := st.Items["url "+key]
	if !ok {
		return ""
	}
	if _, err := os.Stat(filepath.Join(s.Root, filepath.FromSlash(it.File))); err != nil {
		return ""
	}
	return it.File
}

// remember records a draft and the keys of the items it holds.
func (st *state) remember(file, title, day string, keys []string, now time.Time) {
	for _, k := range keys {
		if k != "url " && k != "guid " {
			st.Items[k] = &itemState{File: file, Seen: now}
		}
	}
	url := ""
	for _, k := range keys {
		if strings.HasPrefix(k, "url ") && url == "" {
			url = strings.TrimPrefix(k, "url ")
		}
	}
	st.Drafts = append(st.Drafts, &draftState{File: file, Title: title, Day: day, URL: url, Written: now})
}

// save forgets what is old and writes the file in one step: a new file
// renamed over the old, so a crash leaves the old or the new state.
func (st *state) save(s *Site) error {
	for k, it := range st.Items {
		if s.Now.Sub(it.Seen) > itemMemory {
			delete(st.Items, k)
		}
	}
	var recent []*draftState
	for _, d := range st.Drafts {
		if s.Now.Sub(d.Written) <= draftMemory {
			recent = append(recent, d)
		}
	}
	st.Drafts = recent
	data, err := json.MarshalIndent(st, "", " ")
	if err != nil {
		return err
	}
	name := filepath.Join(s.Root, filepath.FromSlash(StateFile))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return fmt.Errorf("cannot remember what was drafted: %w", err)
	}
	if err := renameio.WriteFile(name, append(data, '\n')); err != nil {
		return fmt.Errorf("cannot remember what was drafted: %w", err)
	}
	return nil
}

// day is a time's day in the site's timezone (now's when it is zero).
func (s *Site) day(t time.Time) string {
	if t.IsZero() {
		t = s.Now
	}
	return t.In(s.Config.Location).Format("2006-01-02")
}
