package config

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestEmptyFileGivesDefaults(t *testing.T) {
	c, errs := Parse(nil)
	if errs != nil {
		t.Fatalf("errors: %v", errs)
	}
	want := Default()
	if c.Title != want.Title || c.BaseURL != "/" || c.Timezone != "UTC" || c.PerPage != 20 || c.Latest != 10 ||
		c.Output != "build" || !c.Minify || c.Markdown.RawHTML || !c.Markdown.SmartPunctuation || !c.Markdown.HeadingAnchors {
		t.Errorf("defaults = %+v", c)
	}
}

func TestMissingFileGivesDefaults(t *testing.T) {
	c, errs := Load(fstest.MapFS{})
	if errs != nil || c.Title != "My Digest" {
		t.Fatalf("Load(empty fs) = %+v, %v", c, errs)
	}
}

func TestDecodeEveryKey(t *testing.T) {
	src := `title = "Morning Brief"
description = "News at seven"
base_url = "https://news.example.com/brief"
language = "en-GB"
timezone = "Europe/Berlin"
topics = ["World", "Business"]
default_topic = "General"
per_page = 15
latest = 5
output = "public"
minify = false

[markdown]
raw_html = true
smart_punctuation = false
heading_anchors = false

[feeds]
items = 5
full_content = false

[publisher]
name = "Brief Media"
logo = "/logo.png"

[authors]
"Ann Lee" = "https://example.org/staff/ann-lee"
"Bo Chan" = "/about/bo-chan/"

[params]
logo = "/logo.svg"
colors = { accent = "#c00" }
`
	c, errs := Parse([]byte(src))
	if errs != nil {
		t.Fatalf("errors: %v", errs)
	}
	if c.Title != "Morning Brief" || c.Description != "News at seven" || c.Language != "en-GB" ||
		c.PerPage != 15 || c.Latest != 5 || c.Output != "public" || c.Minify {
		t.Errorf("scalars wrong: %+v", c)
	}
	if c.BaseURL != "https://news.example.com/brief/" || c.BasePath() != "/brief/" || !c.IsAbsolute() {
		t.Errorf("base_url = %q, path %q", c.BaseURL, c.BasePath())
	}
	if c.Location.String() != "Europe/Berlin" {
		t.Errorf("location = %v", c.Location)
	}
	if got := strings.Join(c.Topics, ","); got != "World,Business,General" {
		t.Errorf("topics = %q (the default topic is added to the list)", got)
	}
	if !c.Markdown.RawHTML || c.Markdown.SmartPunctuation || c.Markdown.HeadingAnchors {
		t.Errorf("markdown = %+v", c.Markdown)
	}
	if c.Feeds.Items != 5 || c.Feeds.FullContent || c.Publisher.Name != "Brief Media" || c.Publisher.Logo != "/logo.png" {
		t.Errorf("feeds %+v publisher %+v", c.Feeds, c.Publisher)
	}
	if c.Params["logo"] != "/logo.svg" || c.Params["colors"].(map[string]any)["accent"] != "#c00" {
		t.Errorf("params = %v", c.Params)
	}
	for name, want := range map[string]string{"Ann Lee": "https://example.org/staff/ann-lee", "bo  CHAN": "/about/bo-chan/", "Cy Dee": ""} {
		if got := c.AuthorURL(name); got != want {
			t.Errorf("AuthorURL(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestErrorsNamePositionAndFix(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unknown key", "title = \"x\"\ntimezon = \"UTC\"\n", `site.toml:2:1: unknown key "timezon" (did you mean "timezone"?)`},
		{"unknown markdown key", "[markdown]\nraw_htm = true\n", `site.toml:2:1: unknown key "markdown.raw_htm" (did you mean "markdown.raw_html"?)`},
		{"bad timezone", "timezone = \"Mars/Olympus\"\n", `site.toml:1:12: timezone: unknown time zone "Mars/Olympus"`},
		{"wrong type", "per_page = \"ten\"\n", `site.toml:1:12: per_page: want a whole number, found text`},
		{"out of range", "latest = 0\n", `site.toml:1:10: latest: 0 is out of range (use 1 to 1000)`},
		{"bad base_url", "base_url = \"ftp://x\"\n", `site.toml:1:12: base_url: "ftp://x" must be an absolute http(s) URL`},
		{"bad language", "language = \"english please\"\n", `site.toml:1:12: language: "english please" is not a language tag`},
		{"syntax", "title = \n", `site.toml:1:`},
		{"duplicate key", "title = \"a\"\ntitle = \"b\"\n", `site.toml:2:1: duplicate key "title" (first set on line 1)`},
		{"duplicate topic", "topics = [\"World\", \"world\"]\n", `topics: "world" is listed twice`},
		{"top-level key in a table", "[feeds]\nitems = 5\nper_page = 3\n", `site.toml:3:1: "per_page" is inside [feeds]: top-level keys go before the first [table] in site.toml (move it up)`},
		{"top-level typo in a table", "[feeds]\ntimezon = \"UTC\"\n", `site.toml:2:1: unknown key "timezon" in [feeds] (did you mean the top-level "timezone"? top-level keys go before the first [table])`},
		{"feed items", "[feeds]\nitems = 0\n", `site.toml:2:9: feeds.items: 0 is out of range (use 1 to 1000)`},
		{"unknown feeds key", "[feeds]\nfull = true\n", `site.toml:2:1: unknown key "feeds.full"`},
		{"minify not a flag", "minify = \"maybe\"\n", `site.toml:1:10: minify: want true or false, found text`},
		{"top stories", "top_stories = 20\n", `site.toml:1:15: top_stories: 20 is out of range (use 0 to 12)`},
		{"author page not a URL", "[authors]\n\"Ann Lee\" = \"ann-lee.html\"\n", `site.toml:2:13: authors."Ann Lee": "ann-lee.html" is neither an http(s) URL nor a path from the site's root`},
		{"author twice", "[authors]\n\"Ann Lee\" = \"/a/\"\n\"ann lee\" = \"/b/\"\n", `site.toml:3:1: authors: "Ann Lee" and "ann lee" are one byline`},
		{"authors not a table", "authors = \"Ann\"\n", `site.toml:1:11: authors: want a table such as [authors], found text`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := Parse([]byte(tt.src))
			if errs == nil {
				t.Fatalf("Parse(%q) succeeded, want error containing %q", tt.src, tt.want)
			}
			if got := errs.Error(); !strings.Contains(got, tt.want) {
				t.Errorf("error = %q\nwant it to contain %q", got, tt.want)
			}
		})
	}
}

