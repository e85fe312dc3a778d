package shortcode

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Options say how to convert a text.
type Options struct {
	Dialect Dialect
	// BasePath is the new site's base_url path without its final slash:
	// "" for a site at the root, "/news" for one under /news/. It stands
	// for Liquid's site.baseurl and goes in front of links to posts.
	BasePath string
	// SiteURL is the site's scheme and host (https://example.org), for
	// Liquid's site.url; "" when unknown (Jekyll then shows nothing too).
	SiteURL string
	// Link finds the post a link names and returns its new site-relative
	// URL (without BasePath, with the #fragment of target if any). kind
	// is "ref" or "relref" (Hugo), "post_url" or "link" (Jekyll), or "@"
	// (Zola's [text](@/path.md) links). Nil: no links are converted.
	Link func(kind, target string) (url string, ok bool)
}

// Issue is a tag left as written, or converted with a caveat.
type Issue struct {
	Offset    int    // where it stands in Result.Text
	Line, Col int    // the same as a line and column (in characters) of Result.Text, from 1
	Tag       string // the tag as written, on one line, shortened
	Name      string // the tag or shortcode name
	Msg       string // why it was left, or what to check
	Converted bool   // converted, but a person should check the result
}

// Result is a converted text.
type Result struct {
	Text      string
	Converted map[string]int // tags converted, by name
	Issues    []Issue        // in the order of Text
	// Literal: Text holds tags that were not tags of the input (text
	// unwrapped from {% raw %} or an escaped shortcode, or a tag formed
	// where converted text met the text around it), which a second
	// conversion would convert. Otherwise converting Text again changes
	// nothing.
	Literal bool
}

// What becomes what, in every dialect unless named:
//
//	figure, image, img         ![alt](src) and the caption in italics below it, linked if link= is set
//	youtube, vimeo             a link to the video ("▶ Title (YouTube)"): nothing loads until clicked
//	gist, tweet, x, instagram  a link to the gist or post
//	highlight … /highlight     a fenced code block in the language named
//	ref, relref (Hugo)         the new URL of the post named
//	post_url, link (Jekyll)    the new URL of the post named
//	[text](@/path.md) (Zola)   a link to the post's new URL
//	{{ site.baseurl }}         the base path; site.url the site's address; the
//	                           filters relative_url, absolute_url, url (Eleventy),
//	                           prepend and append on them or on quoted text
//	{% raw %}…{% endraw %}     the text inside, as written
//	{{</* x */>}}, {{/* x() */}}  the tag shown, unescaped
//	comment … /comment         nothing
//
// Everything else is left as written and listed in Result.Issues.

// maxDepth bounds how deep highlight blocks nest inside each other.
const maxDepth = 16

// Convert converts the tags of text.
func Convert(text string, opt Options) Result {
	c := newConverter(opt)
	c.convert(text, 0)
	res := c.result()
	res.Literal = res.Literal || !settled(res, opt.Dialect)
	return res
}

type converter struct {
	opt       Options
	out       strings.Builder
	converted map[string]int
	issues    []Issue
	literal   bool
}

func newConverter(opt Options) *converter {
	return &converter{opt: opt, converted: map[string]int{}}
}

func (c *converter) result() Result {
	res := Result{Text: c.out.String(), Converted: c.converted, Issues: c.issues, Literal: c.literal}
	locate(res.Text, res.Issues)
	return res
}

// convert writes text, converted, to c.out.
func (c *converter) convert(text string, depth int) {
	tags := Scan(text, c.opt.Dialect)
	pairs := pair(tags)
	pos, baseEnd := 0, -1
	for i := 0; i < len(tags); i++ {
		t := tags[i]
		c.plain(text[pos:t.Start])
		pos = t.End
		if j, ok := pairs[i]; ok && block(t.Name) {
			c.block(text, t, tags[j], depth)
			i, pos = j, tags[j].End
			continue
		}
		rep, note, ok := c.tag(t, t.Start == baseEnd)
		if !ok {
			c.leave(t, text, note)
			continue
		}
		if rep == "" && strings.HasSuffix(c.out.String(), "{") {
			c.literal = true
		}
		if note != "" {
			c.issues = append(c.issues, Issue{Offset: c.out.Len(), Tag: shorten(text[t.Start:t.End]), Name: t.Name, Msg: note, Converted: true})
		}
		c.out.WriteString(rep)
		c.converted[countName(t)]++
		if t.Kind == Output && t.Args == "site.baseurl" {
			baseEnd = t.End
		}
	}
	c.plain(text[pos:])
}

// leave writes a tag as it was and lists it.
func (c *converter) leave(t Tag, text, why string) {
	if why == "" {
		why = leftMessage(t, c.opt.Dialect)
	}
	name := t.Name
	if t.Kind == Output {
		name = exprName(t.Args)
	}
	c.issues = append(c.issues, Issue{Offset: c.out.Len(), Tag: shorten(text[t.Start:t.End]), Name: name, Msg: why})
	c.out.WriteString(text[t.Start:t.End])
}

