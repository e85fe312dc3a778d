package content

import (
	"encoding/binary"
	"errors"
	"fmt"
	"html/template"
	"math"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/digest-ssg/digest/internal/diag"
)

// Encoding of parsed articles for the build cache (see ParserOptions.Cache).
//
// An article is written field by field, in the order of the Article
// struct, every exported field included: a field added to Article is
// cached without a change here, and a field of a kind this file cannot
// write makes articleCodec fail, so nothing is cached rather than
// something lost (a test checks the real Article encodes). The layout of
// the struct is part of the cache key (Schema), so an entry written for
// another layout is never read. The body and its plain text, most of the
// bytes, are the entry's tail (see buildcache.Tail), read only when
// asked for (see Article.Body).

// articleFields are the exported fields of Article, in order.
var articleFields = exportedFields(reflect.TypeFor[Article]())

func exportedFields(t reflect.Type) []reflect.StructField {
	var out []reflect.StructField
	for _, f := range reflect.VisibleFields(t) {
		if f.IsExported() {
			out = append(out, f)
		}
	}
	return out
}

// Schema describes the layout of Article: the names and types of its
// fields. Caches put it in their keys.
func Schema() string {
	var b strings.Builder
	for _, f := range articleFields {
		fmt.Fprintf(&b, "%s %s;", f.Name, f.Type)
	}
	b.WriteString("tail: body, plainText;")
	return b.String()
}

var (
	typeTime   = reflect.TypeFor[time.Time]()
	typeParams = reflect.TypeFor[map[string]any]()
)

// errNotCacheable: an article with a value the encoding cannot write.
var errNotCacheable = errors.New("not cacheable")

// encodeArticle writes a and its warnings, and a's body and plain text
// as the tail.
func encodeArticle(a *Article, warnings diag.List) (data, tail []byte, err error) {
	w := &writer{buf: make([]byte, 0, 512)}
	v := reflect.ValueOf(a).Elem()
	for _, f := range articleFields {
		if err := w.value(v.FieldByIndex(f.Index)); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	w.uint(uint64(len(warnings)))
	for _, e := range warnings {
		if !e.Warning {
			return nil, nil, errNotCacheable
		}
		w.string(e.Pos.File)
		w.uint(uint64(e.Pos.Line))
		w.uint(uint64(e.Pos.Col))
		w.string(e.Msg)
	}
	return w.buf, appendTail(make([]byte, 0, 16+len(a.body)+len(a.plainText)), a.body, a.plainText), nil
}

// appendTail appends to b the tail of an article's entry: its body and
// plain text.
func appendTail(b []byte, body template.HTML, text string) []byte {
	t := &writer{buf: b}
	t.string(string(body))
	t.string(text)
	return t.buf
}

// decodeTailBody finds the body alone in what encodeArticle wrote as the
// tail: it is data's bytes, not a copy.
func decodeTailBody(data []byte) ([]byte, error) {
	r := &reader{buf: data}
	n := r.uint()
	if r.err != nil || n > uint64(len(r.buf)) {
		return nil, errShort
	}
	if _, err := decodeTailText(data); err != nil {
		return nil, err
	}
	return r.buf[:n], nil
}

// decodeTailText finds the plain text alone in what encodeArticle wrote
// as the tail: it is data's bytes, not a copy.
func decodeTailText(data []byte) ([]byte, error) {
	r := &reader{buf: data}
	n := r.uint() // the body's
	if r.err != nil || n > uint64(len(r.buf)) {
		return nil, errShort
	}
	r.buf = r.buf[n:]
	if n = r.uint(); r.err != nil || n > uint64(len(r.buf)) {
		return nil, errShort
	}
	if n != uint64(len(r.buf)) {
		return nil, errors.New("trailing bytes")
	}
	return r.buf, nil
}

// decodeArticle reads what encodeArticle wrote; times are put in loc.
func decodeArticle(data []byte, loc *time.Location) (*Article, diag.List, error) {
	r := &reader{buf: data, loc: loc}
	a := new(Article)
	v := reflect.ValueOf(a).Elem()
	for _, f := range articleFields {
		r.value(v.FieldByIndex(f.Index))
	}
	n := r.uint()
	var warnings diag.List
	for i := uint64(0); i < n && r.err == nil; i++ {
		e := &diag.Error{Warning: true}
		e.Pos.File = r.string()
		e.Pos.Line = int(r.uint())
		e.Pos.Col = int(r.uint())
		e.Msg = r.string()
		warnings = append(warnings, e)
	}
	if r.err == nil && len(r.buf) != 0 {
		r.err = errors.New("trailing bytes")
	}
	if r.err != nil {
		return nil, nil, r.err
	}
	return a, warnings, nil
}

type writer struct{ buf []byte }

func (w *writer) uint(n uint64)   { w.buf = binary.AppendUvarint(w.buf, n) }
func (w *writer) string(s string) { w.uint(uint64(len(s))); w.buf = append(w.buf, s...) }

func (w *writer) value(v reflect.Value) error {
	switch {
	case v.Type() == typeTime:
		t := v.Interface().(time.Time)
		if t.IsZero() {
			w.uint(0)
			return nil
		}
		w.uint(1)
		w.buf = binary.AppendVarint(w.buf, t.Unix())
		w.uint(uint64(t.Nanosecond()))
		return nil
	case v.Type() == typeParams:
		if v.IsNil() {
			w.uint(0)
			return nil
		}
		w.uint(1)
		return w.any(v.Interface().(map[string]any))
	}
	switch v.Kind() {
	case reflect.String:
		w.string(v.String())
	case reflect.Bool:
		if v.Bool() {
			w.uint(1)
		} else {
			w.uint(0)
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		w.buf = binary.AppendVarint(w.buf, v.Int())
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.String {
			return errNotCacheable
		}
		if v.IsNil() {
			w.uint(0)
			return nil
		}
		w.uint(uint64(v.Len()) + 1)
		for i := range v.Len() {
			w.string(v.Index(i).String())
		}
	default:
		return errNotCacheable
	}
	return nil
}

// Tags of the free-form values of params (see meta.Node.Interface).
const (
	tagNil = iota
	tagString
	tagInt
	tagFloat
	tagBool
	tagList
	tagMap
)

func (w *writer) any(x any) error {
	switch x := x.(type) {
	case nil:
		w.uint(tagNil)
	case string:
		w.uint(tagString)
		w.string(x)
	case int64:
		w.uint(tagInt)
		w.buf = binary.AppendVarint(w.buf, x)
	case float64:
		w.uint(tagFloat)
		w.buf = binary.LittleEndian.AppendUint64(w.buf, math.Float64bits(x))
	case bool:
		w.uint(tagBool)
		w.value(reflect.ValueOf(x))
	case []any:
		w.uint(tagList)
		w.uint(uint64(len(x)))
		for _, e := range x {
			if err := w.any(e); err != nil {
				return err
			}
		}
	case map[string]any:
		w.uint(tagMap)
		w.uint(uint64(len(x)))
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			w.string(k)
			if err := w.any(x[k]); err != nil {
				return err
			}
		}
	default:
		return errNotCacheable
	}
	return nil
}

type reader struct {
	buf []byte
	loc *time.Location
	err error
}

var errShort = errors.New("truncated")

func (r *reader) uint() uint64 {
	n, k := binary.Uvarint(r.buf)
	if k <= 0 {
		r.fail(errShort)
		return 0
	}
	r.buf = r.buf[k:]
	return n
}

func (r *reader) int() int64 {
	n, k := binary.Varint(r.buf)
	if k <= 0 {
		r.fail(errShort)
		return 0
	}
	r.buf = r.buf[k:]
	return n
}

func (r *reader) string() string {
	n := r.uint()
	if r.err != nil || n > uint64(len(r.buf)) {
		r.fail(errShort)
		return ""
	}
	s := string(r.buf[:n])
	r.buf = r.buf[n:]
	return s
}

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.buf = nil
}

