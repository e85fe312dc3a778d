package content

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestEveryArticleFieldIsClassified: each field of Article is filled by
// exactly one front-matter key or is derived, and so has an effect
// (placement or presentation). A field added to Article and forgotten
// here fails, so the dev server can never patch an article in place when
// the new field would move it.
func TestEveryArticleFieldIsClassified(t *testing.T) {
	classified := map[string]string{}
	effects := map[string]Effect{}
	claim := func(name, by string, e Effect) {
		// Two keys may fill one field (draft and published), but never
		// with different effects.
		if prev, ok := classified[name]; ok && effects[name] != e {
			t.Errorf("Article.%s is claimed by %s and by %s, with different effects", name, prev, by)
		}
		classified[name], effects[name] = by, e
	}
	for _, f := range fields {
		if f.effect != Placement && f.effect != Presentation {
			t.Errorf("key %q has no effect", f.key)
		}
		if f.set == nil || len(f.article) == 0 {
			t.Errorf("key %q is incomplete", f.key)
		}
		for _, name := range f.article {
			claim(name, "key "+f.key, f.effect)
		}
	}
	for name, e := range derived {
		if e != Placement && e != Presentation {
			t.Errorf("derived field %s has no effect", name)
		}
		claim(name, "derived", e)
	}
	typ := reflect.TypeFor[Article]()
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		if _, ok := classified[name]; !ok {
			t.Errorf("Article.%s is neither filled by a front-matter key nor classified in derived", name)
		}
		delete(classified, name)
	}
	for name, by := range classified {
		t.Errorf("%s names Article.%s, which does not exist", by, name)
	}
}

// TestEveryKeyIsDocumented: the package comment and README list every
// key and every alias, so a key added to the table is documented too.
func TestEveryKeyIsDocumented(t *testing.T) {
	pkg, err := os.ReadFile("article.go")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(pkg[:strings.Index(string(pkg), "package content")])
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fields {
		if !regexp.MustCompile(`(?m)^//\t` + regexp.QuoteMeta(f.key) + `\s`).MatchString(doc) {
			t.Errorf("the package comment does not list key %q", f.key)
		}
		if !strings.Contains(string(readme), "`"+f.key+"`") {
			t.Errorf("README does not list key %q", f.key)
		}
		for _, a := range f.aliases {
			if !strings.Contains(strings.ToLower(string(readme)), "`"+a+"`") {
				t.Errorf("README does not list %q, an alias of %s", a, f.key)
			}
		}
	}
}

// TestSamePlaceFollowsTheTable: a change to any placement value moves
// the article; a change to any presentation value does not.
func TestSamePlaceFollowsTheTable(t *testing.T) {
	base := Article{File: "content/a.md", Title: "A", Slug: "a", Topic: "World", Tags: []string{"x"},
		Date: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC), Params: map[string]any{"k": "v"}}
	changes := map[string]func(a *Article){
		"Title": func(a *Article) { a.Title = "B" }, "Summary": func(a *Article) { a.Summary = "s" },
		"Body": func(a *Article) { a.SetBody("<p>b</p>", "b") }, "Authors": func(a *Article) { a.Authors = []string{"Ann"} },
		"Updated": func(a *Article) { a.Updated = a.Date.Add(time.Hour) }, "Params": func(a *Article) { a.Params = map[string]any{"k": "w"} },
		"Image": func(a *Article) { a.Image = "/i.png" }, "Source": func(a *Article) { a.Source = "S" },
		"Date": func(a *Article) { a.Date = a.Date.Add(time.Minute) }, "Slug": func(a *Article) { a.Slug = "b" },
		"Topic": func(a *Article) { a.Topic = "Business" }, "Tags": func(a *Article) { a.Tags = []string{"x", "y"} },
		"Draft": func(a *Article) { a.Draft = true }, "Featured": func(a *Article) { a.Featured = true },
		"Expires": func(a *Article) { a.Expires = a.Date.Add(time.Hour) }, "File": func(a *Article) { a.File = "content/b.md" },
	}
	placement := map[string]bool{}
	for _, name := range placementFields() {
		placement[name] = true
	}
	for name, change := range changes {
		next := base
		change(&next)
		if got := SamePlace(&base, &next); got == placement[name] {
			t.Errorf("a change to %s: SamePlace = %v, but its effect is placement: %v", name, got, placement[name])
		}
	}
	same := base
	same.Date = base.Date.In(time.FixedZone("X", 3600)) // the same instant
	same.Tags = append([]string(nil), base.Tags...)
	if !SamePlace(&base, &same) {
		t.Error("the same instant in another zone, or an equal copy of the tags, moved the article")
	}
	if !placement["Date"] || !placement["Slug"] || !placement["Topic"] || placement["Title"] || placement["Body"] {
		t.Errorf("placement fields: %v", placementFields())
	}
}
