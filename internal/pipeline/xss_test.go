package pipeline

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestPayloadsAreInertEverywhere puts script-injection payloads in every
// text field of the front matter and checks every output file: no live
// markup in HTML, feeds that parse and give the text back as written,
// JSON-LD that parses and cannot close its script element.
func TestPayloadsAreInertEverywhere(t *testing.T) {
	const payload = `</script><script>alert(1)</script>"onmouseover="alert(2)` + "'><img src=x onerror=alert(3)>"
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	files := map[string]string{
		"site.toml": `title = "</title><script>alert(0)</script>"
description = "\"><script>alert(9)</script>"
base_url = "https://x.example/"
`,
		"content/evil.md": "---\n" +
			"title: " + q(payload) + "\n" +
			"date: 2026-11-28T08:00:00Z\n" +
			"topic: " + q("<b>Topic</b>") + "\n" +
			"tags: [" + q(payload) + "]\n" +
			"summary: " + q(payload) + "\n" +
			"source: " + q(payload) + "\n" +
			"source_url: \"https://example.com/?q=\\\"><script>alert(4)</script>\"\n" +
			"authors: [" + q(payload) + "]\n" +
			"image: \"/img.png?\\\"onerror=alert(5)\"\n" +
			"image_alt: " + q(payload) + "\n" +
			"featured: true\n" +
			"params:\n  also:\n    - {name: " + q(payload) + ", url: \"https://tide.example/?q=\\\"><script>alert(11)</script>\"}\n" +
			"    - {name: \"Quiet\", url: \"javascript:alert(12)\"}\n" +
			"---\n" +
			"<script>alert(6)</script>\n\n" +
			"[a](javascript:alert(7)) [b](JaVaScRiPt:alert(8)) [c](vbscript:x) [d](data:text/html,<script>alert(10)</script>)\n",
	}
	out := buildSite(t, files, now)
	page, err := os.ReadFile(filepath.Join(out, "2026/11/28/evil/index.html"))
	if err != nil || !strings.Contains(string(page), "Also covered by") || !strings.Contains(string(page), "Quiet") || strings.Contains(string(page), "alert(12)") {
		t.Errorf("the article page does not list params.also safely (%v)", err)
	}
	checked := 0
	err = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		checked++
		switch filepath.Ext(p) {
		case ".html":
			checkHTML(t, rel, string(data))
		case ".xml", ".opml":
			checkXML(t, rel, data, payload)
		case ".json":
			if err := json.Unmarshal(data, new(any)); err != nil {
				t.Errorf("%s does not parse: %v", rel, err)
			}
			if strings.Contains(string(data), "<script") {
				t.Errorf("%s holds an unescaped <script", rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("checked only %d files", checked)
	}
	// Feed readers decode RSS descriptions and content, Atom html content
	// and JSON Feed content_html as HTML: nothing live there either.
	var rss struct {
		Items []struct {
			Description string `xml:"description"`
			Content     string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
		} `xml:"channel>item"`
	}
	rssData, _ := os.ReadFile(filepath.Join(out, "feed.xml"))
	if err := xml.Unmarshal(rssData, &rss); err != nil || len(rss.Items) != 1 {
		t.Fatalf("feed.xml: %v, %d items", err, len(rss.Items))
	}
	checkHTML(t, "feed.xml description (as HTML)", rss.Items[0].Description)
	checkHTML(t, "feed.xml content:encoded (as HTML)", rss.Items[0].Content)
	var jf struct {
		Items []struct {
			ContentHTML string `json:"content_html"`
		} `json:"items"`
	}
	jfData, _ := os.ReadFile(filepath.Join(out, "feed.json"))
	json.Unmarshal(jfData, &jf)
	checkHTML(t, "feed.json content_html (as HTML)", jf.Items[0].ContentHTML)

	// The text itself survives, escaped: readers see what the author wrote.
	var feed struct {
		Items []struct {
			Title string `json:"title"`
		} `json:"items"`
	}
	data, _ := os.ReadFile(filepath.Join(out, "feed.json"))
	json.Unmarshal(data, &feed)
	if len(feed.Items) != 1 || feed.Items[0].Title != payload {
		t.Errorf("JSON Feed title = %q, want the payload as text", feed.Items)
	}
}

// checkHTML parses a page as a browser would and fails on anything live
// that a payload could have made: script elements other than JSON-LD,
// event-handler attributes, script URLs, and elements of the payloads. The
// search page's own script is the one script element allowed.
func checkHTML(t *testing.T, name, page string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(page))
	// The script element being read: JSON-LD, or the theme's own
	// (relative times), the only live one a page may have.
	var inScript string
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return
		case html.TextToken:
			switch inScript {
			case "ld":
				if err := json.Unmarshal(z.Text(), new(any)); err != nil {
					t.Errorf("%s: JSON-LD broken by a payload: %v", name, err)
				}
			case "theme":
				if text := string(z.Text()); !strings.Contains(text, "RelativeTimeFormat") || strings.Contains(text, "alert") {
					t.Errorf("%s: a live script element: %s", name, text)
				}
			}
		case html.EndTagToken:
			inScript = ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script":
				switch {
				case attr(tok, "type") == "application/ld+json":
					inScript = "ld"
				case name == "search/index.html" && attr(tok, "src") == "/search/search.js":
					// the search page's own script, which the theme puts there
				default:
					inScript = "theme"
					if len(tok.Attr) > 0 {
						t.Errorf("%s: a live script element with attributes: %v", name, tok.Attr)
					}
				}
			case "img":
				if attr(tok, "src") == "x" {
					t.Errorf("%s: an injected img element", name)
				}
			case "b", "iframe", "svg":
				t.Errorf("%s: an injected <%s> element", name, tok.Data)
			}
			for _, a := range tok.Attr {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: an event handler attribute %s=%q", name, a.Key, a.Val)
				}
				if (a.Key == "href" || a.Key == "src") && (strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:")) {
					t.Errorf("%s: a script URL %s=%q", name, a.Key, a.Val)
				}
			}
		}
	}
}

func attr(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func checkXML(t *testing.T, name string, data []byte, payload string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(data)))
	dec.Strict = true
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Errorf("%s does not parse: %v", name, err)
			}
			return
		}
		if se, ok := tok.(xml.StartElement); ok && (se.Name.Local == "script" || se.Name.Local == "img") {
			t.Errorf("%s has a <%s> element", name, se.Name.Local)
		}
	}
}
