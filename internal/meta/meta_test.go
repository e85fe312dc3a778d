package meta

import (
	"strings"
	"testing"
)

func TestYAMLKeepsTextAndPositions(t *testing.T) {
	src := "title: NO\ncount: 0777\ntags:\n  - a\n  - b\nwhen: 2026-02-10\nparams:\n  x: ~\n"
	n, err := ParseYAML([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	title := n.Get("title")
	if s, _ := title.Value.AsText(); s != "NO" || title.Line != 1 || title.Col != 1 || title.Value.Col != 8 {
		t.Errorf("title = %q at %d:%d (value col %d)", s, title.Line, title.Col, title.Value.Col)
	}
	if s, _ := n.Get("count").Value.AsText(); s != "0777" {
		t.Errorf("count text = %q, want it as written", s)
	}
	tags, err := n.Get("tags").Value.AsTextList()
	if err != nil || strings.Join(tags, ",") != "a,b" {
		t.Errorf("tags = %v, %v", tags, err)
	}
	if k := n.Get("when").Value.Kind; k != Time {
		t.Errorf("when kind = %v", k)
	}
	if n.Get("params").Value.Get("x").Value.Kind != Null {
		t.Errorf("~ is not null")
	}
}

func TestTOMLTablesAndPositions(t *testing.T) {
	src := "title = \"Hi\"\ndate = 2026-02-10T09:30:00Z\n[params]\na.b = 1\n[[params.list]]\nx = true\n"
	n, err := ParseTOML([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if f := n.Get("date"); f.Value.Kind != Time || f.Value.Text != "2026-02-10T09:30:00Z" || f.Line != 2 || f.Value.Col != 8 {
		t.Errorf("date = %+v %+v", f, f.Value)
	}
	params := n.Get("params").Value.Interface().(map[string]any)
	if params["a"].(map[string]any)["b"] != int64(1) {
		t.Errorf("params = %v", params)
	}
	list := params["list"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["x"] != true {
		t.Errorf("list = %v", list)
	}
}

func TestSyntaxErrorsHavePositions(t *testing.T) {
	for _, tt := range []struct {
		name  string
		parse func([]byte) (*Node, error)
		src   string
		line  int
		msg   string
	}{
		{"yaml", ParseYAML, "title: a\ndate: [\n", 3, "YAML:"},
		{"yaml duplicate", ParseYAML, "title: a\ntitle: b\n", 2, `duplicate key "title"`},
		{"yaml not a map", ParseYAML, "- a\n- b\n", 1, "expected keys and values"},
		{"toml", ParseTOML, "title = \"a\"\ndate = \n", 2, "TOML:"},
		{"toml duplicate", ParseTOML, "a = 1\na = 2\n", 2, `duplicate key "a"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.parse([]byte(tt.src))
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("err = %v (%T), want *SyntaxError", err, err)
			}
			if se.Line != tt.line || !strings.Contains(se.Msg, tt.msg) {
				t.Errorf("got line %d %q, want line %d containing %q", se.Line, se.Msg, tt.line, tt.msg)
			}
		})
	}
}

func TestAliasBombIsBounded(t *testing.T) {
	src := `a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
`
	_, err := ParseYAML([]byte(src))
	if err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("err = %v, want a size limit error", err)
	}
}

func TestDeepNestingIsRefused(t *testing.T) {
	deep := "a: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	if _, err := ParseYAML([]byte(deep)); err == nil {
		t.Error("YAML: deep nesting accepted")
	}
	if _, err := ParseTOML([]byte(deep[:0] + "a = " + strings.Repeat("[", 100) + strings.Repeat("]", 100))); err == nil {
		t.Error("TOML: nesting past MaxDepth accepted")
	}
	// Stray closing brackets first do not make room for deeper nesting.
	hidden := "a: ']]]]]]]]]]'\nb: " + strings.Repeat("[", 205) + strings.Repeat("]", 205) + "\n"
	if _, err := ParseYAML([]byte(hidden)); err == nil || !strings.Contains(err.Error(), "levels deep") {
		t.Errorf("YAML: nesting after stray closing brackets: %v, want the nesting error", err)
	}
}

// Brackets in a comment line are not nesting.
func TestBracketsInCommentsAreNotNesting(t *testing.T) {
	src := "# " + strings.Repeat("[", 300) + "\n  # " + strings.Repeat("{", 300) + "\ntitle: Calm\n"
	n, err := ParseYAML([]byte(src))
	if err != nil {
		t.Fatalf("ParseYAML: %v", err)
	}
	if f := n.Get("title"); f == nil || f.Value.Text != "Calm" {
		t.Errorf("title = %+v, want Calm", f)
	}
}

func TestAsBoolAcceptsYAMLWords(t *testing.T) {
	for text, want := range map[string]bool{"true": true, "yes": true, "On": true, "false": false, "no": false} {
		got, err := (&Node{Kind: String, Text: text}).AsBool()
		if err != nil || got != want {
			t.Errorf("AsBool(%q) = %v, %v", text, got, err)
		}
	}
	if _, err := (&Node{Kind: String, Text: "maybe"}).AsBool(); err == nil {
		t.Error("AsBool(maybe) accepted")
	}
}
