package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/digest-ssg/digest/internal/meta"
)

// frontWriter writes digest front matter in YAML or TOML.
type frontWriter interface {
	text(key, v string)
	raw(key, v string) // a value written as it is: a date, true, false
	list(key string, items []string)
	params(fields []*meta.Field)
	close() string
}

// emit writes an article's front matter, fences included, in the given
// format (JSON front matter is written as YAML). aliasKey is the key the
// old URLs go under: "aliases", or "" to keep them under params.old_urls.
func emit(format fmFormat, a *article, aliasKey string) string {
	var w frontWriter = &yamlWriter{}
	if format == tomlFront {
		w = &tomlWriter{}
	}
	w.text("title", a.title)
	w.raw("date", a.date.String())
	if !a.updated.zero() {
		w.raw("updated", a.updated.String())
	}
	w.text("slug", a.slug)
	for _, kv := range [][2]string{{"topic", a.topic}, {"summary", a.summary}} {
		if kv[1] != "" {
			w.text(kv[0], kv[1])
		}
	}
	if len(a.tags) > 0 {
		w.list("tags", a.tags)
	}
	if len(a.authors) > 0 {
		w.list("authors", a.authors)
	}
	for _, kv := range [][2]string{{"image", a.image}, {"image_alt", a.imageAlt}, {"source", a.source}, {"source_url", a.sourceURL}} {
		if kv[1] != "" {
			w.text(kv[0], kv[1])
		}
	}
	if !a.expires.zero() {
		w.raw("expires", a.expires.String())
	}
	if a.featured {
		w.raw("featured", "true")
	}
	if a.draft {
		w.raw("draft", "true")
	}
	params := a.params
	if len(a.aliases) > 0 {
		if aliasKey != "" {
			w.list(aliasKey, a.aliases)
		} else {
			params = append(params, &meta.Field{Key: "old_urls", Value: textList(a.aliases)})
		}
	}
	if len(params) > 0 {
		w.params(params)
	}
	return w.close()
}

func textList(items []string) *meta.Node {
	n := &meta.Node{Kind: meta.List}
	for _, s := range items {
		n.List = append(n.List, &meta.Node{Kind: meta.String, Text: s})
	}
	return n
}

// yamlWriter writes YAML: strings double-quoted (Go's escapes are YAML's),
// tables in block style, lists in flow style.
type yamlWriter struct{ b strings.Builder }

func (w *yamlWriter) text(key, v string) { fmt.Fprintf(&w.b, "%s: %s\n", key, yamlQuote(v)) }
func (w *yamlWriter) raw(key, v string)  { fmt.Fprintf(&w.b, "%s: %s\n", key, v) }

func (w *yamlWriter) list(key string, items []string) {
	w.b.WriteString(key + ": [")
	for i, s := range items {
		if i > 0 {
			w.b.WriteString(", ")
		}
		w.b.WriteString(yamlQuote(s))
	}
	w.b.WriteString("]\n")
}

func (w *yamlWriter) params(fields []*meta.Field) {
	w.b.WriteString("params:\n")
	w.fields(fields, "  ")
}

func (w *yamlWriter) fields(fields []*meta.Field, indent string) {
	for _, f := range fields {
		w.b.WriteString(indent + yamlKey(f.Key) + ":")
		if f.Value.Kind == meta.Map && len(f.Value.Fields) > 0 {
			w.b.WriteString("\n")
			w.fields(f.Value.Fields, indent+"  ")
			continue
		}
		w.b.WriteString(" " + yamlFlow(f.Value) + "\n")
	}
}

func (w *yamlWriter) close() string { return "---\n" + w.b.String() + "---\n" }

// yamlFlow writes a value on one line.
func yamlFlow(n *meta.Node) string {
	switch n.Kind {
	case meta.Null:
		return "null"
	case meta.String:
		return yamlQuote(n.Text)
	case meta.Int, meta.Float, meta.Bool, meta.Time:
		if plainScalar.MatchString(n.Text) {
			return n.Text
		}
		return yamlQuote(n.Text)
	case meta.List:
		parts := make([]string, len(n.List))
		for i, item := range n.List {
			parts[i] = yamlFlow(item)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	parts := make([]string, len(n.Fields))
	for i, f := range n.Fields {
		parts[i] = yamlKey(f.Key) + ": " + yamlFlow(f.Value)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// plainScalar matches numbers, flags and dates that can be written
// without quotes and keep their meaning.
var plainScalar = regexp.MustCompile(`^(?:[-+]?[0-9][0-9_.eE+-]*|true|false|True|False|TRUE|FALSE|[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt ][0-9:.]+(?:Z|z|[+-][0-9:]+)?)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)

var yamlPlainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

func yamlKey(k string) string {
	switch strings.ToLower(k) {
	case "true", "false", "yes", "no", "on", "off", "y", "n", "null":
		return yamlQuote(k)
	}
	if yamlPlainKey.MatchString(k) {
		return k
	}
	return yamlQuote(k)
}

// yamlQuote writes a double-quoted YAML string. Go's escapes (\n, \t,
// \x00, \u00e9) are all YAML escapes too.
func yamlQuote(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strconv.Quote(s)
}

// tomlWriter writes TOML: top-level keys first, then [params], whose
// tables and lists are written inline.
type tomlWriter struct{ b strings.Builder }

func (w *tomlWriter) text(key, v string) { fmt.Fprintf(&w.b, "%s = %s\n", key, tomlQuote(v)) }
func (w *tomlWriter) raw(key, v string)  { fmt.Fprintf(&w.b, "%s = %s\n", key, v) }

func (w *tomlWriter) list(key string, items []string) {
	w.b.WriteString(key + " = [" + strings.Join(quoteAll(items, tomlQuote), ", ") + "]\n")
}

func (w *tomlWriter) params(fields []*meta.Field) {
	w.b.WriteString("\n[params]\n")
	for _, f := range fields {
		w.b.WriteString(tomlKey(f.Key) + " = " + tomlInline(f.Value) + "\n")
	}
}

func (w *tomlWriter) close() string { return "+++\n" + w.b.String() + "+++\n" }

func quoteAll(items []string, quote func(string) string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = quote(s)
	}
	return out
}

// tomlInline writes a value on one line: tables as inline tables.
func tomlInline(n *meta.Node) string {
	switch n.Kind {
	case meta.String, meta.Null:
		return tomlQuote(n.Text)
	case meta.Int, meta.Float, meta.Bool, meta.Time:
		return n.Text
	case meta.List:
		parts := make([]string, len(n.List))
		for i, item := range n.List {
			parts[i] = tomlInline(item)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	parts := make([]string, len(n.Fields))
	for i, f := range n.Fields {
		parts[i] = tomlKey(f.Key) + " = " + tomlInline(f.Value)
	}
	if len(parts) == 0 {
		return "{}"
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

var tomlBareKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func tomlKey(k string) string {
	if tomlBareKey.MatchString(k) {
		return k
	}
	return tomlQuote(k)
}

// tomlQuote writes a TOML basic string.
func tomlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
