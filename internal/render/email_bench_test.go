package render

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/site"
)

// BenchmarkEmail renders the email of a 40-story day, inlining included.
func BenchmarkEmail(b *testing.B) {
	c, _ := config.Parse([]byte("base_url = \"https://q.example/\"\ntopics = [\"A\", \"B\", \"C\", \"D\"]\n"))
	var arts []*content.Article
	for i := range 40 {
		arts = append(arts, &content.Article{File: fmt.Sprintf("content/%d.md", i), Title: fmt.Sprintf("Headline number %d about the harbour and the council", i),
			Slug: fmt.Sprint(i), Topic: string(rune('A' + i%4)), Date: time.Date(2026, 3, 4, 1+i%20, i, 0, 0, time.UTC), Featured: i == 0,
			Summary: strings.Repeat("A summary of the story in a sentence or two. ", 4), Authors: []string{"Ann Lee"}, Source: "Wire", SourceURL: "https://wire.example/x"})
	}
	s, _ := site.Build(c, arts, site.Options{Now: time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)})
	t := &testing.T{}
	r, errs := New(themeWith(t, nil), s.Config)
	if errs != nil {
		b.Fatal(errs)
	}
	p := s.Page("/2026/03/04/email.html")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(p); err != nil {
			b.Fatal(err)
		}
	}
}
