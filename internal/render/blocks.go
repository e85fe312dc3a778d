package render

import (
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"

	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/site"
)

// A page template fills the blocks of its layout (base.html, or the
// layout its kind names, such as email-base.html), which is what a page is
// executed as. Two mistakes there would build without a word and publish
// pages without what the template says: a page template that leaves the
// layout's "main" block empty, and one that defines a block the layout
// never shows (a typo such as "mian", a block of another theme's layout,
// or its own version of a piece all pages get from the shared templates
// with cached). Both are found once the templates are parsed, so build,
// serve and check report them alike.

// mainBlock is the block that holds what a page is about.
const mainBlock = "main"

// checkBlocks reports, for every page template, the blocks it defines that
// nothing executed from its layout uses, and a "main" block that would be
// empty on every page it makes. edit is the one the templates were parsed
// with: the files are read again, only to place an error on its line.
func checkBlocks(fsys fs.FS, pages map[site.Kind]*template.Template, edit func([]byte) ([]byte, error)) diag.List {
	var errs diag.List
	// The templates cached, cachedArticle and cachedTerm render run in the
	// home page's set, for all pages (see parseSet's ts.shared).
	shared := pages[site.KindHome]
	for _, k := range slices.Sorted(maps.Keys(pages)) {
		file := &pageFile{fsys: fsys, name: string(k) + ".html", edit: edit}
		errs.Append(checkPage(file, pages[k], shared, layout(k)))
	}
	return errs
}

// checkPage checks the blocks of one page template, parsed into t and
// executed as the template named base; shared is the set the templates
// cached renders run in.
func checkPage(file *pageFile, t, shared *template.Template, base string) diag.List {
	isShared := t == shared
	here, cached, dynamic := reach(t, []string{base}, isShared)
	var elsewhere map[string]bool
	if !isShared && shared != nil {
		elsewhere, _, _ = reach(shared, cached, true)
	}
	blocks, _, _ := refs(t.Lookup(base))
	known := slices.DeleteFunc(slices.Sorted(maps.Keys(here)), func(n string) bool { return n == base })
	var errs diag.List
	typoForMain := false
	for _, def := range file.defines(t) {
		name := def.Tree.Name
		if here[name] || isShared && dynamic {
			continue
		}
		pos := file.definePos(name, int(def.Tree.Root.Pos))
		if elsewhere[name] {
			errs.Add(pos, "defines block %q, which pages get from the shared templates (it is rendered once for all of them, with cached), so this one never shows (to change it on every page, define it in partials.html or a file of your own in templates/)", name)
			continue
		}
		hint := diag.Closest(name, known)
		typoForMain = typoForMain || hint == mainBlock
		errs.Add(pos, "%s", unusedBlock(name, hint, base, blocks))
	}
	if here[mainBlock] && !typoForMain && isEmpty(t.Lookup(mainBlock)) {
		errs = append(errs, file.emptyMain(t))
	}
	return errs
}

// unusedBlock is the message for a page's block that its layout base
// never uses, hint the name it likely meant ("" if none) and blocks the
// blocks the layout has.
func unusedBlock(name, hint, base string, blocks []string) string {
	msg := fmt.Sprintf("defines block %q, which %s never uses, so it never shows", name, base)
	uses := base + " uses no blocks"
	if len(blocks) > 0 {
		uses = "the layout uses: " + strings.Join(blocks, ", ")
	}
	if hint != "" {
		return fmt.Sprintf("%s (did you mean %q? %s)", msg, hint, uses)
	}
	return fmt.Sprintf("%s (%s; remove it, or show it from one of them with {{template %q .}})", msg, uses, name)
}

// isEmpty tells whether t would write nothing but white space, whatever
// the page: no template at all, or one with no text and no action.
func isEmpty(t *template.Template) bool {
	return t == nil || t.Tree == nil || parse.IsEmptyTree(t.Tree.Root)
}

// reach returns the names of the templates that executing the start
// templates in t may execute, directly or through others: those called
// with {{template}} or {{block}} and, with fragments, those rendered by
// cached, cachedArticle and cachedTerm; without, it returns the names
// these are given. dynamic tells whether one of them names its template
// with something other than a string written out, when it could be any
// template.
func reach(t *template.Template, start []string, fragments bool) (used map[string]bool, cached []string, dynamic bool) {
	used = map[string]bool{}
	var queue []string
	add := func(names []string) {
		for _, n := range names {
			if !used[n] {
				used[n] = true
				queue = append(queue, n)
			}
		}
	}
	add(start)
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		called, rendered, dyn := refs(t.Lookup(name))
		dynamic = dynamic || dyn
		add(called)
		if fragments {
			add(rendered)
		} else {
			cached = append(cached, rendered...)
		}
	}
	return used, cached, dynamic
}

// refs returns the templates t executes itself, sorted: those it calls
// with {{template}} or {{block}}, and those it renders with cached,
// cachedArticle or cachedTerm; dynamic tells whether one of the latter is
// named by anything other than a string.
func refs(t *template.Template) (called, fragments []string, dynamic bool) {
	if t == nil || t.Tree == nil {
		return nil, nil, false
	}
	var w refWalker
	w.node(t.Tree.Root)
	slices.Sort(w.called)
	slices.Sort(w.fragments)
	return slices.Compact(w.called), slices.Compact(w.fragments), w.dynamic
}

