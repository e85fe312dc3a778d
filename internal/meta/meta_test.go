package meta

import (
	"fmt"
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

// TestYAMLErrorsArePlaced: every YAML syntax error names a line and a
// column, at the mistake, and says how to fix it. The YAML library gives
// no column; it reports a quote never closed where the document ends,
// and an unknown alias on line 1 wherever it is.
func TestYAMLErrorsArePlaced(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"title: Breaking: floods close the port\n", `1:16: YAML: mapping values are not allowed in this context (put the value in quotes when it holds ": ", e.g. title: "Breaking: floods close the port"; else check the indentation)`},
		{"title: a\n  date: b\n", `2:7: YAML: mapping values are not allowed in this context (put the value in quotes when it holds ": ", e.g. title: "Breaking: floods close the port"; else check the indentation)`},
		{"title: a\n\tdate: 2026-01-01\n", "2:1: YAML: found a tab character that violates indentation (indent with spaces, not tabs)"},
		{"title: @handle\n", "1:8: YAML: found character that cannot start any token (put the value in quotes: YAML keeps @ and ` for itself at the start of a value)"},
		{"title: \"never closed\ndate: 2026-01-01\n", `1:8: YAML: found unexpected end of stream (this quote is never closed: end the value with the same quote, or write a quote inside it as \" (in "...") or '' (in '...'))`},
		{"title: ok\nsummary: 'it''s never closed\ndate: 2026-01-01\n", `2:10: YAML: found unexpected end of stream (this quote is never closed: end the value with the same quote, or write a quote inside it as \" (in "...") or '' (in '...'))`},
		{"title: \"C:\\Users\"\n", `1:11: YAML: did not find expected hexdecimal number (in "..." a backslash starts an escape: write \\ for a backslash, or put the value in single quotes)`},
		{"tags: [a, b\ndate: 2026-01-01\n", "1:7: YAML: did not find expected ',' or ']' (this bracket is never closed: close it, or check for a missing comma between the items)"},
		{"title: \"Port\" reopens\n", "1:15: YAML: did not find expected key (text after a quoted value: put the whole value in the quotes)"},
		{"title: \"bad \\q escape\"\n", `1:13: YAML: found unknown escape character (in "..." a backslash starts an escape: write \\ for a backslash, or put the value in single quotes)`},
		{"title: a\ndate: &d 2026-01-01\nupdated: *u\n", "3:10: YAML: unknown anchor 'u' referenced (* starts an alias to a value named with & earlier: put the value in quotes to use * as text)"},
		{"tags:\n  - a\n - b\n", "3:2: YAML: did not find expected key (check the quoting and indentation on and just before this line; quote values that contain a colon)"},
		{"title: a\ndate\n", "2:1: YAML: could not find expected ':' (check the quoting and indentation on and just before this line; quote values that contain a colon)"},
		{"a: " + strings.Repeat("[", 300), "1:204: document nested more than 64 levels deep"},
		{strings.Repeat("- ", 20000) + "x\n", "1:1: YAML: document nested more than 64 levels deep (check the quoting and indentation on and just before this line; quote values that contain a colon)"},
	} {
		_, err := ParseYAML([]byte(tt.src))
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Errorf("ParseYAML(%.60q) = %v, want a *SyntaxError", tt.src, err)
			continue
		}
		if got := fmt.Sprintf("%d:%d: %s", se.Line, se.Col, se.Msg); got != tt.want {
			t.Errorf("ParseYAML(%.60q):\ngot  %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

// TestInvisibleCharactersAreRefusedWhereTheyAre: control characters, and
// in YAML the characters it reads as line breaks, are refused at their
// line and column, with the fix. The YAML library named a later line and
// no column ("could not find expected ':'"), or gave no column and a hint
// about quoting.
func TestInvisibleCharactersAreRefusedWhereTheyAre(t *testing.T) {
	for _, tt := range []struct {
		parse func([]byte) (*Node, error)
		src   string
		want  string
	}{
		{ParseYAML, "title: Floods\u2028close the port\ndate: 2026-01-05\n", "1:14: a line separator (U+2028), invisible in most editors, which YAML reads as a line break (delete it, or put a space in its place)"},
		{ParseYAML, "date: 2026-01-05\ntitle: Floods\u2029close\n", "2:14: a paragraph separator (U+2029), invisible in most editors, which YAML reads as a line break (delete it, or put a space in its place)"},
		{ParseYAML, "title: Café\u0085close\n", "1:12: a next-line character (U+0085), invisible in most editors, which YAML reads as a line break (delete it, or put a space in its place)"},
		{ParseYAML, "title: Floods\rclose\n", "1:14: a carriage return (U+000D) without a line feed, invisible in most editors, which YAML reads as a line break (delete it, or put a space in its place)"},
		{ParseYAML, "title: \"Floods\x00\"\n", "1:15: a control character (U+0000), invisible in most editors (delete it)"},
		{ParseYAML, "title: ok\r\nsource: Wire\x7f\r\n", "2:13: a control character (U+007F), invisible in most editors (delete it)"},
		{ParseYAML, "title: a\u009bb\n", "1:9: a control character (U+009B), invisible in most editors (delete it)"},
		{ParseTOML, "title = \"Floods\x0bclose\"\n", "1:16: a control character (U+000B), invisible in most editors (delete it)"},
		{ParseTOML, "title = \"Floods\rclose\"\n", "1:16: a carriage return (U+000D) without a line feed, invisible in most editors (delete it, or put a space in its place)"},
	} {
		_, err := tt.parse([]byte(tt.src))
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Errorf("%q: %v, want a *SyntaxError", tt.src, err)
			continue
		}
		if got := fmt.Sprintf("%d:%d: %s", se.Line, se.Col, se.Msg); got != tt.want {
			t.Errorf("%q:\ngot  %s\nwant %s", tt.src, got, tt.want)
		}
	}
	// Allowed: tabs in values, CRLF line ends, and in TOML the line
	// separators, which are text there; escaped control characters are
	// the caller's to drop.
	for _, src := range []string{"title: a\tb\r\ndate: 2026-01-05\r\n", "title: \"a\\x01b\"\n"} {
		if _, err := ParseYAML([]byte(src)); err != nil {
			t.Errorf("ParseYAML(%q): %v", src, err)
		}
	}
	if _, err := ParseTOML([]byte("title = \"a\u2028b\u0085c\"\n")); err != nil {
		t.Errorf("ParseTOML: %v", err)
	}
}
