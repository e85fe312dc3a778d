package meta

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/digest-ssg/digest/internal/corpus"
)

// Fuzz targets for the YAML and TOML readers. Run them with e.g.
//
//	go test ./internal/meta -run '^$' -fuzz FuzzParseYAML -fuzztime 20s
//
// Under plain go test only the seeds below (and testdata/fuzz) run.

// maxParseTime is far more than any document of a fuzzing-sized input
// needs; a parse slower than this means the limits do not bound the work.
const maxParseTime = 3 * time.Second

// hostileSeeds are inputs meant to upset any front matter reader.
func hostileSeeds() []string {
	return []string{
		"",
		"\n",
		"\uFEFF",
		"\uFEFFtitle: BOM\n",
		"title: x\r\ndate: 2026-02-10\r\n",
		"title: no final newline",
		"title: \x00nul\n",
		"title: \"\x00\"\n",
		"title: \u202Eevil\u202C\n",
		"title: \xff\xfe bad utf8\n",
		"title: caf\xe9 \x93quoted\x94 \x96 dash\n", // Windows-1252
		"\xef\xbb",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
		"a: " + strings.Repeat("[", 300),
		"a: " + strings.Repeat("{a: ", 70) + "1" + strings.Repeat("}", 70),
		"a: " + strings.Repeat("[", 70) + strings.Repeat("]", 70),
		// unbalanced closers used to lower the bracket count
		"a: \"" + strings.Repeat("]", 300) + "\"\nb: " + strings.Repeat("[", 250) + strings.Repeat("]", 250) + "\n",
		"title: " + strings.Repeat("x", 1<<10) + "\n",
		strings.Repeat("k: v\n", 40),
		"a:\n" + nestedBlock(70),
	}
}

func nestedBlock(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString(strings.Repeat(" ", i))
		b.WriteString("k:\n")
	}
	b.WriteString(strings.Repeat(" ", n+1) + "v\n")
	return b.String()
}

func FuzzParseYAML(f *testing.F) {
	for _, s := range hostileSeeds() {
		f.Add([]byte(s))
	}
	for _, s := range []string{
		"title: Floods close the river port\ndate: 2026-03-02T07:00:00+01:00\ntopic: World\ntags: [rivers, weather]\nauthors:\n  - Ann Lee\n  - Bo Chan\nfeatured: true\n",
		// YAML 1.1 traps
		"title: NO\ndraft: yes\nfeatured: on\ncount: 0777\nx: ~\ny: null\nz: 1e3\nw: 0x1F\nv: .inf\nu: 12:30:45\nt: 2026-02-10\n",
		"country: NO\nanswer: Off\nlist: [y, n, Yes, NO, ~]\n",
		"- a\n- b\n",
		"just text",
		"~",
		"null",
		"---\n---\n",
		"a: 1\n---\nb: 2\n",
		"title: a\ntitle: b\n",
		"? [a, b]\n: c\n",
		"{a: 1, b: [1, 2, {c: d}]}",
		"a: &x 1\nb: *x\n",
		"a: *missing\n",
		"a: &a [*a]\n",
		"<<: {a: 1}\nb: 2\n",
		"a: &a {x: 1}\nb:\n  <<: *a\n  y: 2\n",
		"a: !!binary aGVsbG8=\nb: !custom x\nc: !!str 1\n",
		"a: |\n  block\n  text\nb: >-\n  folded\n",
		"a: 'unterminated\n",
		"a: \"unterminated\n",
		"a: [1, 2\n",
		"\ta: tab indent\n",
		"a:\n\t- b\n",
		"%YAML 1.1\n---\na: 1\n",
		"a: 1\n...\nb: 2\n",
		"&anchor\n",
		"*alias\n",
		// alias bomb (billion laughs)
		"a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
		// deep through aliases
		"a: &a [1]\nb: &b [*a]\nc: &c [*b]\nd: &d [*c]\ne: [*d, *d]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		start := time.Now()
		stop := watchdog("ParseYAML", src)
		n, err := ParseYAML(src)
		stop()
		if d := time.Since(start); d > maxParseTime {
			t.Errorf("ParseYAML took %v on %d bytes", d, len(src))
		}
		checkParsed(t, n, err)
	})
}

