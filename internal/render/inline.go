package render

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/cascadia"
	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/css"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Mail clients drop a message's <style> (Gmail in many of its apps,
// Outlook in part) or never had one, so an email carries its looks on
// each element. The email's layout is written with an ordinary style
// sheet; once a page of it is rendered, inlineStyles moves every rule
// it can onto the elements the rule selects, in the order of the cascade
// (importance, specificity, then order), under what an element's own
// style attribute says. What no style attribute can say stays in the
// <style> element: @media rules (dark mode, narrow screens), which must
// say !important to win over the inlined styles, and rules of states and
// pieces (a:hover, ::before, :root). Class names that no kept rule uses
// are dropped, as they do nothing but weigh.

// inlined is what inlineStyles did with a page's style sheet.
type inlined struct {
	page []byte
	// unused lists the selectors, inlined or kept, that select no element
	// of the page: rules that change nothing (a test keeps the theme
	// free of them).
	unused []string
	// kept is the style sheet left in the page, after inlining.
	kept string
}

// cssRule is one rule of a style sheet: a selector and its declarations,
// or a rule kept whole (text).
type cssRule struct {
	selectors []string
	decls     []cssDecl
	text      string   // kept as it is: an at-rule, or a rule that cannot be inlined
	inner     []string // the selectors of a kept rule, or of the rules inside it
}

type cssDecl struct {
	prop, value string
	important   bool
}

// inlineStyles inlines the style sheets of an HTML document (see above).
// It reads the page as a stream of tokens, not as a tree: each element
// is matched against the selectors with its ancestors (so descendant and
// child combinators work; sibling combinators, which would need the
// elements before it, are kept in <style> like states), and elements
// whose ancestors, tag and attributes that selectors look at are alike —
// every story of an email — are matched once. What is not restyled is
// written as it was.
//
// sheets keeps the style sheets read, by their text, for the next pages
// (nil: none kept): the emails of a site share theirs.
func inlineStyles(page []byte, sheets *sync.Map) (*inlined, error) {
	text := strings.Join(styleSheets(page), "\n")
	var sh *sheet
	if v, ok := loadSheet(sheets, text); ok {
		sh = v
	} else {
		var err error
		if sh, err = newSheet(parseSheet(text)); err != nil {
			return nil, err
		}
		if sheets != nil {
			sheets.Store(text, sh)
		}
	}
	in := &inliner{sheet: sh, used: map[*selRule]bool{}, seen: map[string][]*selRule{}, styles: map[string]string{}}
	out, err := in.run(page)
	if err != nil {
		return nil, err
	}
	res := &inlined{page: out, kept: sh.kept}
	for _, r := range append(sh.rules, sh.probes...) {
		if !in.used[r] && !slices.Contains(res.unused, r.text) {
			res.unused = append(res.unused, r.text)
		}
	}
	return res, nil
}

func loadSheet(sheets *sync.Map, text string) (*sheet, bool) {
	if sheets == nil {
		return nil, false
	}
	v, ok := sheets.Load(text)
	if !ok {
		return nil, false
	}
	return v.(*sheet), true
}

// styleSheets returns the text of each <style> element of the page.
func styleSheets(page []byte) []string {
	var out []string
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken:
			if name, _ := z.TagName(); string(name) == "style" && z.Next() == html.TextToken {
				out = append(out, string(z.Text()))
			}
		}
	}
}

// selRule is one selector of a style sheet: of a rule to inline (decls),
// or of a kept rule, whose use is only noted.
type selRule struct {
	text  string
	sel   cascadia.Sel
	order int
	decls []cssDecl
}

// sheet is a page's style sheet, read: it does not change once made.
type sheet struct {
	rules  []*selRule // to inline, in the order of the sheet
	probes []*selRule // the selectors of kept rules
	kept   string     // the style sheet left in <style>
	// keepClass: the class names the kept rules use; others are dropped.
	keepClass map[string]bool
	// attrs: the attributes that selectors look at besides class and id,
	// so that two elements that differ in nothing else match alike.
	attrs map[string]bool
}