// countName is the name a converted tag is counted under.
func countName(t Tag) string {
	switch t.Kind {
	case Output:
		if t.Name == "" {
			return exprName(t.Args)
		}
	case Escaped:
		return "escaped shortcode"
	}
	return t.Name
}

// block reports whether tags of this name enclose text that they convert.
func block(name string) bool {
	return name == "highlight" || name == "raw" || name == "comment"
}

// pair matches each Open tag with its Close tag: the nearest one of the
// same name (Tera's {% end %} closes whatever is open) not taken by a
// tag opened later.
func pair(tags []Tag) map[int]int {
	pairs := map[int]int{}
	open := map[string][]int{}
	var stack []int // every open tag, for Tera's nameless end
	for i, t := range tags {
		switch t.Kind {
		case Open:
			open[t.Name] = append(open[t.Name], i)
			stack = append(stack, i)
		case Close:
			k := -1
			if t.Name == "" {
				for len(stack) > 0 && k < 0 {
					if s := stack[len(stack)-1]; !taken(pairs, s) {
						k = s
					}
					stack = stack[:len(stack)-1]
				}
			} else if l := open[t.Name]; len(l) > 0 {
				k = l[len(l)-1]
				open[t.Name] = l[:len(l)-1]
			}
			if k >= 0 && !taken(pairs, k) {
				pairs[k] = i
			}
		}
	}
	return pairs
}

func taken(pairs map[int]int, i int) bool {
	_, ok := pairs[i]
	return ok
}

// block converts a highlight, raw or comment block from its opening tag
// to its closing one.
func (c *converter) block(text string, open, close Tag, depth int) {
	inner := text[open.End:close.Start]
	switch open.Name {
	case "raw":
		c.out.WriteString(inner)
		c.literal = true
	case "comment":
		if strings.HasSuffix(c.out.String(), "{") {
			c.literal = true
		}
	case "highlight":
		if depth >= maxDepth {
			c.leave(open, text, "highlight blocks nested too deep: not converted")
			c.plain(inner)
			c.leave(close, text, "")
			return
		}
		c.highlight(text, open, close, depth)
	}
	c.converted[open.Name]++
}

// highlight writes a fenced code block: the language from the opening
// tag, and the text between the tags, converted.
func (c *converter) highlight(text string, open, close Tag, depth int) {
	sub := newConverter(c.opt)
	sub.convert(text[open.End:close.Start], depth+1)
	code := sub.out.String()
	trimmed := 0
	for _, nl := range []string{"\r\n", "\n"} {
		if strings.HasPrefix(code, nl) {
			code, trimmed = code[len(nl):], len(nl)
			break
		}
	}
	code = strings.TrimRight(code, " \t\r\n")
	fence := strings.Repeat("`", max(3, longestRun(code, '`')+1))
	var b strings.Builder
	if s := c.out.String(); s != "" && !strings.HasSuffix(s, "\n") {
		b.WriteByte('\n')
	}
	b.WriteString(fence + fenceLang(parseArgs(open.Args, c.opt.Dialect)) + "\n")
	shift := c.out.Len() + b.Len() - trimmed
	for _, is := range sub.issues {
		is.Offset = min(max(is.Offset+shift, c.out.Len()), c.out.Len()+b.Len()+len(code))
		c.issues = append(c.issues, is)
	}
	for k, n := range sub.converted {
		c.converted[k] += n
	}
	c.literal = c.literal || sub.literal
	b.WriteString(code + "\n" + fence)
	if rest := text[close.End:]; rest != "" && !strings.HasPrefix(rest, "\n") && !strings.HasPrefix(rest, "\r\n") {
		b.WriteByte('\n')
	}
	c.out.WriteString(b.String())
}

// fenceLang picks the language of a highlight tag: its first value, or
// lang=, reduced to the characters a fence's info string may hold.
func fenceLang(a args) string {
	lang := a.get("lang", 0)
	end := strings.IndexFunc(lang, func(r rune) bool {
		return !(isWordRune(r) || strings.ContainsRune("+#.-", r))
	})
	if end >= 0 {
		lang = lang[:end]
	}
	return lang
}

func isWordRune(r rune) bool { return r < utf8.RuneSelf && isWordByte(byte(r)) }

