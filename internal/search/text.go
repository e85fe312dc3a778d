package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/arabic"
	"github.com/blevesearch/snowballstem/danish"
	"github.com/blevesearch/snowballstem/dutch"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/finnish"
	"github.com/blevesearch/snowballstem/french"
	"github.com/blevesearch/snowballstem/german"
	"github.com/blevesearch/snowballstem/hungarian"
	"github.com/blevesearch/snowballstem/irish"
	"github.com/blevesearch/snowballstem/italian"
	"github.com/blevesearch/snowballstem/norwegian"
	"github.com/blevesearch/snowballstem/portuguese"
	"github.com/blevesearch/snowballstem/romanian"
	"github.com/blevesearch/snowballstem/russian"
	"github.com/blevesearch/snowballstem/spanish"
	"github.com/blevesearch/snowballstem/swedish"
	"github.com/blevesearch/snowballstem/tamil"
	"github.com/blevesearch/snowballstem/turkish"
	"golang.org/x/text/unicode/norm"
)

// stemmers are the Snowball stemmers, by the primary subtag of the site's
// language (BCP 47). Other languages are folded but not stemmed.
var stemmers = map[string]func(*snowballstem.Env) bool{
	"ar": arabic.Stem, "da": danish.Stem, "nl": dutch.Stem, "en": english.Stem,
	"fi": finnish.Stem, "fr": french.Stem, "de": german.Stem, "hu": hungarian.Stem,
	"ga": irish.Stem, "it": italian.Stem, "no": norwegian.Stem, "nb": norwegian.Stem,
	"nn": norwegian.Stem, "pt": portuguese.Stem, "ro": romanian.Stem, "ru": russian.Stem,
	"es": spanish.Stem, "sv": swedish.Stem, "ta": tamil.Stem, "tr": turkish.Stem,
}

// Stemmer reports the name of the stemmer used for a language tag, or ""
// when words of that language are only folded.
func Stemmer(lang string) string {
	primary, _, _ := strings.Cut(strings.ToLower(lang), "-")
	if stemmers[primary] == nil {
		return ""
	}
	return primary
}

// isCJK reports whether r is written without spaces between words
// (Chinese, Japanese, Korean): such text is indexed as overlapping pairs
// of characters. The Katakana prolonged sound mark and the ideographic
// iteration mark belong to no script of their own but to these words.
func isCJK(r rune) bool {
	if r < 0x1100 {
		return false
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) || r == 0x30FC || r == 0x3005
}

// isWord reports whether r is part of a word: a letter, a digit or a
// combining mark.
func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return unicode.In(r, unicode.L, unicode.N, unicode.M)
}

// asciiWord tells the ASCII letters and digits (every other byte, ASCII
// or not, is false).
var asciiWord = func() (t [256]bool) {
	for c := range utf8.RuneSelf {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

// token is one word of a text, as written (kind word), or a pair of CJK
// characters or a lone one (kind cjk).
type token struct {
	text string
	cjk  bool
}

// eachToken calls fn with every token of s, in order: runs of letters
// and digits (words), and in runs of CJK characters every pair of
// neighbours, or the character when it stands alone. Everything else
// (spaces, punctuation, symbols) separates tokens and is never indexed.
// No token holds an ASCII byte that is not a letter or digit, so the
// tokens of s are those of its parts between such bytes (see
// collector.add, which handles the words of ASCII letters itself).
func eachToken(s string, fn func(token)) {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf && !asciiWord[c] {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isCJK(r):
			start := i
			var prev int // start of the previous character of the run
			n := 0
			for i < len(s) {
				r, size := utf8.DecodeRuneInString(s[i:])
				if !isCJK(r) {
					break
				}
				if n > 0 {
					fn(token{text: s[prev : i+size], cjk: true})
				}
				prev = i
				i += size
				n++
			}
			if n == 1 {
				fn(token{text: s[start:i], cjk: true})
			}
		case isWord(r):
			start := i
			for i < len(s) {
				if c := s[i]; c < utf8.RuneSelf {
					if !asciiWord[c] {
						break
					}
					i++
					continue
				}
				r, size := utf8.DecodeRuneInString(s[i:])
				if !isWord(r) || isCJK(r) {
					break
				}
				i += size
			}
			fn(token{text: s[start:i]})
		default:
			i += size
		}
	}
}

// Fold gives the form in which a word is indexed and looked up: lower
// case, compatibility forms made plain (ﬁ, ², full-width letters), accents
// and other marks removed (but the voicing marks of Japanese kana, which
// change the letter), ß as ss and final σ as σ. The script search.js does
// the same with String.normalize.
func Fold(s string) string {
	if isASCII(s) {
		return lowerASCII(s)
	}
	s = norm.NFKD.String(strings.ToLower(s))
	var b strings.Builder
	b.Grow(len(s))
	var base rune // the last character that is not a mark
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r) && !isKana(base):
			continue
		case r == 'ß':
			b.WriteString("ss")
		case r == 'ς':
			b.WriteRune('σ')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
		if !unicode.Is(unicode.M, r) {
			base = r
		}
	}
	return norm.NFC.String(b.String())
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isKana(r rune) bool { return unicode.In(r, unicode.Hiragana, unicode.Katakana) }

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// analyzer turns tokens into index terms for one language. It keeps what
// it worked out for every token it met, so each distinct word is folded
// and stemmed once, and numbers the terms it met: not safe for concurrent
// use (one per goroutine).
type analyzer struct {
	stem     func(*snowballstem.Env) bool
	env      *snowballstem.Env
	known    knownTokens // token as written → term number
	ids      knownTokens // term → term number
	terms    []string    // by number
	surfaces []surface   // the folded words met (some more than once)
	texts    arena       // copies of the tokens met
	// bySurface, for an index that is edited (Options.Editable): the
	// surfaces met, each once, by word. Known tokens then give the
	// number of their surface (in surfaces), not of their term.
	bySurface *knownTokens
}