// inliner applies a sheet to one page's elements.
type inliner struct {
	*sheet
	used   map[*selRule]bool
	seen   map[string][]*selRule // by element signature: the rules that match
	styles map[string]string     // by signature and own style: the style
}

// attrSelector finds the attribute names a selector looks at.
var attrSelector = regexp.MustCompile(`\[\s*([A-Za-z_:][-A-Za-z0-9_:.]*)`)

func newSheet(rules []cssRule) (*sheet, error) {
	in := &sheet{keepClass: map[string]bool{}, attrs: map[string]bool{"class": true, "id": true}}
	var kept []string
	for _, r := range rules {
		if r.text != "" {
			kept = append(kept, r.text)
		}
		for _, sel := range append(r.selectors, r.inner...) {
			for _, m := range attrSelector.FindAllStringSubmatch(sel, -1) {
				in.attrs[strings.ToLower(m[1])] = true
			}
		}
		for _, sel := range r.inner {
			if inlinable(sel) {
				if s, err := cascadia.Parse(sel); err == nil {
					in.probes = append(in.probes, &selRule{text: sel, sel: s})
				}
			}
		}
		for _, sel := range r.selectors {
			s, err := cascadia.Parse(sel)
			if err != nil {
				return nil, fmt.Errorf("style sheet: cannot read the selector %q: %v", sel, err)
			}
			in.rules = append(in.rules, &selRule{text: sel, sel: s, order: len(in.rules), decls: r.decls})
		}
	}
	in.kept = strings.Join(kept, "")
	for _, m := range className.FindAllStringSubmatch(in.kept, -1) {
		in.keepClass[m[1]] = true
	}
	return in, nil
}

// inlinable tells whether a selector can be applied to an element from
// the element and its ancestors alone: no states or pieces (a colon), no
// sibling combinators.
func inlinable(sel string) bool { return !strings.ContainsAny(sel, ":+~") }

// open is an element whose end has not come yet.
type open struct {
	node *html.Node
	sig  string
}

// run writes the page with the styles inlined.
func (in *inliner) run(page []byte) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(page) * 2)
	z := html.NewTokenizer(bytes.NewReader(page))
	stack := []open{{node: &html.Node{Type: html.DocumentNode}}}
	inStyle, styled := false, false
	for {
		tt := z.Next()
		raw := z.Raw()
		switch tt {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return out.Bytes(), nil
			}
			return nil, z.Err()
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if tok.DataAtom == atom.Style {
				inStyle = tt == html.StartTagToken
				if !styled && in.kept != "" {
					out.WriteString("<style>" + in.kept + "</style>")
				}
				styled = true
				continue
			}
			top := stack[len(stack)-1]
			n := &html.Node{Type: html.ElementNode, Data: tok.Data, DataAtom: tok.DataAtom, Attr: tok.Attr, Parent: top.node}
			sig := top.sig + "/" + in.signature(tok)
			in.write(&out, raw, tok, tt, sig, in.matches(sig, n))
			if tt == html.StartTagToken && !voidElements[tok.DataAtom] {
				stack = append(stack, open{n, sig})
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if inStyle && string(name) == "style" {
				inStyle = false
				continue
			}
			for i := len(stack) - 1; i > 0; i-- {
				if stack[i].node.Data == string(name) {
					stack = stack[:i]
					break
				}
			}
			out.Write(raw)
		case html.TextToken:
			if !inStyle {
				out.Write(raw)
			}
		default:
			out.Write(raw)
		}
	}
}

// signature is what selectors can tell of an element: its tag and the
// attributes they look at.
func (in *inliner) signature(tok html.Token) string {
	var b strings.Builder
	b.WriteString(tok.Data)
	for _, a := range tok.Attr {
		if in.attrs[a.Key] {
			b.WriteString(" " + a.Key + "=" + strconv.Quote(a.Val))
		}
	}
	return b.String()
}

