package search

import (
	"encoding/binary"
	"errors"
	"hash"
	"hash/crc32"
	"io"
	"slices"
	"time"
	"unsafe"
)

// A snapshot is an editable index written out whole, so that a later
// build can read it back and Edit the articles that changed instead of
// making the index anew: reading it is a fraction of analysing every
// article's text again. It is a cache: Decode refuses anything that is
// not exactly what WriteSnapshot wrote (a checksum covers it all), and the
// caller then makes the index anew.

const snapshotMagic = "dsx2"

var snapshotTable = crc32.MakeTable(crc32.Castagnoli)

// WriteSnapshot writes an editable index (see Options.Editable) to w as
// a snapshot, a little at a time: at 100,000 articles a snapshot is a
// hundred megabytes, which a build need not hold in memory as well.
func (ix *Index) WriteSnapshot(w io.Writer) error {
	if !ix.opt.Editable {
		return errors.New("search: only an editable index is written as a snapshot")
	}
	sw := &snapWriter{w: w, sum: crc32.New(snapshotTable), b: make([]byte, 0, 1<<16)}
	b := append(sw.b, snapshotMagic...)
	b = binary.AppendUvarint(b, Version)
	b = appendSnapString(b, ix.opt.Language)
	b = binary.AppendUvarint(b, uint64(len(ix.opt.Topics)))
	for _, t := range ix.opt.Topics {
		b = appendSnapString(b, t)
	}
	b = binary.AppendUvarint(b, uint64(len(ix.docs)))
	for _, d := range ix.docs {
		b = appendSnapString(b, d.URL)
		b = appendSnapString(b, d.Title)
		// Seconds and nanoseconds apart: UnixNano holds only the years
		// 1678 to 2262, and an archive's articles may be older.
		b = binary.AppendVarint(b, d.Date.Unix())
		b = binary.AppendUvarint(b, uint64(d.Date.Nanosecond()))
		b = binary.AppendUvarint(b, uint64(d.Topic))
		b = appendSnapString(b, d.excerpt)
		b = sw.flushIfFull(b)
	}
	b = binary.AppendUvarint(b, uint64(len(ix.terms)))
	// The terms shard by shard, each shard's sorted by name: every term
	// once, in an order of their own, without sorting them all.
	for _, shard := range ix.heads {
		for _, t := range shard {
			b = appendTerm(b, t)
			b = sw.flushIfFull(b)
		}
	}
	if err := sw.flush(b); err != nil {
		return err
	}
	_, err := w.Write(binary.LittleEndian.AppendUint32(nil, sw.sum.Sum32()))
	if err == nil {
		err = sw.err
	}
	return err
}

// snapWriter writes a snapshot in pieces, and sums what it writes.
type snapWriter struct {
	w   io.Writer
	sum hash.Hash32
	b   []byte
	err error
}

// flushIfFull writes b once it holds 64 KiB or more, and returns it
// emptied; else b as it is.
func (sw *snapWriter) flushIfFull(b []byte) []byte {
	if len(b) < 1<<16 {
		return b
	}
	sw.flush(b)
	return b[:0]
}

func (sw *snapWriter) flush(b []byte) error {
	if sw.err == nil && len(b) > 0 {
		sw.sum.Write(b)
		_, sw.err = sw.w.Write(b)
	}
	return sw.err
}

// DocURL is the URL of doc i, and DocTopic its topic: a snapshot's docs
// are matched with a site's articles by them.
func (ix *Index) DocURL(i int) string { return ix.docs[i].URL }

// DocTopic is the topic of doc i (see DocURL).
func (ix *Index) DocTopic(i int) int { return ix.docs[i].Topic }

func appendSnapString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// appendTerm appends what a snapshot holds of a term.
func appendTerm(b []byte, t *termInfo) []byte {
	b = appendSnapString(b, t.name)
	b = binary.AppendUvarint(b, uint64(len(t.postings)))
	for _, p := range t.postings {
		b = binary.LittleEndian.AppendUint32(b, uint32(p))
	}
	b = binary.AppendUvarint(b, uint64(len(t.tiers)))
	for _, k := range t.tiers {
		b = binary.AppendUvarint(b, uint64(k))
	}
	b = binary.AppendUvarint(b, uint64(len(t.surfaces)))
	for i, s := range t.surfaces {
		b = appendSnapString(b, s)
		b = binary.AppendUvarint(b, uint64(t.holders[i]))
	}
	return b
}

// Decode reads a snapshot written by WriteSnapshot into an editable
// index with opt, dates in loc. It fails, and nothing of it is to be
// used, when the snapshot is damaged, of another format, or of other
// options. The index's strings are parts of data, which must not change
// afterwards (a snapshot read from a file is a hundred megabytes at
// 100,000 articles: a copy of it cost a third of reading it).

