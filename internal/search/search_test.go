package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/digest-ssg/digest/internal/config"
	"github.com/digest-ssg/digest/internal/content"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Harbour":  "harbour",
		"Café":     "cafe",
		"ZÜRICH":   "zurich",
		"Straße":   "strasse",
		"ΣΟΦΟΣ":    "σοφοσ", // the final sigma is folded too
		"ﬁle":      "file",
		"Ｆｕｌｌ":     "full",
		"İstanbul": "istanbul",
		"Ångström": "angstrom",
		"Łódź":     "łodz", // Ł is a letter of its own, not L with a mark
		"²":        "2",
		"が":        "が", // the voicing mark of kana changes the letter: kept
		"ｶﾞ":       "ガ", // half-width kana with its mark, composed
		"한국":       "한국",
		"ΆΈΉ":      "αεη",
		"Ёлка":     "елка",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func tokensOf(s string) []string {
	var out []string
	eachToken(s, func(t token) { out = append(out, t.text) })
	return out
}

func TestTokens(t *testing.T) {
	for in, want := range map[string]string{
		"Hello, wörld! covid-19 (2024)": "Hello|wörld|covid|19|2024",
		"don't stop":                    "don|t|stop",
		"東京都に行く":                        "東京|京都|都に|に行|行く",
		"東":                             "東",
		"iPhone 東京 2020":                "iPhone|東京|2020",
		"東京2020":                        "東京|2020",
		"コーヒー":                          "コー|ーヒ|ヒー",
		"서울 시내":                         "서울|시내",
		"e\u0301te\u0301":               "e\u0301te\u0301", // marks stay with their letter
		"a+b=c; x_y":                    "a|b|c|x|y",
	} {
		if got := strings.Join(tokensOf(in), "|"); got != want {
			t.Errorf("tokens of %q = %s, want %s", in, got, want)
		}
	}
}

func TestStemming(t *testing.T) {
	for _, c := range []struct{ lang, text, want string }{
		{"en", "Running runners ran easily", "run runner ran easili"},
		{"en-GB", "Harbours harboured", "harbour harbour"},
		{"fr", "Économiques économie", "econom econom"},
		{"de", "Häuser Hauses", "haus haus"},
		{"es", "corriendo", "corr"},
		{"xx", "running runs", "running runs"}, // no stemmer: folded only
		{"ja", "走る", "走る"},
		{"en", "Zürich's cafés", "zurich s cafe"},
	} {
		if got := strings.Join(Terms(c.lang, c.text), " "); got != c.want {
			t.Errorf("%s: terms of %q = %q, want %q", c.lang, c.text, got, c.want)
		}
	}
	if Stemmer("en-US") != "en" || Stemmer("zh-Hant") != "" {
		t.Error("Stemmer picks by the primary subtag")
	}
}

// TestMarkupIsNeverIndexed: Markdown and HTML syntax, link targets and
// raw HTML (escaped or let through) give no terms; their text does.
func TestMarkupIsNeverIndexed(t *testing.T) {
	for _, raw := range []bool{false, true} {
		cfg := config.Default()
		cfg.Markdown.RawHTML = raw
		a, errs := content.NewParser(cfg).Parse("content/a.md", []byte("---\ntitle: T\ndate: 2026-01-02\n---\n"+
			"# Heading\n\n**bold** _slanted_ [linktext](https://example.com/urlpart) ![alttext](pic.png)\n\n"+
			"<div class=\"klass\">rawtext</div>\n\nSome <span>inline</span> html &amp; entities\n\n```go\ncodeword()\n```\n\n| cell |\n|---|\n| tablecell |\n"))
		if errs.Err() != nil {
			t.Fatal(errs)
		}
		text, _ := a.PlainText()
		ix := Build([]Doc{{URL: "/a/", Title: a.Title, Text: text, Date: a.Date}}, Options{Language: "en"})
		for _, absent := range []string{"div", "klass", "span", "https", "exampl", "urlpart", "png", "amp", "class"} {
			if ix.terms[absent] != nil {
				t.Errorf("raw_html=%v: %q is indexed from %q", raw, absent, text)
			}
		}
		for _, present := range []string{"head", "bold", "slant", "linktext", "alttext", "inlin", "entiti", "codeword", "tablecel"} {
			if ix.terms[present] == nil {
				t.Errorf("raw_html=%v: %q is not indexed from %q", raw, present, text)
			}
		}
	}
}

var day = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

