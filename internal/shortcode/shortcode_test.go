package shortcode

import (
	"strings"
	"testing"
	"time"
)

func TestScanFindsTagsWithPositions(t *testing.T) {
	tests := []struct {
		name, text string
		d          Dialect
		want       []Tag // Start, End, Line, Col, Kind, Name, Args
	}{
		{"hugo open and close", "a\n{{< highlight go >}}\nx\n{{< /highlight >}}", Hugo, []Tag{
			{Start: 2, End: 22, Line: 2, Col: 1, Kind: Open, Name: "highlight", Args: "go"},
			{Start: 25, End: 43, Line: 4, Col: 1, Kind: Close, Name: "highlight"},
		}},
		{"hugo percent and self-closing", `{{% Note %}} {{< figure src="a.png" />}}`, Hugo, []Tag{
			{Start: 0, End: 12, Line: 1, Col: 1, Kind: Open, Name: "note"},
			{Start: 13, End: 40, Line: 1, Col: 14, Kind: Single, Name: "figure", Args: `src="a.png"`},
		}},
		{"hugo escaped", `{{</* figure src="x" */>}}`, Hugo, []Tag{
			{Start: 0, End: 26, Line: 1, Col: 1, Kind: Escaped, Args: `{{< figure src="x" >}}`},
		}},
		{"hugo leaves template braces alone", "{{ .Title }} {{< >}} {{<", Hugo, nil},
		{"liquid", "é {% highlight ruby linenos %}x{% endhighlight %} {{ site.baseurl }}", Liquid, []Tag{
			{Start: 3, End: 31, Line: 1, Col: 3, Kind: Open, Name: "highlight", Args: "ruby linenos"},
			{Start: 32, End: 50, Line: 1, Col: 32, Kind: Close, Name: "highlight"},
			{Start: 51, End: 69, Line: 1, Col: 51, Kind: Output, Args: "site.baseurl"},
		}},
		{"liquid whitespace control", "{%- include a.html -%}", Liquid, []Tag{
			{Start: 0, End: 22, Line: 1, Col: 1, Kind: Open, Name: "include", Args: "a.html"},
		}},
		{"liquid raw is not scanned", "{% raw %}{{ x }}{% endraw %}", Liquid, []Tag{
			{Start: 0, End: 9, Line: 1, Col: 1, Kind: Open, Name: "raw"},
			{Start: 16, End: 28, Line: 1, Col: 17, Kind: Close, Name: "raw"},
		}},
		{"tera calls", "{{ youtube(id=\"x\") }}\n{% quote(by=\"A\") %}q{% end %} {{ not_a_call }}", Tera, []Tag{
			{Start: 0, End: 21, Line: 1, Col: 1, Kind: Output, Name: "youtube", Args: `id="x"`},
			{Start: 22, End: 41, Line: 2, Col: 1, Kind: Open, Name: "quote", Args: `by="A"`},
			{Start: 42, End: 51, Line: 2, Col: 21, Kind: Close},
		}},
		{"tera escaped", `{{/* youtube(id="x") */}}`, Tera, []Tag{
			{Start: 0, End: 25, Line: 1, Col: 1, Kind: Escaped, Args: `{{ youtube(id="x") }}`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Scan(tt.text, tt.d)
			if len(got) != len(tt.want) {
				t.Fatalf("Scan found %d tags, want %d: %+v", len(got), len(tt.want), got)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("tag %d:\n got %+v\nwant %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func links(kind, target string) (string, bool) {
	switch kind + " " + target {
	case "ref posts/other.md", "relref other", "ref /posts/other#part", "post_url 2014-12-12-old-title", "link _posts/2014-12-12-old-title.md", "@ blog/other.md":
		u := "/2014/12/12/other/"
		if _, frag, ok := strings.Cut(target, "#"); ok {
			u += "#" + frag
		}
		return u, true
	}
	return "", false
}

func TestConvert(t *testing.T) {
	hugo := Options{Dialect: Hugo, BasePath: "/news", Link: links}
	liquid := Options{Dialect: Liquid, BasePath: "/news", SiteURL: "https://example.org", Link: links}
	tera := Options{Dialect: Tera, Link: links}
	tests := []struct {
		name string
		opt  Options
		in   string
		want string
	}{
		{"figure with caption", hugo, `{{< figure src="harbour.svg" alt="Boats at dawn" caption="The *old* harbour" >}}`,
			"![Boats at dawn](harbour.svg)\\\n_The *old* harbour_"},
		{"figure alt from caption, linked", hugo, `{{< figure src="/img/a b.png" title="Dawn [1]" link="https://example.org/" >}}`,
			"[![Dawn \\[1\\]](/img/a%20b.png)](https://example.org/)\\\n*Dawn [1]*"},
		{"eleventy image", liquid, `{% image "./cat.jpg", "A cat asleep" %}`, "![A cat asleep](./cat.jpg)"},
		{"zola figure", tera, `{{ figure(src="a.png", caption="Hi") }}`, "![Hi](a.png)\\\n*Hi*"},
		{"youtube id", hugo, `{{< youtube w7Ft2ymGmfc >}}`, "[▶ Watch on YouTube](https://www.youtube.com/watch?v=w7Ft2ymGmfc)"},
		{"youtube named with title", hugo, `{{< youtube id="w7Ft2ymGmfc" title="A [talk]" start="30" >}}`,
			"[▶ A \\[talk\\] (YouTube)](https://www.youtube.com/watch?v=w7Ft2ymGmfc&t=30s)"},
		{"youtube address", liquid, `{% youtube "https://youtu.be/w7Ft2ymGmfc" %}`, "[▶ Watch on YouTube](https://www.youtube.com/watch?v=w7Ft2ymGmfc)"},
		{"zola youtube", tera, `{{ youtube(id="w7Ft2ymGmfc") }}`, "[▶ Watch on YouTube](https://www.youtube.com/watch?v=w7Ft2ymGmfc)"},
		{"vimeo", hugo, `{{< vimeo 146022717 >}}`, "[▶ Watch on Vimeo](https://vimeo.com/146022717)"},
		{"gist hugo", hugo, `{{< gist spf13 7896402 img.html >}}`, "[View the code on GitHub](https://gist.github.com/spf13/7896402#file-img-html)"},
		{"gist jekyll", liquid, `{% gist parkr/931c1c8d465a04042403 %}`, "[View the code on GitHub](https://gist.github.com/parkr/931c1c8d465a04042403)"},
		{"tweet", hugo, `{{< tweet user="SanDiegoZoo" id="1453110110599868418" >}}`, "[View the post on X](https://x.com/SanDiegoZoo/status/1453110110599868418)"},
		{"highlight hugo", hugo, "Code:\n{{< highlight go \"linenos=table\" >}}\nfmt.Println(1)\n{{< /highlight >}}\nDone.",
			"Code:\n```go\nfmt.Println(1)\n```\nDone."},
		{"highlight mid-line gets its own lines", liquid, "See {% highlight ruby %}puts 1{% endhighlight %} here",
			"See \n```ruby\nputs 1\n```\n here"},
		{"highlight fence longer than backticks inside", liquid, "{% highlight md %}\n```\nx\n```\n{% endhighlight %}",
			"````md\n```\nx\n```\n````"},
		{"highlight converts tags inside", liquid, "{% highlight sh %}\ncurl {{ site.url }}/x\n{% endhighlight %}",
			"```sh\ncurl https://example.org/x\n```"},
		{"ref", hugo, `[other]({{< ref "posts/other.md" >}})`, "[other](/news/2014/12/12/other/)"},
		{"relref percent", hugo, `[other]({{% relref other %}})`, "[other](/news/2014/12/12/other/)"},
		{"ref with anchor", hugo, `{{< ref "/posts/other#part" >}}`, "/news/2014/12/12/other/#part"},
		{"post_url alone has the base", liquid, `[x]({% post_url 2014-12-12-old-title %})`, "[x](/news/2014/12/12/other/)"},
		{"post_url after site.baseurl", liquid, `[x]({{ site.baseurl }}{% post_url 2014-12-12-old-title %})`, "[x](/news/2014/12/12/other/)"},
		{"link", liquid, `{% link _posts/2014-12-12-old-title.md %}`, "/news/2014/12/12/other/"},
		{"baseurl and filters", liquid, `{{ site.baseurl }}/a {{ "/b" | relative_url }} {{ 'c' | absolute_url }} {{ site.url | append: site.baseurl }} {{ "/d/" | url }}`,
			"/news/a /news/b https://example.org/news/c https://example.org/news /news/d/"},
		{"raw unwrapped", liquid, "{% raw %}{{ page.title }}{% endraw %}", "{{ page.title }}"},
		{"liquid comment dropped", liquid, "a{% comment %}secret {% include x %}{% endcomment %}b", "ab"},
		{"hugo escape shown", hugo, "`{{</* figure src=\"x\" */>}}`", "`{{< figure src=\"x\" >}}`"},
		{"zola internal link", tera, "[o](@/blog/other.md) and [r]: @/blog/other.md", "[o](/2014/12/12/other/) and [r]: /2014/12/12/other/"},
		{"hugo template text untouched", hugo, "{{ .Title }} and {{ x }}", "{{ .Title }} and {{ x }}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Convert(tt.in, tt.opt)
			if res.Text != tt.want {
				t.Errorf("Convert(%q) =\n%q\nwant\n%q", tt.in, res.Text, tt.want)
			}
			for _, is := range res.Issues {
				if !is.Converted {
					t.Errorf("unexpected issue: %+v", is)
				}
			}
		})
	}
}

func TestConvertListsWhatItLeaves(t *testing.T) {
	tests := []struct {
		name  string
		opt   Options
		in    string
		issue []string // "line:col name: message prefix"
	}{
		{"liquid include", Options{Dialect: Liquid}, "Intro\n\n{% include note.html text=\"x\" %}\n",
			[]string{"3:1 include: Liquid include not converted"}},
		{"liquid logic and output", Options{Dialect: Liquid}, "{% if page.x %}\n  {{ page.title }}\n{% endif %}",
			[]string{"1:1 if: Liquid if not converted", "2:3 page.title: Liquid output not converted", "3:1 if: closing tag left"}},
		{"unknown hugo shortcode", Options{Dialect: Hugo}, "x {{< param \"a\" >}}",
			[]string{"1:3 param: shortcode \"param\" not converted"}},
		{"ref to nothing", Options{Dialect: Hugo, Link: links}, "{{< ref \"nowhere.md\" >}}",
			[]string{"1:1 ref: no imported post matches \"nowhere.md\""}},
		{"zola link to nothing", Options{Dialect: Tera, Link: links}, "a\n[x](@/blog/gone.md)",
			[]string{"2:5 @/ link: no imported post matches"}},
		{"figure without alt", Options{Dialect: Hugo}, "{{< figure src=\"a.png\" >}}",
			[]string{"1:1 figure: image without alt text"}},
		{"issues inside a highlight block are placed in the output", Options{Dialect: Liquid}, "para\n{% highlight sh %}\nrun\n{% include x.sh %}\n{% endhighlight %}",
			[]string{"4:1 include: Liquid include not converted"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Convert(tt.in, tt.opt)
			if len(res.Issues) != len(tt.issue) {
				t.Fatalf("got %d issues, want %d: %+v", len(res.Issues), len(tt.issue), res.Issues)
			}
			for i, is := range res.Issues {
				got := formatIssue(is)
				if !strings.HasPrefix(got, tt.issue[i]) {
					t.Errorf("issue %d = %q, want prefix %q", i, got, tt.issue[i])
				}
				line := strings.Split(res.Text, "\n")[is.Line-1]
				if !strings.Contains(line, strings.TrimSuffix(strings.Fields(is.Tag)[0], "…")) && !is.Converted {
					t.Errorf("issue %d at line %d, which is %q, not the tag %q", i, is.Line, line, is.Tag)
				}
			}
		})
	}
}

func formatIssue(is Issue) string {
	return strings.Join([]string{itoa(is.Line) + ":" + itoa(is.Col), is.Name + ":", is.Msg}, " ")
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func TestConvertCountsConversions(t *testing.T) {
	res := Convert("{{< youtube abc >}} {{< youtube def >}} {{< highlight go >}}x{{< /highlight >}}", Options{Dialect: Hugo})
	if res.Converted["youtube"] != 2 || res.Converted["highlight"] != 1 {
		t.Errorf("Converted = %v, want youtube 2, highlight 1", res.Converted)
	}
}

func TestConvertMarksLiteralText(t *testing.T) {
	for _, tt := range []struct {
		in      string
		d       Dialect
		literal bool
	}{
		{"{% raw %}{{ site.baseurl }}{% endraw %}", Liquid, true},
		{"{{</* ref \"a\" */>}}", Hugo, true},
		{"{% include a %} {{ site.baseurl }}", Liquid, false},
		{"{{ \"{\" }}{ x }}", Liquid, true},
	} {
		res := Convert(tt.in, Options{Dialect: tt.d})
		if res.Literal != tt.literal {
			t.Errorf("Convert(%q).Literal = %v, want %v (text %q)", tt.in, res.Literal, tt.literal, res.Text)
		}
	}
}

// TestConvertTakesLinearTime converts long runs of openers that never
// close, raw blocks that never end and links: each once took minutes on a
// megabyte (time growing with the square of the length), and a source
// file is written by anyone. The test compares 256 KB with 64 KB of the
// same text, so it asks how the time grows, not how fast this machine is:
// four times the text may take four times as long, or a little more, but
// not the sixteen times of a quadratic algorithm (the fastest of three
// runs of each, against a loaded machine's noise), once it takes long
// enough to matter.
func TestConvertTakesLinearTime(t *testing.T) {
	fastest := func(text string, d Dialect) time.Duration {
		best := time.Duration(1<<63 - 1)
		for range 3 {
			start := time.Now()
			Convert(text, Options{Dialect: d, Link: links})
			best = min(best, time.Since(start))
		}
		return best
	}
	for _, unit := range []string{"{{<", "{{</*", "{{ a(", "{%/* ", "{% raw %}", "{{<aaaa", "{{ {{ ", "{% x ", "[a](@/x) ", "é\n"} {
		small := strings.Repeat(unit, (64<<10)/len(unit))
		large := strings.Repeat(unit, (256<<10)/len(unit))
		for _, d := range []Dialect{Hugo, Liquid, Tera} {
			ts, tl := fastest(small, d), fastest(large, d)
			// A linear conversion of 256 KB takes milliseconds, in
			// which a collection or another process can make the
			// ratio say anything; a quadratic one takes seconds.
			if tl > 250*time.Millisecond && tl > 10*ts {
				t.Errorf("converting %q in dialect %d: 64 KB took %v, 256 KB %v: the time grows faster than the text", unit, d, ts, tl)
			}
		}
	}
}
