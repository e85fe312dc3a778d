package buildcache

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Log keeps many small entries in one file of a variant's folder: the
// articles of a site, each as parsed, which a build reads all of. One file
// read at known offsets costs a fraction of opening ten thousand.
//
// An entry is found by its key, as in a Cache, or by the name and stamp
// of the file it was made from (see Stamp): a build that finds a file's
// stamp as it was need not read the file to know its key. A stamp is
// stored only when the caller vouches for it (the file had not changed for
// a while before it was read), so a file written again in the same
// instant as it was read never matches.
//
// Entries are appended, one write each, so builds running at the same
// time do not mix their entries; a build killed in a write leaves a
// record cut short at the end, which the next reader finds (its length
// runs past the end, or its checksum fails) and ignores with what follows
// it. Every record carries a CRC-32C of all its fields, checked on each
// read. Prune rewrites the file with only the entries the build used
// when it holds an entry of a deleted or renamed article, when the dead
// entries of edited articles outweigh the live ones, or when it is
// damaged.
type Log struct {
	path string

	mu      sync.Mutex
	scanned bool
	f       *os.File    // for reading; nil when there is no file yet
	fInfo   os.FileInfo // f's file
	size    int64       // bytes of whole records found by the scan
	byName  map[string]logRecord
	byKey   map[Key]logRecord // through keys(): with pendingKeys read into it
	// pendingKeys is the index's part that byKey is read from when first
	// needed (see keyIndex); nil once it is, or when there is no index.
	pendingKeys *keyIndex
	damaged     bool           // a record cut short or failing its checksum
	live        map[string]Key // the entries this build used or wrote, by name
	// app is for appending, opened at the first Put, and for reading
	// the tails of the entries appended (see Put): like f, it is not
	// closed while they may be read.
	app     *os.File
	appInfo os.FileInfo // app's file, which appended's offsets are in
	// appendedBytes counts the bytes of the records this build wrote.
	appendedBytes int64
	// appended are the records this build wrote, by name: a scan stops
	// at damage, and Prune finds them here.
	appended map[string]logRecord
	// appendedData are the records with data this build wrote, by key:
	// a name's latest record may be a stamp record naming one of them.
	appendedData map[Key]logRecord
	bufs         sync.Pool // of *[]byte, for reads
}

type logRecord struct {
	off   int64 // of the record's header
	size  int64 // of the whole record
	tail  int64 // of its tail (see Tail), at its end
	key   Key
	stamp string
	bare  bool // a stamp record: its data is the entry under key's
}

// Record layout: magic, name length (2 bytes), stamp length (1), key,
// data length (4), tail length (4), the tail's CRC-32C (4), a CRC-32C
// of all the rest of the record but the tail (the magic included), then
// the name, the stamp, the data and the tail.
const (
	logMagic = "dgl2"
	// stampMagic starts a record without data, which gives the file name
	// a new stamp for the entry under its key (see Stamp).
	stampMagic    = "dgs2"
	logHeaderSize = len(logMagic) + 2 + 1 + len(Key{}) + 4 + 4 + 4 + 4
	// logFile is the name of the articles log in a variant's folder.
	logFile = "articles.log"
	// maxLogData bounds one entry, so that a damaged length never makes a
	// reader allocate much.
	maxLogData = 64 << 20
)

// OpenLog returns the articles log of the cache's variant. Nothing is read
// until the first lookup, nor written until the first Put.
func (c *Cache) OpenLog() *Log {
	return &Log{path: filepath.Join(c.dir, logFile)}
}

// Prefetch reads the records' headers in the background, for the
// lookups to come: a build lists its articles meanwhile.
func (l *Log) Prefetch() {
	go func() {
		l.mu.Lock()
		l.scan()
		keys := l.pendingKeys
		l.mu.Unlock()
		if keys != nil {
			keys.read() // without the lock, which the articles' reads take
		}
	}()
}