func doc(i int, title, text string) Doc {
	return Doc{URL: fmt.Sprintf("/%d/", i), Title: title, Text: text, Date: day.AddDate(0, 0, i)}
}

// rank scores the docs for a query as search.js does: the sum over the
// words of idf times weight, ties newest first; every word must match.
func rank(t *testing.T, ix *Index, query string) []int {
	t.Helper()
	scores := map[int]float64{}
	words := Terms(ix.opt.Language, query)
	for i, term := range words {
		var heads map[string][]json.RawMessage
		data, _ := ix.Shard(ShardHeads, ix.layout.head(term))
		if err := json.Unmarshal(data, &heads); err != nil {
			t.Fatal(err)
		}
		e := heads[term]
		if e == nil {
			return nil
		}
		var df int
		var ids []int
		var ws string
		json.Unmarshal(e[0], &df)
		json.Unmarshal(e[2], &ids)
		json.Unmarshal(e[3], &ws)
		idf := math.Log(1 + (float64(len(ix.docs)-df)+0.5)/(float64(df)+0.5))
		d := 0
		next := map[int]float64{}
		for j, delta := range ids {
			d += delta
			if _, ok := scores[d]; ok || i == 0 {
				next[d] = scores[d] + idf*float64(strings.IndexByte(alphabet, ws[j]))
			}
		}
		scores = next
	}
	var out []int
	for d := range scores {
		out = append(out, d)
	}
	sort.Slice(out, func(a, b int) bool {
		if scores[out[a]] != scores[out[b]] {
			return scores[out[a]] > scores[out[b]]
		}
		return out[a] > out[b]
	})
	return out
}

func TestRanking(t *testing.T) {
	docs := []Doc{
		doc(0, "Council budget", "The harbour strike entered its third day."),          // in the body
		doc(1, "Harbour strike ends", "Dockers went back to work."),                    // in the title
		doc(2, "Weather", "Rain."),                                                     // no match
		doc(3, "Strike at the harbour", "The harbour strike, a strike like no other."), // title and body, often
		doc(4, "Markets", "Shares fell as the harbour strike went on."),                // body, like 0 but newer
		doc(5, "Harbour news", "Nothing struck."),                                      // one word only
	}
	ix := Build(docs, Options{Language: "en"})
	if got, want := rank(t, ix, "harbour strike"), []int{3, 1, 4, 0}; !slices.Equal(got, want) {
		t.Errorf("ranked %v, want %v (title first, then more often, ties newest first)", got, want)
	}
	if got := rank(t, ix, "Strikes"); !slices.Equal(got, []int{3, 1, 4, 0}) {
		t.Errorf("a stemmed word: %v", got)
	}
	if got := rank(t, ix, "harbour weather"); got != nil && len(got) != 0 {
		t.Errorf("every word must match: %v", got)
	}
}

// TestTiersBestFirst: a term's postings are cut into tiers by weight,
// ties newest first, each tier sorted by doc.
func TestTiersBestFirst(t *testing.T) {
	var docs []Doc
	for i := range 5000 {
		title := "Story"
		if i%1000 == 7 {
			title = "Common word"
		}
		docs = append(docs, doc(i, title, "common "+strings.Repeat("filler ", i%50)))
	}
	ix := Build(docs, Options{Language: "en"})
	c := ix.terms["common"]
	if got := c.ntiers(); got != 2 {
		t.Fatalf("%d tiers for 5,000 postings, want 2", got)
	}
	head := c.tier(0)
	if len(head) != tierSizes[0] {
		t.Fatalf("head of %d", len(head))
	}
	if !slices.IsSortedFunc(head, func(a, b posting) int { return int(a.doc()) - int(b.doc()) }) {
		t.Error("the head is not sorted by doc")
	}
	minHead := slices.MinFunc(head, func(a, b posting) int { return int(a.weight()) - int(b.weight()) }).weight()
	for _, p := range c.tier(1) {
		if p.weight() > minHead {
			t.Fatalf("a posting of weight %d in the second tier, the head goes down to %d", p.weight(), minHead)
		}
	}
	for _, d := range []uint32{7, 1007, 2007, 3007, 4007} {
		if !slices.ContainsFunc(head, func(p posting) bool { return p.doc() == d }) {
			t.Errorf("doc %d, with the word in its title, is not in the head", d)
		}
	}
}