func TestBadValueIsReportedOnceAndKeepsDefault(t *testing.T) {
	c, errs := Parse([]byte("per_page = \"ten\"\ntimezone = \"Nowhere/Land\"\n"))
	if len(errs) != 2 {
		t.Errorf("got %d problems, want 2 (one per bad value): %v", len(errs), errs)
	}
	if c == nil || c.PerPage != 20 || c.Location.String() != "UTC" {
		t.Errorf("best-effort config = %+v, want the defaults for bad values", c)
	}
}

func TestAllProblemsReportedAtOnce(t *testing.T) {
	_, errs := Parse([]byte("titel = \"x\"\nper_page = -1\nlatest = 2000\n"))
	if len(errs) != 3 {
		t.Fatalf("got %d problems, want 3: %v", len(errs), errs)
	}
	if errs[0].Pos.Line != 1 || errs[1].Pos.Line != 2 || errs[2].Pos.Line != 3 {
		t.Errorf("problems not in line order: %v", errs)
	}
}

func TestBaseURLForms(t *testing.T) {
	for in, want := range map[string]string{
		"":                        "/",
		"/":                       "/",
		"/news":                   "/news/",
		"https://example.com":     "https://example.com/",
		"http://example.com/a/b/": "http://example.com/a/b/",
	} {
		c := Default()
		if err := c.SetBaseURL(in); err != nil || c.BaseURL != want {
			t.Errorf("SetBaseURL(%q) = %q, %v; want %q", in, c.BaseURL, err, want)
		}
	}
	for _, bad := range []string{"javascript:alert(1)", "example.com", "https://x.com/?q=1", "mailto:a@b"} {
		if err := Default().SetBaseURL(bad); err == nil {
			t.Errorf("SetBaseURL(%q) accepted", bad)
		}
	}
}