// scan reads the records' headers, once. Callers hold l.mu.
func (l *Log) scan() {
	if l.scanned {
		return
	}
	l.scanned = true
	l.byName = map[string]logRecord{}
	l.byKey = map[Key]logRecord{}
	l.live = map[string]Key{}
	f, err := os.Open(l.path)
	if err != nil {
		return
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return
	}
	l.f, l.fInfo = f, info
	end := info.Size()
	head := make([]byte, 512)
	off := l.readIndex(info)                     // and what was appended since, record by record
	l.live = make(map[string]Key, len(l.byName)) // as many as the build reads, most often
	for off < end {
		n, _ := f.ReadAt(head[:min(int64(len(head)), end-off)], off)
		h, ok := parseLogHeader(head[:n])
		if !ok && n >= logHeaderSize && n == len(head) {
			// A long name: read its header again, whole.
			need := logHeaderSize + int(binary.LittleEndian.Uint16(head[len(logMagic):])) + int(head[len(logMagic)+2])
			if need > len(head) {
				head = make([]byte, need)
				n, _ = f.ReadAt(head[:min(int64(len(head)), end-off)], off)
				h, ok = parseLogHeader(head[:n])
			}
		}
		if !ok || off+h.size > end {
			l.damaged = true
			break
		}
		rec := logRecord{off: off, size: h.size, tail: int64(h.tailLen), key: h.key, stamp: string(h.stamp), bare: h.bare}
		name := string(h.name)
		l.byName[name] = rec
		if !h.bare {
			l.byKey[h.key] = rec // merged into the index's by keys()
		}
		off += h.size
	}
	l.size = off
}

type logHeader struct {
	bare        bool // a stamp record (stampMagic), without data
	name, stamp []byte
	key         Key
	dataLen     int
	tailLen     int
	tailSum     uint32
	sum         uint32
	size        int64 // of the whole record
}

// parseLogHeader reads a record's header, name and stamp from b.
func parseLogHeader(b []byte) (logHeader, bool) {
	var h logHeader
	if len(b) < logHeaderSize {
		return h, false
	}
	switch string(b[:len(logMagic)]) {
	case logMagic:
	case stampMagic:
		h.bare = true
	default:
		return h, false
	}
	p := b[len(logMagic):]
	nameLen := int(binary.LittleEndian.Uint16(p))
	stampLen := int(p[2])
	copy(h.key[:], p[3:])
	p = p[3+len(h.key):]
	dataLen, tailLen := binary.LittleEndian.Uint32(p), binary.LittleEndian.Uint32(p[4:])
	h.tailSum = binary.LittleEndian.Uint32(p[8:])
	h.sum = binary.LittleEndian.Uint32(p[12:])
	if dataLen > maxLogData || tailLen > maxLogData {
		return h, false
	}
	h.dataLen, h.tailLen = int(dataLen), int(tailLen)
	if h.bare && (h.dataLen != 0 || h.tailLen != 0 || stampLen == 0) || len(b) < logHeaderSize+nameLen+stampLen {
		return h, false
	}
	rest := b[logHeaderSize:]
	h.name, h.stamp = rest[:nameLen], rest[nameLen:nameLen+stampLen]
	h.size = int64(logHeaderSize+nameLen+stampLen+h.dataLen) + int64(h.tailLen)
	return h, true
}

// Stamped calls use with the key, data and tail of the entry stored for
// name with stamp, and reports true when there is a whole one whose data
// is intact and use returned nil. An empty stamp matches nothing. The
// data is valid only until use returns; the tail is read when asked for.
func (l *Log) Stamped(name, stamp string, use func(k Key, data []byte, tail Tail) error) bool {
	if stamp == "" {
		return false
	}
	l.mu.Lock()
	l.scan()
	rec, ok := l.byName[name]
	ok = ok && rec.stamp == stamp
	if ok && rec.bare {
		rec, ok = l.keys()[rec.key]
	}
	f := l.f
	l.mu.Unlock()
	if !ok {
		return false
	}
	return l.read(f, name, rec, use)
}

// Read calls use with the data and tail of the entry stored under k, and
// reports true when there is a whole one whose data is intact and use
// returned nil. The data is valid only until use returns; the tail is
// read when asked for.
func (l *Log) Read(k Key, use func(data []byte, tail Tail) error) bool {
	return l.readKey(k, true, use)
}

// Peek is Read for an entry the build looks at but does not use (an
// article's version before an edit): it does not keep the entry from
// Prune.
func (l *Log) Peek(k Key, use func(data []byte, tail Tail) error) bool {
	return l.readKey(k, false, use)
}

// readKey reads the entry under k; used as in readAs.
func (l *Log) readKey(k Key, used bool, use func(data []byte, tail Tail) error) bool {
	l.mu.Lock()
	l.scan()
	rec, ok := l.keys()[k]
	f := l.f
	l.mu.Unlock()
	if !ok {
		return false
	}
	return l.readAs(f, "", rec, used, func(_ Key, data []byte, tail Tail) error { return use(data, tail) })
}

// HasStamp reports whether name's latest entry was stored with stamp.
func (l *Log) HasStamp(name, stamp string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.scan()
	return l.byName[name].stamp == stamp
}