func (r *reader) value(v reflect.Value) {
	switch {
	case v.Type() == typeTime:
		if r.uint() == 1 {
			sec := r.int()
			nsec := r.uint()
			v.Set(reflect.ValueOf(time.Unix(sec, int64(nsec)).In(r.loc)))
		}
		return
	case v.Type() == typeParams:
		if r.uint() == 1 {
			m, _ := r.any(0).(map[string]any)
			if m == nil {
				r.fail(errors.New("params: not a table"))
			}
			v.Set(reflect.ValueOf(m))
		}
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(r.string())
	case reflect.Bool:
		v.SetBool(r.uint() == 1)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(r.int())
	case reflect.Slice:
		n := r.uint()
		if n == 0 || r.err != nil {
			return
		}
		n--
		if n > uint64(len(r.buf)) {
			r.fail(errShort)
			return
		}
		s := reflect.MakeSlice(v.Type(), int(n), int(n))
		for i := range int(n) {
			s.Index(i).SetString(r.string())
		}
		v.Set(s)
	}
}

// maxDepth bounds the nesting of params read back.
const maxDepth = 100

func (r *reader) any(depth int) any {
	if depth > maxDepth {
		r.fail(errors.New("nested too deep"))
		return nil
	}
	switch r.uint() {
	case tagNil:
		return nil
	case tagString:
		return r.string()
	case tagInt:
		return r.int()
	case tagFloat:
		if len(r.buf) < 8 {
			r.fail(errShort)
			return nil
		}
		f := math.Float64frombits(binary.LittleEndian.Uint64(r.buf))
		r.buf = r.buf[8:]
		return f
	case tagBool:
		return r.uint() == 1
	case tagList:
		n := r.uint()
		if n > uint64(len(r.buf)) {
			r.fail(errShort)
			return nil
		}
		out := make([]any, n)
		for i := range out {
			out[i] = r.any(depth + 1)
		}
		return out
	case tagMap:
		n := r.uint()
		if n > uint64(len(r.buf)) {
			r.fail(errShort)
			return nil
		}
		out := make(map[string]any, n)
		for range n {
			k := r.string()
			out[k] = r.any(depth + 1)
		}
		return out
	}
	r.fail(errors.New("unknown value"))
	return nil
}
