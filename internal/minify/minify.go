// Package minify makes output files smaller without changing what they
// mean, with github.com/tdewolff/minify: whole files by their type, and
// the two pieces a page is made of, so that pages need no minifying of
// their own:
//
//   - Template minifies an html/template source, leaving its {{actions}}
//     as they are; a template minified once makes minified pages.
//   - HTML minifies a fragment of HTML, such as an article's body, once,
//     however many pages and feeds it goes into.
package minify

import (
	"bytes"
	"errors"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
)

// Minifier minifies files, templates and fragments. It is safe for
// concurrent use. A disabled Minifier (see New) returns everything
// unchanged.
type Minifier struct {
	m       *minify.M
	enabled bool
}

// mediaTypes maps the extensions that are minified to their media types.
var mediaTypes = map[string]string{
	".html":        "text/html",
	".css":         "text/css",
	".js":          "application/javascript",
	".mjs":         "application/javascript",
	".svg":         "image/svg+xml",
	".json":        "application/json",
	".xml":         "application/xml",
	".webmanifest": "application/json",
}

// templateType is the media type under which templates are minified.
const templateType = "text/x-go-template+html"

// New returns a minifier; when enabled is false it changes nothing.
func New(enabled bool) *Minifier {
	m := minify.New()
	opts := html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true}
	m.Add("text/html", &opts)
	tmpl := opts
	tmpl.TemplateDelims = html.GoTemplateDelims
	m.Add(templateType, &tmpl)
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("application/javascript", js.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFunc("application/json", json.Minify)
	m.AddFunc("application/xml", xml.Minify)
	return &Minifier{m: m, enabled: enabled}
}

// Enabled tells whether the minifier changes anything.
func (m *Minifier) Enabled() bool { return m.enabled }

// File returns the minified form of a file named name. Files of other
// types come back unchanged.
func (m *Minifier) File(name string, data []byte) ([]byte, error) {
	mt, ok := mediaTypes[strings.ToLower(path.Ext(name))]
	if !ok {
		return data, nil
	}
	return m.run(mt, data)
}

// HTML returns the minified form of a fragment of HTML.
func (m *Minifier) HTML(fragment []byte) ([]byte, error) {
	return m.run("text/html", fragment)
}

// HTMLTo writes the minified form of the fragment of HTML in from to w,
// reading from's bytes in place.
func (m *Minifier) HTMLTo(w io.Writer, from *bytes.Buffer) error {
	if !m.enabled {
		_, err := w.Write(from.Bytes())
		return err
	}
	return m.m.Minify("text/html", w, from)
}

// Template returns the minified form of an html/template source. Actions
// are kept as written, and the text of an element or attribute holding
// one (a <script> with {{.}} in it, say) is left as it is.
//
// Minified alone, a template cannot know where its text will land, so it
// declines (with an error; the caller then minifies whole pages) a source
// with <pre> or <textarea>, whose whitespace matters wherever a template
// is used, and any result whose actions differ from the source's, as when
// "&#123;&#123;" would be decoded into a new "{{".
func (m *Minifier) Template(src []byte) ([]byte, error) {
	if !m.enabled {
		return src, nil
	}
	lower := bytes.ToLower(src)
	if bytes.Contains(lower, []byte("<pre")) || bytes.Contains(lower, []byte("<textarea")) {
		return nil, errors.New("not minified: it has <pre> or <textarea>, whose whitespace matters")
	}
	src = unquoteComments(src)
	out, err := m.run(templateType, src)
	if err != nil {
		return nil, err
	}
	if !slices.EqualFunc(actions(src), actions(out), bytes.Equal) {
		return nil, errors.New("not minified: minifying would change its actions")
	}
	return out, nil
}

// unquoteComments blanks the quotes in the template's comments
// ({{/* it's */}}), which write nothing: the HTML minifier takes a quote
// in an action for the start of a string and then leaves the rest of the
// file as it is.
func unquoteComments(src []byte) []byte {
	var out []byte
	rest := src
	for {
		i := bytes.Index(rest, []byte("/*"))
		if i < 0 {
			break
		}
		j := bytes.Index(rest[i:], []byte("*/"))
		if j < 0 {
			break
		}
		open := bytes.TrimRight(rest[:i], " -")
		if !bytes.HasSuffix(open, []byte("{{")) || !bytes.ContainsAny(rest[i:i+j], "\"'`") {
			rest = rest[i+j:]
			continue
		}
		if out == nil {
			out = bytes.Clone(src)
		}
		at := len(src) - len(rest) + i
		for k := at; k < at+j; k++ {
			switch out[k] {
			case '"', '\'', '`':
				out[k] = ' '
			}
		}
		rest = rest[i+j:]
	}
	if out == nil {
		return src
	}
	return out
}

// actions lists the "{{…}}" of a template source, in order.
func actions(src []byte) [][]byte {
	var list [][]byte
	for {
		i := bytes.Index(src, []byte("{{"))
		if i < 0 {
			return list
		}
		j := bytes.Index(src[i+2:], []byte("}}"))
		if j < 0 {
			return append(list, src[i:])
		}
		list = append(list, src[i:i+2+j+2])
		src = src[i+2+j+2:]
	}
}

func (m *Minifier) run(mediaType string, data []byte) ([]byte, error) {
	if !m.enabled {
		return data, nil
	}
	var out bytes.Buffer
	out.Grow(len(data))
	if err := m.m.Minify(mediaType, &out, bytes.NewReader(data)); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
