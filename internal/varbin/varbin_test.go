package varbin

import (
	"encoding/binary"
	"testing"
)

// TestReader: what is written reads back; a record cut anywhere, or with
// a count or length past its end, fails and reads as zeros from there.
func TestReader(t *testing.T) {
	var data []byte
	data = binary.AppendUvarint(data, 300)
	data = binary.AppendVarint(data, -7)
	data = binary.AppendUvarint(data, 2)
	data = AppendString(data, "päge")
	data = AppendString(data, "")
	data = append(data, 9, 8)
	read := func(data []byte) (*Reader, []any) {
		r := NewReader(data)
		return r, []any{r.Uvarint(), r.Varint(), r.Count(), r.String(), r.String(), string(r.Bytes(2))}
	}
	r, got := read(data)
	want := []any{uint64(300), int64(-7), uint64(2), "päge", "", "\x09\x08"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("value %d = %v, want %v", i, got[i], want[i])
		}
	}
	if !r.OK() || len(r.Rest()) != 0 {
		t.Errorf("whole record: OK %v, %d bytes left", r.OK(), len(r.Rest()))
	}
	for n := range len(data) {
		if r, _ := read(data[:n]); r.OK() {
			t.Errorf("a record cut to %d of %d bytes reads whole", n, len(data))
		}
	}
	huge := binary.AppendUvarint(nil, 1<<40)
	if r := NewReader(huge); r.Count() != 0 || r.OK() {
		t.Error("a count past the end is read")
	}
	if r := NewReader(huge); r.String() != "" || r.OK() {
		t.Error("a string past the end is read")
	}
	r = NewReader([]byte{1, 2})
	r.Fail()
	if r.Uvarint() != 0 || r.OK() {
		t.Error("a failed reader reads on")
	}
}
