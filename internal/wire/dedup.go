package wire

import (
	"strings"
	"unicode"
)

// sameStory reports whether two items are one story: the same URL key
// (the canonical URL, tracking removed), or headlines that are near
// duplicates on the same day.
func sameStory(keyA, titleA, dayA, keyB, titleB, dayB string) bool {
	if keyA != "url " && keyA == keyB {
		return true
	}
	return dayA == dayB && nearDuplicate(titleA, titleB)
}

// nearDuplicate reports whether two headlines say the same: their words,
// less the small ones and a plural's s, overlap by at least 60% (Jaccard),
// or the shorter's at least three words are 80% in the longer. "Floods
// close river port" and "Floods close the river port, officials say" are
// one story; "Council votes on budget" and "Council approves budget" are
// not (they may be, but digest does not guess).
func nearDuplicate(a, b string) bool {
	wa, wb := headlineWords(a), headlineWords(b)
	if len(wa) == 0 || len(wb) == 0 {
		return false
	}
	inter := 0
	for w := range wa {
		if wb[w] {
			inter++
		}
	}
	union := len(wa) + len(wb) - inter
	small := min(len(wa), len(wb))
	if small < 3 {
		return inter == len(wa) && inter == len(wb)
	}
	return float64(inter) >= 0.6*float64(union) || inter >= 3 && float64(inter) >= 0.8*float64(small)
}

var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "to": true, "in": true, "on": true, "at": true, "for": true,
	"and": true, "or": true, "but": true, "by": true, "with": true, "from": true, "as": true, "is": true,
	"are": true, "was": true, "be": true, "its": true, "it": true, "after": true, "over": true, "says": true,
	"say": true, "said": true, "new": true,
}

func headlineWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if stopWords[w] {
			continue
		}
		if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			w = w[:len(w)-1]
		}
		out[w] = true
	}
	return out
}

// hasWord reports whether text holds a keyword or phrase as whole words,
// in any case.
func hasWord(text, keyword string) bool {
	text, keyword = strings.ToLower(text), strings.ToLower(strings.TrimSpace(keyword))
	if keyword == "" {
		return false
	}
	for i := 0; ; {
		j := strings.Index(text[i:], keyword)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(keyword)
		if boundary(text, start-1) && boundary(text, end) {
			return true
		}
		i = start + 1
	}
}

func boundary(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return true
	}
	r := rune(s[i])
	if r >= 0x80 {
		return false
	}
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}
