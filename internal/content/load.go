package content

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/digest-ssg/digest/internal/buildcache"
	"github.com/digest-ssg/digest/internal/diag"
)

// Load parses every article under content/ in fsys, in parallel, and
// returns them in path order with every problem found. Files and folders
// whose names start with "." or "_", and editor temporary files, are
// skipped. A missing content/ folder is an empty site.
func (p *Parser) Load(fsys fs.FS) ([]*Article, diag.List) {
	results, errs := p.ListAndParse(fsys)
	var out []*Article
	for _, r := range results {
		errs.Append(r.Errs)
		if r.Article != nil {
			out = append(out, r.Article)
		}
	}
	return out, errs
}

// Result is one file's outcome: its article, or nil, and its problems
// (warnings too).
type Result struct {
	File    string
	Article *Article
	Errs    diag.List
}

// ListAndParse lists the articles (see List) and reads and parses each
// (see ParseFile) as the listing finds it, on GOMAXPROCS goroutines: a
// large site's parsing does not wait for the walk of content/ (a quarter
// of a second at 100,000 articles). The results are in path order.
func (p *Parser) ListAndParse(fsys fs.FS) ([]Result, diag.List) {
	type numbered struct {
		i    int
		file string
	}
	files := make(chan numbered, 1024)
	var listErrs diag.List
	var n int
	go func() {
		defer close(files)
		listErrs = list(fsys, func(file string) {
			files <- numbered{n, file}
			n++
		})
	}()
	workers := runtime.GOMAXPROCS(0)
	type parsed struct {
		i int
		Result
	}
	done := make([][]parsed, workers) // by worker
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for f := range files {
				a, errs := p.ParseFile(fsys, f.file)
				done[w] = append(done[w], parsed{f.i, Result{File: f.file, Article: a, Errs: errs}})
			}
		})
	}
	wg.Wait()
	results := make([]Result, n)
	for _, rs := range done {
		for _, r := range rs {
			results[r.i] = r.Result
		}
	}
	return results, listErrs
}

// ParseFile reads the article file at the slash path file in fsys with
// ReadFile, and parses it. With a cache, a file whose stamp the cache
// holds is not read: its entry is decoded.
func (p *Parser) ParseFile(fsys fs.FS, file string) (*Article, diag.List) {
	if p.opt.Cache == nil {
		src, err := ReadFile(fsys, file)
		if err != nil {
			return nil, diag.List{readError(file, err)}
		}
		return p.Parse(file, src)
	}
	// The time before the file is looked at: a write after it moves the
	// file's change time past it, which settledStamp relies on.
	before := time.Now()
	if info, err := fs.Stat(fsys, file); err == nil {
		stamp, _ := buildcache.Stamp(info)
		var a *Article
		var warnings diag.List
		hit := p.opt.Cache.Stamped(file, stamp, func(k buildcache.Key, data []byte, tail buildcache.Tail) error {
			var err error
			a, warnings, err = p.decode(fsys, file, k, data, tail)
			return err
		})
		if hit {
			return a, warnings
		}
	}
	src, info, err := readFileInfo(fsys, file)
	if err != nil {
		return nil, diag.List{readError(file, err)}
	}
	return p.parseCached(fsys, file, src, p.settledStamp(info, before))
}

// settledStamp is the stamp of a file as info says it was before it was
// read, or "" when the file changed too recently for it to be trusted:
// its change time must be more than Settle before the time before it
// was looked at. A file system keeps change times to a tick of its own
// (a nanosecond on ext4, 2 s on FAT), so a write after that time gets
// a change time of at least that time less a tick; with Settle at
// least a tick, every such write changes the stamp.
func (p *Parser) settledStamp(info fs.FileInfo, before time.Time) string {
	stamp, changed := buildcache.Stamp(info)
	settle := p.opt.Settle
	if settle <= 0 {
		settle = 2 * time.Second
	}
	if stamp == "" || !changed.Before(before.Add(-settle)) {
		return ""
	}
	return stamp
}

// decode reads a cache entry, which must be the article under k, made
// from file in fsys. Its body and plain text are read from tail when
// asked for, and if tail cannot be read, the file is parsed again.
func (p *Parser) decode(fsys fs.FS, file string, k buildcache.Key, data []byte, tail buildcache.Tail) (*Article, diag.List, error) {
	a, warnings, err := decodeArticle(data, p.cfg.Location)
	if err == nil && a.Fingerprint != string(k[:]) {
		err = errors.New("another article's entry")
	}
	if err != nil {
		return nil, nil, err
	}
	if file == "" {
		file = a.File
	}
	a.tail = p.lazyTail(fsys, file, k, tail)
	return a, warnings, nil
}

