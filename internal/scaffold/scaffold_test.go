package scaffold

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
)

var now = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func parse(t *testing.T, root, rel string) *content.Article {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	a, errs := content.NewParser(config.Default()).Parse(rel, src)
	if errs.Err() != nil {
		t.Fatalf("%s does not parse: %v\n%s", rel, errs.Err(), src)
	}
	return a
}

func TestCuratedDraftParses(t *testing.T) {
	root := t.TempDir()
	a := Article{
		Title: `Port "reopens" after storm`, Source: "Harbour Gazette", SourceURL: "https://gazette.example.com/port",
		Summary: "The harbour is open: ships sail.", Image: "https://gazette.example.com/p.jpg", ImageAlt: "Cranes at dawn",
		Body: "> The harbour reopened.\n\n[Read the story at Harbour Gazette](https://gazette.example.com/port)\n",
		Original: Original{Published: now.Add(-4 * time.Hour), PublishedNote: `"4 hours ago" on the page`, Authors: []string{"Ann Lee", "Bo Chan"},
			Also: []Link{{Name: "Tidewater Times", URL: "https://tide.example.net/p"}}},
		Numbered: true,
	}
	rel, err := NewArticle(root, config.Default(), a, now)
	if err != nil {
		t.Fatal(err)
	}
	got := parse(t, root, rel)
	if got.Summary != a.Summary || got.ImageAlt != "Cranes at dawn" || !got.Draft || got.SourceURL != a.SourceURL {
		t.Errorf("parsed %+v", got)
	}
	if got.Params["published"] != "2026-11-30T08:00:00Z" {
		t.Errorf("params %#v", got.Params)
	}
	also := got.AlsoCovered()
	if len(also) != 1 || also[0].Name != "Tidewater Times" {
		t.Errorf("also %+v", also)
	}
	// the same headline again: a numbered file
	rel2, err := NewArticle(root, config.Default(), a, now)
	if err != nil || !strings.HasSuffix(rel2, "/port-reopens-after-storm-2.md") {
		t.Errorf("second draft %q, %v", rel2, err)
	}
	a.Numbered = false
	if _, err := NewArticle(root, config.Default(), a, now); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("without Numbered: %v", err)
	}
}

func TestAddAlso(t *testing.T) {
	root := t.TempDir()
	for _, a := range []Article{
		{Title: "No params", Source: "A", SourceURL: "https://a.example/1"},
		{Title: "Params no also", Source: "A", SourceURL: "https://a.example/2", Original: Original{Authors: []string{"Ann"}}},
		{Title: "Params with also", Source: "A", SourceURL: "https://a.example/3", Original: Original{Also: []Link{{"B", "https://b.example/3"}}}},
	} {
		rel, err := NewArticle(root, config.Default(), a, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range []Link{{"C", "https://c.example/x"}, {"D", "https://d.example/y"}, {"C", "https://c.example/x"}} {
			if err := AddAlso(root, rel, l); err != nil {
				t.Fatalf("%s: %v", rel, err)
			}
		}
		var names []string
		for _, l := range parse(t, root, rel).AlsoCovered() {
			names = append(names, l.Name)
		}
		want := "C D"
		if len(a.Original.Also) > 0 {
			want = "B C D"
		}
		if strings.Join(names, " ") != want {
			t.Errorf("%s: also %v, want %s", rel, names, want)
		}
	}
}

func TestAddAlsoLeavesEditedFilesAlone(t *testing.T) {
	root := t.TempDir()
	rel, err := NewArticle(root, config.Default(), Article{Title: "Published", SourceURL: "https://a.example/1"}, now)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(root, rel)
	src, _ := os.ReadFile(name)
	os.WriteFile(name, []byte(strings.Replace(string(src), "draft: true\n", "", 1)), 0o644)
	before, _ := os.ReadFile(name)
	if err := AddAlso(root, rel, Link{"B", "https://b.example/"}); !errors.Is(err, ErrEdited) {
		t.Errorf("AddAlso on a published article: %v", err)
	}
	after, _ := os.ReadFile(name)
	if string(before) != string(after) {
		t.Error("the file changed")
	}
}