// shards returns every file of the index by its path under /search/.
// untouchedAsBefore fails the test when a shard that ix says Edit and
// Append did not touch differs from its bytes in before (see shards); it
// returns how many were untouched.
func untouchedAsBefore(t *testing.T, ix *Index, before map[string][]byte) int {
	t.Helper()
	kept := 0
	for _, kind := range ShardKinds() {
		for n := range ix.layout.Count(kind) {
			if ix.Touched(kind, n) {
				continue
			}
			kept++
			name := fmt.Sprintf("%s/%d.json", kind, n)
			if b, _ := ix.Shard(kind, n); !bytes.Equal(b, before[name]) {
				t.Errorf("%s changed, but the index says it was not touched:\n now %.200s\n was %.200s", name, b, before[name])
			}
		}
	}
	return kept
}

func shards(t *testing.T, ix *Index) map[string][]byte {
	t.Helper()
	out := map[string][]byte{"index.json": ix.Meta()}
	for _, kind := range ShardKinds() {
		for n := range ix.layout.Count(kind) {
			b, err := ix.Shard(kind, n)
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid(b) {
				t.Fatalf("%s/%d is not JSON: %.200s", kind, n, b)
			}
			out[fmt.Sprintf("%s/%d.json", kind, n)] = b
		}
	}
	return out
}

// corpus makes n docs of random words from a vocabulary of 2,000.
func corpus(n int) []Doc {
	r := rand.New(rand.NewPCG(1, 2))
	word := func() string { return fmt.Sprintf("w%dx", int(math.Exp(r.Float64()*math.Log(2000)))) }
	var docs []Doc
	for i := range n {
		var title, body []string
		for range 6 {
			title = append(title, word())
		}
		for range 200 {
			body = append(body, word())
		}
		docs = append(docs, Doc{URL: fmt.Sprintf("/%d/", i), Title: strings.Join(title, " "), Text: strings.Join(body, " "),
			Date: day.Add(time.Duration(i) * time.Hour), Topic: i % 3})
	}
	return docs
}

