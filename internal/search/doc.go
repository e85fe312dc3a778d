// Package search builds the site's full-text index: a static index, cut
// into shards, that the script search.js reads in the reader's browser,
// fetching only what a query needs.
//
// Text: the title, the dek (summary, with tags, authors and source) and
// the body as plain text (content.Article.PlainText: no Markdown or HTML
// syntax) are cut into words (runs of letters and digits) and, for
// Chinese, Japanese and Korean, overlapping pairs of characters. Each
// word is folded (Fold: lower case, accents and compatibility forms
// removed, Unicode-wide) and stemmed with the Snowball stemmer of the
// site's language when there is one (Stemmer): the folded stem is the
// term it is indexed under.
//
// Scoring: BM25F over the three fields, the title weighted most, each
// field normalised by a fixed typical length (see the constants in
// index.go), so an article's weights never depend on the other articles.
// Weights are stored as levels 1..63; the script multiplies them by each
// term's inverse document frequency, and breaks ties by date.
//
// Articles are numbered oldest first, so a date range is a range of
// numbers and the meta file (index.json) maps months to numbers.
//
// The files, under /search/ (see Layout, whose counts depend on the
// number of articles only, so the set of files stays fixed while
// articles are edited):
//
//	index.json    format, number of articles, layout, topics, months
//	w/N.json      the dictionary: terms with their document frequency and
//	              the folded words indexed under them, sharded by the
//	              hash of a word's first three characters (CJK: first one),
//	              so the word being typed finds its completions in one file
//	h/N.json      heads: each term's best postings (the first tier, up to
//	              2,048 articles), sharded by the hash of the term
//	t/N.json      tails: the further tiers, read only when a query needs
//	              more, sharded by the hash of term and tier
//	d/N.json      what results show: URL, title, date, topic and the start
//	              of the text, DocsPerShard articles a file
//	search.js     the script
//
// A query reads index.json, one dictionary shard and one head shard per
// word, and one doc shard per result shown: nothing grows with the
// archive but the number of files. Postings within a tier are sorted by
// article with each weight and topic as one character, so a topic filter
// needs no other file.
//
// The index is deterministic, and an edit to one article changes only
// the shards that hold its terms (those whose postings or words change)
// and its doc shard. An index made with Options.Editable (the dev
// server's) takes such an edit in place (Index.Edit): only the postings
// and words of the article's terms change, and the index is then byte
// for byte what Build makes of the edited articles.
package search

import _ "embed"

// Script is search.js, the script of the search page.
//
//go:embed search.js
var Script []byte
