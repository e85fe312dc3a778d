package content

import (
	"strings"
	"testing"

	"github.com/digest-ssg/digest/internal/config"
)

func TestAlsoCovered(t *testing.T) {
	src := "---\ntitle: T\ndate: 2026-11-30\nparams:\n  also:\n    - {name: \"Tidewater Times\", url: \"https://tide.example.net/a\"}\n    - {name: \"Bad link\", url: \"javascript:alert(1)\"}\n    - {url: \"https://nameless.example/\"}\n---\nBody.\n"
	a, errs := NewParser(config.Default()).Parse("content/t.md", []byte(src))
	if errs.Err() != nil {
		t.Fatal(errs.Err())
	}
	got := a.AlsoCovered()
	if len(got) != 2 || got[0] != (Outlet{"Tidewater Times", "https://tide.example.net/a"}) || got[1] != (Outlet{"Bad link", ""}) {
		t.Errorf("AlsoCovered = %+v", got)
	}
	w := errs.Warnings()
	if len(w) != 1 || !strings.Contains(w[0].Error(), "content/t.md:4:1: params.also: want a list of") {
		t.Errorf("warnings %v", w)
	}
}
