package search

import (
	"context"
	"math"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/digest-ssg/digest/internal/parallel"
)

// Doc is one article as the index sees it. Docs are given oldest first:
// a doc's place in that order is its number in the index, so numbers
// follow the dates (a date range is a range of numbers) and a new article
// takes the next number without moving the others.
type Doc struct {
	URL   string // site-relative
	Title string
	Dek   string // the summary
	Meta  string // tags, authors and source: indexed with the dek
	Text  string // the body as plain text
	Date  time.Time
	Topic int // in Options.Topics

	excerpt string // what the doc's record keeps of Dek and Text (see Build)
}

// Options say how to index a site.
type Options struct {
	Language string   // the site's language (BCP 47): picks the stemmer
	Topics   []string // the topics, in the order the script lists them
}

// The scoring: BM25F over title, dek and body, each field's term
// frequency weighted and normalised by the field's length against a fixed
// typical length, so that the weights of one article never depend on the
// others (an edit changes only the postings of the article's own terms).
// The script multiplies each weight by the term's inverse document
// frequency, which it computes from df and the number of articles.
const (
	k1          = 1.2
	boostTitle  = 5.0
	boostDek    = 2.0
	boostBody   = 1.0
	bTitle      = 0.5
	bDek        = 0.75
	bBody       = 0.75
	typicalHead = 10.0  // words in a title
	typicalDek  = 40.0  // in a dek with its tags and byline
	typicalBody = 500.0 // in a body
	levels      = 63    // weights are stored as 1..levels
)

// Index is the search index of one version of a site, ready to be
// written out shard by shard.
type Index struct {
	opt    Options
	layout Layout
	docs   []Doc
	terms  map[string]*termInfo
	// byShard lists the terms of each shard, sorted: heads, tails and
	// dictionary entries.
	heads [][]string
	tails [][]tailRef
	words [][]string
}

// termInfo is everything the index holds about one term.
type termInfo struct {
	// postings, tier by tier (see tiers), each tier by doc, ascending.
	postings []posting
	tiers    []int32  // tier k is postings[tiers[k]:tiers[k+1]]
	surfaces []string // the folded words indexed under it, sorted
}

// tier returns the postings of tier k.
func (t *termInfo) tier(k int) []posting { return t.postings[t.tiers[k]:t.tiers[k+1]] }

// posting is a doc's number and the term's weight in it (1..levels), in
// one word: the doc in the high 26 bits, so an index holds at most 2^26
// (67 million) articles, and the weight in the low 6.
type posting uint32

func newPosting(doc int, weight uint8) posting { return posting(uint32(doc)<<6 | uint32(weight)) }

func (p posting) doc() uint32   { return uint32(p) >> 6 }
func (p posting) weight() uint8 { return uint8(p & 63) }

type tailRef struct {
	term string
	tier int
}

// Tiers: a term's postings, best first, are cut into tiers of these sizes
// (the last repeats). The first tier (the head) is what most searches
// read; the next ones are read only when a search needs more.
var tierSizes = []int{2048, 4096, 8192, 16384}

func tierSize(k int) int { return tierSizes[min(k, len(tierSizes)-1)] }

// tierOf gives the tier of the posting of rank r (0 the best).
func tierOf(r int) int {
	k := 0
	for r >= tierSize(k) {
		r -= tierSize(k)
		k++
	}
	return k
}

// Build indexes docs (oldest first).
//
// The index keeps of each doc's text only the excerpt its record shows
// (a copy), so the caller may let the texts go once it has the index.
func Build(docs []Doc, opt Options) *Index {
	ix := &Index{opt: opt, layout: LayoutFor(len(docs)), docs: slices.Clone(docs)}
	ix.collect()
	ix.place()
	for i := range ix.docs {
		d := &ix.docs[i]
		d.excerpt = strings.Clone(excerpt(d, ExcerptBytes))
		d.Text, d.Dek, d.Meta = "", "", ""
	}
	return ix
}

// chunk is what one goroutine gathers from a run of docs.
type chunk struct {
	terms    []string       // by term number
	postings []localPosting // by doc, then term
	surfaces []surface
}

// localPosting is a posting of a run, before its term has its place.
type localPosting struct {
	term int32 // in its chunk
	posting
}