// read reads rec from f, checks it, and calls use with its data; name,
// when not "", must be the record's. A read that fails is a miss.
func (l *Log) read(f *os.File, name string, rec logRecord, use func(k Key, data []byte, tail Tail) error) bool {
	return l.readAs(f, name, rec, true, use)
}

// readAs is read; used says whether the entry is one the build uses,
// which Prune keeps.
func (l *Log) readAs(f *os.File, name string, rec logRecord, used bool, use func(k Key, data []byte, tail Tail) error) bool {
	bp, _ := l.bufs.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	defer l.bufs.Put(bp)
	head := rec.size - rec.tail
	if int64(cap(*bp)) < head {
		*bp = make([]byte, head)
	}
	buf := (*bp)[:head]
	if _, err := f.ReadAt(buf, rec.off); err != nil {
		return false
	}
	h, ok := parseLogHeader(buf)
	if !ok || h.size != rec.size || h.key != rec.key || (name != "" && string(h.name) != name) || string(h.stamp) != rec.stamp {
		l.markDamaged()
		return false
	}
	if !checkLogRecord(buf, h) {
		l.markDamaged()
		return false
	}
	data := buf[int64(logHeaderSize)+int64(len(h.name))+int64(len(h.stamp)):]
	tail := Tail{log: l, f: f, off: rec.off + head, n: h.tailLen, sum: h.tailSum}
	if use(h.key, data, tail) != nil {
		return false
	}
	if !used {
		return true
	}
	l.mu.Lock()
	if l.live != nil {
		l.live[string(h.name)] = h.key
	}
	l.mu.Unlock()
	return true
}

func (l *Log) markDamaged() {
	l.mu.Lock()
	l.damaged = true
	l.mu.Unlock()
}

// Tail is the second part of an entry (see Put), read only when asked
// for: a build needs the data of every article, but the tails (bodies
// and texts, most of the bytes) of the few whose pages it renders.
type Tail struct {
	log *Log
	f   *os.File // the log's file as it was read: a Prune leaves it open for the tails
	off int64
	n   int
	sum uint32
}

// Len is the tail's length in bytes.
func (t Tail) Len() int { return t.n }

// Read reads the tail and checks its checksum. A tail that cannot be read
// as it was written is an error, and makes the log count as damaged (see
// Prune).
func (t Tail) Read() ([]byte, error) { return t.ReadInto(nil) }

// ReadInto is Read into buf's memory when it is large enough.
func (t Tail) ReadInto(buf []byte) ([]byte, error) {
	if t.n == 0 {
		return buf[:0], nil
	}
	b := buf[:0]
	if cap(b) < t.n {
		b = make([]byte, t.n)
	}
	b = b[:t.n]
	_, err := t.f.ReadAt(b, t.off)
	if err == nil && crc32.Checksum(b, castagnoli) != t.sum {
		err = errors.New("checksum mismatch")
	}
	if err != nil {
		t.log.markDamaged()
		return nil, fmt.Errorf("buildcache: the articles log's entry is damaged: %w", err)
	}
	return b, nil
}

// Put appends an entry for name (the file it was made from, with stamp,
// or "" when the file's stamp is not to be trusted) under k: data, which
// every lookup reads, and tail, which is read only when asked for (see
// Tail). It returns where the tail was written, to read it back: a build
// need not hold the bodies of all it parsed. As with a Cache, an error
// means only that the entry was not stored.
func (l *Log) Put(name, stamp string, k Key, data, tail []byte) (Tail, error) {
	return l.append(name, stamp, k, data, tail, false)
}

// Stamp appends a record without data that gives name the stamp stamp
// for the entry already stored under k: a file found by its key, whose
// stamp can now be trusted, is found by its stamp next time, without
// storing its entry twice.
func (l *Log) Stamp(name, stamp string, k Key) error {
	if stamp == "" {
		return nil
	}
	_, err := l.append(name, stamp, k, nil, nil, true)
	return err
}

