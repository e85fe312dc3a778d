package content

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// gfm is goldmark's GitHub Flavored Markdown (extension.GFM) with the
// autolink parser behind quickLinkify: the same output, found sooner.
func gfm() []goldmark.Extender {
	return []goldmark.Extender{linkify{}, extension.Table, extension.Strikethrough, extension.TaskList}
}

// linkify adds goldmark's autolink parser (extension.Linkify) wrapped in
// quickLinkify, at the priority extension.Linkify gives it.
type linkify struct{}

func (linkify) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(
		util.Prioritized(quickLinkify{extension.NewLinkifyParser()}, 999)))
}

// quickLinkify turns away, before goldmark's autolink parser looks, the
// places where that parser cannot find a link. It is asked at every space
// of every paragraph, and almost every word is no link: it then looks at
// the word's first byte, and at most at the run of bytes an e-mail
// address's local part may hold, where goldmark's parser tests four
// prefixes and then that run. Where a link may start it hands over, so
// the result is goldmark's own (TestQuickLinkifyMatchesGoldmark and
// FuzzQuickLinkify compare the two).
type quickLinkify struct{ parser.InlineParser }

func (q quickLinkify) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if len(line) > 0 {
		switch line[0] {
		case ' ', '*', '_', '~', '(':
			// The trigger, which goldmark's parser steps over.
			line = line[1:]
		}
	}
	if !mayLink(line) {
		return nil
	}
	return q.InlineParser.Parse(parent, block, pc)
}

// mayLink reports whether goldmark's autolink parser, with its default
// options, could find a link at the start of line: a URL starts with
// "http:", "https:", "ftp:" or "www.", and an e-mail address with at most
// 64 local-part bytes and an @ (util.FindEmailIndex).
func mayLink(line []byte) bool {
	if len(line) == 0 {
		return false
	}
	switch line[0] {
	case 'h', 'f', 'w':
		return true
	}
	if util.IsPunct(line[0]) {
		return false
	}
	i, lim := 0, min(len(line), 64)
	for i < lim && emailLocal[line[i]] {
		i++
	}
	return i > 0 && i < len(line) && line[i] == '@'
}

// emailLocal tells the bytes util.FindEmailIndex takes into an e-mail
// address's local part, read off that function so the two cannot differ.
var emailLocal = func() (t [256]bool) {
	for c := range t {
		t[c] = util.FindEmailIndex([]byte{byte(c), '@', 'a', '.', 'b'}) > 0
	}
	return t
}()
