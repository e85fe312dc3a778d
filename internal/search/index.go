package search

import (
	"context"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

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
	// WithText, when set and Text is empty, calls use with the body as
	// plain text, valid only until use returns, when the doc is indexed:
	// a site's texts then need not all be in memory at once, nor be
	// copied. An error is the index's (see Index.Err).
	WithText func(use func(text string)) error
	Date     time.Time
	Topic    int // in Options.Topics

	excerpt string // what the doc's record keeps of Dek and Text (see Build)
}

// Options say how to index a site.
type Options struct {
	Language string   // the site's language (BCP 47): picks the stemmer
	Topics   []string // the topics, in the order the script lists them
	// Editable: the index keeps what Edit needs (how many docs hold each
	// folded word), which costs a little time and memory.
	Editable bool
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
	topics []int32 // each doc's Topic, apart: the postings read them in turn
	terms  map[string]*termInfo
	// The terms of each shard, sorted by name: heads, tails (by name,
	// then tier) and dictionary entries.
	heads [][]*termInfo
	tails [][]tailRef
	words [][]*termInfo
	// touched are the shards Edit and Append changed, by kind and number:
	// the others are byte for byte what they were.
	touched map[shardRef]bool

	errMu sync.Mutex
	err   error // the first error of a doc's Load
}

// Err is the first error met reading a doc's text (see Doc.Load): the
// index is then incomplete.
func (ix *Index) Err() error {
	ix.errMu.Lock()
	defer ix.errMu.Unlock()
	return ix.err
}

// withText calls fn with d's text in d.Text: read by its WithText, if it
// has one and no Text, and valid only until fn returns.
func (ix *Index) withText(d *Doc, fn func()) {
	if d.Text != "" || d.WithText == nil {
		fn()
		return
	}
	err := d.WithText(func(text string) {
		d.Text = text
		fn()
		d.Text = ""
	})
	d.WithText = nil
	if err != nil {
		ix.errMu.Lock()
		if ix.err == nil {
			ix.err = err
		}
		ix.errMu.Unlock()
	}
}

// hold puts d's text into d.Text, a copy of its own.
func (ix *Index) hold(d *Doc) {
	var text string
	ix.withText(d, func() { text = strings.Clone(d.Text) })
	d.Text = text
}

// termInfo is everything the index holds about one term.
type termInfo struct {
	name string
	// postings, tier by tier (see tiers), each tier by doc, ascending.
	postings []posting
	tiers    []int32  // tier k is postings[tiers[k]:tiers[k+1]]; nil: one tier
	surfaces []string // the folded words indexed under it, sorted
	// holders, in an editable index: how many docs hold each surface.
	holders []int32
}

// tier returns the postings of tier k.
func (t *termInfo) tier(k int) []posting {
	if t.tiers == nil {
		return t.postings
	}
	return t.postings[t.tiers[k]:t.tiers[k+1]]
}

// ntiers is the number of tiers of the term's postings.
func (t *termInfo) ntiers() int { return max(1, len(t.tiers)-1) }

// posting is a doc's number and the term's weight in it (1..levels), in
// one word: the doc in the high 26 bits, so an index holds at most 2^26
// (67 million) articles, and the weight in the low 6.
type posting uint32

func newPosting(doc int, weight uint8) posting { return posting(uint32(doc)<<6 | uint32(weight)) }

func (p posting) doc() uint32   { return uint32(p) >> 6 }
func (p posting) weight() uint8 { return uint8(p & 63) }