// collect analyses the docs on every CPU, each goroutine a run of docs,
// and merges the runs in order, so each term's postings come out sorted
// by doc without sorting. The postings of all terms go into one array,
// placed by counting: no slice per term, which for the hundred thousand
// words of a large site cost more than the rest.
func (ix *Index) collect() {
	workers := runtime.GOMAXPROCS(0)
	// One run per CPU: each run learns the vocabulary anew (folding and
	// stemming every distinct word once), so more runs cost more.
	runs := min(len(ix.docs), workers)
	chunks := make([]chunk, runs)
	parallel.For(context.Background(), runs, workers, func(i int) {
		lo, hi := i*len(ix.docs)/runs, (i+1)*len(ix.docs)/runs
		chunks[i] = ix.collectRun(lo, hi)
	})
	most := 0
	for _, c := range chunks {
		most += len(c.terms)
	}
	number := make(map[string]int32, most)
	names := make([]string, 0, most)
	global := make([][]int32, len(chunks)) // chunk's term number → global one
	for i, c := range chunks {
		global[i] = make([]int32, len(c.terms))
		for id, term := range c.terms {
			g, ok := number[term]
			if !ok {
				g = int32(len(names))
				number[term] = g
				names = append(names, term)
			}
			global[i][id] = g
		}
	}
	start := make([]int, len(names)+1)
	for i, c := range chunks {
		for _, p := range c.postings {
			start[global[i][p.term]+1]++
		}
	}
	for g := range names {
		start[g+1] += start[g]
	}
	all := make([]posting, start[len(names)])
	next := slices.Clone(start)
	for i, c := range chunks {
		for _, p := range c.postings {
			g := global[i][p.term]
			all[next[g]] = p.posting
			next[g]++
		}
	}
	infos := make([]termInfo, len(names))
	ix.terms = make(map[string]*termInfo, len(names))
	for g, term := range names {
		infos[g].postings = all[start[g]:start[g+1]:start[g+1]]
		ix.terms[term] = &infos[g]
	}
	seen := make(map[string]bool, most)
	for i, c := range chunks {
		for _, s := range c.surfaces {
			if !seen[s.word] {
				seen[s.word] = true
				t := &infos[global[i][s.term]]
				t.surfaces = append(t.surfaces, s.word)
			}
		}
	}
}

// fieldCounts are a term's frequencies in one doc's fields.
type fieldCounts struct {
	title, dek, body int32
}

// The fields of a doc.
const (
	inTitle = iota
	inDek
	inBody
)

// collector counts the terms of one doc at a time.
type collector struct {
	a       *analyzer
	counts  []fieldCounts // by term number: this doc's
	touched []int32       // the terms of this doc
	lens    fieldCounts
}

// add counts the tokens of one field of the doc.
func (c *collector) add(text string, field int) {
	eachToken(text, func(t token) {
		n := c.a.id(t)
		if int(n) >= len(c.counts) {
			c.counts = append(c.counts, make([]fieldCounts, int(n)+1-len(c.counts)+len(c.counts)/2)...)
		}
		fc := &c.counts[n]
		if *fc == (fieldCounts{}) {
			c.touched = append(c.touched, n)
		}
		switch field {
		case inTitle:
			fc.title++
		case inDek:
			fc.dek++
		default:
			fc.body++
		}
	})
}

// collectRun analyses docs lo to hi.
func (ix *Index) collectRun(lo, hi int) chunk {
	// Tables sized for about 8 new terms an article (more than news
	// has past the first thousand) cost less than their growing.
	c := &collector{a: newAnalyzer(ix.opt.Language, min(1<<20, 8*(hi-lo)+1024))}
	postings := make([]localPosting, 0, 256*min(hi-lo, 64))
	for id := lo; id < hi; id++ {
		d := &ix.docs[id]
		c.add(d.Title, inTitle)
		if !d.dekInText() {
			c.add(d.Dek, inDek)
		}
		c.add(d.Meta, inDek)
		c.add(d.Text, inBody)
		var lens fieldCounts
		for _, n := range c.touched {
			fc := c.counts[n]
			lens.title += fc.title
			lens.dek += fc.dek
			lens.body += fc.body
		}
		if id == lo+64 && hi-lo > 128 {
			// Grow once to what the run will need, judging by its first
			// articles, rather than doubling (and copying) as it goes.
			need := len(postings) * (hi - lo) / 64 * 9 / 8
			postings = slices.Grow(postings, need-len(postings))
		}
		for _, n := range c.touched {
			postings = append(postings, localPosting{n, newPosting(id, weight(&c.counts[n], &lens))})
			c.counts[n] = fieldCounts{}
		}
		c.touched = c.touched[:0]
	}
	return chunk{terms: c.a.terms, postings: postings, surfaces: c.a.surfaces}
}

// weight is the BM25F weight of a term in a doc, without the term's
// inverse document frequency, as a level from 1 to levels.
func weight(tf, lens *fieldCounts) uint8 {
	norm := func(tf, length int32, b, typical float64) float64 {
		return float64(tf) / (1 - b + b*float64(length)/typical)
	}
	x := boostTitle*norm(tf.title, lens.title, bTitle, typicalHead) +
		boostDek*norm(tf.dek, lens.dek, bDek, typicalDek) +
		boostBody*norm(tf.body, lens.body, bBody, typicalBody)
	w := x / (k1 + x)
	return uint8(max(1, min(levels, int(math.Ceil(w*levels)))))
}