// lazyTail is where the article under k, made from file in fsys, reads
// its body and plain text: tail, or the file parsed again.
func (p *Parser) lazyTail(fsys fs.FS, file string, k buildcache.Key, tail buildcache.Tail) *lazyTail {
	return &lazyTail{read: tail.ReadInto, bufs: &p.tailBufs, reparse: func() (*Article, error) { return p.reparse(fsys, file, k) }}
}

// Cached returns the article whose cache entry is under k (an earlier
// version of an article, say), read from fsys if its body's part of the
// entry is damaged, or false when the cache has no such entry. It does
// not keep the entry from being pruned.
func (p *Parser) Cached(fsys fs.FS, k buildcache.Key) (*Article, bool) {
	if p.opt.Cache == nil {
		return nil, false
	}
	var a *Article
	ok := p.opt.Cache.Peek(k, func(data []byte, tail buildcache.Tail) error {
		var err error
		a, _, err = p.decode(fsys, "", k, data, tail)
		return err
	})
	return a, ok
}

// reparse parses file again for the body of the article cached under k
// whose tail could not be read: if the file is still what was cached.
func (p *Parser) reparse(fsys fs.FS, file string, k buildcache.Key) (*Article, error) {
	src, err := ReadFile(fsys, file)
	if err != nil {
		return nil, readError(file, err)
	}
	changed := diag.Errorf(diag.Pos{File: file}, "the build cache's copy of this article's body is damaged, and the file changed while the site was built: build again")
	if buildcache.NewKey(p.opt.CacheKey, []byte(file), src) != k {
		return nil, changed
	}
	a, errs := p.Parse(file, src)
	if a == nil || errs.Err() != nil {
		return nil, changed
	}
	return a, nil
}

// parseCached is Parse through the cache: an article the cache holds for
// these bytes is decoded, not parsed; one parsed without errors is
// stored, with the file's stamp when it has one to trust. An entry that
// does not decode is parsed again and replaced.
func (p *Parser) parseCached(fsys fs.FS, file string, src []byte, stamp string) (*Article, diag.List) {
	k := buildcache.NewKey(p.opt.CacheKey, []byte(file), src)
	var a *Article
	var warnings diag.List
	hit := p.opt.Cache.Read(k, func(data []byte, tail buildcache.Tail) error {
		var err error
		a, warnings, err = p.decode(fsys, file, k, data, tail)
		return err
	})
	if hit {
		if stamp != "" && !p.opt.Cache.HasStamp(file, stamp) {
			p.opt.Cache.Stamp(file, stamp, k) // found by its stamp next time
		}
		return a, warnings
	}
	a, errs := p.Parse(file, src)
	if a == nil || errs.Err() != nil {
		return a, errs
	}
	a.Fingerprint = string(k[:])
	if data, tail, err := encodeArticle(a, errs); err == nil {
		if t, err := p.opt.Cache.Put(file, stamp, k, data, tail); err == nil {
			// Read back when asked for: a build that parses every article
			// need not hold every body.
			a.body, a.plainText = "", ""
			a.tail = p.lazyTail(fsys, file, k, t)
		}
	}
	return a, errs
}

// ReadFile reads an article file, refusing one over MaxArticleBytes
// before reading it: the size is checked first, and no more than the
// limit and a byte is ever read, so a file that grows meanwhile, or one
// that does not say its size, is refused too. The error for a file too
// large is a *TooLargeError.
func ReadFile(fsys fs.FS, file string) ([]byte, error) {
	src, _, err := readFileInfo(fsys, file)
	return src, err
}

// readFileInfo is ReadFile, and tells what a stat of the open file said
// before it was read.
func readFileInfo(fsys fs.FS, file string) ([]byte, fs.FileInfo, error) {
	f, err := fsys.Open(file)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if info.Size() > MaxArticleBytes {
		return nil, nil, &TooLargeError{Size: info.Size()}
	}
	buf := make([]byte, 0, info.Size()+1) // +1: reaching EOF needs room for one more read
	r := io.LimitReader(f, MaxArticleBytes+1)
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // the file grew: make room
		}
	}
	if len(buf) > MaxArticleBytes {
		return nil, nil, &TooLargeError{}
	}
	return buf, info, nil
}

