package site

import "slices"

// Related stories: how many, and how far to look along each tag.
const (
	maxRelated = 4
	// window is how many neighbours in time, on each side, an article
	// looks at along each of its tags. It keeps the work linear in the
	// number of articles: a tag shared by 10,000 stories costs each of
	// them 2×window candidates, not 10,000.
	window = 25
)

// Related returns the article's related stories: those sharing the most
// tags (near it in time), then its topic neighbours. Ties go to the story
// closer in time, then to the URL. It is worked out on first use, so a
// build spreads the work over its page renderers and the dev server does
// it only for the pages a browser asks for.
func (a *Article) Related() []*Article {
	a.relatedOnce.Do(func() { a.related = related(a) })
	return a.related
}

// candidate is a possible related story with its score.
type candidate struct {
	a     *Article
	score int
	dist  int // how far apart in time, counted in articles
}

// better orders candidates: higher score, then closer in time, then URL.
func (c candidate) better(d candidate) bool {
	if c.score != d.score {
		return c.score > d.score
	}
	if c.dist != d.dist {
		return c.dist < d.dist
	}
	return c.a.URL < d.a.URL
}

// hit is an article met along a tag or in the topic, with its weight, and
// its place among the site's articles, to sort hits by without reading
// each article again.
type hit struct {
	index int
	b     *Article
	w     int
}

func related(a *Article) []*Article {
	// Three tags' windows fit on the stack: no garbage for most articles.
	var buf [3*(2*window+1) + 2]hit
	list := buf[:0]
	for j, t := range a.TagTerms {
		i := a.tagPos[j]
		for _, b := range t.Articles[max(0, i-window):min(len(t.Articles), i+window+1)] {
			if b != a {
				list = append(list, hit{b.index, b, 2})
			}
		}
	}
	for _, b := range []*Article{a.Newer, a.Older} {
		if b != nil {
			list = append(list, hit{b.index, b, 1})
		}
	}
	// The same article met several times: sorted together, then summed.
	slices.SortFunc(list, func(x, y hit) int { return x.index - y.index })
	// Keep the best maxRelated in order: a few comparisons per candidate
	// instead of sorting them all.
	me := a.index
	var top [maxRelated + 1]candidate
	n := 0
	for k := 0; k < len(list); {
		b, sc := list[k].b, 0
		for ; k < len(list) && list[k].b == b; k++ {
			sc += list[k].w
		}
		if b.TopicTerm == a.TopicTerm && sc > 1 {
			sc++
		}
		c := candidate{b, sc, abs(b.index - me)}
		i := n
		for i > 0 && c.better(top[i-1]) {
			top[i] = top[i-1]
			i--
		}
		top[i] = c
		n = min(n+1, maxRelated)
	}
	out := make([]*Article, n)
	for i := range out {
		out[i] = top[i].a
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
