package render

import (
	"bytes"
	"image"
	"image/png"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/digest-ssg/digest"
	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/site"
)

func TestInlineStylesFollowsTheCascade(t *testing.T) {
	page := `<!DOCTYPE html><html><head><style>
p { color:black; margin:0 }
.x { color:red }
p.x { color:green }
.y { color:blue !important }
.gone { color:pink }
a:hover { color:orange }
@media (max-width:480px) { .x { color:gray !important } .nowhere { color:teal !important } }
</style></head><body>
<p class="x y" style="color:white;padding:1px">one</p>
<p class="x">two</p>
<p>three</p>
</body></html>`
	res, err := inlineStyles([]byte(page), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := string(res.page)
	for _, want := range []string{
		// !important beats the element's own style, which beats the rules
		`<p class="x" style="color:blue;margin:0;padding:1px">one</p>`,
		`<p class="x" style="color:green;margin:0">two</p>`,
		`<p style="color:black;margin:0">three</p>`,
		`<style>a:hover{color:orange}@media (max-width:480px){.x{color:gray!important}.nowhere{color:teal!important}}</style>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in\n%s", want, got)
		}
	}
	if strings.Join(res.unused, ",") != ".gone,.nowhere" {
		t.Errorf("unused = %q, want .gone and .nowhere", res.unused)
	}
}

// themeWith is the built-in theme with extra files.
func themeWith(t *testing.T, extra fstest.MapFS) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(digest.Theme(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(digest.Theme(), p)
		fsys[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range extra {
		fsys[k] = v
	}
	return fsys
}

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// emailSite is a site whose edition has every part the email shows: a
// lead story with a picture, topics, bylines and sources with and
// without links.
func emailSite(t *testing.T) *site.Site {
	t.Helper()
	c, errs := config.Parse([]byte("title = \"Q & A Daily\"\nbase_url = \"https://q.example/\"\ntopics = [\"World\", \"Sport\"]\n"))
	if errs != nil {
		t.Fatal(errs)
	}
	day := func(h int) time.Time { return time.Date(2026, 3, 4, h, 0, 0, 0, time.UTC) }
	arts := []*content.Article{
		{File: "content/lead.md", Title: "Lead & \"friends\"", Slug: "lead", Topic: "World", Date: day(6), Featured: true,
			Summary: "The lead's dek: rock & roll.", Image: "/images/lead.png", ImageAlt: "A grey square", Authors: []string{"Ann Lee"}},
		{File: "content/b.md", Title: "Second <story>", Slug: "b", Topic: "World", Date: day(7), Summary: "Two.",
			Source: "The Wire", SourceURL: "https://wire.example/b?x=1&y=2"},
		{File: "content/c.md", Title: "Third", Slug: "c", Topic: "Sport", Date: day(8), Source: "Gazette"},
	}
	s, errs := site.Build(c, arts, site.Options{Now: day(12)})
	if errs != nil {
		t.Fatal(errs)
	}
	return s
}

// TestEmailStyleSheetIsAllApplied: every rule of the theme's email style
// sheet selects something in an email with every part, and after
// inlining, what stays in <style> is only what a style attribute cannot
// say (@media rules), each declaration !important so that it wins over
// the inlined styles.
func TestEmailStyleSheetIsAllApplied(t *testing.T) {
	fsys := themeWith(t, fstest.MapFS{"static/images/lead.png": {Data: pngOf(t, 800, 400)}})
	s := emailSite(t)
	r, errs := New(fsys, s.Config)
	if errs != nil {
		t.Fatal(errs)
	}
	p := s.Page("/2026/03/04/email.html")
	var raw bytes.Buffer
	if err := r.run.pages[site.KindEmail].ExecuteTemplate(&raw, mailLayout, p); err != nil {
		t.Fatal(err)
	}
	res, err := inlineStyles(raw.Bytes(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.unused) > 0 {
		t.Errorf("rules of the email's style sheet select nothing: %q", res.unused)
	}
	kept := res.kept
	for _, block := range regexp.MustCompile(`@media[^{]*\{((?:[^{}]*\{[^{}]*\})*)\}`).FindAllStringSubmatch(kept, -1) {
		kept = strings.Replace(kept, block[0], "", 1)
		for _, decl := range regexp.MustCompile(`[{;]([^{};]+)`).FindAllStringSubmatch(block[1], -1) {
			if !strings.HasSuffix(decl[1], "!important") {
				t.Errorf("%q in %.40s… is not !important, so the inlined styles win over it", decl[1], block[0])
			}
		}
	}
	if kept != "" {
		t.Errorf("left in <style> besides @media rules: %s", kept)
	}
	out, err := r.Render(p)
	if err != nil {
		t.Fatal(err)
	}
	page := string(out)
	for _, want := range []string{
		`<img src="https://q.example/images/lead.png" width="552" height="276" alt="A grey square" style="display:block;`,
		`<h1 class="lead-title" dir="auto" style="margin:0 0 10px;`,
		`<a href="https://wire.example/b?x=1&amp;y=2" style="color:#5c5a55">The Wire</a>`,
		`Lead &amp; &#34;friends&#34;`,
		`Second &lt;story&gt;`,
		`<title>Lead &amp; &#34;friends&#34; · Q &amp; A Daily, 4 March 2026</title>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the email lacks %s", want)
		}
	}
	// Every element that the style sheet styles carries its style.
	body := regexp.MustCompile(`(?s)<!--.*?-->`).ReplaceAllString(page[strings.Index(page, "<body"):], "")
	for _, tag := range regexp.MustCompile(`<(?:p|td|h[123]|table|a|img)\b[^>]*>`).FindAllString(body, -1) {
		if !strings.Contains(tag, "style=") && !strings.Contains(tag, "{{unsubscribe_url}}") {
			t.Errorf("unstyled: %s", tag)
		}
	}
	if got := EmailSubject(out); got != `Lead & "friends" · Q & A Daily, 4 March 2026` {
		t.Errorf("subject = %q", got)
	}
}

// TestEmailTextIsPlain: the text has the site's characters as they are,
// never an HTML entity, and numbers the links of the stories in the
// email's order.
func TestEmailTextIsPlain(t *testing.T) {
	s := emailSite(t)
	r, errs := New(themeWith(t, nil), s.Config)
	if errs != nil {
		t.Fatal(errs)
	}
	out, err := r.Render(s.Page("/2026/03/04/email.txt"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{
		"Q & A DAILY\nWednesday, 4 March 2026 · 3 stories\nRead it on the web: https://q.example/2026/03/04/\n",
		"LEAD STORY\n\nLead & \"friends\" [1]\nThe lead's dek: rock & roll.\nBy Ann Lee\n",
		"WORLD\n\nSecond <story> [2]\nTwo.\nThe Wire\n",
		"SPORT\n\nThird [3]\nGazette\n",
		"[1] https://q.example/2026/03/04/lead/\n[2] https://q.example/2026/03/04/b/\n[3] https://q.example/2026/03/04/c/\n",
		"Unsubscribe: {{unsubscribe_url}}\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q:\n%s", want, text)
		}
	}
	if regexp.MustCompile(`&[a-z]+;|&#[0-9]+;|  +\n|\n\n\n`).MatchString(text) {
		t.Errorf("entities, trailing spaces or runs of blank lines:\n%s", text)
	}
}

func TestWrap(t *testing.T) {
	got := wrap(10, "one two three four https://a.example/very/long five")
	want := "one two\nthree four\nhttps://a.example/very/long\nfive"
	if got != want {
		t.Errorf("wrap = %q, want %q", got, want)
	}
}

// A kind with a layout of its own is executed as it, and a block its
// page template defines that the layout never uses is named with the
// layout's name.
func TestKindsExecuteTheirLayout(t *testing.T) {
	fsys := theme()
	fsys["templates/email-base.html"] = &fstest.MapFile{Data: []byte(`<title>mail</title><style>p{color:red}</style>{{block "main" .}}{{end}}`)}
	fsys["templates/email.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}<p>{{.Title}}</p>{{end}}`)}
	s := emailSite(t)
	r, errs := New(fsys, s.Config)
	if errs != nil {
		t.Fatal(errs)
	}
	out, err := r.Render(s.Page("/2026/03/04/email.html"))
	if err != nil {
		t.Fatal(err)
	}
	if want := `<p style="color:red">Wednesday, 4 March 2026</p>`; !strings.Contains(string(out), want) || !strings.Contains(string(out), "<title>mail</title>") {
		t.Errorf("email page = %s, want its layout and %s", out, want)
	}
	fsys["templates/email.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}x{{end}}{{define "mian"}}y{{end}}`)}
	if _, errs := New(fsys, s.Config); errs == nil || !strings.Contains(errs.Error(), `templates/email.html:1:26: defines block "mian", which email-base.html never uses`) {
		t.Errorf("unused block: %v", errs)
	}
	delete(fsys, "templates/email-base.html")
	if _, errs := New(fsys, s.Config); errs == nil || !strings.Contains(errs.Error(), "templates/email-base.html: missing") {
		t.Errorf("a theme without the email's layout: %v", errs)
	}
}
