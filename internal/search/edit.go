package search

import (
	"slices"
	"strings"
)

// Edit puts next in place of doc i of an index made with
// Options.Editable, and brings every shard up to date: the index is then
// byte for byte what Build gives for the docs with next. old is doc i as
// the index has it (as given to Build, or to the last Edit). The doc must
// keep its place in the order (its date); its number stays i.
//
// Only the terms of old and next are touched, so an edit costs what the
// postings of those terms cost to put in order again, not a new index:
// the dev server keeps its index current this way.
func (ix *Index) Edit(i int, old, next Doc) {
	ix.hold(&old)
	ix.hold(&next)
	before, after := ix.docTerms(&old), ix.docTerms(&next)
	for name, b := range before {
		ix.editTerm(name, i, b, after[name])
	}
	for name, a := range after {
		if before[name] == nil {
			ix.editTerm(name, i, nil, a)
		}
	}
	next.excerpt = strings.Clone(excerpt(&next, ExcerptBytes))
	next.Text, next.Dek, next.Meta = "", "", ""
	ix.docs[i] = next
	ix.topics[i] = int32(next.Topic)
	ix.touch(ShardDocs, i/DocsPerShard)
}

// shardRef names one shard: its kind and number.
type shardRef struct {
	kind string
	n    int
}

// touch notes that a shard changed.
func (ix *Index) touch(kind string, n int) {
	if ix.touched == nil {
		ix.touched = map[shardRef]bool{}
	}
	ix.touched[shardRef{kind, n}] = true
}

// Touched reports whether Edit or Append changed the shard (see Shard)
// since the index was made or read (see Decode): one they did not change
// is byte for byte what it was then.
func (ix *Index) Touched(kind string, n int) bool { return ix.touched[shardRef{kind, n}] }

// Append adds next as the newest doc of an index made with
// Options.Editable, as Edit puts a doc in place: the index is then byte
// for byte what Build gives for the docs with next after them. It reports
// false, having changed nothing, when the index's layout would change
// (the number of docs crosses a power of two): the index must then be
// made anew.
func (ix *Index) Append(next Doc) bool {
	l := LayoutFor(len(ix.docs) + 1)
	if l.Heads != ix.layout.Heads || l.Tails != ix.layout.Tails || l.Words != ix.layout.Words {
		return false
	}
	ix.layout.Docs = l.Docs
	ix.docs = append(ix.docs, Doc{})
	ix.topics = append(ix.topics, 0)
	ix.Edit(len(ix.docs)-1, Doc{}, next)
	return true
}

// docTerm is what one doc holds of a term: its weight, and the folded
// words under it.
type docTerm struct {
	weight   uint8
	surfaces []string
}

// docTerms analyses one doc, as Build does.
func (ix *Index) docTerms(d *Doc) map[string]*docTerm {
	c := newCollector(Options{Language: ix.opt.Language, Editable: true}, 256)
	c.collect(d)
	held := slices.Clone(c.held)
	out := map[string]*docTerm{}
	for _, p := range c.flush(nil) {
		out[c.a.terms[p>>6]] = &docTerm{weight: uint8(p & 63)}
	}
	for _, k := range held {
		s := c.a.surfaces[k]
		t := out[c.a.terms[s.term]]
		t.surfaces = append(t.surfaces, s.word)
	}
	return out
}

// editTerm replaces doc i's posting of a term: b is what the doc held of
// it before (nil: nothing), a what it holds now.
func (ix *Index) editTerm(name string, i int, b, a *docTerm) {
	t := ix.terms[name]
	var wordsBefore []int // the dictionary shards that list it
	tiersBefore := 1
	if t == nil {
		t = &termInfo{name: name, holders: []int32{}}
		ix.terms[name] = t
		ix.heads[ix.layout.head(name)] = insertTerm(ix.heads[ix.layout.head(name)], t)
	} else {
		wordsBefore = ix.wordShards(t, nil)
		tiersBefore = t.ntiers()
	}
	// The term's head, tails and dictionary entries change: its count of
	// docs, the doc's weight, topic, or words.
	ix.touch(ShardHeads, ix.layout.head(name))
	defer func() {
		for k := 1; k < max(tiersBefore, t.ntiers()); k++ {
			ix.touch(ShardTails, ix.layout.tail(name, k))
		}
		for _, n := range wordsBefore {
			ix.touch(ShardWords, n)
		}
		for _, n := range ix.wordShards(t, nil) {
			ix.touch(ShardWords, n)
		}
	}()
	if !t.reweigh(i, b, a) {
		var edited []posting // by doc
		if a != nil {
			edited = []posting{newPosting(i, a.weight)}
		}
		t.postings, t.tiers = t.byDoc(i, edited), nil
		t.cutTiers()
	}
	if b != nil {
		for _, s := range b.surfaces {
			t.forget(s)
		}
	}
	if a != nil {
		for _, s := range a.surfaces {
			t.hold(s)
		}
	}
	for k := 1; k < tiersBefore; k++ {
		n := ix.layout.tail(name, k)
		ix.tails[n] = slices.DeleteFunc(ix.tails[n], func(r tailRef) bool { return r.term == t && r.tier == k })
	}
	if len(t.postings) == 0 {
		delete(ix.terms, name)
		n := ix.layout.head(name)
		ix.heads[n] = removeTerm(ix.heads[n], t)
		for _, n := range wordsBefore {
			ix.words[n] = removeTerm(ix.words[n], t)
		}
		return
	}
	for k := 1; k < t.ntiers(); k++ {
		n := ix.layout.tail(name, k)
		ref := tailRef{t, k}
		at, _ := slices.BinarySearchFunc(ix.tails[n], ref, compareTails)
		ix.tails[n] = slices.Insert(ix.tails[n], at, ref)
	}
	wordsAfter := ix.wordShards(t, nil)
	for _, n := range wordsBefore {
		if !slices.Contains(wordsAfter, n) {
			ix.words[n] = removeTerm(ix.words[n], t)
		}
	}
	for _, n := range wordsAfter {
		if !slices.Contains(wordsBefore, n) {
			ix.words[n] = insertTerm(ix.words[n], t)
		}
	}
}