// arena copies strings into blocks of a few kilobytes: one allocation
// for hundreds of words.
type arena struct{ block strings.Builder }

// clone returns a copy of s. The copies share blocks, which stay in
// memory while one of their strings is used.
func (a *arena) clone(s string) string {
	if a.block.Cap()-a.block.Len() < len(s) {
		a.block = strings.Builder{}
		a.block.Grow(max(16<<10, len(s)))
	}
	start := a.block.Len()
	a.block.WriteString(s) // within the capacity: the block does not move
	return a.block.String()[start:]
}

// surface is a folded word and the number of the term it is indexed
// under.
type surface struct {
	word string
	term int32
}

// word is what a token is indexed as: its folded form as a reader types
// it (surface), and the term it is indexed under (folded stem).
type word struct {
	surface, term string
}

// newAnalyzer returns an analyzer for a language that expects to meet
// about words distinct terms (so its tables need not grow).
func newAnalyzer(lang string, words int) *analyzer {
	return &analyzer{
		stem: stemmers[Stemmer(lang)], env: snowballstem.NewEnv(""),
		known: newKnownTokens(2 * words), ids: newKnownTokens(2 * words),
		terms: make([]string, 0, words), surfaces: make([]surface, 0, words),
	}
}

// id returns the number of a token's term.
func (a *analyzer) id(t token) int32 {
	key, h := tokenKey(t.text)
	if id, ok := a.known.find(key, h, t.text); ok {
		return id
	}
	return a.learn(t.text, key, h, t.cjk)
}

// learn analyzes a token met for the first time, and returns the number
// of its term. A word of ASCII letters with capitals is indexed as it is
// in lower case (see analyze), so it takes the number of that word,
// learnt first if need be, without being folded and stemmed again.
func (a *analyzer) learn(text string, key uint64, h uint32, cjk bool) int32 {
	var id int32
	lower, ok := lowerCapitals(text)
	if ok {
		lkey, lh := tokenKey(lower)
		var known bool
		if id, known = a.known.find(lkey, lh, lower); !known {
			id = a.learn(lower, lkey, lh, false)
		}
	}
	text = a.texts.clone(text) // it points into a whole article
	if !ok {
		w := a.analyze(text, cjk)
		id = a.number(w.term)
		if a.bySurface != nil {
			id = a.surfaceNumber(w.surface, id)
		} else {
			a.surfaces = append(a.surfaces, surface{w.surface, id})
		}
	}
	a.known.add(key, h, text, id)
	return id
}

// number returns the number of a term, giving it the next one if it is
// new.
func (a *analyzer) number(term string) int32 {
	name := term
	if name == "" { // a word of marks alone; the table has no empty key
		name = " " // and no term has a space
	}
	key, h := tokenKey(name)
	if id, ok := a.ids.find(key, h, name); ok {
		return id
	}
	id := int32(len(a.terms))
	a.terms = append(a.terms, term)
	a.ids.add(key, h, name, id)
	return id
}

// surfaceNumber returns the number of a surface (see bySurface), adding
// it with its term if it is new.
func (a *analyzer) surfaceNumber(word string, term int32) int32 {
	name := word
	if name == "" {
		name = " "
	}
	key, h := tokenKey(name)
	if k, ok := a.bySurface.find(key, h, name); ok {
		return k
	}
	k := int32(len(a.surfaces))
	a.surfaces = append(a.surfaces, surface{word, term})
	a.bySurface.add(key, h, name, k)
	return k
}

// lowerCapitals returns an ASCII word with capitals in lower case; ok is
// false for words in lower case already, and for words with other than
// ASCII letters and digits.
func lowerCapitals(s string) (lower string, ok bool) {
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return "", false
		}
		upper = upper || 'A' <= c && c <= 'Z'
	}
	if !upper {
		return "", false
	}
	return lowerASCII(s), true
}

