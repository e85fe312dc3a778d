package site

import (
	"cmp"
	"slices"
)

// Related stories: how many, and how far to look along each tag.
const (
	maxRelated = 4
	// window is how many neighbours in time, on each side, an article
	// looks at along each of its tags. It keeps the work linear in the
	// number of articles: a tag shared by 10,000 stories costs each of
	// them 2×window candidates, not 10,000.
	window = 25
)

// relate finds each article's related stories: those sharing the most
// tags (near it in time), then its topic neighbours. Ties go to the story
// closer in time, then to the URL.
func relate(articles []*Article, tags []*Term) {
	index := make(map[*Article]int, len(articles))
	for i, a := range articles {
		index[a] = i
	}
	pos := make(map[*Term]map[*Article]int, len(tags))
	for _, t := range tags {
		m := make(map[*Article]int, len(t.Articles))
		for i, a := range t.Articles {
			m[a] = i
		}
		pos[t] = m
	}
	for _, a := range articles {
		a.Related = related(a, pos, index)
	}
}

func related(a *Article, pos map[*Term]map[*Article]int, index map[*Article]int) []*Article {
	score := map[*Article]int{}
	for _, t := range a.TagTerms {
		i := pos[t][a]
		for _, b := range t.Articles[max(0, i-window):min(len(t.Articles), i+window+1)] {
			if b != a {
				score[b] += 2
			}
		}
	}
	for _, b := range []*Article{a.Newer, a.Older} {
		if b != nil {
			score[b]++
		}
	}
	candidates := make([]*Article, 0, len(score))
	for b, s := range score {
		if b.TopicTerm == a.TopicTerm && s > 1 {
			score[b]++
		}
		candidates = append(candidates, b)
	}
	me := index[a]
	slices.SortFunc(candidates, func(x, y *Article) int {
		return cmp.Or(
			cmp.Compare(score[y], score[x]),
			cmp.Compare(abs(index[x]-me), abs(index[y]-me)),
			cmp.Compare(x.URL, y.URL),
		)
	})
	return candidates[:min(len(candidates), maxRelated)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