func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// tag converts one tag that is not a block. afterBase says it follows a
// converted {{ site.baseurl }} at once, so a link it makes must not repeat
// the base path.
func (c *converter) tag(t Tag, afterBase bool) (rep, note string, ok bool) {
	switch t.Kind {
	case Escaped:
		c.literal = true
		return t.Args, "", true
	case Close:
		return "", "", false
	case Output:
		if c.opt.Dialect == Liquid {
			rep, ok := c.expr(t.Args)
			return rep, "", ok
		}
	}
	if t.Name == "comment" && t.Kind == Single {
		return "", "", true
	}
	a := parseArgs(t.Args, c.opt.Dialect)
	switch t.Name {
	case "figure", "image", "img":
		return figure(a)
	case "youtube":
		rep, ok := youtube(a)
		return rep, "", ok
	case "vimeo":
		rep, ok := vimeo(a)
		return rep, "", ok
	case "gist":
		rep, ok := gist(a)
		return rep, "", ok
	case "tweet", "x", "twitter":
		rep, ok := tweet(a)
		return rep, "", ok
	case "instagram":
		rep, ok := instagram(a)
		return rep, "", ok
	case "ref", "relref", "post_url", "link":
		return c.link(t.Name, a.get("path", 0), afterBase)
	}
	return "", "", false
}

// link resolves a link to another post.
func (c *converter) link(kind, target string, afterBase bool) (rep, note string, ok bool) {
	if c.opt.Link == nil || target == "" {
		return "", "", false
	}
	u, ok := c.opt.Link(kind, target)
	if !ok {
		return "", "no imported post matches " + quote(target) + ": link by hand", false
	}
	if !afterBase {
		u = c.opt.BasePath + u
	}
	return safeURL(u), "", true
}

// plain writes text between tags: in Tera, Zola's internal links
// [text](@/path.md) become links to the new URL.
func (c *converter) plain(s string) {
	if c.opt.Dialect != Tera || c.opt.Link == nil || !strings.Contains(s, "(@/") && !strings.Contains(s, ": @/") {
		c.out.WriteString(s)
		return
	}
	for {
		i := atLink(s)
		if i < 0 {
			break
		}
		c.out.WriteString(s[:i])
		end := len(s)
		if k := strings.IndexAny(s[i:], ") \t\r\n\""); k >= 0 {
			end = i + k
		}
		c.zolaLink(s[i:end])
		s = s[end:]
	}
	c.out.WriteString(s)
}

// zolaLink writes the new URL of the post an @/ link names.
func (c *converter) zolaLink(dest string) {
	target := dest[2:]
	if u, ok := c.opt.Link("@", target); ok {
		c.out.WriteString(safeURL(c.opt.BasePath + u))
		c.converted["@/ link"]++
		return
	}
	c.issues = append(c.issues, Issue{Offset: c.out.Len(), Tag: shorten(dest), Name: "@/ link", Msg: "no imported post matches " + quote(target) + ": link by hand"})
	c.out.WriteString(dest)
}

// atLink finds the first "@/" that starts a link destination: right after
// "](" or a reference definition's "]: ".
func atLink(s string) int {
	for i := 0; ; {
		k := strings.Index(s[i:], "@/")
		if k < 0 {
			return -1
		}
		i += k
		if strings.HasSuffix(s[:i], "](") || strings.HasSuffix(s[:i], "]: ") {
			return i
		}
		i += 2
	}
}

// leftMessage says why a tag was not converted and what to do.
func leftMessage(t Tag, d Dialect) string {
	switch {
	case t.Kind == Close:
		return "closing tag left as written: rewrite the block in Markdown"
	case t.Kind == Output && d == Liquid:
		return "Liquid output not converted: write out its value"
	case d != Liquid:
		return "shortcode " + quote(t.Name) + " not converted: rewrite it in Markdown"
	}
	switch t.Name {
	case "include", "include_relative", "render":
		return "Liquid " + t.Name + " not converted: copy what it shows into the article, in Markdown"
	case "if", "unless", "for", "case", "when", "else", "elsif", "assign", "capture", "cycle", "tablerow", "increment", "decrement":
		return "Liquid " + t.Name + " not converted: write out the result"
	}
	return "Liquid tag " + quote(t.Name) + " not converted: rewrite it in Markdown"
}

func quote(s string) string { return `"` + s + `"` }

// shorten gives a tag as written on one line, at most 80 characters.
func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= 80 {
		return s
	}
	r := []rune(s)
	return string(r[:79]) + "…"
}

// locate sets the line and column of every issue from its offset.
func locate(text string, issues []Issue) {
	slices.SortStableFunc(issues, func(a, b Issue) int { return a.Offset - b.Offset })
	var p position
	for i := range issues {
		issues[i].Line, issues[i].Col = p.at(text, min(issues[i].Offset, len(text)))
	}
}

// settled reports whether the tags in the converted text are exactly
// those left as written, so that converting it again changes nothing.
func settled(res Result, d Dialect) bool {
	var left []int
	for _, is := range res.Issues {
		if !is.Converted && is.Name != "@/ link" {
			left = append(left, is.Offset)
		}
	}
	tags := Scan(res.Text, d)
	if len(tags) != len(left) {
		return false
	}
	for i, t := range tags {
		if t.Start != left[i] {
			return false
		}
	}
	return true
}
