package search

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Version is the format of the index files, which the script checks.
const Version = 1

// alphabet writes small numbers (weights, topics) one character each.
const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"

// ExcerptBytes is about how much of each article's text its record keeps
// for the snippets of results.
const ExcerptBytes = 480

// Shard kinds, as the first segment of a shard's URL under /search/.
const (
	ShardHeads = "h"
	ShardTails = "t"
	ShardWords = "w"
	ShardDocs  = "d"
)

// Count is how many shards of the kind the layout has.
func (l Layout) Count(kind string) int {
	switch kind {
	case ShardHeads:
		return l.Heads
	case ShardTails:
		return l.Tails
	case ShardWords:
		return l.Words
	case ShardDocs:
		return l.Docs
	}
	return 0
}

// ShardKinds lists the kinds of shard, in the order of the route table.
func ShardKinds() []string { return []string{ShardWords, ShardHeads, ShardTails, ShardDocs} }

// Shard returns the JSON of one shard.
func (ix *Index) Shard(kind string, n int) ([]byte, error) {
	if n < 0 || n >= ix.layout.Count(kind) {
		return nil, fmt.Errorf("search: no shard %s/%d in a layout of %+v", kind, n, ix.layout)
	}
	var b []byte
	switch kind {
	case ShardHeads:
		b = ix.headShard(n)
	case ShardTails:
		b = ix.tailShard(n)
	case ShardWords:
		b = ix.wordShard(n)
	case ShardDocs:
		b = ix.docShard(n)
	}
	return b, nil
}

// headShard: {"term":[df,tiers,[doc…],"weights","topics"],…}, the doc
// numbers ascending, each but the first as the difference to the one
// before.
func (ix *Index) headShard(n int) []byte {
	size := 2
	for _, t := range ix.heads[n] {
		size += len(t.name) + 24 + 7*len(t.tier(0))
	}
	b := append(make([]byte, 0, size), '{')
	for i, t := range ix.heads[n] {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, t.name)
		b = append(b, ':', '[')
		b = strconv.AppendInt(b, int64(len(t.postings)), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(t.ntiers()), 10)
		b = append(b, ',')
		b = ix.appendTier(b, t.tier(0))
		b = append(b, ']')
	}
	return append(b, '}')
}

// tailShard: {"term#k":[[doc…],"weights","topics"],…} for tier k ≥ 1.
func (ix *Index) tailShard(n int) []byte {
	size := 2
	for _, ref := range ix.tails[n] {
		size += len(ref.term.name) + 24 + 7*len(ref.term.tier(ref.tier))
	}
	b := append(make([]byte, 0, size), '{')
	for i, ref := range ix.tails[n] {
		t := ref.term
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, t.name+"#"+itoa(ref.tier))
		b = append(b, ':', '[')
		b = ix.appendTier(b, t.tier(ref.tier))
		b = append(b, ']')
	}
	return append(b, '}')
}

// appendTier writes [doc…],"weights","topics" for a tier's postings,
// sorted by doc.
func (ix *Index) appendTier(b []byte, sorted []posting) []byte {
	b = append(b, '[')
	prev := uint32(0)
	for i, p := range sorted {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendUint(b, uint64(p.doc()-prev), 10)
		prev = p.doc()
	}
	b = append(b, ']', ',', '"')
	for _, p := range sorted {
		b = append(b, alphabet[p.weight()])
	}
	b = append(b, '"', ',', '"')
	for _, p := range sorted {
		b = ix.appendTopic(b, int(ix.topics[p.doc()]))
	}
	return append(b, '"')
}

// appendTopic writes a topic's number: one character, or two for sites
// of more than 64 topics.
func (ix *Index) appendTopic(b []byte, topic int) []byte {
	if len(ix.opt.Topics) > len(alphabet) {
		b = append(b, alphabet[topic/len(alphabet)%len(alphabet)])
	}
	return append(b, alphabet[topic%len(alphabet)])
}

// wordShard: {"term":[df,"suffix",…],…}: each term whose word or whose
// surface forms (the folded words indexed under it) have a key of this
// shard, with those forms: the term's end that follows the term ("" for
// the term itself), or "=" and the whole word when it does not start
// with the term.
func (ix *Index) wordShard(n int) []byte {
	b := []byte{'{'}
	for i, t := range ix.words[n] {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, t.name)
		b = append(b, ':', '[')
		b = strconv.AppendInt(b, int64(len(t.postings)), 10)
		for _, s := range t.surfaces {
			b = append(b, ',')
			if rest, ok := strings.CutPrefix(s, t.name); ok {
				b = appendString(b, rest)
			} else {
				b = appendString(b, "="+s)
			}
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// docShard: [[url,title,date,topic,text],…] for docs n×DocsPerShard on.
func (ix *Index) docShard(n int) []byte {
	lo, hi := n*DocsPerShard, min(len(ix.docs), (n+1)*DocsPerShard)
	size := 2
	for id := lo; id < hi; id++ {
		size += len(ix.docs[id].URL) + len(ix.docs[id].Title) + ExcerptBytes + 64
	}
	b := append(make([]byte, 0, size), '[')
	for id := lo; id < hi; id++ {
		d := &ix.docs[id]
		if id > lo {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendString(b, d.URL)
		b = append(b, ',')
		b = appendString(b, d.Title)
		b = append(b, ',', '"')
		b = d.Date.AppendFormat(b, "2006-01-02")
		b = append(b, '"', ',')
		b = strconv.AppendInt(b, int64(d.Topic), 10)
		b = append(b, ',')
		b = appendString(b, d.excerpt)
		b = append(b, ']')
	}
	return append(b, ']')
}

// Meta returns the JSON the script reads first: the format, the number of
// articles, the layout, the topics and the first article of each month.
func (ix *Index) Meta() []byte { return MetaFor(ix.docs, ix.opt) }

// MetaFor makes the meta file from the docs alone, without indexing them.
func MetaFor(docs []Doc, opt Options) []byte {
	l := LayoutFor(len(docs))
	b := fmt.Appendf(nil, `{"v":%d,"n":%d,"layout":[%d,%d,%d,%d],"per":%d,"tiers":[`,
		Version, len(docs), l.Heads, l.Tails, l.Words, l.Docs, DocsPerShard)
	for i, n := range tierSizes {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(n), 10)
	}
	b = fmt.Appendf(b, `],"levels":%d,"wide":%t,"topics":[`, levels, len(opt.Topics) > len(alphabet))
	for i, t := range opt.Topics {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, t)
	}
	b = append(b, `],"months":[`...)
	month := ""
	for id, d := range docs {
		if m := d.Date.Format("2006-01"); m != month {
			if month != "" {
				b = append(b, ',')
			}
			month = m
			b = append(b, '[', '"')
			b = append(b, m...)
			b = append(b, '"', ',')
			b = strconv.AppendInt(b, int64(id), 10)
			b = append(b, ']')
		}
	}
	return append(b, "]}"...)
}

// appendString writes s as a JSON string, with <, > and & escaped as
// encoding/json does, so that no file of the index holds markup even if a
// host served it as HTML.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == '\u2028' || r == '\u2029' || r == utf8.RuneError && size == 1 {
				b = append(b, s[start:i]...)
				b = fmt.Appendf(b, `\u%04x`, r)
				start = i + size
			}
			i += size
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = fmt.Appendf(b, `\u%04x`, c)
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