func TestDeterministic(t *testing.T) {
	opt := Options{Language: "en", Topics: []string{"A", "B", "C"}}
	a, b := shards(t, Build(corpus(600), opt)), shards(t, Build(corpus(600), opt))
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

// TestEditChangesOnlyItsShards: replacing one word of one article's body
// with another (a new word of the site) changes the head and the
// dictionary shards of the two words, the article's doc shard, and no
// other file, so a sync after an edit uploads little.
func TestEditChangesOnlyItsShards(t *testing.T) {
	opt := Options{Language: "en", Topics: []string{"A", "B", "C"}}
	docs := corpus(2000)
	before := shards(t, Build(slices.Clone(docs), opt))
	const edited = 1234
	fields := strings.Fields(docs[edited].Text)
	old := fields[10]
	fields[10] = "zanzibar"
	docs[edited].Text = strings.Join(fields, " ")
	ix := Build(docs, opt)
	after := shards(t, ix)
	l := ix.layout
	want := map[string]bool{
		fmt.Sprintf("h/%d.json", l.head(old)):         true,
		fmt.Sprintf("h/%d.json", l.head("zanzibar")):  true,
		fmt.Sprintf("w/%d.json", l.word(keyOf(old))):  true,
		fmt.Sprintf("w/%d.json", l.word("zan")):       true,
		fmt.Sprintf("d/%d.json", edited/DocsPerShard): true,
	}
	if c := ix.terms[old]; c != nil && c.ntiers() > 1 {
		t.Fatalf("%q has tails: pick another word", old)
	}
	var changed []string
	for name := range after {
		if !bytes.Equal(before[name], after[name]) {
			changed = append(changed, name)
			if !want[name] {
				t.Errorf("%s changed", name)
			}
		}
	}
	for name := range want {
		if bytes.Equal(before[name], after[name]) {
			t.Errorf("%s did not change", name)
		}
	}
	t.Logf("%d of %d files changed: %v", len(changed), len(after), changed)
}

// TestLayoutDependsOnTheCountAlone: the set of files is a function of the
// number of articles, and grows by powers of two.
func TestLayoutDependsOnTheCountAlone(t *testing.T) {
	if l := LayoutFor(0); l.Heads != 1 || l.Tails != 1 || l.Words != 1 || l.Docs != 1 {
		t.Errorf("an empty site: %+v", l)
	}
	if a, b := LayoutFor(10000), LayoutFor(10001); a.Heads != b.Heads || a.Words != b.Words || a.Tails != b.Tails {
		t.Errorf("one more article reshuffles the index: %+v, %+v", a, b)
	}
	for _, n := range []int{1, 14, 999, 10000, 100000} {
		l := LayoutFor(n)
		for _, c := range []int{l.Heads, l.Tails, l.Words} {
			if c&(c-1) != 0 {
				t.Errorf("%d articles: %+v, not powers of two", n, l)
			}
		}
		if l.Docs != (n+DocsPerShard-1)/DocsPerShard {
			t.Errorf("%d articles: %d doc shards", n, l.Docs)
		}
	}
}

func TestMetaMonths(t *testing.T) {
	docs := []Doc{doc(0, "a", ""), doc(40, "b", ""), doc(41, "c", ""), doc(80, "d", "")}
	var m struct {
		N      int
		Months [][2]any
	}
	if err := json.Unmarshal(MetaFor(docs, Options{}), &m); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(m.Months); m.N != 4 || got != "[[2026-03 0] [2026-04 1] [2026-05 3]]" {
		t.Errorf("months %s", got)
	}
}

// TestEditMatchesBuild: an editable index, edited doc by doc, is byte for
// byte the index a build of the edited docs makes: new words and words
// gone from the site, words in other letter cases and with accents,
// terms whose postings move between tiers, titles, deks and tags.
func TestEditMatchesBuild(t *testing.T) {
	opt := Options{Language: "en", Topics: []string{"A", "B", "C"}}
	docs := corpus(5000)
	editable := opt
	editable.Editable = true
	ix := Build(slices.Clone(docs), editable)
	if c := ix.terms["w1x"]; c == nil || c.ntiers() < 2 {
		t.Fatal("the corpus has no term with tails: the test needs one")
	}
	edits := []struct {
		doc  int
		edit func(d *Doc)
	}{
		{1234, func(d *Doc) { d.Text = strings.Replace(d.Text, " ", " zanzibar ", 1) }},
		{10, func(d *Doc) { d.Title = "Café Zürich news, CAFÉ and cafe" }},
		{1234, func(d *Doc) { d.Text = strings.Replace(d.Text, " zanzibar ", " ", 1) }},
		{4000, func(d *Doc) { d.Text = "" }},
		{2500, func(d *Doc) { d.Text += strings.Repeat(" w1x w2x w3x", 40) }},
		{0, func(d *Doc) { d.Dek, d.Meta = "A dek with Kittiwakes", "tagone Tagtwo Ann Lee" }},
		{4999, func(d *Doc) { d.Title, d.Text = "東京 news", "東京都に行く" }},
		{2500, func(d *Doc) { d.Text = "w1x" }},
		{1, func(d *Doc) { d.Text += " kittiwake" }},
		{0, func(d *Doc) { d.Dek = d.Text[:40] }},                      // a dek the body starts with; "kittiwakes" goes, "kittiwak" stays
		{4999, func(d *Doc) { d.Title, d.Text = "Plain news", "w2x" }}, // 東京 and zanzibar's words leave the index
	}
	first := shards(t, ix)
	for n, e := range edits {
		old := docs[e.doc]
		next := old
		e.edit(&next)
		docs[e.doc] = next
		ix.Edit(e.doc, old, next)
		want := shards(t, Build(slices.Clone(docs), opt))
		got := shards(t, ix)
		if kept := untouchedAsBefore(t, ix, first); kept < len(first)/2 {
			t.Errorf("edit %d: only %d of %d shards untouched", n, kept, len(first))
		}
		for name := range want {
			if !bytes.Equal(got[name], want[name]) {
				t.Errorf("edit %d (doc %d): %s differs from a build's:\n got %.300s\nwant %.300s", n, e.doc, name, got[name], want[name])
			}
		}
		if t.Failed() {
			return
		}
	}
}

// TestKnownTokensGrow: the table of known tokens finds every token, short
// and long, after growing many times, and no token it was not given.
func TestKnownTokensGrow(t *testing.T) {
	k := newKnownTokens(0)
	word := func(i int) string { return strings.Repeat("x", i%13) + fmt.Sprint(i) }
	for i := range 20000 {
		key, h := tokenKey(word(i))
		k.add(key, h, word(i), int32(i))
	}
	if len(k.slots) < 40000 {
		t.Fatalf("%d slots for 20,000 tokens", len(k.slots))
	}
	for i := range 20000 {
		key, h := tokenKey(word(i))
		if id, ok := k.find(key, h, word(i)); !ok || id != int32(i) {
			t.Fatalf("%q: %d, %v", word(i), id, ok)
		}
	}
	for _, w := range []string{"y", "xxxxxxxxxxxxxxxx", "x20000", "xxxxxxxxxxxx20001"} {
		key, h := tokenKey(w)
		if id, ok := k.find(key, h, w); ok {
			t.Errorf("%q found as %d", w, id)
		}
	}
}

// TestSnapshot: an editable index written as a snapshot reads back as the
// same index (every shard and the meta byte for byte), is edited as the
// index it was written from is, and a snapshot damaged anywhere, or of
// other options, is refused.
func TestSnapshot(t *testing.T) {
	opt := Options{Language: "en", Topics: []string{"A", "B", "C"}, Editable: true}
	docs := corpus(3000)
	// An archive's oldest stories, and one dated far ahead: years that
	// nanoseconds since 1970 cannot hold.
	docs[0].Date = time.Date(1215, 6, 15, 10, 0, 0, 0, time.UTC)
	docs[1].Date = time.Date(1666, 9, 2, 1, 0, 0, 0, time.UTC)
	docs[len(docs)-1].Date = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
	ix := Build(slices.Clone(docs), opt)
	data, err := snapshotOf(ix)
	if err != nil {
		t.Fatal(err)
	}
	again, err := snapshotOf(ix)
	if err != nil || !bytes.Equal(again, data) {
		t.Fatal("two snapshots of one index differ")
	}
	read, err := Decode(data, opt, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	same := func(when string, got, want *Index) {
		t.Helper()
		g, w := shards(t, got), shards(t, want)
		if len(g) != len(w) {
			t.Fatalf("%s: %d files, want %d", when, len(g), len(w))
		}
		for name := range w {
			if !bytes.Equal(g[name], w[name]) {
				t.Fatalf("%s: %s differs:\n got %.300s\nwant %.300s", when, name, g[name], w[name])
			}
		}
		if !bytes.Equal(got.Meta(), want.Meta()) {
			t.Fatalf("%s: the meta differs", when)
		}
	}
	same("read back", read, ix)
	first := shards(t, read)
	old := docs[1500]
	next := old
	next.Title, next.Text = "Kittiwakes return to the harbour", old.Text+" kittiwake colony"
	docs[1500] = next
	read.Edit(1500, old, next)
	same("edited after reading", read, Build(slices.Clone(docs), opt))

	// Newer articles are appended, until the layout would change.
	appended := 0
	for i := range 200 {
		next := doc(len(docs), "Appended story "+strconv.Itoa(i), "A new story about kittiwakes and the harbour, number "+strconv.Itoa(i))
		next.Date = docs[len(docs)-1].Date.Add(time.Hour)
		if !read.Append(next) {
			if LayoutFor(len(docs)+1) == LayoutFor(len(docs)) {
				t.Fatalf("append %d refused with the same layout", i)
			}
			break
		}
		docs = append(docs, next)
		appended++
		if i%40 == 0 {
			same("appended "+strconv.Itoa(appended), read, Build(slices.Clone(docs), opt))
		}
	}
	same("appended", read, Build(slices.Clone(docs), opt))
	if kept := untouchedAsBefore(t, read, first); kept < len(first)/2 {
		t.Errorf("after an edit and %d appends, only %d of %d shards untouched", appended, kept, len(first))
	}
	if appended == 0 {
		t.Error("no doc was appended")
	}

	for _, at := range []int{0, 5, len(data) / 3, len(data) / 2, len(data) - 5, len(data) - 1} {
		bad := slices.Clone(data)
		bad[at] ^= 0x01
		if _, err := Decode(bad, opt, time.UTC); err == nil {
			t.Errorf("a snapshot with byte %d of %d changed was read", at, len(data))
		}
	}
	for n := 0; n < len(data); n += len(data)/97 + 1 {
		if _, err := Decode(data[:n], opt, time.UTC); err == nil {
			t.Fatalf("a snapshot cut to %d of %d bytes was read", n, len(data))
		}
	}
	other := opt
	other.Topics = []string{"A", "B", "D"}
	if _, err := Decode(data, other, time.UTC); err == nil {
		t.Error("a snapshot of other topics was read")
	}
	other = opt
	other.Language = "fr"
	if _, err := Decode(data, other, time.UTC); err == nil {
		t.Error("a snapshot of another language was read")
	}
	if err := Build(slices.Clone(docs), Options{Language: "en", Topics: opt.Topics}).WriteSnapshot(io.Discard); err == nil {
		t.Error("an index that is not editable was written as a snapshot")
	}
}

// snapshotOf is ix written as a snapshot.
func snapshotOf(ix *Index) ([]byte, error) {
	var b bytes.Buffer
	err := ix.WriteSnapshot(&b)
	return b.Bytes(), err
}