// place orders each term's postings best first and assigns terms to
// shards.
func (ix *Index) place() {
	l := ix.layout
	ix.heads = make([][]string, l.Heads)
	ix.tails = make([][]tailRef, l.Tails)
	ix.words = make([][]string, l.Words)
	names := make([]string, 0, len(ix.terms))
	for term := range ix.terms {
		names = append(names, term)
	}
	slices.Sort(names)
	parallel.For(context.Background(), len(names), runtime.GOMAXPROCS(0), func(i int) {
		t := ix.terms[names[i]]
		t.cutTiers()
		slices.Sort(t.surfaces)
	})
	for _, term := range names {
		t := ix.terms[term]
		ix.heads[l.head(term)] = append(ix.heads[l.head(term)], term)
		for k := 1; k < len(t.tiers)-1; k++ {
			s := l.tail(term, k)
			ix.tails[s] = append(ix.tails[s], tailRef{term, k})
		}
		keys := map[string]bool{keyOf(term): true}
		for _, s := range t.surfaces {
			keys[keyOf(s)] = true
		}
		for key := range keys {
			s := l.word(key)
			ix.words[s] = append(ix.words[s], term)
		}
	}
	for i := range ix.words {
		// A term with two keys in one shard is listed once.
		ix.words[i] = slices.Compact(ix.words[i])
	}
}

// cutTiers orders the postings (by doc) into tiers: the best first, by
// weight and then newest first, each tier by doc. Weights have few
// levels, so this is counting, not sorting.
func (t *termInfo) cutTiers() {
	if len(t.postings) <= tierSize(0) {
		t.tiers = []int32{0, int32(len(t.postings))} // one tier, by doc already
		return
	}
	var above [levels + 2]int // postings with a higher weight than the index
	for _, p := range t.postings {
		above[p.weight()-1]++
	}
	for w := levels - 1; w >= 0; w-- {
		above[w] += above[w+1]
	}
	// Newest first within a weight: walk the docs from the newest.
	tier := make([]uint16, len(t.postings))
	var seen [levels + 1]int
	ntiers := tierOf(max(0, len(t.postings)-1)) + 1
	size := make([]int32, ntiers+1)
	for i := len(t.postings) - 1; i >= 0; i-- {
		w := t.postings[i].weight()
		k := tierOf(above[w] + seen[w])
		seen[w]++
		tier[i] = uint16(k)
		size[k+1]++
	}
	for k := 1; k <= ntiers; k++ {
		size[k] += size[k-1]
	}
	t.tiers = slices.Clone(size)
	out := make([]posting, len(t.postings))
	for i, p := range t.postings {
		k := tier[i]
		out[size[k]] = p
		size[k]++
	}
	t.postings = out
}

// Docs is the number of articles indexed.
func (ix *Index) Docs() int { return len(ix.docs) }

// Layout is how many shards of each kind an index of n articles has. It
// depends on the number of articles alone, never on what they say, so the
// set of files is fixed while articles are edited; it changes only when
// the number of articles crosses a power of two.
type Layout struct {
	Heads int // the first tier of each term's postings, by hash of the term
	Tails int // the further tiers, by hash of term and tier
	Words int // the dictionary: words and their terms, by their first letters
	Docs  int // what results show, DocsPerShard articles a shard
}

// DocsPerShard is how many articles' titles, dates and text a doc shard
// holds: the results of a search read one shard per result at most.
const DocsPerShard = 8

// LayoutFor gives the layout of an index of n articles. The counts keep
// the shards at a few kilobytes gzipped as the archive grows: heads and
// tails with the number of articles, the dictionary with the square root
// of it, as the vocabulary of news grows (Heaps' law).
func LayoutFor(n int) Layout {
	return Layout{
		Heads: pow2(n / 20),
		Tails: pow2(n / 64),
		Words: pow2(int(2.4 * math.Sqrt(float64(n)))),
		Docs:  max(1, (n+DocsPerShard-1)/DocsPerShard),
	}
}

// pow2 is the smallest power of two at least n (and at least 1).
func pow2(n int) int {
	p := 1
	for p < n {
		p <<= 1
	}
	return p
}

func (l Layout) head(term string) int { return int(fnv32(term) % uint32(l.Heads)) }
func (l Layout) tail(term string, k int) int {
	return int(fnv32(term+"#"+itoa(k)) % uint32(l.Tails))
}
func (l Layout) word(key string) int { return int(fnv32(key) % uint32(l.Words)) }

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// dekInText reports whether the dek is the start of the body (a summary
// taken from its first paragraph, or the part before <!--more-->), which
// is then not indexed twice.
func (d *Doc) dekInText() bool {
	return strings.HasPrefix(d.Text, strings.TrimSuffix(d.Dek, "…"))
}

// excerpt is the start of a doc's text that its record keeps for
// snippets: the dek, unless the body starts with it, then the body, cut
// at a word at about n bytes.
func excerpt(d *Doc, n int) string {
	text := d.Text
	if !d.dekInText() {
		text = d.Dek + " " + text
	}
	if len(text) <= n {
		return text
	}
	cut := strings.LastIndexByte(text[:n], ' ')
	if cut < n/2 {
		cut = n
		for cut > 0 && text[cut]&0xC0 == 0x80 {
			cut--
		}
	}
	return text[:cut]
}