// knownTokens is a hash table of the tokens an analyzer has met: the
// lookup of every token of every article, so it is made for that (open
// addressing in slots of 16 bytes, the hash computed as the token is
// read, most tokens told apart by their first eight bytes kept in the
// slot), where a Go map took a quarter of the time of indexing.
type knownTokens struct {
	slots []knownToken
	long  []string // the tokens of eight bytes or more
	n     int
}

// knownToken is a slot of knownTokens: a token's first eight bytes
// (0 for an empty slot), its number, and where it is in long, plus one
// (0: the key is the whole token).
type knownToken struct {
	key  uint64
	id   int32
	long int32
}

// newKnownTokens makes a table with room for about n tokens.
func newKnownTokens(n int) knownTokens {
	return knownTokens{slots: make([]knownToken, pow2(max(1024, n)))}
}

// tokenKey gives what the known tokens are found by: the first eight
// bytes of a token, little-endian and zero past its end (no token holds
// a zero byte, so a token of under eight bytes is its key), and a hash of
// it all. collector.add works out the same on the way for ASCII words.
func tokenKey(s string) (key uint64, h uint32) {
	rest := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		if i < 8 {
			key |= uint64(s[i]) << (8 * i)
		} else {
			rest = (rest ^ uint32(s[i])) * 16777619
		}
	}
	return key, mixKey(key, rest, len(s))
}

// mixKey is the hash of a token from its key, the FNV-1a hash of its
// bytes past the eighth (rest), and its length.
func mixKey(key uint64, rest uint32, n int) uint32 {
	return uint32((key ^ uint64(rest)<<32 ^ uint64(n)) * 0x9E3779B97F4A7C15 >> 32)
}

func (k *knownTokens) find(key uint64, h uint32, text string) (int32, bool) {
	mask := uint32(len(k.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &k.slots[i]
		if s.key == 0 {
			return 0, false
		}
		if s.key == key && (len(text) < 8 || k.long[s.long-1] == text) {
			return s.id, true
		}
	}
}

func (k *knownTokens) add(key uint64, h uint32, text string, id int32) {
	if 2*(k.n+1) > len(k.slots) {
		k.grow()
	}
	var long int32
	if len(text) >= 8 {
		k.long = append(k.long, text)
		long = int32(len(k.long))
	}
	k.put(h, knownToken{key, id, long})
}

// put puts a slot's value in the first free slot from h on.
func (k *knownTokens) put(h uint32, s knownToken) {
	mask := uint32(len(k.slots) - 1)
	i := h & mask
	for k.slots[i].key != 0 {
		i = (i + 1) & mask
	}
	k.slots[i] = s
	k.n++
}

// grow doubles the table.
func (k *knownTokens) grow() {
	old := k.slots
	k.slots, k.n = make([]knownToken, 2*len(old)), 0
	for _, s := range old {
		if s.key == 0 {
			continue
		}
		var h uint32
		if s.long == 0 {
			_, h = tokenKey(keyText(s.key))
		} else {
			_, h = tokenKey(k.long[s.long-1])
		}
		k.put(h, s)
	}
}

// keyText is the token of under eight bytes whose key is key.
func keyText(key uint64) string {
	var b [8]byte
	n := 0
	for ; key != 0; key >>= 8 {
		b[n] = byte(key)
		n++
	}
	return string(b[:n])
}

func (a *analyzer) analyze(text string, cjk bool) word {
	surface := Fold(text)
	if cjk || a.stem == nil {
		return word{surface, surface}
	}
	lower := strings.ToLower(text)
	if !isASCII(lower) && !norm.NFC.IsNormalString(lower) {
		lower = norm.NFC.String(lower)
	}
	a.env.SetCurrent(lower)
	a.stem(a.env)
	term := Fold(a.env.Current())
	if term == "" {
		term = surface
	}
	return word{surface, term}
}

// Terms returns the index terms of a text (a query, say), in order: what
// a search for the text looks up.
func Terms(lang, text string) []string {
	a := newAnalyzer(lang, 0)
	var out []string
	eachToken(text, func(t token) { out = append(out, a.terms[a.id(t)]) })
	return out
}

// keyOf is the part of a word that picks its dictionary shard: its first
// three characters, or for CJK its first. A word typed so far (a prefix)
// finds its completions in one shard once it has that many characters.
func keyOf(s string) string {
	n := 0
	for i, r := range s {
		if n == 0 && isCJK(r) {
			return s[:i+utf8.RuneLen(r)]
		}
		if n == 3 {
			return s[:i]
		}
		n++
	}
	return s
}

// fnv32 is FNV-1a over the bytes of s: the script computes the same to
// find a term's shard.
func fnv32(s string) uint32 { return fnvMore(2166136261, s) }

// fnvMore goes on with FNV-1a hash h over the bytes of s.
func fnvMore(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}