// TooLargeError is an article file over MaxArticleBytes.
type TooLargeError struct {
	Size int64 // in bytes; 0 when the file grew past the limit while read
}

func (e *TooLargeError) Error() string {
	if e.Size == 0 {
		return fmt.Sprintf("the file is over the limit of %d bytes (split it into several articles)", MaxArticleBytes)
	}
	return fmt.Sprintf("the file is %d bytes, over the limit of %d (split it into several articles)", e.Size, MaxArticleBytes)
}

// readError is the problem to report for an article file that ReadFile
// could not read.
func readError(file string, err error) *diag.Error {
	var tl *TooLargeError
	if errors.As(err, &tl) {
		return diag.Errorf(diag.Pos{File: file, Line: 1, Col: 1}, "%s", tl.Error())
	}
	return diag.CannotRead(file, false, err)
}

// List returns the slash paths of the article files under content/,
// sorted. Every other file is reported with a warning, so that nothing is
// left out unsaid, unless it is a file of a page bundle (see InBundle),
// whose article publishes it, or its name is ignored (see Ignored).
func List(fsys fs.FS) ([]string, diag.List) {
	var files []string
	errs := list(fsys, func(file string) { files = append(files, file) })
	return files, errs
}

// list is List, calling found with each article file in turn.
func list(fsys fs.FS, found func(file string)) diag.List {
	var others []other
	var errs diag.List
	err := fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == Dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			errs = append(errs, diag.CannotRead(p, d == nil || d.IsDir(), err))
			return nil
		}
		article := !d.IsDir() && IsMarkdown(p) && d.Type().IsRegular()
		if p != Dir && Ignored(path.Base(p)) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !utf8.ValidString(path.Base(p)) {
			// Such a name cannot be opened through fs.FS; nor could a
			// browser or a static host use it in a URL.
			if d.IsDir() || article {
				errs.Append(diag.List{badName(p, d.IsDir())})
			}
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case article:
			found(p)
		case !d.IsDir():
			others = append(others, other{p, d.Type()&fs.ModeSymlink != 0})
		}
		return nil
	})
	if err != nil {
		errs = append(errs, diag.CannotRead(Dir, true, err))
	}
	errs.Append(strays(fsys, others))
	return errs
}

// other is a file under content/ that is not an article.
type other struct {
	path string
	link bool // a symbolic link
}

// strays warns of the files in others that no page bundle publishes
// either.
func strays(fsys fs.FS, others []other) diag.List {
	var errs diag.List
	folders := map[string]FolderArticles{}
	look := func(dir string) FolderArticles {
		f, ok := folders[dir]
		if !ok {
			f = ReadFolder(fsys, dir)
			folders[dir] = f
		}
		return f
	}
	for _, o := range others {
		switch {
		case InBundle(o.path, look):
			// Its article publishes it (or warns of it).
		case o.link:
			errs.Warn(diag.Pos{File: o.path}, "skipped: symbolic links in content/ are not followed (copy the file itself here)")
		default:
			errs.Warn(diag.Pos{File: o.path}, "skipped: not an article (articles end in %s), nor a file of a page bundle (beside an index.md); move it to static/ to publish it, or delete it", markdownList())
		}
	}
	return errs
}

// markdownExts are the file name extensions of articles, lower-case:
// digest's .md and those other generators read as Markdown.
var markdownExts = []string{".md", ".markdown", ".mdown", ".mkd", ".mkdn"}

// IsMarkdown reports whether a file name ends in an extension of
// articles (.md, or another generator's: .markdown, .mdown, .mkd,
// .mkdn), in any letter case.
func IsMarkdown(name string) bool {
	ext := path.Ext(name)
	for _, e := range markdownExts {
		if strings.EqualFold(ext, e) {
			return true
		}
	}
	return false
}

// markdownList names the extensions of articles for messages.
func markdownList() string {
	n := len(markdownExts)
	return strings.Join(markdownExts[:n-1], ", ") + " or " + markdownExts[n-1]
}

// IsBundle reports whether an article file is a page bundle's: named
// index (index.md), so that the files beside it, and in the folders
// below that hold no article, are published with it (see InBundle).
func IsBundle(file string) bool {
	base := path.Base(file)
	return strings.EqualFold(strings.TrimSuffix(base, path.Ext(base)), "index")
}

