package render

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/search"
	"github.com/digest-ssg/digest/internal/site"
)

// TestSearchIndexFollowsRetarget: an edit put in place without a new
// model (site.Retarget) edits the dev server's index, which is not made
// again, and the index is then that of a model of the edited articles.
func TestSearchIndexFollowsRetarget(t *testing.T) {
	cfg := config.Default()
	p := content.NewParser(cfg)
	parse := func(i int, body string) *content.Article {
		a, errs := p.Parse(fmt.Sprintf("content/a%d.md", i), fmt.Appendf(nil, "---\ntitle: Story %d\ndate: 2026-01-%02dT08:00:00Z\n---\n%s\n", i, 1+i, body))
		if errs.Err() != nil {
			t.Fatal(errs)
		}
		return a
	}
	var articles []*content.Article
	for i := range 20 {
		articles = append(articles, parse(i, fmt.Sprintf("The harbour, word%d.", i%3)))
	}
	now := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	s, errs := site.Build(cfg, articles, site.Options{Now: now})
	if errs.Err() != nil {
		t.Fatal(errs)
	}
	before, err := searchIndex(s)
	if err != nil {
		t.Fatal(err)
	}
	articles[5] = parse(5, "A kittiwake over the harbour.")
	if !s.Retarget(articles[5]) {
		t.Fatal("the edit was not put in place")
	}
	after, err := searchIndex(s)
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Error("the index was made again")
	}
	fresh, errs := site.Build(cfg, articles, site.Options{Now: now})
	if errs.Err() != nil {
		t.Fatal(errs)
	}
	want, _ := searchIndex(fresh)
	l := search.LayoutFor(20)
	for _, kind := range search.ShardKinds() {
		for n := range l.Count(kind) {
			got, _ := after.Shard(kind, n)
			w, _ := want.Shard(kind, n)
			if !bytes.Equal(got, w) {
				t.Errorf("%s/%d: %s, want %s", kind, n, got, w)
			}
		}
	}
}
