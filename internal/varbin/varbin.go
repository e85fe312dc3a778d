// Package varbin reads the compact binary records digest keeps in its
// cache (varints and length-prefixed strings), with a sticky failure: a
// record that ends short, or says it holds more than it does, reads as
// zeros from there on and reports it once, at the end.
package varbin

import "encoding/binary"

// Reader reads a record from the front of its data.
type Reader struct {
	data   []byte
	failed bool
}

// NewReader reads data.
func NewReader(data []byte) *Reader { return &Reader{data: data} }

// OK reports whether every read so far was whole.
func (r *Reader) OK() bool { return !r.failed }

// Rest is what is left to read.
func (r *Reader) Rest() []byte { return r.data }

// Fail marks the record as not whole: nothing more is read from it.
func (r *Reader) Fail() { r.failed, r.data = true, nil }

// Uvarint reads an unsigned varint.
func (r *Reader) Uvarint() uint64 {
	v, n := binary.Uvarint(r.data)
	if n <= 0 {
		r.Fail()
		return 0
	}
	r.data = r.data[n:]
	return v
}

// Varint reads a signed varint.
func (r *Reader) Varint() int64 {
	v, n := binary.Varint(r.data)
	if n <= 0 {
		r.Fail()
		return 0
	}
	r.data = r.data[n:]
	return v
}

// Count reads a number of items to follow, each at least a byte long: a
// count larger than what is left fails, so that a damaged count never
// makes a caller allocate much.
func (r *Reader) Count() uint64 {
	n := r.Uvarint()
	if n > uint64(len(r.data)) {
		r.Fail()
		return 0
	}
	return n
}

// Bytes reads the next n bytes, which stay the record's.
func (r *Reader) Bytes(n uint64) []byte {
	if n > uint64(len(r.data)) {
		r.Fail()
		return nil
	}
	b := r.data[:n]
	r.data = r.data[n:]
	return b
}

// String reads a string written as its length (an unsigned varint) and
// its bytes.
func (r *Reader) String() string { return string(r.Bytes(r.Uvarint())) }

// AppendString writes s as String reads it.
func AppendString(data []byte, s string) []byte {
	data = binary.AppendUvarint(data, uint64(len(s)))
	return append(data, s...)
}
