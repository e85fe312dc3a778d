package pipeline

import (
	"encoding/binary"
	"io"

	"github.com/digest-ssg/digest/internal/buildcache"
	"github.com/digest-ssg/digest/internal/content"
	"github.com/digest-ssg/digest/internal/render"
	"github.com/digest-ssg/digest/internal/search"
	"github.com/digest-ssg/digest/internal/site"
)

// The search index, edited rather than made anew.
//
// With the build cache, a build that made the search index keeps it as a
// snapshot (search.Index.WriteSnapshot) in the cache, with the fingerprint of
// each article it was made from. The next build whose articles are the
// same ones, in the same order, with perhaps newer ones after them (a
// story published), reads the snapshot, edits into it the articles whose
// fingerprints changed (search.Index.Edit; each article's version before
// the edit read from the cache), and appends the new ones
// (search.Index.Append): the index is then byte for byte the one a build
// of the whole would make, for a fraction of the work (analysing every
// article's text). Anything else (no snapshot, a damaged one, an article
// removed, moved, or added among older ones, an earlier version no longer
// in the cache, many changes) makes the index anew.

// searchSnapshotKey names the snapshot in the cache: the number of
// articles, their fingerprints, a byte 1 and the inputs of the search
// meta file of the build that kept it (see pagePlan.keepUntouchedShard)
// or a byte 0, then the index.
var searchSnapshotKey = buildcache.NewKey([]byte("search index snapshot 2"))

// maxSearchEdits is the most articles edited into a snapshot: past it,
// making the index anew costs less (an edit re-sorts the postings of each
// of the article's terms, the commonest of which hold most articles).
const maxSearchEdits = 64

// searchArticles lists the published articles oldest first, as the index
// numbers them.
func searchArticles(m *site.Site) []*site.Article {
	out := make([]*site.Article, len(m.Articles))
	for i, a := range m.Articles {
		out[len(out)-1-i] = a
	}
	return out
}

// makeSearchIndex makes the site's search index: from the snapshot of
// the build before, edited, when it can (which plan notes), else anew.
// It reports how many articles it edited into a snapshot (-1: none was
// used).
//
// anew is called before an index is made anew (not edited), which reads
// every article's text.
func (l *Loaded) makeSearchIndex(plan *pagePlan, anew func()) (int, error) {
	if l.cache == nil {
		anew()
		return -1, render.BuildSearchIndex(l.Site, false)
	}
	if n, ok := l.editSearchSnapshot(plan); ok {
		return n, nil
	}
	anew()
	return -1, render.BuildSearchIndex(l.Site, true)
}

// editSearchSnapshot reads the snapshot and edits the site's changed
// articles into it; it reports false, having changed nothing, when it
// cannot.
func (l *Loaded) editSearchSnapshot(plan *pagePlan) (int, bool) {
	data, ok := l.cache.Get(searchSnapshotKey)
	if !ok {
		return 0, false
	}
	articles := searchArticles(l.Site)
	n, k := binary.Uvarint(data)
	size := uint64(len(buildcache.Key{}))
	if k <= 0 || n > uint64(len(articles)) || uint64(len(articles))-n > maxSearchEdits || uint64(len(data)-k) < n*size {
		return 0, false
	}
	prints, rest := data[k:k+int(n*size)], data[k+int(n*size):]
	if len(rest) < 1+len(buildcache.Key{}) || rest[0] > 1 {
		return 0, false
	}
	from, hasFrom, snapshot := buildcache.Key(rest[1:1+len(buildcache.Key{})]), rest[0] == 1, rest[1+len(buildcache.Key{}):]
	opt := render.SearchOptions(l.Site)
	opt.Editable = true
	ix, err := search.Decode(snapshot, opt, l.Config.Location)
	if err != nil || uint64(ix.Docs()) != n {
		return 0, false
	}
	type edit struct {
		doc int
		old *content.Article
	}
	var edits []edit
	for i, a := range articles[:n] {
		was := prints[i*int(size) : (i+1)*int(size)]
		if a.Fingerprint == "" || ix.DocURL(i) != a.URL {
			return 0, false
		}
		if a.Fingerprint == string(was) {
			continue
		}
		if len(edits) == maxSearchEdits {
			return 0, false
		}
		old, ok := l.parser.Cached(l.Source, buildcache.Key(was))
		if !ok {
			return 0, false
		}
		edits = append(edits, edit{i, old})
	}
	topic := make(map[*site.Term]int, len(l.Site.Topics))
	for i, t := range l.Site.Topics {
		topic[t] = i
	}
	if len(edits)+len(articles)-int(n) > maxSearchEdits {
		return 0, false
	}
	for _, a := range articles[n:] {
		if a.Fingerprint == "" || !ix.Append(render.SearchDoc(a, a.Article, topic[a.TopicTerm])) {
			return 0, false
		}
	}
	for _, e := range edits {
		a := articles[e.doc]
		ix.Edit(e.doc, render.SearchDoc(a, e.old, ix.DocTopic(e.doc)), render.SearchDoc(a, a.Article, topic[a.TopicTerm]))
	}
	if ix.Err() != nil {
		return 0, false
	}
	render.UseSearchIndex(l.Site, ix)
	if hasFrom {
		plan.searchEdited(l.Site, ix, from)
	}
	return len(edits) + len(articles) - int(n), true
}

// saveSearchSnapshot keeps the site's search index, if this build made
// it, for the next build to edit; and keeps the snapshot there is, if
// the index was not made (every article as it was). With async, the
// snapshot is written while the build goes on, which holds the index in
// memory meanwhile; the build calls wait before it prunes the cache. A
// large site's is written at once, a piece at a time, so that it adds
// nothing to what the build holds at its peak.
func (l *Loaded) saveSearchSnapshot(plan *pagePlan, made, async bool) (wait func()) {
	wait = func() {}
	if l.cache == nil {
		return wait
	}
	if !made {
		l.cache.Keep(searchSnapshotKey)
		return wait
	}
	ix := render.SearchIndexOf(l.Site)
	if ix == nil {
		return wait
	}
	articles := searchArticles(l.Site)
	head := binary.AppendUvarint(nil, uint64(len(articles)))
	for _, a := range articles {
		if len(a.Fingerprint) != len(buildcache.Key{}) {
			return wait
		}
		head = append(head, a.Fingerprint...)
	}
	inputs, ok := plan.searchInputs(l.Site)
	head = append(head, 0)
	if ok {
		head[len(head)-1] = 1
	}
	head = append(head, inputs[:]...)
	save := func() {
		l.cache.PutFunc(searchSnapshotKey, func(w io.Writer) error {
			if _, err := w.Write(head); err != nil {
				return err
			}
			return ix.WriteSnapshot(w)
		})
	}
	if !async {
		save()
		return wait
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		save()
	}()
	return func() { <-done }
}
