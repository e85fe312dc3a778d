package content

import (
	"bytes"
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/yuin/goldmark/text"

	"github.com/digest-ssg/digest/internal/config"
)

// countingReader counts the work goldmark's block parser does: the bytes
// of every line it looks at and every column offset it works out. Each
// such call costs goldmark time in proportion to what is counted, so the
// count stands for parse time without the noise of a clock.
type countingReader struct {
	text.Reader
	work int
}

func (r *countingReader) PeekLine() ([]byte, text.Segment) {
	line, seg := r.Reader.PeekLine()
	r.work += len(line) + 1
	return line, seg
}

func (r *countingReader) LineOffset() int {
	n := r.Reader.LineOffset()
	r.work += n + 1
	return n
}

func (r *countingReader) Value(seg text.Segment) []byte {
	r.work += seg.Len() + 1
	return r.Reader.Value(seg)
}

// Work the block parser may do for a body the guard lets through: at
// most maxWorkPerByte units a byte, plus a constant for small bodies.
// Goldmark looks at the rest of a line about three times for each block
// it opens on it, and about twice for each block that goes on, and a
// list level is two blocks (the list and the item), so a body nested
// maxNesting levels deep costs at most about 3 × 2 × 64 = 384 units a
// byte, on lines that open all the levels at once (fuzzing found 379),
// and 2 × 2 × 64 = 256 on lines inside them (TestMarkdownWorkIsLinear
// measures 253). Bodies nested deeper than the guard allows cost more in
// proportion to their depth, which is what FuzzMarkdownLinear looks for.
const (
	maxWorkPerByte = 450
	workSlack      = 20000
)

// parseWork parses body as convert does and returns the work it took and
// whether the guard refused it.
func parseWork(md *Markdown, body []byte) (work int, refused bool) {
	r := &countingReader{Reader: text.NewReader(body)}
	doc := md.parse(r)
	return r.work, tooDeep(doc, body) != nil
}

func checkLinear(t *testing.T, md *Markdown, body []byte) {
	t.Helper()
	if guard(body) != nil {
		return
	}
	work, _ := parseWork(md, body)
	if limit := maxWorkPerByte*len(body) + workSlack; work > limit {
		t.Fatalf("the Markdown parser did %d units of work for %d bytes (%.0f a byte), over the %d allowed: the guard let through a shape whose parse time grows faster than its size:\n%.2000q",
			work, len(body), float64(work)/float64(len(body)), limit, body)
	}
}

// FuzzMarkdownLinear checks the nesting guard against the Markdown parser:
// whatever the body, the guard either refuses it or the parser's work is
// linear in its size. Each input is tried twice: as Markdown, and as a
// program for shape, which writes deep and mixed nesting (markers on one
// line, each level on its own line, quotes, footnotes, lazy lines) from a
// few bytes, so that the fuzzer reaches depths raw Markdown would need
// kilobytes for.
func FuzzMarkdownLinear(f *testing.F) {
	for _, s := range []string{
		"- a\n  - b\n    - c\n",
		"> > - 1. [^a]: x\n",
		strings.Repeat("> ", 60) + "x\n",
		"---\n\n```\n- x\n```\n\n    - code\n",
	} {
		f.Add([]byte(s))
	}
	for _, prog := range [][]byte{
		{opBullet, opWord, opNewline, opRepeat | 2<<4, 40},                       // a list indented one level more on each line
		{opQuote, opOrdered, opFootnote, opWord, opNewline, opRepeat | 3<<4, 14}, // mixed
		{opBullet, opWord, opLazy, opRepeat | 2<<4, 50},                          // lazy lines
		{opStar, opQuoteTight, opRepeat | 1<<4, 30, opWord, opDedent | 3<<4, opWord},
		{opBullet, opTab, opBlank, opNewline, opRepeat | 3<<4, 20, opWord | 5<<4},
	} {
		f.Add(prog)
	}
	md := NewMarkdown(config.Default().Markdown)
	f.Fuzz(func(t *testing.T, data []byte) {
		checkLinear(t, md, data)
		checkLinear(t, md, shape(data))
	})
}

