package site

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
)

var now = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func cfg(t *testing.T, src string) *config.Config {
	t.Helper()
	c, errs := config.Parse([]byte(src))
	if errs != nil {
		t.Fatal(errs)
	}
	return c
}

// art makes an article the way content would: date in the site's zone.
func art(c *config.Config, file, title, date, topic string, tags ...string) *content.Article {
	d, err := content.ParseTime(date, c.Location)
	if err != nil {
		panic(err)
	}
	if topic == "" {
		topic = c.DefaultTopic
	}
	return &content.Article{File: "content/" + file, Title: title, Slug: content.Slugify(strings.TrimSuffix(file, ".md")),
		Date: d.In(c.Location), Topic: topic, Tags: tags}
}

func build(t *testing.T, c *config.Config, arts ...*content.Article) *Site {
	t.Helper()
	s, errs := Build(c, arts, Options{Now: now})
	if errs != nil {
		t.Fatal(errs)
	}
	return s
}

func urls(arts []*Article) string {
	var out []string
	for _, a := range arts {
		out = append(out, a.URL)
	}
	return strings.Join(out, " ")
}

func TestDayIsDecidedInSiteTimezone(t *testing.T) {
	// 23:30 UTC on the 10th is already the 11th in Tokyo and still the
	// 10th in New York.
	for tz, wantDay := range map[string]string{"UTC": "/2026/02/10/", "Asia/Tokyo": "/2026/02/11/", "America/New_York": "/2026/02/10/"} {
		c := cfg(t, fmt.Sprintf("timezone = %q", tz))
		s := build(t, c, art(c, "late.md", "Late", "2026-02-10T23:30:00Z", ""))
		if len(s.Editions) != 1 || s.Editions[0].URL != wantDay || s.Articles[0].URL != wantDay+"late/" {
			t.Errorf("%s: edition %s article %s, want day %s", tz, s.Editions[0].URL, s.Articles[0].URL, wantDay)
		}
	}
	// A time without a zone is read in the site's zone: 00:30 in Tokyo.
	c := cfg(t, `timezone = "Asia/Tokyo"`)
	s := build(t, c, art(c, "early.md", "Early", "2026-02-11 00:30", ""))
	if s.Editions[0].URL != "/2026/02/11/" {
		t.Errorf("local time: edition %s", s.Editions[0].URL)
	}
}

func TestEditionsAndSections(t *testing.T) {
	c := cfg(t, `topics = ["World", "Business"]`)
	lead := art(c, "lead.md", "Lead", "2026-11-27T07:00:00Z", "Business")
	lead.Featured = true
	s := build(t, c,
		art(c, "old.md", "Old", "2026-11-25T09:00:00Z", "World"),
		art(c, "b1.md", "B1", "2026-11-27T09:00:00Z", "Business"),
		art(c, "w1.md", "W1", "2026-11-27T08:00:00Z", "World"),
		art(c, "w2.md", "W2", "2026-11-27T10:00:00Z", "World"),
		lead,
	)
	if len(s.Editions) != 2 {
		t.Fatalf("editions = %d", len(s.Editions))
	}
	e := s.Editions[0]
	if e.Lead == nil || e.Lead.Title != "Lead" || !e.Lead.Lead {
		t.Errorf("lead = %v", e.Lead)
	}
	var got []string
	for _, sec := range e.Sections {
		var titles []string
		for _, a := range sec.Articles {
			titles = append(titles, a.Title)
		}
		got = append(got, sec.Topic.Name+":"+strings.Join(titles, ","))
	}
	if strings.Join(got, " ") != "World:W2,W1 Business:B1" {
		t.Errorf("sections = %v (want site topic order, newest first, lead left out)", got)
	}
	if e.Older != s.Editions[1] || s.Editions[1].Newer != e || e.Newer != nil {
		t.Error("edition prev/next links wrong")
	}
	if s.Page("/").Edition != e {
		t.Error("home does not show the latest edition")
	}
}

