package publish

import (
	"bytes"
	"path"
	"strings"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
)

// Minifier minifies output files by their extension. It is safe for
// concurrent use.
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

// NewMinifier returns a minifier; when enabled is false it passes files
// through unchanged.
func NewMinifier(enabled bool) *Minifier {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("application/javascript", js.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFunc("application/json", json.Minify)
	m.AddFunc("application/xml", xml.Minify)
	return &Minifier{m: m, enabled: enabled}
}

// Minify returns the minified form of a file named name. Files of other
// types, and every file when minifying is off, come back unchanged.
func (m *Minifier) Minify(name string, data []byte) ([]byte, error) {
	mt, ok := mediaTypes[strings.ToLower(path.Ext(name))]
	if !m.enabled || !ok {
		return data, nil
	}
	var out bytes.Buffer
	out.Grow(len(data))
	if err := m.m.Minify(mt, &out, bytes.NewReader(data)); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