type tailRef struct {
	term *termInfo
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

// topicsOf is each doc's topic, in order.
func topicsOf(docs []Doc) []int32 {
	topics := make([]int32, len(docs))
	for i := range docs {
		topics[i] = int32(docs[i].Topic)
	}
	return topics
}

// Build indexes docs (oldest first). It keeps the slice, and of each
// doc's text only the excerpt its record shows (a copy): it lets go of
// Text, Dek and Meta of each doc once it has indexed it, so that the
// texts are freed as indexing goes when the caller holds them nowhere
// else (see render.BuildSearchIndex).
func Build(docs []Doc, opt Options) *Index {
	ix := &Index{opt: opt, layout: LayoutFor(len(docs)), docs: docs, topics: topicsOf(docs)}
	ix.collect()
	ix.place()
	return ix
}

// chunk is what one goroutine gathers from a run of docs.
type chunk struct {
	terms    []string // by term number
	postings []uint32 // by doc, then term: term number << 6 | weight
	ends     []int32  // where the postings of each doc of the run end
	surfaces []surface
	holders  []int32 // editable: how many docs hold each surface
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
			start[global[i][p>>6]+1]++
		}
	}
	for g := range names {
		start[g+1] += start[g]
	}
	all := make([]posting, start[len(names)])
	next := slices.Clone(start)
	doc := 0
	for i := range chunks {
		c := &chunks[i]
		from := int32(0)
		for _, end := range c.ends {
			for _, p := range c.postings[from:end] {
				g := global[i][p>>6]
				all[next[g]] = newPosting(doc, uint8(p&63))
				next[g]++
			}
			from = end
			doc++
		}
		c.postings = nil // let it go while the rest is merged
	}
	infos := make([]termInfo, len(names))
	ix.terms = make(map[string]*termInfo, len(names))
	for g, term := range names {
		infos[g].name = term
		infos[g].postings = all[start[g]:start[g+1]:start[g+1]]
		ix.terms[term] = &infos[g]
	}
	// The folded words of each term, in one array: first counted. A word
	// met by more than one run is there more than once until place sorts
	// each term's words.
	count := make([]int32, len(names)+1)
	for i, c := range chunks {
		for _, s := range c.surfaces {
			count[global[i][s.term]+1]++
		}
	}
	for g := range names {
		count[g+1] += count[g]
	}
	words := make([]string, count[len(names)])
	var held []int32
	if ix.opt.Editable {
		held = make([]int32, len(words))
	}
	for g := range infos {
		infos[g].surfaces = words[count[g]:count[g]:count[g+1]]
		if held != nil {
			infos[g].holders = held[count[g]:count[g]:count[g+1]]
		}
	}
	for i, c := range chunks {
		for k, s := range c.surfaces {
			t := &infos[global[i][s.term]]
			t.surfaces = append(t.surfaces, s.word)
			if held != nil {
				t.holders = append(t.holders, c.holders[k])
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
	// When the analyzer numbers surfaces (Options.Editable): the
	// surfaces of this doc, and by surface, the last doc that held it
	// (its place in the run, plus one) and how many docs held it.
	held    []int32
	lastDoc []int32
	holders []int32
	doc     int32
}

// newCollector returns a collector for an index with opt that expects
// about words distinct terms.
func newCollector(opt Options, words int) *collector {
	a := newAnalyzer(opt.Language, words)
	if opt.Editable {
		t := newKnownTokens(2 * words)
		a.bySurface = &t
	}
	return &collector{a: a}
}

// collect counts the terms of a doc's fields.
func (c *collector) collect(d *Doc) {
	c.doc++
	c.add(d.Title, inTitle)
	if !d.dekInText() {
		c.add(d.Dek, inDek)
	}
	c.add(d.Meta, inDek)
	c.add(d.Text, inBody)
}

// flush appends the postings of the doc collected to out, each as term
// number << 6 | weight, and makes ready for the next doc.
func (c *collector) flush(out []uint32) []uint32 {
	var lens fieldCounts
	for _, n := range c.touched {
		fc := c.counts[n]
		lens.title += fc.title
		lens.dek += fc.dek
		lens.body += fc.body
	}
	for _, n := range c.touched {
		out = append(out, uint32(n)<<6|uint32(weight(&c.counts[n], &lens)))
		c.counts[n] = fieldCounts{}
	}
	c.touched = c.touched[:0]
	for _, k := range c.held {
		c.holders[k]++
	}
	c.held = c.held[:0]
	return out
}

// add counts the tokens of one field of the doc. Words of ASCII letters
// and digits, most words of most sites, are found here as they are read,
// without a call per word; the rest goes through eachToken.
func (c *collector) add(s string, field int) {
	a := c.a
	for i := 0; i < len(s); {
		ch := s[i]
		if !asciiWord[ch] {
			if ch >= utf8.RuneSelf {
				i = c.addOther(s, i, field)
			} else {
				i++
			}
			continue
		}
		start := i
		var key uint64
		rest := uint32(2166136261)
		for ; i < len(s) && asciiWord[s[i]]; i++ {
			if n := i - start; n < 8 {
				key |= uint64(s[i]) << (8 * n)
			} else {
				rest = (rest ^ uint32(s[i])) * 16777619
			}
		}
		if i < len(s) && s[i] >= utf8.RuneSelf { // the word goes on
			i = c.addOther(s, start, field)
			continue
		}
		h := mixKey(key, rest, i-start)
		id, ok := a.known.find(key, h, s[start:i])
		if !ok {
			id = a.learn(s[start:i], key, h, false)
		}
		c.count(id, field)
	}
}

// addOther counts the tokens of s from i to the next ASCII byte that is
// not a letter or digit (no token goes over one), and returns where it
// stopped.
func (c *collector) addOther(s string, i, field int) int {
	end := i
	for end < len(s) && (s[end] >= utf8.RuneSelf || asciiWord[s[end]]) {
		end++
	}
	eachToken(s[i:end], func(t token) { c.count(c.a.id(t), field) })
	return end
}

// count counts one token in a field: n is the number of its term, or of
// its surface when the analyzer numbers surfaces.
func (c *collector) count(n int32, field int) {
	if c.a.bySurface != nil {
		n = c.surface(n)
	}
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
}

// surface notes that the doc holds surface k, and returns its term.
func (c *collector) surface(k int32) int32 {
	if int(k) >= len(c.lastDoc) {
		grow := int(k) + 1 - len(c.lastDoc) + len(c.lastDoc)/2
		c.lastDoc = append(c.lastDoc, make([]int32, grow)...)
		c.holders = append(c.holders, make([]int32, grow)...)
	}
	if c.lastDoc[k] != c.doc {
		c.lastDoc[k] = c.doc
		c.held = append(c.held, k)
	}
	return c.a.surfaces[k].term
}

// collectRun analyses docs lo to hi, and lets go of their texts.
func (ix *Index) collectRun(lo, hi int) chunk {
	c := newCollector(ix.opt, vocabulary(hi-lo))
	postings := make([]uint32, 0, 256*min(hi-lo, 64))
	ends := make([]int32, 0, hi-lo)
	for id := lo; id < hi; id++ {
		d := &ix.docs[id]
		ix.withText(d, func() {
			c.collect(d)
			d.excerpt = strings.Clone(excerpt(d, ExcerptBytes))
		})
		d.Text, d.Dek, d.Meta = "", "", ""
		if id == lo+64 && hi-lo > 128 {
			// Grow once to what the run will need, judging by its first
			// articles, rather than doubling (and copying) as it goes.
			need := len(postings) * (hi - lo) / 64 * 9 / 8
			postings = slices.Grow(postings, need-len(postings))
		}
		postings = c.flush(postings)
		ends = append(ends, int32(len(postings)))
	}
	ch := chunk{terms: c.a.terms, postings: postings, ends: ends, surfaces: c.a.surfaces}
	if ix.opt.Editable {
		ch.holders = append(c.holders, make([]int32, max(0, len(ch.surfaces)-len(c.holders)))...)
	}
	return ch
}

// vocabulary is about how many distinct words n articles of news hold,
// at most: 1,500 times the square root of n (Heaps' law, fitted to a
// corpus with the vocabulary of news, gencorpus -rich: 105,000 at 5,000
// articles). Tables sized for it cost less than their growing.
func vocabulary(n int) int { return int(1500 * math.Sqrt(float64(n))) }

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
// shards: each shard's terms are gathered, then sorted, a few hundred at
// a time.
func (ix *Index) place() {
	infos := make([]*termInfo, 0, len(ix.terms))
	for _, t := range ix.terms {
		infos = append(infos, t)
	}
	parallel.For(context.Background(), len(infos), runtime.GOMAXPROCS(0), func(i int) {
		t := infos[i]
		t.cutTiers()
		t.sortSurfaces()
	})
	ix.distribute(infos)
}

// distribute assigns the terms, in order already, to the shards.
func (ix *Index) distribute(infos []*termInfo) {
	l := ix.layout
	ix.heads = make([][]*termInfo, l.Heads)
	ix.tails = make([][]tailRef, l.Tails)
	ix.words = make([][]*termInfo, l.Words)
	var shards []int // of one term, in the dictionary
	for _, t := range infos {
		ix.heads[l.head(t.name)] = append(ix.heads[l.head(t.name)], t)
		for k := 1; k < t.ntiers(); k++ {
			s := l.tail(t.name, k)
			ix.tails[s] = append(ix.tails[s], tailRef{t, k})
		}
		shards = ix.wordShards(t, shards[:0])
		for _, n := range shards {
			ix.words[n] = append(ix.words[n], t)
		}
	}
	parallel.For(context.Background(), max(l.Heads, l.Tails, l.Words), runtime.GOMAXPROCS(0), func(i int) {
		if i < l.Heads {
			slices.SortFunc(ix.heads[i], compareTerms)
		}
		if i < l.Tails {
			slices.SortFunc(ix.tails[i], compareTails)
		}
		if i < l.Words {
			slices.SortFunc(ix.words[i], compareTerms)
		}
	})
}

// sortSurfaces sorts the surfaces (and their holders), each once: a
// surface met more than once (by more than one run of docs, or as two
// tokens that fold alike) is listed once, with the holders of each.
func (t *termInfo) sortSurfaces() {
	if t.holders == nil {
		slices.Sort(t.surfaces)
		t.surfaces = slices.Compact(t.surfaces)
		return
	}
	sort.Sort(bySurface{t})
	n := 0
	for i, s := range t.surfaces {
		if n > 0 && t.surfaces[n-1] == s {
			t.holders[n-1] += t.holders[i]
			continue
		}
		t.surfaces[n], t.holders[n] = s, t.holders[i]
		n++
	}
	t.surfaces, t.holders = t.surfaces[:n], t.holders[:n]
}

// bySurface sorts the surfaces of an editable index with their holders.
type bySurface struct{ t *termInfo }

func (s bySurface) Len() int           { return len(s.t.surfaces) }
func (s bySurface) Less(i, j int) bool { return s.t.surfaces[i] < s.t.surfaces[j] }
func (s bySurface) Swap(i, j int) {
	s.t.surfaces[i], s.t.surfaces[j] = s.t.surfaces[j], s.t.surfaces[i]
	s.t.holders[i], s.t.holders[j] = s.t.holders[j], s.t.holders[i]
}

// cutTiers orders the postings (by doc) into tiers: the best first, by
// weight and then newest first, each tier by doc. Weights have few
// levels, so this is counting, not sorting.
func (t *termInfo) cutTiers() {
	if len(t.postings) <= tierSize(0) {
		t.tiers = nil // one tier, by doc already
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
	return int(fnvMore(fnvMore(fnv32(term), "#"), itoa(k)) % uint32(l.Tails))
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