func FuzzParseTOML(f *testing.F) {
	for _, s := range hostileSeeds() {
		f.Add([]byte(s))
	}
	for _, s := range []string{
		"title = \"Floods\"\ndate = 2026-03-02T07:00:00+01:00\ntags = [\"a\", \"b\"]\n[params]\nscore = 3\n",
		"title = \"a\"\r\ndate = 2026-02-10\r\n",
		"title = \"no final newline\"",
		"a = 1\na = 2\n",                     // duplicate key
		"[t]\nx = 1\n[t]\ny = 2\n",           // duplicate table
		"a = 1\n[a]\nx = 1\n",                // value then table
		"a.b = 1\na.b.c = 2\n",               // dotted over a value
		"[[a]]\nx = 1\n[a]\ny = 2\n",         // array of tables then table
		"[a]\nx = 1\n[[a]]\ny = 2\n",         // table then array of tables
		"a = [1, 2]\n[[a]]\n",                // static array then array table
		"[[a.b]]\n[a]\nc = 1\n[[a.b]]\n",     // nested array tables
		"t = {a = 1, a = 2}\n",               // duplicate in inline table
		"t = {a.b = 1, a.c = 2}\n",           // dotted keys in inline table
		"\"quoted key\" = 1\n'lit' = 2\n",    // quoted keys
		"\"\" = 1\n",                         // empty key
		"a = \"\\u0000\"\nb = \"\\u202E\"\n", // escapes for NUL and bidi
		"a = '''\nmulti\n'''\nb = \"\"\"\nm\\\n  x\"\"\"\n",
		"a = \"unterminated\n",
		"a = [1, 2\n",
		"a = \n",
		"= 1\n",
		"[\n",
		"[[\n",
		"a = 0777\nb = 0x1F\nc = 1_000\nd = inf\ne = nan\nf = +1.5e3\n",
		"a = 1979-05-27T07:32:00Z\nb = 1979-05-27\nc = 07:32:00\nd = 1979-05-27T07:32:00\n",
		"a = yes\n",
		"a = " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n",
		"a = " + strings.Repeat("{b = ", 70) + "1" + strings.Repeat("}", 70) + "\n",
		strings.Repeat("a.", 100) + "b = 1\n",
		"[" + strings.Repeat("a.", 100) + "b]\n",
		"[[" + strings.Repeat("a.", 100) + "b]]\n",
		strings.Repeat("[[x]]\n", 40),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		start := time.Now()
		stop := watchdog("ParseTOML", src)
		n, err := ParseTOML(src)
		stop()
		if d := time.Since(start); d > maxParseTime {
			t.Errorf("ParseTOML took %v on %d bytes", d, len(src))
		}
		checkParsed(t, n, err)
	})
}

// watchdog crashes the fuzzing process when a parse runs for far longer
// than maxParseTime: a parse that never returns would otherwise stall the
// fuzzer silently, and a crash makes it save the input under testdata/fuzz.
func watchdog(what string, src []byte) (stop func()) {
	t := time.AfterFunc(10*maxParseTime, func() {
		panic(fmt.Sprintf("%s has run for %v on %d bytes: %q", what, 10*maxParseTime, len(src), src))
	})
	return func() { t.Stop() }
}

// checkParsed checks what a parse returned: an error that is a
// *SyntaxError, or a map whose every node and field has a position, and
// whose size and depth keep within the package's limits.
func checkParsed(t *testing.T, root *Node, err error) {
	t.Helper()
	if err != nil {
		if root != nil {
			t.Errorf("both a document and an error (%v)", err)
		}
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Fatalf("error %v is a %T, want *SyntaxError", err, err)
		}
		// Every error names its line and column, counted from 1.
		if se.Line < 1 || se.Col < 1 {
			t.Errorf("error at %d:%d, want a line and a column: %s", se.Line, se.Col, se.Msg)
		}
		if se.Msg == "" {
			t.Error("error without a message")
		}
		return
	}
	if root == nil {
		t.Fatal("no document and no error")
	}
	if root.Kind != Map {
		t.Fatalf("root is a %v, want a table", root.Kind)
	}
	nodes, deepest := 0, 0
	var walk func(n *Node, path string, depth int)
	walk = func(n *Node, path string, depth int) {
		if n == nil {
			t.Fatalf("%s: nil node", path)
		}
		nodes++
		deepest = max(deepest, depth)
		if nodes > 4*MaxNodes {
			t.Fatalf("more than %d nodes: the budget does not bound the tree", 4*MaxNodes)
		}
		if n.Line < 1 || n.Col < 1 {
			t.Errorf("%s: node of kind %v at %d:%d, want line and column >= 1", path, n.Kind, n.Line, n.Col)
		}
		switch n.Kind {
		case List:
			for i, item := range n.List {
				walk(item, path+"["+itoa(i)+"]", depth+1)
			}
		case Map:
			for _, fl := range n.Fields {
				if fl == nil {
					t.Fatalf("%s: nil field", path)
				}
				if fl.Line < 1 || fl.Col < 1 {
					t.Errorf("%s.%q: key at %d:%d, want line and column >= 1", path, fl.Key, fl.Line, fl.Col)
				}
				walk(fl.Value, path+"."+fl.Key, depth+1)
			}
		}
	}
	walk(root, "$", 0)
	_ = root.Interface() // must not panic either
	if nodes > MaxNodes+1 {
		t.Errorf("%d nodes, over MaxNodes (%d)", nodes, MaxNodes)
	}
	if deepest > MaxDepth+1 {
		t.Errorf("nested %d levels, over MaxDepth (%d)", deepest, MaxDepth)
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// TestYAMLSyntaxErrorLines checks the line of YAML syntax errors, which
// the editor is sent to.
//
// A headline with a colon is the most common YAML mistake in front matter,
// and title: is usually its first line. The YAML parser leaves the line out
// of its message when the problem is on the document's first line ("yaml:
// mapping values are not allowed in this context"), so yamlError gives
// Line 0 and the editor reads "content/x.md: YAML: ..." with no line at all.
//
// For parser (not scanner) errors the YAML parser counts lines from 0, so a
// stray "- x" or "]" on line 3 is reported on line 2.
func TestYAMLSyntaxErrorLines(t *testing.T) {
	for _, tt := range []struct {
		src  string
		line int
	}{
		{"title: Breaking: floods close the port\ndate: 2026-03-02\n", 1},
		{"\ttitle: tab before the first key\n", 1},
		{"title: a\ndate: 2026-01-01\n- x\n", 3},
		{"title: a\ndate: 2026-01-01\n]\n", 3},
		// right already
		{"date: 2026-03-02\ntitle: Breaking: floods close the port\n", 2},
		{"title: a\n\tdate: 2026-01-01\n", 2},
	} {
		_, err := ParseYAML([]byte(tt.src))
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Errorf("ParseYAML(%q) = %v, want a *SyntaxError", tt.src, err)
			continue
		}
		if se.Line != tt.line {
			t.Errorf("ParseYAML(%q): error on line %d, want %d: %s", tt.src, se.Line, tt.line, se.Msg)
		}
	}
}