// TestTopStories: after the lead, an edition's top stories are its other
// featured stories, then the newest of each topic in topic order, then
// the next of each; they are left out of the topics' headlines, and a
// topic whose stories are all top stories has none.
func TestTopStories(t *testing.T) {
	titles := func(arts []*Article) string {
		var out []string
		for _, a := range arts {
			out = append(out, a.Title)
		}
		return strings.Join(out, ",")
	}
	for _, tt := range []struct {
		top             int
		want, headlines string
	}{
		{0, "", "World:W3,W2,W1 Business:B2,B1 Sport:S1"},
		{2, "B1,W3", "World:W2,W1 Business:B2 Sport:S1"},
		{4, "B1,W3,B2,S1", "World:W2,W1 Business: Sport:"},
		{6, "B1,W3,B2,S1,W2,W1", "World: Business: Sport:"},
		{12, "B1,W3,B2,S1,W2,W1", "World: Business: Sport:"},
	} {
		c := cfg(t, fmt.Sprintf("topics = [\"World\", \"Business\", \"Sport\"]\ntop_stories = %d", tt.top))
		lead := art(c, "lead.md", "Lead", "2026-11-27T07:00:00Z", "Business")
		lead.Featured = true
		featured := art(c, "b1.md", "B1", "2026-11-27T06:00:00Z", "Business")
		featured.Featured = true
		s := build(t, c, lead, featured,
			art(c, "b2.md", "B2", "2026-11-27T09:00:00Z", "Business"),
			art(c, "w1.md", "W1", "2026-11-27T08:00:00Z", "World"),
			art(c, "w2.md", "W2", "2026-11-27T10:00:00Z", "World"),
			art(c, "w3.md", "W3", "2026-11-27T11:00:00Z", "World"),
			art(c, "s1.md", "S1", "2026-11-27T05:00:00Z", "Sport"),
		)
		e := s.Editions[0]
		var hl []string
		for _, sec := range e.Sections {
			hl = append(hl, sec.Topic.Name+":"+titles(sec.Headlines))
		}
		if got := titles(e.Top); got != tt.want || strings.Join(hl, " ") != tt.headlines || e.Lead != s.ArticleOf("content/lead.md") {
			t.Errorf("top_stories = %d: top %q, headlines %q; want %q and %q", tt.top, got, hl, tt.want, tt.headlines)
		}
	}
}

func TestTopicOrderSiteThenAlphabetical(t *testing.T) {
	c := cfg(t, "")
	c.Topics = []string{"Sports", "World"}
	s := build(t, c,
		art(c, "a.md", "A", "2026-01-01", "Arts"),
		art(c, "b.md", "B", "2026-01-02", "World"),
		art(c, "c.md", "C", "2026-01-03", "Sports"),
		art(c, "d.md", "D", "2026-01-04", "Business"),
	)
	var names []string
	for _, tp := range s.Topics {
		names = append(names, tp.Name)
	}
	if strings.Join(names, ",") != "Sports,World,Arts,Business" {
		t.Errorf("topics = %v", names)
	}
}

func TestPagination(t *testing.T) {
	c := cfg(t, "per_page = 2")
	var arts []*content.Article
	for i := range 5 {
		arts = append(arts, art(c, fmt.Sprintf("a%d.md", i), "A", fmt.Sprintf("2026-01-%02dT10:00:00Z", i+1), "World", "x"))
	}
	s := build(t, c, arts...)
	tp := s.Topics[0]
	if len(tp.Pagers) != 3 {
		t.Fatalf("pagers = %d, want 3", len(tp.Pagers))
	}
	p1, p2, p3 := tp.Pagers[0], tp.Pagers[1], tp.Pagers[2]
	if p1.URL != "/topics/world/" || p2.URL != "/topics/world/page/2/" || p3.URL != "/topics/world/page/3/" {
		t.Errorf("pager URLs %s %s %s", p1.URL, p2.URL, p3.URL)
	}
	if urls(p1.Articles) != "/2026/01/05/a4/ /2026/01/04/a3/" || urls(p3.Articles) != "/2026/01/01/a0/" {
		t.Errorf("pages hold %q and %q", urls(p1.Articles), urls(p3.Articles))
	}
	if p1.Prev != nil || p1.Next != p2 || p3.Next != nil || p3.Prev != p2 || p2.Total != 3 {
		t.Error("pager links wrong")
	}
	for _, u := range []string{"/topics/world/page/3/", "/tags/x/page/3/"} {
		if p := s.Page(u); p == nil || p.Pager.Number != 3 {
			t.Errorf("no route for %s", u)
		}
	}
	if s.Page("/topics/world/page/4/") != nil {
		t.Error("route for a page past the end")
	}
}

