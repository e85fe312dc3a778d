package render

import (
	"bytes"
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

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
func inlineStyles(page []byte) (*inlined, error) {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, err
	}
	var styles []*html.Node
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Style {
			styles = append(styles, n)
		}
	})
	var rules []cssRule
	for _, s := range styles {
		rules = append(rules, parseSheet(textOf(s))...)
	}
	res := &inlined{}
	applied := map[*html.Node][]match{}
	var kept []string
	order := 0
	for _, r := range rules {
		if r.text != "" {
			kept = append(kept, r.text)
			for _, sel := range r.inner {
				if strings.Contains(sel, ":") {
					continue // a state or a piece: whether it applies depends on the reader
				}
				if s, err := cascadia.Compile(sel); err == nil && len(cascadia.QueryAll(doc, s)) == 0 {
					res.unused = append(res.unused, sel)
				}
			}
			continue
		}
		for _, sel := range r.selectors {
			s, err := cascadia.Parse(sel)
			if err != nil {
				return nil, fmt.Errorf("style sheet: cannot read the selector %q: %v", sel, err)
			}
			nodes := cascadia.QueryAll(doc, s)
			if len(nodes) == 0 {
				res.unused = append(res.unused, sel)
			}
			for _, n := range nodes {
				applied[n] = append(applied[n], match{s.Specificity(), order, r.decls})
			}
			order++
		}
	}
	for n, ms := range applied {
		setStyle(n, ms)
	}
	res.kept = strings.Join(kept, "")
	for i, s := range styles {
		if i > 0 || res.kept == "" {
			s.Parent.RemoveChild(s)
			continue
		}
		for s.FirstChild != nil {
			s.RemoveChild(s.FirstChild)
		}
		s.AppendChild(&html.Node{Type: html.TextNode, Data: res.kept})
	}
	dropUnusedClasses(doc, res.kept)
	var b bytes.Buffer
	if err := html.Render(&b, doc); err != nil {
		return nil, err
	}
	res.page = b.Bytes()
	return res, nil
}

// match is a rule that selects an element, with its place in the cascade.
type match struct {
	spec  cascadia.Specificity
	order int
	decls []cssDecl
}

// setStyle writes the declarations that apply to n into its style
// attribute: normal ones by specificity and order, under the element's
// own, then !important ones over everything.
func setStyle(n *html.Node, ms []match) {
	slices.SortStableFunc(ms, func(a, b match) int {
		if c := compareSpec(a.spec, b.spec); c != 0 {
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
		for _, m := range ms {
			for _, d := range m.decls {
				if d.important == important {
					set(d)
				}
			}
		}
		if !important {
			for _, d := range parseDecls(attr(n, "style")) {
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
	setAttr(n, "style", b.String())
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
// (states, pieces and :root: anything with a colon) into a kept rule.
func splitKept(r cssRule) []cssRule {
	var inline, keep []string
	for _, s := range r.selectors {
		if strings.Contains(s, ":") {
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

// dropUnusedClasses removes from class attributes the names the kept
// style sheet does not use.
func dropUnusedClasses(doc *html.Node, kept string) {
	used := map[string]bool{}
	for _, m := range className.FindAllStringSubmatch(kept, -1) {
		used[m[1]] = true
	}
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		for i, a := range n.Attr {
			if a.Key != "class" {
				continue
			}
			names := slices.DeleteFunc(strings.Fields(a.Val), func(c string) bool { return !used[c] })
			if len(names) == 0 {
				n.Attr = slices.Delete(n.Attr, i, i+1)
			} else {
				n.Attr[i].Val = strings.Join(names, " ")
			}
			return
		}
	})
}

func walk(n *html.Node, visit func(*html.Node)) {
	visit(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, visit)
	}
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}