// FuzzYAMLFastPath checks that the fast path for simple front matter
// gives exactly the tree the YAML library gives, whenever it answers.
func FuzzYAMLFastPath(f *testing.F) {
	for _, s := range yamlFastSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fast, ok := parseSimpleYAML(src)
		if !ok {
			return
		}
		slow, err := parseYAML(src)
		if err != nil {
			t.Fatalf("the fast path read %q, which the library refuses: %v", src, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q:\nfast %s\nslow %s", src, dump(fast), dump(slow))
		}
	})
}

var yamlFastSeeds = []string{
	"title: \"Inflation people campaign\"\ndate: 2026-03-23T12:45:00Z\ntopic: Business\ntags: [tag-18, tag-11, tag-58]\nsummary: \"Budget for company\"\nsource: Wire Service\nsource_url: https://example.com/wire/9982\n",
	"title: Floods close the river port\ndate: 2026-03-02T07:00:00+01:00\ntags: [rivers, \"weather, storms\", 'x']\nfeatured: true\ndraft: False\nx: ~\ny: null\nn: 12\nz: 0\n",
	"# a comment\n\ntitle: Smith, John's \"day\"\nimage: /img/a.png\nalt: 'It''s'\nempty: []\nd: 2026-02-10\n",
	"title: a\ntitle: b\n", "title: x # comment\n", "title: 'a' b\n", "a: [a, ]\n", "a: [,]\n", "a: [a b, c:d]\n",
	"a: 007\nb: 1.5\nc: 2026-02-30\nd: 2026-1-2\ne: yes\nf: .inf\ng: -1\nh: +1\n", "a: 12345678901234567890\n",
	"a: 2026-03-23T12:45:00\nb: 2026-03-23 12:45:00Z\nc: 2026-03-23T12:45Z\n", "é: x\n", "a: é [x\n", "a: [é, ü]\nb: [\"ä\", x]\n",
	"a: \"x\\\"y\"\n", "a:  spaced   words  \n", "a: x:\n", "a: <<\n", "a: %x\n", "a: @x\n", "a: `x`\n", "a: &x y\n", "a: *x\n", "a: !t x\n",
	"tags: [what?, why]\n", "title: Q # draft\ntags: [what?, why]\n", "title: Smith\u2028\ntopic: World\n", "a: x\u2029y\n",
	strings.Repeat("k", 1100) + ": v\n", "tags: [a&b, c!, d%, e@f, g*h, i|j, k>l, m=n, o+p, q~r, s$t, u^v, w,x]\n",
	"a: |\n  x\n", "a: >\n  x\n", "a: - x\n", "a: ? x\n", "a: {b: c}\n", "a: \"\"\nb: ''\n", "A-b_c9: x\n-a: x\n", "a: x\n  b: y\n",
}

func dump(n *Node) string {
	if n == nil {
		return "nil"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "{%v %q %d:%d", n.Kind, n.Text, n.Line, n.Col)
	for _, it := range n.List {
		b.WriteString(" " + dump(it))
	}
	for _, f := range n.Fields {
		fmt.Fprintf(&b, " %s@%d:%d=%s", f.Key, f.Line, f.Col, dump(f.Value))
	}
	return b.String() + "}"
}

// The fast path answers for the front matter the corpus generator writes,
// and agrees with the library on every one.
func TestYAMLFastPathOnTheCorpus(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Options{Articles: 400, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "content", "*", "*", "*", "*.md"))
	fast := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.SplitN(string(src), "---\n", 3)
		if len(parts) != 3 || parts[0] != "" {
			continue // TOML
		}
		got, ok := parseSimpleYAML([]byte(parts[1]))
		if !ok {
			t.Errorf("%s: the fast path passed on\n%s", file, parts[1])
			continue
		}
		fast++
		want, err := parseYAML([]byte(parts[1]))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\nfast %s\nslow %s (%v)", file, dump(got), dump(want), err)
		}
	}
	if fast < 300 {
		t.Errorf("the fast path read %d of %d files", fast, len(files))
	}
}
