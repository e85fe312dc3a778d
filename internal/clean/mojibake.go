package clean

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Mojibake repairs UTF-8 text that was decoded as Windows-1252 or Latin-1
// on its way here, once or more: "Itâ€™s" becomes "It’s", "cafÃ©" "café",
// "ä¸­æ–‡" "中文", "ðŸ˜€" "😀", and the "Â" left before a space where a
// no-break space was ("10Â km") is dropped.
//
// It works on the byte patterns such double decoding leaves: a character
// that stands for a UTF-8 lead byte (Â…ô) followed by the right number of
// characters that stand for continuation bytes, which together decode to
// one plausible character. Right text in any language almost never holds
// such a run with strong evidence in it: a character only Windows-1252's
// 0x80–0x9F range gives (€, ’, “, –, ™, …) or a run led by Â or Ã. Runs
// that right text can hold (a French "été »" with its no-break space, a
// German "Gruß«", a "3×²") are repaired only beside strong evidence, or,
// for some, in a text that is surely double-decoded elsewhere (see
// clusters). Text that is right is returned unchanged: the tests hold
// sentences in some thirty languages and scripts to that.
func Mojibake(s string) string {
	// Text double-decoded more than once takes a pass per layer. Passes go
	// on until one changes nothing: a pass that changes the text shortens
	// it, so a text of n bytes settles within n passes. Their number is
	// bounded so that the work stays linear in the text: at least three,
	// and as many more as about a megabyte of scanning allows (every text
	// of up to a thousand bytes settles, and real text takes two or three).
	for range max(3, repairBudget/(len(s)+1)) {
		fixed := repairOnce(s)
		if fixed == s {
			break
		}
		s = fixed
	}
	return s
}

// repairBudget is about how many bytes Mojibake scans at most, beyond
// three passes.
const repairBudget = 1 << 20

// FindMojibake reports each run of mojibake in s with its repair.
func FindMojibake(s string) []Finding {
	var out []Finding
	for _, c := range clusters(s) {
		out = append(out, Finding{Rule: RuleMojibake, Start: c.start, End: c.end, Text: s[c.start:c.end], Fix: Mojibake(c.fix)})
	}
	for _, i := range strayCircumflexes(s) {
		out = append(out, Finding{Rule: RuleMojibake, Start: i, End: i + len("Â"), Text: s[i : i+len("Â ")], Fix: " "})
	}
	return out
}

func repairOnce(s string) string {
	cs := clusters(s)
	strays := strayCircumflexes(s)
	if len(cs) == 0 && len(strays) == 0 {
		return s
	}
	var b strings.Builder
	last, next := 0, 0 // next: the first stray not yet passed
	copyTo := func(to int) {
		for ; next < len(strays) && strays[next] < to; next++ {
			if strays[next] >= last {
				b.WriteString(s[last:strays[next]])
				last = strays[next] + len("Â")
			}
		}
		b.WriteString(s[last:to])
	}
	for _, c := range cs {
		copyTo(c.start)
		b.WriteString(c.fix)
		last = c.end
	}
	copyTo(len(s))
	return b.String()
}

// cluster is a run of adjacent mojibake sequences that will be repaired
// together.
type cluster struct {
	start, end int
	fix        string
}

// evidence is how surely a sequence is mojibake.
type evidence int

const (
	weak   evidence = iota // holds a no-break space, « », or a soft hyphen, which right text puts after letters
	medium                 // a symbol after a capital letter, such as "×²"
	strong                 // led by Â or Ã, or holding €, ‚, „, …, ‘, ’, “, ”, –, —, ™, Ÿ or a C1 control
)

// sequence is one character's mojibake: the text from start to end stands
// for the UTF-8 bytes of r.
type sequence struct {
	start, end int
	r          rune
	size       int // bytes of r in UTF-8
	evidence   evidence
}

// clusters finds the runs of adjacent sequences to repair: a run with a
// strong sequence in it; and, when the text holds such a run, so is surely
// double-decoded, every other run of two-byte sequences and of medium
// three- and four-byte ones whose characters are plausible there.
func clusters(s string) []cluster {
	var runs [][]sequence
	var run []sequence
	for i := 0; i < len(s); {
		q, ok := sequenceAt(s, i)
		if !ok {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			continue
		}
		if len(run) > 0 && run[len(run)-1].end != q.start {
			runs, run = append(runs, run), nil
		}
		run = append(run, q)
		i = q.end
	}
	if len(run) > 0 {
		runs = append(runs, run)
	}
	surely := false
	for _, r := range runs {
		surely = surely || hasStrong(r)
	}
	var out []cluster
	for _, r := range runs {
		if hasStrong(r) || surely && alsoInGarbledText(r) {
			var b strings.Builder
			for _, q := range r {
				b.WriteRune(q.r)
			}
			out = append(out, cluster{start: r[0].start, end: r[len(r)-1].end, fix: b.String()})
		}
	}
	return out
}