// FolderArticles says what articles a folder holds, directly.
type FolderArticles struct {
	Any   bool // an article file
	Index bool // an index article: the folder is a page bundle
}

// ReadFolder tells what articles the folder dir of fsys holds.
func ReadFolder(fsys fs.FS, dir string) FolderArticles {
	var f FolderArticles
	entries, _ := fs.ReadDir(fsys, dir)
	for _, e := range entries {
		if p := dir + "/" + e.Name(); !e.IsDir() && IsArticle(p) {
			f.Any = true
			f.Index = f.Index || IsBundle(p)
		}
	}
	return f
}

// InBundle reports whether the file at slash path p, which is not an
// article, is a file of a page bundle: the nearest folder above it that
// holds an article holds an index article. A folder below a bundle that
// holds an article of its own is that article's, or a section, and not
// part of the bundle. look tells what a folder holds (ReadFolder, or a
// cache of it).
func InBundle(p string, look func(dir string) FolderArticles) bool {
	for dir := path.Dir(p); dir == Dir || strings.HasPrefix(dir, Dir+"/"); dir = path.Dir(dir) {
		if f := look(dir); f.Any {
			return f.Index
		}
	}
	return false
}

// badName is the problem with a file or folder whose name is not valid
// UTF-8: the name is printed escaped, and the way out is a command that
// renames it, reading the bad bytes as Windows-1252 (the usual culprit:
// names from old zip files), so that it can be copied into a terminal.
func badName(p string, dir bool) *diag.Error {
	what := "file"
	if dir {
		what = "folder"
	}
	to := path.Join(path.Dir(p), toUTF8(path.Base(p)))
	return diag.Errorf(diag.Pos{File: p}, "the %s name is not valid UTF-8 (rename it, e.g. mv %s %s)", what, shellQuote(p), shellQuote(to))
}

// toUTF8 reads the bytes of name that are not UTF-8 as Windows-1252.
func toUTF8(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); {
		r, size := utf8.DecodeRuneInString(name[i:])
		if r == utf8.RuneError && size == 1 {
			if r = charmap.Windows1252.DecodeByte(name[i]); r == utf8.RuneError {
				r = '_'
			}
		}
		b.WriteRune(r)
		i += size
	}
	return b.String()
}

// shellQuote quotes s for a POSIX shell: in single quotes when it is
// printable UTF-8, else with bash's $'...' and Go's escapes (\xe9).
func shellQuote(s string) string {
	if diag.Printable(s) {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	q := strconv.Quote(s)
	return "$'" + strings.ReplaceAll(q[1:len(q)-1], "'", `\'`) + "'"
}

// Ignored reports whether a file or folder name in content/ or static/ is
// skipped: hidden names, names starting with "_", and editors' temporary
// files. The build, the dev server and its watcher all use this rule.
func Ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || EditorTemp(name)
}

// EditorTemp reports whether a file name is one that editors and tools
// make and remove on their own while saving: backups (x~, x.bak), swap
// files (.x.swp, .x.swx), emacs's #x# and .#x, vim's 4913 probe,
// JetBrains' x___jb_tmp___ and x___jb_old___, sed -i's sedXXXXXX, *.tmp.
func EditorTemp(name string) bool {
	switch {
	case name == "4913", strings.HasPrefix(name, "#"), strings.HasPrefix(name, ".#"):
		return true
	case strings.HasSuffix(name, "~"), strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"),
		strings.HasSuffix(name, ".tmp"), strings.HasSuffix(name, ".bak"),
		strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"):
		return true
	}
	return sedTemp(name)
}

// sedTemp matches sed -i's temporary file: "sed" and six random letters
// and digits, at least one of them a digit or a capital (so a folder named
// "sediments" is not one).
func sedTemp(name string) bool {
	if len(name) != 9 || !strings.HasPrefix(name, "sed") {
		return false
	}
	mixed := false
	for _, c := range name[3:] {
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
			mixed = true
		case c >= 'a' && c <= 'z':
		default:
			return false
		}
	}
	return mixed
}

// IsArticle reports whether a slash path from the site root names a file
// that can be an article: under content/, ending in .md (or another
// extension of Markdown, see IsMarkdown), with no part of the path
// ignored.
func IsArticle(p string) bool {
	rest, ok := strings.CutPrefix(p, Dir+"/")
	if !ok || !IsMarkdown(p) {
		return false
	}
	for _, seg := range strings.Split(rest, "/") {
		if Ignored(seg) {
			return false
		}
	}
	return true
}