// refWalker gathers the template names one parse tree refers to.
type refWalker struct {
	called, fragments []string
	dynamic           bool
}

func (w *refWalker) node(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				w.node(c)
			}
		}
	case *parse.ActionNode:
		w.node(n.Pipe)
	case *parse.IfNode:
		w.branch(&n.BranchNode)
	case *parse.RangeNode:
		w.branch(&n.BranchNode)
	case *parse.WithNode:
		w.branch(&n.BranchNode)
	case *parse.TemplateNode:
		w.called = append(w.called, n.Name)
		w.node(n.Pipe)
	case *parse.PipeNode:
		if n != nil {
			for _, c := range n.Cmds {
				w.command(c)
			}
		}
	case *parse.ChainNode:
		w.node(n.Node)
	}
}

func (w *refWalker) branch(b *parse.BranchNode) {
	w.node(b.Pipe)
	w.node(b.List)
	w.node(b.ElseList)
}

// command notes the template a call of cached, cachedArticle or
// cachedTerm renders, and walks the command's arguments.
func (w *refWalker) command(c *parse.CommandNode) {
	if fn, ok := c.Args[0].(*parse.IdentifierNode); ok {
		switch fn.Ident {
		case "cached", "cachedArticle", "cachedTerm":
			if name, ok := argAt(c, 1).(*parse.StringNode); ok {
				w.fragments = append(w.fragments, name.Text)
			} else {
				w.dynamic = true
			}
		}
	}
	for _, a := range c.Args {
		w.node(a)
	}
}

// argAt returns the i-th word of c, or nil.
func argAt(c *parse.CommandNode, i int) parse.Node {
	if i < len(c.Args) {
		return c.Args[i]
	}
	return nil
}

// pageFile is a page template's file, read again when an error needs a
// line.
type pageFile struct {
	fsys fs.FS
	name string // e.g. "article.html"
	edit func([]byte) ([]byte, error)
	text *string
}

// defines returns the templates the file defines with {{define}} or
// {{block}}, parsed into t.
func (f *pageFile) defines(t *template.Template) []*template.Template {
	var defs []*template.Template
	for _, d := range t.Templates() {
		if d.Tree != nil && d.Tree.ParseName == f.name && d.Tree.Name != f.name {
			defs = append(defs, d)
		}
	}
	slices.SortFunc(defs, func(a, b *template.Template) int { return int(a.Tree.Root.Pos - b.Tree.Root.Pos) })
	return defs
}

// defineAction matches the start of a {{define "name"}} or {{block "name"}}.
var defineAction = regexp.MustCompile("\\{\\{-?\\s*(?:define|block)\\s+(\"(?:[^\"\\\\\\n]|\\\\.)*\"|`[^`]*`)")

// source returns the file's text, as it was parsed.
func (f *pageFile) source() string {
	if f.text == nil {
		src, err := fs.ReadFile(f.fsys, Dir+"/"+f.name)
		if err == nil && f.edit != nil {
			src, err = f.edit(src)
		}
		text := string(src)
		if err != nil {
			text = ""
		}
		f.text = &text
	}
	return *f.text
}

// findDefine returns the offset of the last {{define}} or {{block}} of
// name that starts before end, or -1.
func (f *pageFile) findDefine(name string, end int) int {
	text := f.source()
	at := -1
	for _, m := range defineAction.FindAllStringSubmatchIndex(text, -1) {
		if m[0] >= end {
			break
		}
		if s, err := strconv.Unquote(text[m[2]:m[3]]); err == nil && s == name {
			at = m[0]
		}
	}
	return at
}

// definePos places the {{define}} of name whose body starts at offset
// body; at the top of the file if it cannot be found.
func (f *pageFile) definePos(name string, body int) diag.Pos {
	return f.pos(f.findDefine(name, body))
}

// pos turns an offset of the file into a position; -1 is the top.
func (f *pageFile) pos(off int) diag.Pos {
	if off < 0 {
		return diag.Pos{File: Dir + "/" + f.name, Line: 1, Col: 1}
	}
	before := f.source()[:off]
	line := 1 + strings.Count(before, "\n")
	col := 1 + off - (strings.LastIndexByte(before, '\n') + 1)
	return diag.Pos{File: Dir + "/" + f.name, Line: line, Col: col}
}

// emptyMain is the error for a page template parsed into t whose pages
// would have an empty main block: it defines an empty one, or none, with
// or without content outside {{define}}.
func (f *pageFile) emptyMain(t *template.Template) *diag.Error {
	const fix = `{{define "main"}}…{{end}}`
	if at := f.findDefine(mainBlock, len(f.source())); at >= 0 {
		return diag.Errorf(f.pos(at), "defines an empty %q block, so every page it makes would have an empty main (fill it: %s)", mainBlock, fix)
	}
	if !isEmpty(t.Lookup(f.name)) {
		return diag.Errorf(f.pos(-1), "has no %q block, so its text outside {{define}} is never shown and every page it makes would have an empty main (wrap the page's content in %s)", mainBlock, fix)
	}
	return diag.Errorf(f.pos(-1), "defines no %q block, so every page it makes would have an empty main (define it: %s)", mainBlock, fix)
}