func TestSources(t *testing.T) {
	c, errs := Parse([]byte(`topics = ["World", "Business"]

[[sources]]
name = "Harbour Gazette"
url = "https://gazette.example.com/feed.xml"
topic = "World"
tags = ["ports"]
include = ["harbour", "port"]
exclude = ["sport"]

[[sources]]
name = "Tidewater Times"
url = "https://tide.example.net/atom.xml"
`))
	if errs.Err() != nil {
		t.Fatal(errs.Err())
	}
	if len(c.Sources) != 2 || c.Sources[0].Name != "Harbour Gazette" || c.Sources[0].Include[1] != "port" || c.Sources[1].Topic != "" || c.Sources[0].Line != 3 {
		t.Errorf("sources %+v", c.Sources)
	}
}

func TestSourcesErrors(t *testing.T) {
	_, errs := Parse([]byte(`topics = ["World"]
[[sources]]
name = "A"
url = "ftp://a.example/feed"
topic = "Wrold"
[[sources]]
url = "https://b.example/feed"
tgas = ["x"]
[[sources]]
name = "C"
url = "https://b.example/feed"
`))
	got := errs.Error()
	for _, want := range []string{
		`site.toml:4:7: sources.url: "ftp://a.example/feed" is not an http(s) URL`,
		`site.toml:5:9: sources.topic: "Wrold" is not in topics (did you mean "World"?)`,
		`site.toml:6:3: sources: a source needs a name`,
		`site.toml:8:1: unknown key "sources.tgas" (did you mean "sources.tags"?)`,
		`site.toml:11:7: sources.url: https://b.example/feed is listed twice (the first at line 6)`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}

func TestEmailTable(t *testing.T) {
	c, errs := Parse([]byte(`[email]
from = "The Digest <news@example.com>"
reply_to = "editor@example.com"
server = "smtp.example.com"
tls = "implicit"
rate = "120/min"
unsubscribe_url = "https://example.com/unsubscribe?a={address}&id={id}"
unsubscribe_placeholder = "*|UNSUB|*"
`))
	if errs != nil {
		t.Fatal(errs)
	}
	e := c.Email
	if !e.Enabled || e.Port != 465 || e.Interval != 500*time.Millisecond || e.Login() != "news@example.com" || e.PasswordEnv != "DIGEST_SMTP_PASSWORD" || e.Placeholder != "*|UNSUB|*" {
		t.Errorf("email = %+v", e)
	}
	if got := e.UnsubscribeFor("a+b@example.com", "x1"); got != "https://example.com/unsubscribe?a=a%2Bb%40example.com&id=x1" {
		t.Errorf("UnsubscribeFor = %s", got)
	}
	if d := Default().Email; !d.Enabled || d.Port != 587 || d.TLS != "starttls" || d.Interval != 200*time.Millisecond {
		t.Errorf("defaults = %+v", d)
	}
	_, errs = Parse([]byte("[email]\nfrom = \"not an address\"\npassword = \"hunter2\"\ntls = \"ssl\"\nrate = \"fast\"\nunsubscribe_url = \"http://example.com/u?e={email}\"\nport = 0\n"))
	for _, want := range []string{
		`site.toml:2:8: email.from: "not an address" is not an email address`,
		`site.toml:3:12: email.password: the password never goes into site.toml`,
		`site.toml:4:7: email.tls: "ssl" is not one of "starttls"`,
		`site.toml:5:8: email.rate: "fast" is not a rate`,
		`site.toml:6:19: email.unsubscribe_url: {email} is not a field digest fills in`,
		`site.toml:7:8: email.port: 0 is not a port`,
	} {
		if errs == nil || !strings.Contains(errs.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, errs)
		}
	}
	_, errs = Parse([]byte("[email]\nunsubscribe_url = \"http://example.com/u?e={address}\"\n"))
	if errs == nil || !strings.Contains(errs.Error(), "must be an https URL") {
		t.Errorf("http unsubscribe_url: %v", errs)
	}
}