func (l *Log) append(name, stamp string, k Key, data, tail []byte, bare bool) (Tail, error) {
	if len(name) > 0xffff || len(stamp) > 0xff || len(data) > maxLogData || len(tail) > maxLogData {
		return Tail{}, errors.New("buildcache: entry too large for the log")
	}
	rec := appendLogRecord(nil, name, stamp, k, data, tail, bare)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.scan()
	if l.app == nil {
		if err := os.MkdirAll(filepath.Dir(l.path), 0o755); err != nil {
			return Tail{}, err
		}
		f, err := os.OpenFile(l.path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return Tail{}, err
		}
		l.app = f
		l.appInfo, _ = f.Stat()
	}
	if _, err := l.app.Write(rec); err != nil {
		return Tail{}, err
	}
	l.live[name] = k
	// An appending write leaves the file's offset at its record's end,
	// whatever other builds appended before or after it. Where it is not
	// known, appendedBytes leaves the record out, and Prune reads the log
	// again (see asLeft).
	end, err := l.app.Seek(0, io.SeekCurrent)
	if err != nil {
		return Tail{}, fmt.Errorf("buildcache: the entry's place in the log is not known: %w", err)
	}
	l.appendedBytes += int64(len(rec))
	if l.appended == nil {
		l.appended, l.appendedData = map[string]logRecord{}, map[Key]logRecord{}
	}
	r := logRecord{off: end - int64(len(rec)), size: int64(len(rec)), tail: int64(len(tail)), key: k, stamp: stamp, bare: bare}
	l.appended[name] = r
	if !bare {
		l.appendedData[k] = r
	}
	sum := binary.LittleEndian.Uint32(rec[logHeaderSize-8:])
	return Tail{log: l, f: l.app, off: end - int64(len(tail)), n: len(tail), sum: sum}, nil
}

// appendLogRecord appends a record to b.
func appendLogRecord(b []byte, name, stamp string, k Key, data, tail []byte, bare bool) []byte {
	start := len(b)
	if bare {
		b = append(b, stampMagic...)
	} else {
		b = append(b, logMagic...)
	}
	b = binary.LittleEndian.AppendUint16(b, uint16(len(name)))
	b = append(b, byte(len(stamp)))
	b = append(b, k[:]...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(tail)))
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(tail, castagnoli))
	b = append(b, 0, 0, 0, 0) // the checksum, below
	b = append(b, name...)
	b = append(b, stamp...)
	b = append(b, data...)
	sum := crc32.Checksum(b[start+logHeaderSize:], castagnoli)
	sum = crc32.Update(sum, castagnoli, b[start:start+logHeaderSize-4])
	binary.LittleEndian.PutUint32(b[start+logHeaderSize-4:], sum)
	return append(b, tail...)
}

// Prune rewrites the log with only the entries used or written since it
// was opened (the latest of each name) when the log holds an entry for a
// name the build did not use (an article deleted or renamed), when they
// are less than half of it (the dead entries of edited articles outweigh
// them), or when the log is damaged. It stops appending, but leaves the
// files open for the tails read from them (see reset). A later lookup
// reads the log again.
func (l *Log) Prune() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	live, damaged, appended, appendedData, appInfo := l.live, l.damaged, l.appended, l.appendedData, l.appInfo
	if live == nil {
		l.forgetApp()
		l.reset()
		return nil
	}
	defer l.reset()
	if l.asLeft() {
		// What the scan found and what this build appended is the file.
		for name, rec := range appended {
			l.byName[name] = rec
		}
		for k, rec := range appendedData {
			l.keys()[k] = rec
		}
		l.size += l.appendedBytes
		if l.f == nil {
			l.f, l.fInfo = l.app, appInfo
		}
		l.forgetApp()
	} else {
		// Scan again: the file now holds this build's entries too, unless
		// another build has written the log again since, when what this
		// build appended is in a file that is gone.
		l.forgetApp()
		l.reset()
		l.scan()
		if l.f == nil || appInfo == nil || !os.SameFile(l.fInfo, appInfo) {
			appended, appendedData = nil, nil
		}
	}
	// The records by key are read now if no lookup did: if they do not
	// read, the log counts as damaged and is written again below, not
	// indexed without them.
	byKey := l.keys()
	keep := make([]logRecord, 0, len(live))
	var liveBytes int64
	for name, k := range live {
		rec, ok := l.byName[name]
		if !ok || rec.key != k {
			rec, ok = appended[name] // after damage, which the scan stopped at
			ok = ok && rec.key == k
		}
		if !ok || rec.bare {
			// The entry itself, and the stamp record naming it, if any.
			data, found := byKey[k]
			if !found {
				data, found = appendedData[k] // after damage
			}
			if !found {
				continue
			}
			keep = append(keep, data)
			liveBytes += data.size
		}
		if ok {
			keep = append(keep, rec)
			liveBytes += rec.size
		}
	}
	gone := false // an entry of a file the build did not read: deleted or renamed
	for name := range l.byName {
		if _, ok := live[name]; !ok {
			gone = true
			break
		}
	}
	if !damaged && !l.damaged && !gone && l.size <= 2*liveBytes {
		l.writeIndex()
		return nil
	}
	os.Remove(l.indexPath()) // of a file that is going
	if err := l.rewrite(keep); err != nil {
		return err
	}
	// The file written, read as the next build would, for its index.
	l.reset()
	if l.scan(); !l.damaged {
		l.writeIndex()
	}
	return nil
}

