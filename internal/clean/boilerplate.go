package clean

import (
	"regexp"
	"strings"
)

// Boilerplate removes from Markdown the blocks a web page wraps around its
// story: audio players' lines ("Audio By Carbonatix", "Listen to this
// article"), share and follow buttons, cookie notices, "Advertisement",
// lines that are only a relative time ("4 hours"), and lists of other
// stories under a heading such as "Latest Stories", "Related", "More from
// …" or "Most read", or whose items carry relative times. It returns the
// text without them and what it removed (offsets in md). Fenced code is
// never touched.
func Boilerplate(md string) (string, []Finding) {
	blocks := splitBlocks(md)
	drop := make([]bool, len(blocks))
	for i := 0; i < len(blocks); i++ {
		b := blocks[i]
		switch {
		case b.code:
		case isNoise(b.plain):
			drop[i] = true
		case isStoryListHeading(b) && (i+1 == len(blocks) || isStoryListItem(blocks[i+1])):
			drop[i] = true
			for j := i + 1; j < len(blocks) && isStoryListItem(blocks[j]); j++ {
				drop[j] = true
				i = j
			}
		case isTimedList(b):
			drop[i] = true
		}
	}
	var out strings.Builder
	var removed []Finding
	for i, b := range blocks {
		if drop[i] {
			removed = append(removed, Finding{Rule: RuleBoilerplate, Start: b.start, End: b.end, Text: shorten(b.plain, 60)})
			continue
		}
		out.WriteString(md[b.start:b.end])
		out.WriteString("\n\n")
	}
	if len(removed) == 0 {
		return md, nil
	}
	return out.String(), removed
}

// block is a run of non-blank lines of Markdown.
type block struct {
	start, end int    // byte offsets in the text
	text       string // as written
	plain      string // without Markdown marks, one line
	lines      []string
	code       bool // a fenced code block
	heading    bool // an ATX heading, or a short line in bold
	list       bool // every line a list item or its continuation
}

// splitBlocks cuts md at blank lines, keeping fenced code blocks whole.
func splitBlocks(md string) []block {
	var out []block
	start, inFence := -1, ""
	pos := 0
	end := 0
	flush := func() {
		if start >= 0 {
			out = append(out, newBlock(md, start, end))
			start = -1
		}
	}
	for pos <= len(md) {
		nl := strings.IndexByte(md[pos:], '\n')
		lineEnd := len(md)
		if nl >= 0 {
			lineEnd = pos + nl
		}
		line := md[pos:lineEnd]
		trimmed := strings.TrimSpace(line)
		switch {
		case inFence != "":
			end = lineEnd
			if strings.HasPrefix(trimmed, inFence) {
				inFence = ""
			}
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			if start < 0 {
				start = pos
			}
			inFence, end = trimmed[:3], lineEnd
		case trimmed == "":
			flush()
		default:
			if start < 0 {
				start = pos
			}
			end = lineEnd
		}
		if nl < 0 {
			break
		}
		pos = lineEnd + 1
	}
	flush()
	return out
}

var (
	listMark   = regexp.MustCompile(`^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+`)
	linkText   = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	emphasis   = regexp.MustCompile(`[*_~` + "`" + `]+`)
	headingATX = regexp.MustCompile(`^#{1,6}\s+`)
)

func newBlock(md string, start, end int) block {
	b := block{start: start, end: end, text: md[start:end]}
	b.lines = strings.Split(b.text, "\n")
	first := strings.TrimSpace(b.lines[0])
	b.code = strings.HasPrefix(first, "```") || strings.HasPrefix(first, "~~~")
	b.heading = headingATX.MatchString(first) || (len(b.lines) == 1 && strings.HasPrefix(first, "**") && strings.HasSuffix(first, "**"))
	b.list = listMark.MatchString(b.lines[0])
	var plain []string
	for _, l := range b.lines {
		l = headingATX.ReplaceAllString(strings.TrimSpace(l), "")
		l = listMark.ReplaceAllString(l, "")
		l = strings.TrimLeft(l, "> ")
		l = linkText.ReplaceAllString(l, "$1")
		plain = append(plain, strings.TrimSpace(emphasis.ReplaceAllString(l, "")))
	}
	b.plain = strings.Join(strings.Fields(strings.Join(plain, " ")), " ")
	return b
}

