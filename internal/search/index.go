package search

import (
	"cmp"
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
	postings []posting // by weight, highest first; ties newest first
	surfaces []string  // the folded words indexed under it, sorted
}

type posting struct {
	doc    uint32
	weight uint8 // 1..levels
}

type tailRef struct {
	term string
	tier int
}

// Tiers: a term's postings, best first, are cut into tiers of these sizes
// (the last repeats). The first tier (the head) is what most searches
// read; the next ones are read only when a search needs more.
var tierSizes = []int{2048, 4096, 8192, 16384}

func tierSize(k int) int { return tierSizes[min(k, len(tierSizes)-1)] }

// tiers cuts n postings into tiers: their bounds.
func tiers(n int) [][2]int {
	var out [][2]int
	for k, start := 0, 0; start < n || k == 0; k++ {
		end := min(n, start+tierSize(k))
		out = append(out, [2]int{start, end})
		start = end
	}
	return out
}

// Build indexes docs (oldest first).
func Build(docs []Doc, opt Options) *Index {
	ix := &Index{opt: opt, layout: LayoutFor(len(docs)), docs: docs}
	ix.collect()
	ix.place()
	return ix
}

// chunk is what one goroutine gathers from a run of docs.
type chunk struct {
	postings map[string][]posting
	surfaces map[string]string // surface → term
}

// collect analyses the docs on every CPU, each goroutine a run of docs,
// and merges the runs in order, so each term's postings come out sorted
// by doc without sorting.
func (ix *Index) collect() {
	workers := runtime.GOMAXPROCS(0)
	runs := min(len(ix.docs), 4*workers)
	chunks := make([]chunk, runs)
	parallel.For(context.Background(), runs, workers, func(i int) {
		lo, hi := i*len(ix.docs)/runs, (i+1)*len(ix.docs)/runs
		chunks[i] = ix.collectRun(lo, hi)
	})
	ix.terms = map[string]*termInfo{}
	for _, c := range chunks {
		for term, ps := range c.postings {
			t := ix.terms[term]
			if t == nil {
				t = &termInfo{}
				ix.terms[term] = t
			}
			t.postings = append(t.postings, ps...)
		}
	}
	seen := map[string]bool{}
	for _, c := range chunks {
		for surface, term := range c.surfaces {
			if !seen[surface] {
				seen[surface] = true
				if t := ix.terms[term]; t != nil {
					t.surfaces = append(t.surfaces, surface)
				}
			}
		}
	}
}

// fieldCounts are a term's frequencies in one doc's fields.
type fieldCounts struct {
	title, dek, body int32
}

// collectRun analyses docs lo to hi.
func (ix *Index) collectRun(lo, hi int) chunk {
	a := newAnalyzer(ix.opt.Language)
	c := chunk{postings: map[string][]posting{}, surfaces: map[string]string{}}
	counts := map[string]*fieldCounts{}
	pool := make([]fieldCounts, 0, 512)
	for id := lo; id < hi; id++ {
		d := &ix.docs[id]
		clear(counts)
		pool = pool[:0]
		var lens fieldCounts
		field := func(text string, slot func(*fieldCounts) *int32) {
			eachToken(text, func(t token) {
				w := a.word(t)
				fc := counts[w.term]
				if fc == nil {
					if len(pool) == cap(pool) {
						pool = make([]fieldCounts, 0, 2*cap(pool))
					}
					pool = append(pool, fieldCounts{})
					fc = &pool[len(pool)-1]
					counts[w.term] = fc
				}
				*slot(fc)++
				*slot(&lens)++
			})
		}
		field(d.Title, func(f *fieldCounts) *int32 { return &f.title })
		if !d.dekInText() {
			field(d.Dek, func(f *fieldCounts) *int32 { return &f.dek })
		}
		field(d.Meta, func(f *fieldCounts) *int32 { return &f.dek })
		field(d.Text, func(f *fieldCounts) *int32 { return &f.body })
		for term, fc := range counts {
			c.postings[term] = append(c.postings[term], posting{uint32(id), weight(fc, &lens)})
		}
	}
	for _, w := range a.known {
		c.surfaces[w.surface] = w.term
	}
	return c
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
		slices.SortFunc(t.postings, func(a, b posting) int {
			return cmp.Or(cmp.Compare(b.weight, a.weight), cmp.Compare(b.doc, a.doc))
		})
		slices.Sort(t.surfaces)
	})
	for _, term := range names {
		t := ix.terms[term]
		ix.heads[l.head(term)] = append(ix.heads[l.head(term)], term)
		for k := 1; k < len(tiers(len(t.postings))); k++ {
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

// LayoutFor gives the layout of an index of n articles.
func LayoutFor(n int) Layout {
	return Layout{
		Heads: pow2(n / 24),
		Tails: pow2(n / 64),
		Words: pow2(n / 128),
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