// matches returns the rules to inline that select n, in the order of the
// sheet, and notes the kept rules that select it.
func (in *inliner) matches(sig string, n *html.Node) []*selRule {
	if rs, ok := in.seen[sig]; ok {
		return rs
	}
	var rs []*selRule
	for _, r := range in.rules {
		if r.sel.Match(n) {
			in.used[r] = true
			rs = append(rs, r)
		}
	}
	for _, r := range in.probes {
		if !in.used[r] && r.sel.Match(n) {
			in.used[r] = true
		}
	}
	in.seen[sig] = rs
	return rs
}

// write writes a start tag with its style and the classes the kept rules
// use; as it was when neither changes.
func (in *inliner) write(out *bytes.Buffer, raw []byte, tok html.Token, tt html.TokenType, sig string, rs []*selRule) {
	style, hasStyle := "", false
	classes := ""
	changed := len(rs) > 0
	for _, a := range tok.Attr {
		switch a.Key {
		case "style":
			style, hasStyle = a.Val, true
		case "class":
			names := strings.Fields(a.Val)
			kept := slices.DeleteFunc(slices.Clone(names), func(c string) bool { return !in.keepClass[c] })
			classes = strings.Join(kept, " ")
			changed = changed || len(kept) != len(names)
		}
	}
	if !changed {
		out.Write(raw)
		return
	}
	if len(rs) > 0 {
		key := sig + "\x00" + style
		cascaded, ok := in.styles[key]
		if !ok {
			cascaded = cascade(rs, style)
			in.styles[key] = cascaded
		}
		style = cascaded
	}
	out.WriteString("<" + tok.Data)
	for _, a := range tok.Attr {
		switch {
		case a.Key == "style":
		case a.Key == "class":
			if classes != "" {
				out.WriteString(` class="` + html.EscapeString(classes) + `"`)
			}
		default:
			out.WriteString(" " + a.Key + `="` + html.EscapeString(a.Val) + `"`)
		}
	}
	if style != "" || hasStyle {
		out.WriteString(` style="` + html.EscapeString(style) + `"`)
	}
	if tt == html.SelfClosingTagToken {
		out.WriteString("/>")
	} else {
		out.WriteString(">")
	}
}

// voidElements have no end tag.
var voidElements = map[atom.Atom]bool{
	atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true, atom.Embed: true, atom.Hr: true, atom.Img: true,
	atom.Input: true, atom.Link: true, atom.Meta: true, atom.Source: true, atom.Track: true, atom.Wbr: true,
}

// cascade is the style of an element that the rules select (in the
// order of the sheet) and whose own style attribute is own: normal
// declarations by specificity then order, under the element's own, then
// !important ones over everything.
func cascade(rs []*selRule, own string) string {
	rs = slices.Clone(rs)
	slices.SortStableFunc(rs, func(a, b *selRule) int {
		if c := compareSpec(a.sel.Specificity(), b.sel.Specificity()); c != 0 {
			return c
		}
		return cmp.Compare(a.order, b.order)
	})
	var props []string
	values := map[string]string{}
	set := func(d cssDecl) {
		if _, ok := values[d.prop]; !ok {
			props = append(props, d.prop)
		}
		values[d.prop] = d.value
	}
	for _, important := range []bool{false, true} {
		for _, r := range rs {
			for _, d := range r.decls {
				if d.important == important {
					set(d)
				}
			}
		}
		if !important {
			for _, d := range parseDecls(own) {
				set(d)
			}
		}
	}
	var b strings.Builder
	for i, p := range props {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(p + ":" + values[p])
	}
	return b.String()
}