// noise matches a short block that is a page's furniture, not its story.
var noise = regexp.MustCompile(`(?i)^(?:` + strings.Join([]string{
	`audio(?: by| player)\b.*`,
	`listen(?: now)?(?: to)? (?:this|the) (?:article|story)\b.*`,
	`listen\s*[·|:-]?\s*\d+:\d\d(?:\s*min)?`,
	`your browser does not support the (?:audio|video) (?:element|tag)\.?`,
	`(?:play|pause) (?:audio|video)`,
	`share(?: this(?: article| story| page)?)?(?: on| via)?\s*[:|]?\s*(?:(?:facebook|twitter|x|linkedin|whatsapp|e-?mail|print|copy link|reddit|telegram|pinterest|bluesky|threads|mastodon)[\s,|·•/]*)*`,
	`(?:(?:facebook|twitter|x|linkedin|whatsapp|e-?mail|print|copy link|reddit|telegram|pinterest|bluesky|threads|mastodon)[\s,|·•/]*){2,}`,
	`follow us on\b.{0,80}`,
	`(?:skip )?advertisement`,
	`(?:sponsored|ad)\s*(?:content)?`,
	`.{0,120}\b(?:we|this (?:site|website)) uses? cookies\b.{0,240}`,
	`(?:accept|reject|manage)(?: all)? cookies?(?: settings| preferences)?\b.{0,80}`,
	`(?:sign up|subscribe) (?:for|to) (?:our|the) (?:free )?(?:daily )?newsletters?\b.{0,80}`,
	`(?:updated|published|posted)?:?\s*\d{1,3}\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)(?: ago)?`,
}, "|") + `)$`)

// isNoise reports whether a block's text is page furniture.
func isNoise(plain string) bool {
	return plain != "" && len(plain) <= 400 && noise.MatchString(plain)
}

// storyListHeading matches the heading of a list of other stories.
var storyListHeading = regexp.MustCompile(`(?i)^(?:latest|related|more|top|trending|popular|recommended|most (?:read|popular|viewed|shared)|you (?:may|might) (?:also )?like|read (?:more|next)|also read|editor'?s picks|in other news|more (?:from|on) .{1,40})(?: (?:stories|news|articles|headlines|posts|reads|content|coverage|videos))?(?: (?:from|on|in) .{1,40})?:?$`)

func isStoryListHeading(b block) bool {
	return len(b.plain) <= 60 && len(b.lines) <= 1 && storyListHeading.MatchString(b.plain)
}

// isStoryListItem reports whether a block after a story-list heading is
// part of the list: list items, links, short lines and times, not a
// paragraph of prose.
func isStoryListItem(b block) bool {
	if b.code || b.heading && !storyListHeading.MatchString(b.plain) {
		return false
	}
	if b.list || isNoise(b.plain) || IsRelativeTime(b.plain) {
		return true
	}
	return len(b.plain) <= 100 && !strings.ContainsAny(b.plain[len(b.plain)-1:], ".!?:;\"'”’…")
}

// timedItem matches a list item that ends in a relative time, as lists of
// the latest stories show them ("Port reopens 4 hours ago").
var timedItem = regexp.MustCompile(`(?i)\b\d{1,3}\s*(?:seconds?|secs?|minutes?|mins?|m|hours?|hrs?|h|days?|d)(?:\s+ago)?\s*$`)

// isTimedList reports whether a list's items mostly end in relative times.
func isTimedList(b block) bool {
	if !b.list || len(b.lines) < 2 {
		return false
	}
	timed := 0
	for _, l := range b.lines {
		if timedItem.MatchString(strings.TrimSpace(linkText.ReplaceAllString(l, "$1"))) {
			timed++
		}
	}
	return timed*2 >= len(b.lines)
}