// asLeft reports whether the log's file is what the scan found and the
// records this build appended, and nothing else: no other build appended
// to it or wrote it again since. Callers hold l.mu.
func (l *Log) asLeft() bool {
	if !l.scanned || l.damaged {
		return false
	}
	info, err := os.Stat(l.path)
	switch {
	case err != nil:
		return false
	case l.f != nil && !os.SameFile(info, l.fInfo):
		return false
	case l.app != nil && (l.appInfo == nil || !os.SameFile(info, l.appInfo)):
		return false
	case l.f == nil && l.app == nil:
		return false // a file another build made
	}
	return info.Size() == l.size+l.appendedBytes
}

// forgetApp lets go of the file appended to, without closing it: the
// tails of the entries appended read it still (see reset). Callers hold
// l.mu.
func (l *Log) forgetApp() {
	l.app, l.appInfo, l.appendedBytes = nil, nil, 0
}

// Close stops appending to the log, without pruning it; the files
// read stay open while tails of its entries are held (see reset). A
// later lookup reads the log again.
func (l *Log) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.forgetApp()
	l.reset()
}

// rewrite writes the records keep into a new file that replaces the log.
// Callers hold l.mu, with the log scanned.
func (l *Log) rewrite(keep []logRecord) error {
	if l.f == nil {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(l.path), tmpPrefix+"00000000-*")
	if err != nil {
		return err
	}
	// In the order of the old file, so reads go forward.
	sortRecords(keep)
	buf := make([]byte, 0, 1<<20)
	for _, rec := range keep {
		if len(buf) > 0 && int64(len(buf))+rec.size > int64(cap(buf)) {
			if _, err = tmp.Write(buf); err != nil {
				break
			}
			buf = buf[:0]
		}
		start := len(buf)
		buf = append(buf, make([]byte, rec.size)...)
		if _, err = l.f.ReadAt(buf[start:], rec.off); err != nil {
			break
		}
		if h, ok := parseLogHeader(buf[start:]); !ok || h.size != rec.size || h.key != rec.key || !checkLogRecord(buf[start:], h) || !checkLogTail(buf[start:], h) {
			buf = buf[:start] // damaged: left out
		}
	}
	if err == nil {
		_, err = tmp.Write(buf)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), l.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// checkLogRecord reports whether the checksum of a record's all but its
// tail, at the start of b, is right.
func checkLogRecord(b []byte, h logHeader) bool {
	head := h.size - int64(h.tailLen)
	if int64(len(b)) < head {
		return false
	}
	sum := crc32.Checksum(b[logHeaderSize:head], castagnoli)
	sum = crc32.Update(sum, castagnoli, b[:logHeaderSize-4])
	return sum == h.sum
}

// checkLogTail reports whether the checksum of the tail of a whole
// record b is right.
func checkLogTail(b []byte, h logHeader) bool {
	return int64(len(b)) >= h.size && crc32.Checksum(b[h.size-int64(h.tailLen):h.size], castagnoli) == h.tailSum
}

func sortRecords(recs []logRecord) {
	slices.SortFunc(recs, func(a, b logRecord) int { return cmp.Compare(a.off, b.off) })
}

// reset forgets what was scanned. Callers hold l.mu.
//
// The file read is not closed: the tails of entries read from it (see
// Tail) read it still, even once a Prune has put another file in its
// place, and it is closed once nothing holds it (os.File's finalizer).
func (l *Log) reset() {
	l.f, l.fInfo, l.scanned, l.size, l.damaged = nil, nil, false, 0, false
	l.byName, l.byKey, l.live, l.appended, l.appendedData = nil, nil, nil, nil, nil
	l.pendingKeys = nil
}

// Entries counts the entries of the cache under root, in every variant:
// its entry files, and the names (article files) its articles logs hold
// entries for (deleted articles' included, until Prune drops them). A
// damaged log counts the names before the damage.
func Entries(root string) (int, error) {
	files, err := filepath.Glob(filepath.Join(root, "*", "*"))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, f := range files {
		name := filepath.Base(f)
		switch {
		case name == logIndexFile:
		case name == logFile:
			l := &Log{path: f}
			l.scan()
			n += len(l.byName)
			l.reset()
		case ours(name) && !strings.HasPrefix(name, tmpPrefix):
			n++
		}
	}
	return n, nil
}