func compareSpec(a, b cascadia.Specificity) int {
	for i := range a {
		if c := cmp.Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return 0
}

// parseSheet reads a style sheet into rules.
func parseSheet(src string) []cssRule {
	p := css.NewParser(parse.NewInputString(src), false)
	var rules []cssRule
	var cur *cssRule
	depth := 0      // inside an at-rule
	var at []string // the kept text of the at-rule being read
	var inner []string
	for {
		gt, _, data := p.Next()
		switch gt {
		case css.ErrorGrammar:
			return rules
		case css.BeginAtRuleGrammar:
			depth++
			at = append(at, string(data)+" "+tokens(p.Values())+"{")
		case css.EndAtRuleGrammar:
			depth--
			at = append(at, "}")
			if depth == 0 {
				rules = append(rules, cssRule{text: strings.Join(at, ""), inner: inner})
				at, inner = nil, nil
			}
		case css.AtRuleGrammar:
			text := string(data) + " " + tokens(p.Values()) + ";"
			if depth > 0 {
				at = append(at, text)
			} else {
				rules = append(rules, cssRule{text: text})
			}
		case css.BeginRulesetGrammar:
			cur = &cssRule{selectors: splitSelectors(p.Values())}
		case css.DeclarationGrammar, css.CustomPropertyGrammar:
			if cur != nil {
				cur.decls = append(cur.decls, declaration(string(data), p.Values()))
			}
		case css.EndRulesetGrammar:
			if cur == nil {
				continue
			}
			switch {
			case depth > 0:
				at = append(at, cur.String())
				inner = append(inner, cur.selectors...)
			default:
				rules = append(rules, splitKept(*cur)...)
			}
			cur = nil
		}
	}
}

// splitKept separates the selectors of a rule that cannot be inlined
// (see inlinable) into a kept rule.
func splitKept(r cssRule) []cssRule {
	var inline, keep []string
	for _, s := range r.selectors {
		if !inlinable(s) {
			keep = append(keep, s)
		} else {
			inline = append(inline, s)
		}
	}
	var out []cssRule
	if len(inline) > 0 {
		out = append(out, cssRule{selectors: inline, decls: r.decls})
	}
	if len(keep) > 0 {
		k := cssRule{selectors: keep, decls: r.decls}
		out = append(out, cssRule{text: k.String(), inner: keep})
	}
	return out
}

// String writes the rule back as CSS.
func (r cssRule) String() string {
	var b strings.Builder
	b.WriteString(strings.Join(r.selectors, ","))
	b.WriteByte('{')
	for i, d := range r.decls {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(d.prop + ":" + d.value)
		if d.important {
			b.WriteString("!important")
		}
	}
	b.WriteByte('}')
	return b.String()
}

// splitSelectors turns a ruleset's prelude into its selectors.
func splitSelectors(vals []css.Token) []string {
	var out []string
	var cur []css.Token
	for _, v := range append(vals, css.Token{TokenType: css.CommaToken}) {
		if v.TokenType == css.CommaToken {
			if s := strings.TrimSpace(tokens(cur)); s != "" {
				out = append(out, s)
			}
			cur = nil
			continue
		}
		cur = append(cur, v)
	}
	return out
}

// declaration reads one declaration, with its !important.
func declaration(prop string, vals []css.Token) cssDecl {
	d := cssDecl{prop: strings.ToLower(prop)}
	n := len(vals)
	for n > 0 && vals[n-1].TokenType == css.WhitespaceToken {
		n--
	}
	if n >= 2 && vals[n-2].TokenType == css.DelimToken && string(vals[n-2].Data) == "!" && strings.EqualFold(string(vals[n-1].Data), "important") {
		d.important = true
		n -= 2
	}
	d.value = strings.TrimSpace(tokens(vals[:n]))
	return d
}

// parseDecls reads the declarations of a style attribute.
func parseDecls(style string) []cssDecl {
	if strings.TrimSpace(style) == "" {
		return nil
	}
	p := css.NewParser(parse.NewInputString(style), true)
	var out []cssDecl
	for {
		gt, _, data := p.Next()
		if gt == css.ErrorGrammar {
			return out
		}
		if gt == css.DeclarationGrammar || gt == css.CustomPropertyGrammar {
			out = append(out, declaration(string(data), p.Values()))
		}
	}
}

func tokens(vals []css.Token) string {
	var b strings.Builder
	for _, v := range vals {
		b.Write(v.Data)
	}
	return b.String()
}

// className matches the classes a style sheet names.
var className = regexp.MustCompile(`\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)`)