func hasStrong(run []sequence) bool {
	for _, q := range run {
		if q.evidence == strong {
			return true
		}
	}
	return false
}

// alsoInGarbledText reports whether a run without strong evidence is
// repaired in text that is surely double-decoded: its two-byte sequences
// must decode to a letter of a script past Latin (Greek, Cyrillic, Hebrew,
// Arabic, …: "Ð\u00a0" is Р), where right text has no such run; its longer
// ones must be medium evidence ("é\u00a0»" stays French).
func alsoInGarbledText(run []sequence) bool {
	for _, q := range run {
		switch {
		case q.size == 2 && q.evidence == weak && q.r < 0x370:
			return false
		case q.size > 2 && q.evidence == weak:
			return false
		}
	}
	return true
}

// sequenceAt reads a mojibake sequence starting at s[i], if there is one.
func sequenceAt(s string, i int) (sequence, bool) {
	r, size := utf8.DecodeRuneInString(s[i:])
	lead, ok := byteOf(r)
	if !ok || lead < 0xC2 || lead > 0xF4 {
		return sequence{}, false
	}
	n := 1
	switch {
	case lead >= 0xF0:
		n = 3
	case lead >= 0xE0:
		n = 2
	}
	buf := []byte{lead}
	j := i + size
	for range n {
		if j >= len(s) {
			return sequence{}, false
		}
		c, csize := utf8.DecodeRuneInString(s[j:])
		b, ok := byteOf(c)
		if !ok || b < 0x80 || b > 0xBF {
			return sequence{}, false
		}
		buf = append(buf, b)
		j += csize
	}
	dec, dsize := utf8.DecodeRune(buf)
	if dec == utf8.RuneError || dsize != len(buf) || !plausible(dec) {
		return sequence{}, false
	}
	return sequence{start: i, end: j, r: dec, size: len(buf), evidence: weigh(buf)}, true
}

// weigh says how surely a sequence's bytes are mojibake.
func weigh(buf []byte) evidence {
	if buf[0] == 0xC2 || buf[0] == 0xC3 { // Â or Ã before a symbol
		return strong
	}
	for _, b := range buf[1:] {
		if b < 0xA0 {
			return strong
		}
	}
	for _, b := range buf[1:] {
		switch b {
		case 0xA0, 0xAB, 0xBB, 0xAD:
			return weak
		}
	}
	return medium
}

// plausible reports whether a repaired character is one text holds.
func plausible(r rune) bool {
	switch {
	case r == utf8.RuneError:
		return false
	case r >= 0x80 && r <= 0x9F: // a C1 control: text garbled twice, repaired by the next pass
		return true
	case r == 0xA0 || r == 0xAD || r >= 0x200B && r <= 0x200F || r == 0x2060 || r == 0xFEFF:
		return true
	case r >= 0x250 && r <= 0x36F: // IPA, modifier letters, lone combining marks
		return false
	case unicode.In(r, unicode.Nko, unicode.Samaritan, unicode.Mandaic, unicode.Syriac, unicode.Thaana):
		return false // scripts two Latin-1 characters decode to by chance
	}
	return unicode.IsGraphic(r)
}

// byteOf maps a character back to the byte Windows-1252 (or Latin-1, for
// the bytes Windows-1252 leaves undefined) decoded it from.
func byteOf(r rune) (byte, bool) {
	if r < 0x100 {
		return byte(r), true
	}
	b, ok := cp1252[r]
	return b, ok
}

var cp1252 = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87,
	'ˆ': 0x88, '‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E,
	'‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
	'˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B, 'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
}

// strayCircumflexes finds the "Â" that double decoding leaves where a
// no-break space was turned into a plain one: directly after a lower-case
// letter, a digit or punctuation, and before a space or the end of a line
// (right text puts Â only in words, and after no lower-case letter).
func strayCircumflexes(s string) []int {
	var out []int
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "Â")
		if j < 0 {
			break
		}
		at := i + j
		i = at + len("Â")
		if at == 0 {
			continue
		}
		prev, _ := utf8.DecodeLastRuneInString(s[:at])
		if unicode.IsSpace(prev) || unicode.IsUpper(prev) || prev == 'Â' {
			continue
		}
		if i < len(s) && s[i] != ' ' && s[i] != '\n' {
			continue
		}
		out = append(out, at)
	}
	return out
}
