package fetch

import (
	"bytes"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

// Charset is the character set a text was read in, and why.
type Charset struct {
	Name string // the WHATWG name, e.g. "utf-8", "windows-1252"
	By   string // what decided: "byte-order mark", "the bytes", "HTTP header", "the page", "default"
	// Overruled lists declarations that the bytes contradicted, e.g.
	// "HTTP header said iso-8859-1".
	Overruled []string
}

// Text decodes the body to UTF-8 in the character set it really uses. A
// byte-order mark decides. Otherwise bytes that are valid UTF-8 (and not
// plain ASCII) are UTF-8 whatever the header or the page declare, since no
// text in a single-byte set is valid UTF-8 by chance; and text that is not
// valid UTF-8 is read in the first declared set that is not UTF-8 (the
// HTTP header's, then the page's: <meta charset>, or <?xml encoding?>),
// else in Windows-1252, as browsers do. Binary data, and text in an unknown
// character set, are errors.
func (r *Response) Text() (string, Charset, error) {
	s, cs, err := Decode(r.Body, r.ContentType)
	if err != nil {
		return "", cs, &Error{URL: r.URL, Reason: err.Error()}
	}
	return s, cs, nil
}

// Decode is Text for any bytes and Content-Type header.
func Decode(body []byte, contentType string) (string, Charset, error) {
	if e, name, ok := bom(body); ok {
		s, err := e.NewDecoder().Bytes(body)
		return string(s), Charset{Name: name, By: "byte-order mark"}, err
	}
	type decl struct{ label, by string }
	var decls []decl
	if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
		decls = append(decls, decl{params["charset"], "HTTP header"})
	}
	if label := declared(body); label != "" {
		decls = append(decls, decl{label, "the page"})
	}
	cs := Charset{}
	if utf8.Valid(body) {
		cs.Name, cs.By = "utf-8", "the bytes"
		if !hasHighBit(body) {
			cs.By = "default"
		}
		for _, d := range decls {
			if _, name := charset.Lookup(d.label); name != "utf-8" && hasHighBit(body) {
				cs.Overruled = append(cs.Overruled, fmt.Sprintf("%s said %s", d.by, d.label))
			}
		}
		if bytes.IndexByte(body, 0) >= 0 {
			return "", cs, fmt.Errorf("the response is binary data, not text")
		}
		return string(body), cs, nil
	}
	var unknown []string
	for _, d := range decls {
		e, name := charset.Lookup(d.label)
		switch {
		case e == nil:
			unknown = append(unknown, d.label)
			continue
		case name == "utf-8":
			cs.Overruled = append(cs.Overruled, fmt.Sprintf("%s said %s", d.by, d.label))
			continue
		}
		cs.Name, cs.By = name, d.by
		return decodeWith(e, body, cs)
	}
	if len(unknown) > 0 {
		return "", cs, fmt.Errorf("the text is in an unknown character set %q and is not UTF-8", unknown[0])
	}
	e, name := charset.Lookup("windows-1252")
	cs.Name, cs.By = name, "default"
	return decodeWith(e, body, cs)
}

func decodeWith(e encoding.Encoding, body []byte, cs Charset) (string, Charset, error) {
	if bytes.IndexByte(body, 0) >= 0 && !strings.HasPrefix(cs.Name, "utf-16") {
		return "", cs, fmt.Errorf("the response is binary data, not text")
	}
	s, err := e.NewDecoder().Bytes(body)
	if err != nil {
		return "", cs, fmt.Errorf("the text cannot be read as %s: %v", cs.Name, err)
	}
	return string(s), cs, nil
}

func hasHighBit(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

func bom(b []byte) (encoding.Encoding, string, bool) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8BOM, "utf-8", true
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be", true
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le", true
	}
	return nil, "", false
}

var (
	metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)`)
	xmlEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)
)

// declared finds the character set a document declares in its first
// kilobytes: an XML declaration's encoding, or a <meta charset> or
// <meta http-equiv="Content-Type" content="…; charset=…">.
func declared(body []byte) string {
	head := body[:min(len(body), 4096)]
	if m := xmlEncoding.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	if m := metaCharset.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
}
