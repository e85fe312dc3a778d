package minify

import (
	"html/template"
	"strings"
	"testing"
)

func TestFileByType(t *testing.T) {
	m := New(true)
	for name, in := range map[string]string{
		"a.html": "<p>  hello   </p>\n\n",
		"a.css":  "body {  color : red ; }\n",
		"a.svg":  "<svg xmlns=\"http://www.w3.org/2000/svg\">  <rect width=\"10\" height=\"10\"/>\n</svg>",
		"a.json": "{ \"a\" : [ 1, 2 ] }",
		"a.xml":  "<a>  <b>x</b>\n</a>",
		"a.js":   "var  x = 1 ;\n",
	} {
		out, err := m.File(name, []byte(in))
		if err != nil || len(out) >= len(in) {
			t.Errorf("%s: %q (%v), not smaller than %q", name, out, err, in)
		}
	}
	png := []byte("\x89PNG  data  ")
	if out, _ := m.File("a.png", png); string(out) != string(png) {
		t.Error("a PNG was changed")
	}
	off := New(false)
	if out, _ := off.File("a.css", []byte("a {  }")); string(out) != "a {  }" {
		t.Error("minify off changed a file")
	}
	if out, _ := off.Template([]byte("<p>  {{.}}  </p>")); string(out) != "<p>  {{.}}  </p>" {
		t.Error("minify off changed a template")
	}
}

// A minified template must render what minifying the page rendered from
// the template as written gives.
func TestTemplateRendersTheMinifiedPage(t *testing.T) {
	m := New(true)
	src := `<!DOCTYPE html>
<html lang="en">
<head>
<title>{{.Title}} · Site</title>
<script type="application/ld+json">{{.JSON}}</script>
<style>
  body { color : red ; }
</style>
</head>
<body class="kind-{{.Kind}}">
<ul>
{{range .Items}}<li><a href="{{.}}">{{.}}</a> <span>{{.}}</span></li>
{{end}}</ul>
<p>
  By {{.Title}}{{if .Kind}} · {{.Kind}}{{end}}
  and   more
</p>
</body>
</html>
`
	data := map[string]any{
		"Title": "Tom's \"big\" <day>", "Kind": "article",
		"Items": []string{"/a/", "/b/?x=1&y=2"},
		"JSON":  template.JS(`{"a":1}`),
	}
	render := func(src string) string {
		t.Helper()
		var b strings.Builder
		if err := template.Must(template.New("").Parse(src)).Execute(&b, data); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	small, err := m.Template([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(small) >= len(src) {
		t.Fatalf("template not minified:\n%s", small)
	}
	fromSmall := render(string(small))
	want, err := m.HTML([]byte(render(src)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.HTML([]byte(fromSmall))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("minified template renders\n%s\nwhich minifies to\n%s\nbut the page minifies to\n%s", fromSmall, got, want)
	}
}

// A template whose whitespace matters wherever it is used, or whose
// minified text would hold other actions, is not minified.
func TestTemplateDeclines(t *testing.T) {
	m := New(true)
	for _, src := range []string{
		"<pre>  {{.A}}\n  b</pre>",
		"<TEXTAREA>  {{.A}}  </TEXTAREA>",
		"{{define \"x\"}}<p>Write &#123;&#123; .Title &#125;&#125; to show the title</p>{{end}}",
		"<p>{&#123;.A}}</p>",
		"<p>{<!-- x -->{.A}}</p>",
	} {
		if out, err := m.Template([]byte(src)); err == nil {
			t.Errorf("%q minified to %q", src, out)
		}
	}
}

// TestTemplateCommentWithQuotes: a quote in a template comment once left
// the rest of the file unminified (the theme's fragments.html and
// links.html, whose comments say "a site's own copy").
func TestTemplateCommentWithQuotes(t *testing.T) {
	for _, src := range []string{
		"{{- /* it's \"quoted\" */ -}}\n{{define \"a\"}}\n<p>\n x </p>\n<p>y</p>{{end}}",
		"{{/* `raw' */}}{{define \"a\"}}\n<p>\n x </p>\n<p>y</p>{{end}}",
	} {
		out, err := New(true).Template([]byte(src))
		if err != nil || !strings.Contains(string(out), `{{define "a"}}<p>x</p><p>y</p>{{end}}`) {
			t.Errorf("%q minified to %q (%v)", src, out, err)
		}
	}
	css := "<style>/* it's */ p { color: red }</style>"
	if out, err := New(true).Template([]byte(css)); err != nil || strings.Contains(string(out), "it") {
		t.Errorf("%q minified to %q (%v)", css, out, err)
	}
}
