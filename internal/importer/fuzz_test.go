package importer

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/digest-ssg/digest/internal/content"
)

// frontProblem matches digest's complaint about a front-matter key of a
// file the import wrote, which it must never write.
var frontProblem = regexp.MustCompile(`would refuse it: content/.*\.md:\d+:\d+: ([a-z_]+: |unknown key|front matter|missing front matter)`)

// FuzzImportPost imports one post of any content, as a Jekyll post and as
// a Hugo one: the import never fails or panics on a post, every post found
// is imported or listed as not imported, and every article written reads
// in digest without an error.
func FuzzImportPost(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: A\ndate: 2020-01-01\ntags: [a, b]\nlayout: post\n---\nBody {% include x %} {{< figure src=\"a\" >}}\n",
		"+++\ntitle = \"T\"\ndate = 2020-01-01T10:00:00Z\n[extra]\nx = { a = [1, 2] }\n+++\nBody\n",
		"{\n\"title\": \"J\", \"date\": \"2020-01-01\", \"k\": {\"a\": null}\n}\nBody\n",
		"---\ntitle: \"x\\u0001y\"\nauthor: {name: A}\nimage: {path: ../x.png}\nredirect_from: [\"/a b/\", \"relative\", \"https://o.example/x\"]\n---\n",
		"---\n\"odd key\": [1, {a: b}]\nsummary: |\n  two\n  lines\n---\n{% highlight %}```{% endhighlight %}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, post string) {
		for _, site := range []fstest.MapFS{
			{"_config.yml": {Data: []byte("title: F\n")}, "_posts/2020-01-01-post.md": {Data: []byte(post), ModTime: fixtureTime}},
			{"hugo.toml": {Data: []byte("title = 'F'\n")}, "content/posts/post.md": {Data: []byte(post), ModTime: fixtureTime}},
		} {
			s, err := Plan(context.Background(), site, Options{})
			if err != nil {
				t.Fatalf("Plan: %v", err)
			}
			r := s.Report
			if r.Imported+r.Counts()[NotImported] != r.Found {
				t.Fatalf("found %d, imported %d, not imported %d:\n%s", r.Found, r.Imported, r.Counts()[NotImported], dump(r))
			}
			for _, w := range warningsOf(r, NotImported) {
				if frontProblem.MatchString(w) {
					t.Fatalf("the front matter written is refused: %s", w)
				}
			}
			parser := content.NewParser(mustConfig(t, s.Files["site.toml"]))
			for name, data := range s.Files {
				if !strings.HasPrefix(name, "content/") {
					continue
				}
				if _, errs := parser.Parse(name, data); errs.Err() != nil {
					t.Fatalf("%s does not read in digest: %v\n%s", name, errs.Err(), data)
				}
			}
		}
	})
}