func TestDuplicateURLsNameBothFiles(t *testing.T) {
	c := cfg(t, "")
	a := art(c, "one.md", "A", "2026-03-01T10:00:00Z", "")
	b := art(c, "two.md", "B", "2026-03-01T11:00:00Z", "")
	b.Slug = "one"
	_, errs := Build(c, []*content.Article{a, b}, Options{Now: now})
	if len(errs) != 1 {
		t.Fatalf("errors = %v", errs)
	}
	msg := errs[0].Error()
	if !strings.Contains(msg, "content/two.md:1:1: URL /2026/03/01/one/ is also claimed by content/one.md") {
		t.Errorf("error = %q", msg)
	}
}

func TestTopicsSharingAURLAreAnError(t *testing.T) {
	c := cfg(t, "")
	_, errs := Build(c, []*content.Article{
		art(c, "a.md", "A", "2026-03-01", "Health Care"),
		art(c, "b.md", "B", "2026-03-02", "Health-Care"),
	}, Options{Now: now})
	if errs == nil || !strings.Contains(errs.Error(), "share the URL /topics/health-care/") {
		t.Errorf("errors = %v", errs)
	}
}

func TestDraftsFutureExpiredAreSkippedAndCounted(t *testing.T) {
	c := cfg(t, "")
	draft := art(c, "draft.md", "Draft", "2026-01-01", "")
	draft.Draft = true
	future := art(c, "future.md", "Future", "2026-12-24T09:00:00Z", "")
	later := art(c, "later.md", "Later", "2027-01-01", "")
	expired := art(c, "expired.md", "Expired", "2026-01-01", "")
	expired.Expires = now.Add(-time.Hour)
	live := art(c, "live.md", "Live", "2026-01-02", "")
	live.Expires = now.Add(time.Hour)
	all := []*content.Article{draft, future, later, expired, live}

	s := build(t, c, all...)
	if urls(s.Articles) != "/2026/01/02/live/" {
		t.Errorf("published %q", urls(s.Articles))
	}
	if k := s.Skipped; k.Drafts != 1 || k.Future != 2 || k.Expired != 1 || k.NextScheduled != future {
		t.Errorf("skipped = %+v", k)
	}
	s, _ = Build(c, all, Options{Now: now, Drafts: true, Future: true, Expired: true})
	if len(s.Articles) != 5 {
		t.Errorf("with every option, published %d", len(s.Articles))
	}
}

func TestRelatedAndNeighbours(t *testing.T) {
	c := cfg(t, "")
	s := build(t, c,
		art(c, "a.md", "A", "2026-01-01", "World", "climate", "energy"),
		art(c, "b.md", "B", "2026-01-02", "World", "climate", "energy"),
		art(c, "c.md", "C", "2026-01-03", "Business", "climate"),
		art(c, "d.md", "D", "2026-01-04", "World"),
		art(c, "e.md", "E", "2026-01-05", "Sports", "football"),
	)
	byTitle := map[string]*Article{}
	for _, a := range s.Articles {
		byTitle[a.Title] = a
	}
	a := byTitle["A"]
	if got := urls(a.Related()); got != "/2026/01/02/b/ /2026/01/03/c/" {
		t.Errorf("related of A = %q, want B (two tags, same topic) then C (one tag)", got)
	}
	if len(byTitle["E"].Related()) != 0 {
		t.Errorf("E has related %q", urls(byTitle["E"].Related()))
	}
	if b := byTitle["B"]; b.Older != a || b.Newer != byTitle["D"] {
		t.Errorf("B's neighbours in World: %v / %v", b.Older, b.Newer)
	}
}