func Decode(data []byte, opt Options, loc *time.Location) (*Index, error) {
	if len(data) < len(snapshotMagic)+4 || string(data[:len(snapshotMagic)]) != snapshotMagic {
		return nil, errors.New("search: not a snapshot")
	}
	body := data[:len(data)-4]
	if crc32.Checksum(body, snapshotTable) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return nil, errors.New("search: damaged snapshot")
	}
	text := unsafe.String(unsafe.SliceData(body), len(body))
	r := &snapReader{text: text, at: len(snapshotMagic)}
	if r.uint() != Version || r.string() != opt.Language {
		return nil, errors.New("search: a snapshot of another version or language")
	}
	topics := int(r.count(1))
	if topics != len(opt.Topics) {
		return nil, errors.New("search: a snapshot of other topics")
	}
	for _, t := range opt.Topics {
		if r.string() != t {
			return nil, errors.New("search: a snapshot of other topics")
		}
	}
	opt.Editable = true
	n := int(r.count(4))
	ix := &Index{opt: opt, layout: LayoutFor(n), docs: make([]Doc, n)}
	for i := range ix.docs {
		d := &ix.docs[i]
		d.URL, d.Title = r.string(), r.string()
		sec, nsec := r.int(), r.uint()
		if nsec >= 1e9 {
			r.fail()
		}
		d.Date = time.Unix(sec, int64(nsec)).In(loc)
		d.Topic = int(r.uint())
		d.excerpt = r.string()
		if d.Topic >= max(1, len(opt.Topics)) {
			r.fail()
		}
	}
	ix.topics = topicsOf(ix.docs)
	nterms := int(r.count(3))
	infos := make([]termInfo, nterms)
	list := make([]*termInfo, nterms)
	ix.terms = make(map[string]*termInfo, nterms)
	for i := range infos {
		t := &infos[i]
		t.name = r.string()
		np := int(r.count(4))
		if r.err != nil {
			break
		}
		raw := r.bytes(4 * np)
		if r.err != nil {
			break
		}
		t.postings = make([]posting, np)
		for j := range t.postings {
			t.postings[j] = posting(binary.LittleEndian.Uint32(raw[4*j:]))
			if int(t.postings[j].doc()) >= n {
				r.fail()
			}
		}
		if nt := int(r.count(1)); nt > 0 {
			t.tiers = make([]int32, nt)
			for j := range t.tiers {
				t.tiers[j] = int32(r.uint())
			}
			if t.tiers[0] != 0 || int(t.tiers[nt-1]) != np || !slices.IsSorted(t.tiers) {
				r.fail()
			}
		}
		ns := int(r.count(2))
		t.surfaces = make([]string, 0, ns)
		t.holders = make([]int32, 0, ns)
		for range ns {
			t.surfaces = append(t.surfaces, r.string())
			t.holders = append(t.holders, int32(r.uint()))
		}
		if np == 0 || ix.terms[t.name] != nil {
			r.fail()
		}
		ix.terms[t.name] = t
		list[i] = t
	}
	if r.err != nil || r.at != len(text) {
		return nil, errors.New("search: damaged snapshot")
	}
	ix.distribute(list)
	return ix, nil
}

// snapReader reads a snapshot's fields from one string.
type snapReader struct {
	text string
	at   int
	err  error
}

func (r *snapReader) fail() {
	if r.err == nil {
		r.err = errors.New("search: damaged snapshot")
	}
	r.at = len(r.text)
}

func (r *snapReader) uint() uint64 {
	v, n := binary.Uvarint(unsafe.Slice(unsafe.StringData(r.text[r.at:]), len(r.text)-r.at))
	if n <= 0 {
		r.fail()
		return 0
	}
	r.at += n
	return v
}

func (r *snapReader) int() int64 {
	v, n := binary.Varint(unsafe.Slice(unsafe.StringData(r.text[r.at:]), len(r.text)-r.at))
	if n <= 0 {
		r.fail()
		return 0
	}
	r.at += n
	return v
}

// count reads a number of things that take at least size bytes each, and
// fails on one that the rest of the snapshot cannot hold.
func (r *snapReader) count(size int) uint64 {
	n := r.uint()
	if n > uint64(len(r.text)-r.at)/uint64(size) {
		r.fail()
		return 0
	}
	return n
}

func (r *snapReader) string() string {
	n := r.uint()
	if n > uint64(len(r.text)-r.at) {
		r.fail()
		return ""
	}
	s := r.text[r.at : r.at+int(n)]
	r.at += int(n)
	return s
}

// bytes reads n bytes, to be read only: they are the snapshot's.
func (r *snapReader) bytes(n int) []byte {
	if n > len(r.text)-r.at {
		r.fail()
		return nil
	}
	s := r.text[r.at : r.at+n]
	r.at += n
	return unsafe.Slice(unsafe.StringData(s), n)
}