// The operations of shape: the low four bits of a byte; the high four
// are an argument.
const (
	opBullet     = iota // "- ", a list item
	opStar              // "* "
	opOrdered           // "1. " (or "1) " with an odd argument)
	opQuote             // "> "
	opQuoteTight        // ">" with no space
	opFootnote          // "[^n]: ", a footnote
	opTab               // "-\t", a list item marked with a tab
	opNewline           // a new line inside every level open
	opDedent            // a new line that leaves (argument+1) levels
	opLazy              // a new line with no indentation (a lazy continuation)
	opBlank             // an empty line
	opWord              // text: a word, or (by argument) a shape of its own
	opRepeat            // repeat the (argument+1) operations before, as many times as the next byte says
)

// maxShape bounds what shape writes, to keep each fuzzing run quick.
const maxShape = 32 << 10

// shape writes Markdown from a program of one-byte operations (see
// opBullet and those after it), keeping track of the indentation that
// keeps the open levels open.
func shape(prog []byte) []byte {
	var w shaper
	for i := 0; i < len(prog) && len(w.out) < maxShape; i++ {
		op := prog[i] & 15
		if op != opRepeat {
			w.do(prog[i])
			continue
		}
		from := max(0, i-int(prog[i]>>4)-1)
		times := 0
		if i+1 < len(prog) {
			i++
			times = int(prog[i])
		}
		for range times {
			for _, b := range prog[from : i-1] {
				if b&15 != opRepeat && len(w.out) < maxShape {
					w.do(b)
				}
			}
		}
	}
	return w.out
}

type shaper struct {
	out    []byte
	prefix []string // what each open level needs at the start of a line
}

func (w *shaper) open(marker, indent string) {
	if len(w.out) >= maxShape {
		return
	}
	w.out = append(w.out, marker...)
	w.prefix = append(w.prefix, indent)
}

func (w *shaper) newline(levels int) {
	w.out = append(w.out, '\n')
	w.prefix = w.prefix[:max(0, len(w.prefix)-levels)]
	for _, p := range w.prefix {
		w.out = append(w.out, p...)
	}
}

func (w *shaper) do(b byte) {
	arg := int(b >> 4)
	switch b & 15 {
	case opBullet:
		w.open("- ", "  ")
	case opStar:
		w.open("* ", "  ")
	case opOrdered:
		if arg%2 == 1 {
			w.open("1) ", "   ")
		} else {
			w.open("1. ", "   ")
		}
	case opQuote:
		w.open("> ", "> ")
	case opQuoteTight:
		w.open(">", ">")
	case opFootnote:
		w.open("[^"+strconv.Itoa(arg)+"]: ", "    ")
	case opTab:
		w.open("-\t", "\t")
	case opNewline:
		w.newline(0)
	case opDedent:
		w.newline(arg + 1)
	case opLazy:
		w.out = append(w.out, "\nlazy "...)
	case opBlank:
		w.out = append(w.out, '\n')
		w.newline(0)
	case opWord:
		words := [16]string{"x", "text and more", "- - -", "```", "    code", "<div>", "# h", "\t", "[a]: /u", "|a|b|\n|-|-|", "***", "1990. A year", "[^n]", "===", "> ", ""}
		w.out = append(w.out, words[arg]...)
	}
}