func TestTagsMergeSpellingsAndRoutesAreSorted(t *testing.T) {
	c := cfg(t, "")
	s := build(t, c,
		art(c, "a.md", "A", "2026-01-01", "", "Climate Change"),
		art(c, "b.md", "B", "2026-01-02", "", "climate-change"),
	)
	if len(s.Tags) != 1 || s.Tags[0].Name != "Climate Change" || len(s.Tags[0].Articles) != 2 {
		t.Errorf("tags = %+v", s.Tags)
	}
	seen := map[string]bool{}
	for _, p := range s.Pages {
		if seen[p.URL] {
			t.Errorf("two routes for %s", p.URL)
		}
		seen[p.URL] = true
	}
	if p := s.Page("/404.html"); p == nil || p.OutputPath() != "404.html" {
		t.Error("no 404 page")
	}
	if p := s.Page("/tags/climate-change/"); p == nil || p.OutputPath() != "tags/climate-change/index.html" {
		t.Error("no tag page")
	}
}

// TestSitemapIndexPast50000URLs: past 50,000 URLs the sitemap becomes an
// index over sitemap-N.xml files of at most 50,000 URLs each, listing
// every HTML page but the 404 page exactly once.
func TestSitemapIndexPast50000URLs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 50,000-article model")
	}
	c := cfg(t, "per_page = 1000")
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	arts := make([]*content.Article, 50000)
	for i := range arts {
		arts[i] = &content.Article{File: fmt.Sprintf("content/%06d.md", i), Title: "S", Slug: fmt.Sprintf("s%06d", i),
			Date: start.Add(time.Duration(i) * 20 * time.Minute), Topic: "World"}
	}
	s := build(t, c, arts...)
	idx := s.Page("/sitemap.xml")
	if idx == nil || idx.Kind != KindSitemapIndex || len(idx.Entries) != 2 {
		t.Fatalf("sitemap.xml = %+v", idx)
	}
	if idx.Entries[0].URL != "/sitemap-1.xml" || len(idx.Entries[0].Entries) != 50000 || s.Page("/sitemap-2.xml") == nil {
		t.Errorf("parts: %s with %d URLs", idx.Entries[0].URL, len(idx.Entries[0].Entries))
	}
	listed := map[string]int{}
	for _, part := range idx.Entries {
		for _, p := range part.Entries {
			listed[p.URL]++
		}
	}
	for _, p := range s.Pages {
		want := 0
		if p.Kind.Info().Sitemap {
			want = 1
		}
		if listed[p.URL] != want {
			t.Fatalf("%s listed %d times, want %d", p.URL, listed[p.URL], want)
		}
	}
}

// The fields site.Article copies from its content are the content's, after
// Build and after Retarget: every field of the same name in both.
func TestCopiedFieldsFollowTheContent(t *testing.T) {
	c := cfg(t, `title = "x"`)
	a := art(c, "2026/11/27/a.md", "A", "2026-11-27T08:00:00Z", "", "energy")
	a.Summary, a.Source, a.SourceURL, a.Image, a.ImageAlt = "sum", "src", "https://s.example/", "/i.png", "alt"
	a.Updated, a.Authors, a.ReadingTime, a.WordCount = a.Date.Add(time.Hour), []string{"Ann"}, 2, 300
	a.SetBody("<p>b</p>", "b")
	a.DateOnly = true
	s := build(t, c, a)
	same := func(when string) {
		t.Helper()
		sa := s.Articles[0]
		outer, inner := reflect.ValueOf(sa).Elem(), reflect.ValueOf(sa.Article).Elem()
		copied := 0
		for i := 0; i < outer.NumField(); i++ {
			f := outer.Type().Field(i)
			if f.Anonymous || !f.IsExported() {
				continue
			}
			if g := inner.FieldByName(f.Name); g.IsValid() {
				copied++
				if !reflect.DeepEqual(outer.Field(i).Interface(), g.Interface()) {
					t.Errorf("%s: %s is %v, the content's %v", when, f.Name, outer.Field(i), g)
				}
			}
		}
		if copied < 13 {
			t.Errorf("%s: %d fields copied, want 13", when, copied)
		}
	}
	same("after Build")
	if s.Articles[0].Dek != "sum" {
		t.Errorf("Dek = %q, want the written summary", s.Articles[0].Dek)
	}
	next := *a
	next.Title, next.Summary, next.WordCount, next.Authors = "A2", "sum2", 7, []string{"Bo"}
	next.SetBody("<p>c</p>", "c")
	next.SummaryFromBody = true
	if !s.Retarget(&next) {
		t.Fatal("Retarget refused")
	}
	same("after Retarget")
	if s.Articles[0].Dek != "" {
		t.Errorf("Dek = %q, want none for a summary taken from the body", s.Articles[0].Dek)
	}
}

