package diag

import "strings"

// Closest returns the candidate nearest to name by edit distance, or "" when
// none is near enough to be a likely typo: one edit in a name of up to five
// letters, two in a longer one ("tittle" → "title", "tpoic" → "topic"), so
// that another word ("lang", "path") is not taken for a misspelt key
// ("date").
func Closest(name string, candidates []string) string {
	best, bestDist := "", min(3, len([]rune(name))/3+1)
	for _, c := range candidates {
		if d := distance(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// distance is the Damerau-Levenshtein (optimal string alignment) distance
// between a and b, counted in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// UnknownKey formats the message for a key that is not allowed, with a
// suggestion when one is close. A key inside a table ("feeds.itmes") is
// compared by its last part, so the shared prefix does not make every
// candidate look close.
func UnknownKey(key string, known []string) string {
	prefix, name := "", key
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		prefix, name = key[:i+1], key[i+1:]
	}
	var names []string
	for _, k := range known {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			names = append(names, rest)
		}
	}
	if s := Closest(name, names); s != "" {
		s = prefix + s
		return "unknown key \"" + key + "\" (did you mean \"" + s + "\"?)"
	}
	return "unknown key \"" + key + "\""
}
