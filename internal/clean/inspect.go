package clean

import (
	"slices"
	"strings"
)

// Inspect finds the defects of an article's source for digest check:
// mojibake, invisible characters, entities escaped twice, and, in the
// body (the text after the front matter), boilerplate, lines that are only
// a relative time, and words run together. Offsets are in src. Fenced code
// is not inspected for words run together.
func Inspect(src string) []Finding {
	var out []Finding
	out = append(out, FindMojibake(src)...)
	out = append(out, FindInvisible(src)...)
	bodyAt := bodyStart(src)
	body := src[bodyAt:]
	out = append(out, shift(FindEntities(body), bodyAt)...)
	_, removed := Boilerplate(body)
	for i := range removed {
		if IsRelativeTime(removed[i].Text) {
			removed[i].Rule = RuleRelative
		}
	}
	out = append(out, shift(removed, bodyAt)...)
	out = append(out, shift(LostSpaces(withoutCode(body)), bodyAt)...)
	slices.SortStableFunc(out, func(a, b Finding) int { return a.Start - b.Start })
	return out
}

func shift(fs []Finding, by int) []Finding {
	for i := range fs {
		fs[i].Start += by
		fs[i].End += by
	}
	return fs
}

// bodyStart finds where the body starts after YAML (---) or TOML (+++)
// front matter.
func bodyStart(src string) int {
	s := strings.TrimPrefix(src, "\uFEFF")
	skip := len(src) - len(s)
	for _, fence := range []string{"---", "+++"} {
		if !strings.HasPrefix(s, fence+"\n") && !strings.HasPrefix(s, fence+"\r\n") {
			continue
		}
		pos := strings.IndexByte(s, '\n') + 1
		for pos < len(s) {
			nl := strings.IndexByte(s[pos:], '\n')
			end := len(s)
			if nl >= 0 {
				end = pos + nl
			}
			if strings.TrimRight(s[pos:end], " \t\r") == fence {
				return skip + min(end+1, len(s))
			}
			if nl < 0 {
				break
			}
			pos = end + 1
		}
	}
	return 0
}

// withoutCode blanks fenced code and inline code spans, keeping offsets.
func withoutCode(md string) string {
	b := []byte(md)
	for _, blk := range splitBlocks(md) {
		if blk.code {
			for i := blk.start; i < blk.end; i++ {
				if b[i] != '\n' {
					b[i] = ' '
				}
			}
		}
	}
	in := false
	for i, c := range b {
		if c == '\n' {
			in = false
		}
		if c == '`' {
			in = !in
		}
		if in || c == '`' {
			b[i] = ' '
		}
	}
	return string(b)
}
