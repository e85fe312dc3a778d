package site

import (
	"fmt"
	"testing"
	"time"

	"github.com/digest-ssg/digest/internal/content"
)

// TestModelScalesLinearly fails if building the model becomes quadratic in
// the number of articles: it compares allocations, not time, at two sizes,
// in the worst case for related stories and grouping (every article shares
// a tag and a topic, many articles a day).
func TestModelScalesLinearly(t *testing.T) {
	c := cfg(t, "per_page = 20")
	articles := func(n int) []*content.Article {
		out := make([]*content.Article, n)
		start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range out {
			out[i] = &content.Article{
				File:  fmt.Sprintf("content/a%06d.md", i),
				Title: "Story", Slug: fmt.Sprintf("a%06d", i),
				Date:  start.Add(time.Duration(i) * 37 * time.Minute),
				Topic: "World", Tags: []string{"everything", fmt.Sprintf("t%d", i%50)},
			}
		}
		return out
	}
	allocs := func(n int) float64 {
		arts := articles(n)
		return testing.AllocsPerRun(2, func() {
			s, errs := Build(c, arts, Options{Now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
			if errs != nil {
				t.Fatal(errs)
			}
			for _, a := range s.Articles {
				a.Related() // worked out on first use: count it too
			}
		})
	}
	small, large := allocs(1000), allocs(4000)
	if ratio := large / small; ratio > 5 {
		t.Errorf("4x the articles took %.1fx the allocations (%.0f → %.0f): something is no longer linear", ratio, small, large)
	} else {
		t.Logf("4x the articles: %.2fx the allocations", ratio)
	}
}