// reweigh handles the common edits that keep doc i's posting of the term
// where it is: the same weight, or another weight in a term of one tier
// (which is by doc alone). It reports whether it did.
func (t *termInfo) reweigh(i int, b, a *docTerm) bool {
	switch {
	case b == nil || a == nil:
		return false
	case b.weight == a.weight:
		return true // the same posting
	case t.tiers != nil:
		return false
	}
	at, found := slices.BinarySearchFunc(t.postings, i, func(p posting, i int) int { return int(p.doc()) - i })
	if !found {
		return false
	}
	t.postings[at] = newPosting(i, a.weight)
	return true
}

// byDoc returns the term's postings in one list by doc, without doc
// i's and with those of with (by doc): the tiers, each by doc, merged.
func (t *termInfo) byDoc(i int, with []posting) []posting {
	runs := [][]posting{with}
	for k := range t.ntiers() {
		runs = append(runs, t.tier(k))
	}
	out := make([]posting, 0, len(t.postings)+len(with))
	for {
		best := -1
		for r, run := range runs {
			if len(run) > 0 && (best < 0 || run[0] < runs[best][0]) {
				best = r
			}
		}
		if best < 0 {
			return out
		}
		if p := runs[best][0]; int(p.doc()) != i || best == 0 {
			out = append(out, p)
		}
		runs[best] = runs[best][1:]
	}
}

// hold counts one more doc holding a surface of the term.
func (t *termInfo) hold(s string) {
	at, found := slices.BinarySearch(t.surfaces, s)
	if found {
		t.holders[at]++
		return
	}
	t.surfaces = slices.Insert(t.surfaces, at, s)
	t.holders = slices.Insert(t.holders, at, 1)
}

// forget counts one doc fewer holding a surface of the term.
func (t *termInfo) forget(s string) {
	at, found := slices.BinarySearch(t.surfaces, s)
	if !found {
		return
	}
	if t.holders[at]--; t.holders[at] == 0 {
		t.surfaces = slices.Delete(t.surfaces, at, at+1)
		t.holders = slices.Delete(t.holders, at, at+1)
	}
}

// wordShards appends to shards the dictionary shards that list a term:
// those of its own key and of its surfaces' keys, each once.
func (ix *Index) wordShards(t *termInfo, shards []int) []int {
	shards = append(shards, ix.layout.word(keyOf(t.name)))
	for _, s := range t.surfaces {
		if n := ix.layout.word(keyOf(s)); !slices.Contains(shards, n) {
			shards = append(shards, n)
		}
	}
	return shards
}

func compareTerms(a, b *termInfo) int { return strings.Compare(a.name, b.name) }

func compareTails(a, b tailRef) int {
	if c := strings.Compare(a.term.name, b.term.name); c != 0 {
		return c
	}
	return a.tier - b.tier
}

// insertTerm puts t into a shard's list, sorted by name.
func insertTerm(list []*termInfo, t *termInfo) []*termInfo {
	at, _ := slices.BinarySearchFunc(list, t, compareTerms)
	return slices.Insert(list, at, t)
}

// removeTerm takes t out of a shard's list.
func removeTerm(list []*termInfo, t *termInfo) []*termInfo {
	at, found := slices.BinarySearchFunc(list, t, compareTerms)
	if !found {
		return list
	}
	return slices.Delete(list, at, at+1)
}
