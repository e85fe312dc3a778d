package shortcode

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzScanShortcodes checks, for every dialect, that scanning and
// converting never panic, that tags lie inside the input in order without
// overlapping and with the right line, that every issue lies inside the
// output on the line it names, and that converting the output again
// changes nothing unless the result says it holds literal text.
func FuzzScanShortcodes(f *testing.F) {
	for _, s := range []string{
		"{{< figure src=\"a.png\" caption=\"c\" >}}",
		"{{% highlight go %}}\nx\n{{% /highlight %}}",
		"{{</* ref \"a\" */>}} {{< ref \"posts/other.md\" >}}",
		"{% highlight ruby %}{% raw %}{{ x }}{% endraw %}{% endhighlight %}",
		"{{ site.baseurl }}{% post_url 2014-12-12-old-title %} {% include a.html %}",
		"{% comment %}x{% endcomment %}{{ 'a' | relative_url | append: site.url }}",
		"{{ youtube(id=\"abc\") }} {% quote(by=\"x\") %}q{% end %} [a](@/blog/other.md)",
		"{{/* gist(url=\"https://gist.github.com/a/b\") */}}",
		"{{{% raw %}{% endraw %}{ x }}",
		"{{< highlight >}}{{< highlight >}}```{{< /highlight >}}{{< /highlight >}}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, d := range []Dialect{Hugo, Liquid, Tera} {
			checkScan(t, text, d)
			opt := Options{Dialect: d, BasePath: "/b", SiteURL: "https://example.org", Link: links}
			res := Convert(text, opt)
			checkIssues(t, text, res)
			if res.Literal {
				continue
			}
			again := Convert(res.Text, opt)
			if again.Text != res.Text {
				t.Fatalf("dialect %d: converting twice changed the text:\ninput %q\nonce  %q\ntwice %q", d, text, res.Text, again.Text)
			}
		}
	})
}

func checkScan(t *testing.T, text string, d Dialect) {
	end := 0
	for _, tag := range Scan(text, d) {
		if tag.Start < end || tag.End <= tag.Start || tag.End > len(text) {
			t.Fatalf("dialect %d: tag %+v out of place (previous ended at %d, input %d bytes)", d, tag, end, len(text))
		}
		if want := strings.Count(text[:tag.Start], "\n") + 1; tag.Line != want {
			t.Fatalf("dialect %d: tag %+v on line %d, want %d", d, tag, tag.Line, want)
		}
		end = tag.End
	}
}

func checkIssues(t *testing.T, text string, res Result) {
	for _, is := range res.Issues {
		if is.Offset < 0 || is.Offset > len(res.Text) {
			t.Fatalf("issue %+v outside the output of %d bytes", is, len(res.Text))
		}
		if want := strings.Count(res.Text[:is.Offset], "\n") + 1; is.Line != want {
			t.Fatalf("issue %+v on line %d, want %d", is, is.Line, want)
		}
		if !utf8.ValidString(is.Tag) && utf8.ValidString(text) {
			t.Fatalf("issue tag %q is not valid UTF-8", is.Tag)
		}
	}
}
