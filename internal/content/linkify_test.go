package content

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"

	"github.com/digest-ssg/digest/internal/corpus"
)

// linkifySeeds are texts where goldmark's autolink parser finds a link,
// nearly finds one, or must not.
var linkifySeeds = []string{
	"See https://example.org/a?b=c&d=e. And http://x.y, ftp://files.example.net/f.txt!",
	"www.example.com and (www.example.com/path) and *www.example.com*",
	"mail alice@example.org or (bob.smith+news@mail.example.co.uk).",
	"_carol@example.org_ ~dave@example.org~ eve@localhost x@y.z-",
	"@handle, a@b, a@.com, .a@b.com, !x@example.org, 'q'@example.org",
	"hello world\nhttps://line.head/ and www.\nwww.x",
	"HTTP://upper.case WWW.UPPER.CASE Https://mixed.case",
	"[a link https://in.label](https://example.org) and <https://angle.example>",
	"wwwx.example.com hxxp://nope fttp://nope w",
	"1234567890123456789012345678901234567890123456789012345678901234@example.org",
	"12345678901234567890123456789012345678901234567890123456789012345@example.org",
	"a&amp;b@example.org café@example.org `code https://x.y` **https://bold.example**",
	"(https://example.org/a_(b)) https://example.org/x); https://example.org/&amp;",
	"- list www.example.com\n- item user@example.com\n\n> quote https://q.example",
	"",
	" ",
	"*",
	"(",
}

// newGoldmarks returns goldmark with its own GFM and with gfm(), both
// with the other extensions digest uses.
func newGoldmarks() (stock, quick goldmark.Markdown) {
	rest := []goldmark.Extender{extension.Footnote, extension.Typographer}
	opts := goldmark.WithRendererOptions(html.WithUnsafe())
	stock = goldmark.New(goldmark.WithExtensions(append([]goldmark.Extender{extension.GFM}, rest...)...), opts)
	quick = goldmark.New(goldmark.WithExtensions(append(gfm(), rest...)...), opts)
	return stock, quick
}

func convertBoth(t testing.TB, stock, quick goldmark.Markdown, src []byte) (want, got string) {
	t.Helper()
	var a, b bytes.Buffer
	if err := stock.Convert(src, &a); err != nil {
		t.Fatal(err)
	}
	if err := quick.Convert(src, &b); err != nil {
		t.Fatal(err)
	}
	return a.String(), b.String()
}

func TestQuickLinkifyMatchesGoldmark(t *testing.T) {
	stock, quick := newGoldmarks()
	links := 0
	for _, s := range linkifySeeds {
		want, got := convertBoth(t, stock, quick, []byte(s))
		if got != want {
			t.Errorf("%q:\n got %q\nwant %q", s, got, want)
		}
		links += strings.Count(want, "<a href")
	}
	if links < 15 {
		t.Errorf("the seeds make %d links, want at least 15: they no longer test the links", links)
	}

	// A generated corpus: the articles the benchmarks build.
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Options{Articles: 300, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	n := 0
	err := filepath.WalkDir(filepath.Join(dir, "content"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		if want, got := convertBoth(t, stock, quick, src); got != want {
			t.Errorf("%s: the output differs from goldmark's GFM", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 300 {
		t.Fatalf("compared %d articles, want 300", n)
	}
}

func TestMayLink(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"https://x", true},
		{"news and more", false},
		{"word and more", true}, // w: it may be www.
		{"alice@example.org", true},
		{"al ice@example.org", false},
		{"@alice", false},
		{".alice@example.org", false}, // punctuation first: goldmark gives up
		{"", false},
		{strings.Repeat("a", 65) + "@example.org", false}, // at most 64 bytes before the @
		{strings.Repeat("a", 64) + "@example.org", true},
	} {
		if got := mayLink([]byte(tc.line)); got != tc.want {
			t.Errorf("mayLink(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
	for _, c := range "aZ9.+-_!#$%&'*/=?^`{|}~" {
		if !emailLocal[c] {
			t.Errorf("%q is not taken into an e-mail address's local part", c)
		}
	}
	for _, c := range " \t\n@()<>[]\\,;:\"" {
		if emailLocal[c] {
			t.Errorf("%q is taken into an e-mail address's local part", c)
		}
	}
}

func FuzzQuickLinkify(f *testing.F) {
	for _, s := range linkifySeeds {
		f.Add([]byte(s))
	}
	stock, quick := newGoldmarks()
	f.Fuzz(func(t *testing.T, src []byte) {
		if want, got := convertBoth(t, stock, quick, src); got != want {
			t.Errorf("%q:\n got %q\nwant %q", src, got, want)
		}
	})
}
