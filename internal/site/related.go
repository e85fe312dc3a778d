package site

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

// articleRef is what Related needs to know of an article met along a
// tag, kept beside the tag's list of articles: reading it from each
// article was most of Related's time (a cache miss per article met).
type articleRef struct {
	a     *Article
	topic *Term
	index int // place among the site's articles
}

// refsOf is the articleRefs of list, in its order.
func refsOf(list []*Article) []articleRef {
	refs := make([]articleRef, len(list))
	for i, a := range list {
		refs[i] = articleRef{a, a.TopicTerm, a.index}
	}
	return refs
}

// run is a list of articles met along a tag (or a topic neighbour), in
// the site's order, and the weight of meeting each.
type run struct {
	refs []articleRef
	w    int
}

func related(a *Article) []*Article {
	// The windows along each tag, and the topic neighbours: each in the
	// site's order (a term's articles are newest first, as the site's),
	// so they are merged rather than sorted, the same article met in
	// several summed as it comes. A few runs fit on the stack.
	var buf [8]run
	runs := buf[:0]
	for j, t := range a.TagTerms {
		refs := t.refs
		if len(refs) != len(t.Articles) { // a term not made by Build
			refs = refsOf(t.Articles)
		}
		i := a.tagPos[j]
		runs = append(runs, run{refs[max(0, i-window):min(len(refs), i+window+1)], 2})
	}
	var near [2]articleRef
	for i, b := range []*Article{a.Newer, a.Older} {
		if b != nil {
			near[i] = articleRef{b, b.TopicTerm, b.index}
			runs = append(runs, run{near[i : i+1], 1})
		}
	}
	// Keep the best maxRelated in order: a few comparisons per candidate
	// instead of sorting them all.
	me := a.index
	var top [maxRelated + 1]candidate
	n := 0
	for {
		first := -1
		for i, r := range runs {
			if len(r.refs) > 0 && (first < 0 || r.refs[0].index < runs[first].refs[0].index) {
				first = i
			}
		}
		if first < 0 {
			break
		}
		r, sc := runs[first].refs[0], 0
		for i := range runs {
			for len(runs[i].refs) > 0 && runs[i].refs[0].a == r.a { // twice in a list: a tag written twice
				sc += runs[i].w
				runs[i].refs = runs[i].refs[1:]
			}
		}
		if r.a == a {
			continue
		}
		if r.topic == a.TopicTerm && sc > 1 {
			sc++
		}
		c := candidate{r.a, sc, abs(r.index - me)}
		if n == maxRelated && !c.better(top[n-1]) {
			continue // most candidates: no better than the last kept
		}
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
