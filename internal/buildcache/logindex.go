package buildcache

import (
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"sync"

	"github.com/digest-ssg/digest/internal/varbin"
)

// The log's index: what a scan of the log found, kept beside it.
//
// Scanning the log reads every record's header, one read each: 50 ms at
// 10,000 articles, while the build's parsers wait for it. Prune, when it
// leaves the log as it is (it does not write it again), writes what the
// scan and the build's own records make of it into articles.idx: the
// latest record of each name and of each key, the log file's device and
// inode, and the bytes it covers. A scan that finds the same file, at
// least that long, reads the index instead of those headers, and scans
// only what other builds appended since. The index is for speed only:
// one that does not read whole (its own CRC-32C), or names another file
// or more bytes than the file has, is not read; and every read of an
// entry checks the record at its offset (header, name, key, stamp,
// checksum) as it always does, so an index that points wrong costs a
// parse, never a wrong article.

// logIndexFile is the name of the log's index in a variant's folder.
const logIndexFile = "articles.idx"

// logIndexMagic starts an index.
const logIndexMagic = "dgx1"

// indexPath is where the log's index is.
func (l *Log) indexPath() string { return filepath.Join(filepath.Dir(l.path), logIndexFile) }

// writeIndex writes the index of the log as the maps say it is: the file
// fInfo, size bytes long. Callers hold l.mu, with the log scanned and
// undamaged.
func (l *Log) writeIndex() {
	info, err := os.Stat(l.path)
	if err != nil || l.fInfo == nil || !os.SameFile(info, l.fInfo) || info.Size() != l.size {
		os.Remove(l.indexPath()) // the file is another build's now
		return
	}
	dev, ino, ok := fileNumbers(info)
	if !ok {
		return
	}
	// Sized up front: a name, a key, a stamp and a few numbers a record
	// (grown as it was, 100,000 articles' index took 0.4 s of CPU).
	byKey := l.keys()
	if l.damaged {
		os.Remove(l.indexPath()) // the records by key did not read: no index without them
		return
	}
	data := make([]byte, 0, len(logIndexMagic)+64+(len(l.byName)+len(byKey))*indexRecordSize)
	data = append(data, logIndexMagic...)
	data = binary.AppendUvarint(data, dev)
	data = binary.AppendUvarint(data, ino)
	data = binary.AppendUvarint(data, uint64(l.size))
	data = binary.AppendUvarint(data, uint64(len(l.byName)))
	for name, rec := range l.byName {
		data = varbin.AppendString(data, name)
		data = appendIndexRecord(data, rec)
	}
	data = binary.AppendUvarint(data, uint64(len(byKey)))
	for _, rec := range byKey {
		data = appendIndexRecord(data, rec)
	}
	data = binary.LittleEndian.AppendUint32(data, crc32.Checksum(data, castagnoli))
	tmp, err := os.CreateTemp(filepath.Dir(l.path), tmpPrefix+"00000000-*")
	if err != nil {
		return
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o644) // as the log: a cache shared by users
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), l.indexPath())
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
}

// indexRecordSize is a little more than an index record takes, with its
// name (records by key have none: a few bytes too many are harmless).
const indexRecordSize = 128

func appendIndexRecord(data []byte, rec logRecord) []byte {
	data = binary.AppendUvarint(data, uint64(rec.off))
	data = binary.AppendUvarint(data, uint64(rec.size))
	data = binary.AppendUvarint(data, uint64(rec.tail))
	data = append(data, rec.key[:]...)
	data = varbin.AppendString(data, rec.stamp)
	if rec.bare {
		return append(data, 1)
	}
	return append(data, 0)
}

// readIndex fills the maps from the index of the log's file info, and
// returns the bytes it covers; 0, with the maps as they were, when there
// is no index for that file or it does not read.
func (l *Log) readIndex(info os.FileInfo) int64 {
	data, err := os.ReadFile(l.indexPath())
	if err != nil || len(data) < len(logIndexMagic)+4 || string(data[:len(logIndexMagic)]) != logIndexMagic {
		return 0
	}
	body := data[:len(data)-4]
	if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return 0
	}
	dev, ino, ok := fileNumbers(info)
	if !ok {
		return 0
	}
	r := varbin.NewReader(body[len(logIndexMagic):])
	if r.Uvarint() != dev || r.Uvarint() != ino {
		return 0
	}
	size := r.Uvarint()
	if !r.OK() || size > uint64(info.Size()) {
		return 0
	}
	n := r.Count()
	byName := make(map[string]logRecord, n)
	for ; n > 0 && r.OK(); n-- {
		name := r.String()
		byName[name] = readIndexRecord(r)
	}
	if !r.OK() {
		return 0
	}
	l.byName, l.byKey = byName, map[Key]logRecord{}
	l.pendingKeys = &keyIndex{data: r.Rest()}
	return int64(size)
}

// keyIndex is the part of the index that lists the records by key, read
// into a map when first needed, once. A build or a dev server that finds
// every article by its stamp needs it only to prune, so it is read beside
// the articles (see Prefetch), not before them: 0.1–0.2 s of CPU at
// 100,000 articles.
type keyIndex struct {
	once  sync.Once
	data  []byte
	byKey map[Key]logRecord
	ok    bool
}

// read reads the records, once; ok is false when they do not read to the
// end of the index, which the index's checksum makes a fault of digest's
// own, not of the disk.
func (k *keyIndex) read() (byKey map[Key]logRecord, ok bool) {
	k.once.Do(func() {
		r := varbin.NewReader(k.data)
		k.data = nil
		n := r.Count()
		k.byKey = make(map[Key]logRecord, n)
		for ; n > 0 && r.OK(); n-- {
			rec := readIndexRecord(r)
			k.byKey[rec.key] = rec
		}
		k.ok = r.OK() && len(r.Rest()) == 0
	})
	return k.byKey, k.ok
}

// keys is the map of records by key, with the index's part read into it
// if it was not yet. If that part does not read, the log counts as
// damaged (Prune writes it again) and the records found by key are only
// those scanned after the index: a record not found is a miss, never a
// wrong entry. Callers hold l.mu.
func (l *Log) keys() map[Key]logRecord {
	if l.pendingKeys != nil {
		byKey, ok := l.pendingKeys.read()
		l.pendingKeys = nil
		if !ok {
			byKey = map[Key]logRecord{}
			l.damaged = true
		}
		for k, rec := range l.byKey { // scanned after the index
			byKey[k] = rec
		}
		l.byKey = byKey
	}
	if l.byKey == nil {
		l.byKey = map[Key]logRecord{}
	}
	return l.byKey
}

// readIndexRecord reads what appendIndexRecord wrote.
func readIndexRecord(r *varbin.Reader) logRecord {
	var rec logRecord
	rec.off = int64(r.Uvarint())
	rec.size = int64(r.Uvarint())
	rec.tail = int64(r.Uvarint())
	copy(rec.key[:], r.Bytes(uint64(len(rec.key))))
	rec.stamp = r.String()
	flag := r.Bytes(1)
	rec.bare = len(flag) == 1 && flag[0] == 1
	if len(flag) == 1 && flag[0] > 1 || rec.off < 0 || rec.size <= 0 || rec.tail < 0 || rec.tail > rec.size {
		r.Fail()
	}
	return rec
}
