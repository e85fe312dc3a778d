package clean

import (
	"regexp"
	"strings"
)

// LostSpaces finds words that a lost space ran together, which copying
// from the web often leaves: "removethe" (an English function word stuck
// to a word the text uses elsewhere), "stormThe" (a capital inside a
// word, where a line break was) and "port.The" (a sentence with no space
// after its full stop). It never changes the text: a word can only be told
// apart from two with a dictionary, and digest has none, so it reports
// only what it can tell and leaves the rest to the editor. Run-together
// function words are looked for in English text only (text with "the" in
// it three times or more).
func LostSpaces(text string) []Finding {
	vocab := map[string]int{}
	for _, w := range wordRE.FindAllString(text, -1) {
		vocab[strings.ToLower(w)]++
	}
	english := vocab["the"] >= 3
	var out []Finding
	for _, m := range tokenRE.FindAllStringIndex(text, -1) {
		tok := text[m[0]:m[1]]
		if strings.ContainsAny(tok, "/@:_=#\\<>[]()|`") || strings.Contains(tok, "..") {
			continue // URLs, e-mail addresses, code, Markdown
		}
		core := strings.TrimRight(strings.TrimLeft(tok, `"'“‘(*`), `"'”’),;:!?.*`)
		if fix, ok := splitGlued(core, vocab, english); ok {
			start := m[0] + strings.Index(tok, core)
			out = append(out, Finding{Rule: RuleLostSpace, Start: start, End: start + len(core), Text: core, Fix: fix})
		}
	}
	return out
}

var (
	wordRE    = regexp.MustCompile(`\p{L}+`)
	tokenRE   = regexp.MustCompile(`\S+`)
	camelGlue = regexp.MustCompile(`^(\p{Ll}{3,})(\p{Lu}\p{Ll}{2,})$`)
	stopGlue  = regexp.MustCompile(`^(\p{Ll}{2,})([.!?])(\p{Lu}\p{Ll}+)$`)
	lowerWord = regexp.MustCompile(`^[a-z]{6,}$`)
)

// glueEnds are English words that end a run-together pair; gluePrefixes
// start one. Each was chosen because few English words end (or start)
// with it while the rest is a word too.
var (
	glueEnds     = []string{"the", "and", "was", "were", "that", "this", "from", "have"}
	gluePrefixes = []string{"the", "and", "that", "this", "from"}
	// realWords end or start with a glue word and are words all the same.
	realWords = map[string]bool{
		"seethe": true, "teethe": true, "errand": true, "poland": true, "zealand": true,
		"therapist": true, "therapists": true, "therein": true, "thereon": true, "thereof": true,
		"theretofore": true, "fromage": true, "andiron": true, "thereupon": true,
	}
)

// splitGlued reports whether word looks like two words run together, and
// how it should read.
func splitGlued(word string, vocab map[string]int, english bool) (string, bool) {
	if m := camelGlue.FindStringSubmatch(word); m != nil {
		return m[1] + " " + m[2], true
	}
	if m := stopGlue.FindStringSubmatch(word); m != nil {
		return m[1] + m[2] + " " + m[3], true
	}
	low := strings.ToLower(word)
	if !english || !lowerWord.MatchString(word) || realWords[low] || vocab[low] > 1 {
		return "", false
	}
	for _, end := range glueEnds {
		first, ok := strings.CutSuffix(low, end)
		if !ok || len(first) < 3 {
			continue
		}
		// few English words end in "the" after five letters or more
		// ("absinthe" is known); other pairs need the first word seen alone
		if vocab[first] > 0 || end == "the" && len(first) >= 5 {
			return first + " " + end, true
		}
	}
	for _, start := range gluePrefixes {
		if rest, ok := strings.CutPrefix(low, start); ok && len(rest) >= 3 && vocab[rest] > 0 {
			return start + " " + rest, true
		}
	}
	return "", false
}