// TestEveryHTMLPageHasADescription: Lighthouse's SEO audit wants a meta
// description on every page; a site without one in site.toml gets one
// made from its latest edition, an article without a summary one made
// from its headline.
func TestEveryHTMLPageHasADescription(t *testing.T) {
	c := cfg(t, `title = "Daily"`)
	s := build(t, c,
		art(c, "2026/11/27/a.md", "Lead", "2026-11-27T08:00:00Z", "World"),
		art(c, "2026/11/27/b.md", "Second", "2026-11-27T09:00:00Z", "World"),
		art(c, "2026/11/26/c.md", "Only", "2026-11-26T09:00:00Z", "World"),
	)
	for _, p := range s.Pages {
		if p.Kind.IsHTML() && p.Description == "" {
			t.Errorf("%s (%s) has no description", p.URL, p.Kind)
		}
	}
	for url, want := range map[string]string{
		"/":            "The latest from Daily, Friday, 27 November 2026: Second, and 1 more story.",
		"/2026/11/26/": "The edition of Thursday, 26 November 2026: 1 story.",
		s.ArticleOf("content/2026/11/26/c.md").URL: "Only: a story of 26 November 2026 in Daily.",
	} {
		if got := s.Page(url).Description; got != want {
			t.Errorf("%s: description %q, want %q", url, got, want)
		}
	}
	empty := build(t, c)
	if got := empty.Page("/").Description; got != "The latest stories from Daily." {
		t.Errorf("home of an empty site: description %q", got)
	}
}

// TestPagesShowing: the pages that show an article are its own, its
// edition's, the home page while it is recent, and the topic and tag
// pages that list it, not the others.
func TestPagesShowing(t *testing.T) {
	c := cfg(t, "per_page = 1\nlatest = 1")
	old := art(c, "old.md", "Old", "2026-11-20T08:00:00Z", "World", "energy")
	s := build(t, c, old, art(c, "new.md", "New", "2026-11-27T08:00:00Z", "World", "energy"))
	var got []string
	for _, p := range s.PagesShowing(s.ArticleOf("content/old.md")) {
		got = append(got, p.URL)
	}
	if want := "/2026/11/20/old/ /2026/11/20/ /topics/world/page/2/ /tags/energy/page/2/"; strings.Join(got, " ") != want {
		t.Errorf("pages showing the old article: %v, want %s", got, want)
	}
	got = nil
	for _, p := range s.PagesShowing(s.ArticleOf("content/new.md")) {
		got = append(got, p.URL)
	}
	if want := "/2026/11/27/new/ /2026/11/27/ / /topics/world/ /tags/energy/"; strings.Join(got, " ") != want {
		t.Errorf("pages showing the new article: %v, want %s", got, want)
	}
}

// TestEmailEditionFollowsThePage: the email lists an edition's stories in
// its page's order, numbered from 1, and exists only with an absolute
// base_url and [email] enabled.
func TestEmailEditionFollowsThePage(t *testing.T) {
	c := cfg(t, "base_url = \"https://x.example/\"\ntopics = [\"World\", \"Sport\"]")
	lead := art(c, "lead.md", "Lead", "2026-11-27T06:00:00Z", "Sport")
	lead.Featured = true
	s := build(t, c,
		lead,
		art(c, "s.md", "S", "2026-11-27T09:00:00Z", "Sport"),
		art(c, "w1.md", "W1", "2026-11-27T07:00:00Z", "World"),
		art(c, "w2.md", "W2", "2026-11-27T08:00:00Z", "World"),
	)
	e := s.Editions[0]
	var got []string
	for i, a := range e.Stories() {
		got = append(got, a.Title)
		if e.Number(a) != i+1 {
			t.Errorf("Number(%s) = %d, want %d", a.Title, e.Number(a), i+1)
		}
	}
	if strings.Join(got, ",") != "Lead,W2,W1,S" {
		t.Errorf("stories = %v, want the lead, then World's newest first, then Sport", got)
	}
	for url, kind := range map[string]Kind{"/2026/11/27/email.html": KindEmail, "/2026/11/27/email.txt": KindEmailText, "/editions.xml": KindEditionsFeed} {
		if p := s.Page(url); p == nil || p.Kind != kind {
			t.Errorf("%s: %+v", url, p)
		}
	}
	if p := s.Page("/editions.xml"); len(p.Entries) != 1 || p.Entries[0].URL != "/2026/11/27/email.html" || !p.Modified.Equal(s.Page("/2026/11/27/email.html").Modified) {
		t.Errorf("editions feed = %+v", p)
	}
	for _, src := range []string{"base_url = \"/\"", "base_url = \"https://x.example/\"\n[email]\nenabled = false"} {
		c := cfg(t, src)
		if s := build(t, c, art(c, "a.md", "A", "2026-11-27T06:00:00Z", "")); s.Page("/2026/11/27/email.html") != nil || s.Page("/editions.xml") != nil {
			t.Errorf("%q: the site has an email edition", src)
		}
	}
}