// TestNestingLimitHoldsForEveryShape nests quotes, lists and footnotes in
// each way Markdown allows, one level past the limit and at it: past it,
// the article is refused on the line where the limit is crossed; at it,
// the article is accepted. Lists nested by indentation, each level on its
// own line, used to pass the guard, which counted the markers of each
// line alone: 1,000 such levels took 4.6 s to parse, a 4 MB article 27 s.
func TestNestingLimitHoldsForEveryShape(t *testing.T) {
	p := newParser(t, "")
	const head = "---\ntitle: T\ndate: 2026-01-01\n---\nIntro.\n\n"
	indented := func(n int, marker string, step int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "%s%sitem %d\n", strings.Repeat(" ", i*step), marker, i)
		}
		return b.String()
	}
	for _, tt := range []struct {
		name      string
		body      func(levels int) string
		line, col int // where level 65 opens
		depth     int // the levels that line asks for, if not 65
	}{
		{"markers on one line", func(n int) string { return strings.Repeat("- ", n) + "x\n" }, 7, 1, 0},
		{"quotes on one line", func(n int) string { return strings.Repeat(">", n) + " x\n" }, 7, 1, 0},
		{"lists by indentation", func(n int) string { return indented(n, "- ", 2) }, 7 + 64, 129, 0},
		{"ordered lists by indentation", func(n int) string { return indented(n, "1. ", 3) }, 7 + 64, 193, 0},
		{"lists indented by tabs", func(n int) string {
			var b strings.Builder
			for i := range n {
				b.WriteString(strings.Repeat("\t", i) + "-\tx\n")
			}
			return b.String()
		}, 7 + 64, 65, 0},
		{"quotes, one more each line", func(n int) string {
			var b strings.Builder
			for i := 1; i <= n; i++ {
				b.WriteString(strings.Repeat("> ", i) + "x\n")
			}
			return b.String()
		}, 7 + 64, 1, 0},
		{"lists by indentation with lazy lines", func(n int) string {
			var b strings.Builder
			for i := range n {
				b.WriteString(strings.Repeat("  ", i) + "- x\nlazy\n")
			}
			return b.String()
		}, 7 + 128, 129, 0},
		{"quotes and lists mixed over lines", func(n int) string {
			var b strings.Builder
			pre := ""
			for i := 0; i < n; i += 2 {
				b.WriteString(pre + "> - x\n")
				pre += "> " + "  "
			}
			return b.String()
		}, 7 + 32, 1, 66},
		{"footnotes", func(n int) string { return strings.Repeat("[^a]: ", n) + "x\n" }, 7, 1, 0},
		{"footnotes by indentation", func(n int) string {
			var b strings.Builder
			for i := range n {
				b.WriteString(strings.Repeat("    ", i) + "[^a]: x\n")
			}
			return b.String()
		}, 7 + 64, 257, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, errs := p.Parse("content/x.md", []byte(head+tt.body(maxNesting+1)))
			depth := cmp.Or(tt.depth, maxNesting+1)
			want := fmt.Sprintf("content/x.md:%d:%d: quotes and lists nested %d levels deep, more than the 64 allowed (use fewer levels)", tt.line, tt.col, depth)
			if a != nil || errs.Error() != want {
				t.Errorf("one level too many: article %v, errors:\n%s\nwant:\n%s", a != nil, errs, want)
			}
			if a, errs := p.Parse("content/x.md", []byte(head+tt.body(maxNesting))); a == nil {
				t.Errorf("%d levels, the most allowed, refused: %v", maxNesting, errs)
			}
		})
	}
}

// TestNestedCodeIsNotNesting: markers inside a code block open nothing,
// so the guard lets them be.
func TestNestedCodeIsNotNesting(t *testing.T) {
	p := newParser(t, "")
	parseOK(t, p, "---\ntitle: T\ndate: 2026-01-01\n---\n```\n"+strings.Repeat("> ", 100)+"x\n```\n")
}

// TestMarkdownWorkIsLinear parses bodies of the shapes that cost the
// most per byte: nested as deep as allowed and then 1 MB as deep, and
// 4 MB nested by indentation far past the limit. The parser's work stays
// within maxWorkPerByte a byte.
func TestMarkdownWorkIsLinear(t *testing.T) {
	md := NewMarkdown(config.Default().Markdown)
	fill := func(first, line string) []byte {
		var b bytes.Buffer
		b.WriteString(first)
		for b.Len() < 1<<20-len(line) {
			b.WriteString(line)
		}
		return b.Bytes()
	}
	var indented strings.Builder
	for i := 0; indented.Len() < MaxArticleBytes-5000; i++ {
		indented.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	deepest := strings.Repeat("- ", maxNesting) + "x\n"
	for name, body := range map[string][]byte{
		"lists by indentation, 2,000 levels":   []byte(indented.String()),
		"64 levels, then items as deep":        fill(deepest, strings.Repeat("  ", maxNesting-1)+"- x\n"),
		"64 levels, then long lines as deep":   fill(deepest, strings.Repeat("  ", maxNesting)+strings.Repeat("word ", 100)+"\n"),
		"64 levels, then blank and lazy lines": fill(deepest, "\nlazy\n"),
		"64 quotes, then lines as deep":        fill(strings.Repeat(">", maxNesting)+" x\n", strings.Repeat(">", maxNesting)+" y\n"),
	} {
		work, refused := parseWork(md, body)
		t.Logf("%s: %d bytes, %.1f units of work a byte, refused %v", name, len(body), float64(work)/float64(len(body)), refused)
		if work > maxWorkPerByte*len(body)+workSlack {
			t.Errorf("%s: %d units of work for %d bytes, over %d a byte", name, work, len(body), maxWorkPerByte)
		}
	}
}