// TestRelatedMatchesItsDefinition: on random sites, each article's
// related stories are those its definition gives, worked out plainly:
// 2 for each time a story is met within window places along one of its
// tags, 1 for its topic neighbours, 1 more for a story of its topic met
// along a tag; the best maxRelated by score, then closeness in time,
// then URL.
func TestRelatedMatchesItsDefinition(t *testing.T) {
	c := cfg(t, "")
	topics := []string{"World", "Business", "Sports"}
	tags := []string{"climate", "energy", "rail", "ports", "farming", "chips", "football"}
	for seed := range 5 {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		var arts []*content.Article
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range 300 {
			var ts []string
			for range rng.IntN(6) {
				ts = append(ts, tags[rng.IntN(len(tags))])
			}
			arts = append(arts, &content.Article{File: fmt.Sprintf("content/%03d.md", i), Title: "S", Slug: fmt.Sprintf("s%03d", i),
				Date: start.Add(time.Duration(rng.IntN(20000)) * time.Minute), Topic: topics[rng.IntN(len(topics))], Tags: ts})
		}
		s := build(t, c, arts...)
		for _, a := range s.Articles {
			score := map[*Article]int{}
			for j, tag := range a.TagTerms {
				for i, b := range tag.Articles {
					if b != a && i >= a.tagPos[j]-window && i <= a.tagPos[j]+window {
						score[b] += 2
					}
				}
			}
			for _, b := range []*Article{a.Newer, a.Older} {
				if b != nil {
					score[b]++
				}
			}
			var want []candidate
			for b, sc := range score {
				if b.TopicTerm == a.TopicTerm && sc > 1 {
					sc++
				}
				want = append(want, candidate{b, sc, abs(b.index - a.index)})
			}
			sort.Slice(want, func(i, j int) bool { return want[i].better(want[j]) })
			want = want[:min(len(want), maxRelated)]
			got := a.Related()
			if len(got) != len(want) {
				t.Fatalf("seed %d: %s has %d related, want %d", seed, a.URL, len(got), len(want))
			}
			for i := range got {
				if got[i] != want[i].a {
					t.Fatalf("seed %d: %s's related #%d is %s, want %s", seed, a.URL, i, got[i].URL, want[i].a.URL)
				}
			}
		}
	}
}

// TestDayURL: the addresses of days and articles are what fmt's %04d and
// %02d make, for years of any width.
func TestDayURL(t *testing.T) {
	for _, y := range []int{-44, 0, 7, 99, 999, 1000, 2026, 12345} {
		for _, md := range [][2]int{{1, 1}, {2, 28}, {11, 9}, {12, 31}} {
			at := time.Date(y, time.Month(md[0]), md[1], 23, 59, 0, 0, time.UTC)
			if got, want := dayURL(at, "story"), fmt.Sprintf("/%04d/%02d/%02d/%s/", y, md[0], md[1], "story"); got != want {
				t.Errorf("dayURL(%v, story) = %q, want %q", at, got, want)
			}
			if got, want := dayURL(at, ""), fmt.Sprintf("/%04d/%02d/%02d/", y, md[0], md[1]); got != want {
				t.Errorf("dayURL(%v) = %q, want %q", at, got, want)
			}
		}
	}
}
