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

// asciiWord tells the ASCII letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

// token is one word of a text, as written (kind word), or a pair of CJK
// characters or a lone one (kind cjk).
type token struct {
	text string
	cjk  bool
	hash uint32 // fnv32 of text, when the tokenizer worked it out (else 0)
}

// eachToken calls fn with every token of s, in order: runs of letters
// and digits (words), and in runs of CJK characters every pair of
// neighbours, or the character when it stands alone. Everything else
// (spaces, punctuation, symbols) separates tokens and is never indexed.
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
			// The hash of an ASCII word is made on the way (the common
			// case); a word with other letters has it made apart.
			h, ascii := uint32(2166136261), true
			for i < len(s) {
				if c := s[i]; c < utf8.RuneSelf {
					if !asciiWord[c] {
						break
					}
					h = (h ^ uint32(c)) * 16777619
					i++
					continue
				}
				ascii = false
				r, size := utf8.DecodeRuneInString(s[i:])
				if !isWord(r) || isCJK(r) {
					break
				}
				i += size
			}
			if !ascii {
				h = 0
			}
			fn(token{s[start:i], false, h})
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
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
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
	known    knownTokens      // token as written → term number
	ids      map[string]int32 // term → term number
	terms    []string         // by number
	surfaces []surface        // the folded words met (some more than once)
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
		ids: make(map[string]int32, words), known: knownTokens{slots: make([]knownToken, pow2(max(1024, 2*words)))},
	}
}

// id returns the number of a token's term.
func (a *analyzer) id(t token) int32 {
	h := t.hash
	if h == 0 {
		h = fnv32(t.text)
	}
	if id, ok := a.known.find(h, t.text); ok {
		return id
	}
	text := strings.Clone(t.text) // t.text points into a whole article
	w := a.analyze(text, t.cjk)
	id, ok := a.ids[w.term]
	if !ok {
		id = int32(len(a.terms))
		a.terms = append(a.terms, w.term)
		a.ids[w.term] = id
	}
	a.known.add(h, text, id)
	a.surfaces = append(a.surfaces, surface{w.surface, id})
	return id
}

// knownTokens is a hash table of the tokens an analyzer has met: the
// lookup of every token of every article, so it is made for that (open
// addressing, the hash computed once), where a Go map took a quarter of
// the time of indexing.
type knownTokens struct {
	slots []knownToken
	n     int
}

type knownToken struct {
	hash uint32
	id   int32
	text string
}

func (k *knownTokens) find(h uint32, text string) (int32, bool) {
	if len(k.slots) == 0 {
		return 0, false
	}
	mask := uint32(len(k.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &k.slots[i]
		if s.text == "" {
			return 0, false
		}
		if s.hash == h && s.text == text {
			return s.id, true
		}
	}
}

func (k *knownTokens) add(h uint32, text string, id int32) {
	if 2*(k.n+1) > len(k.slots) {
		old := k.slots
		k.slots = make([]knownToken, max(1024, 2*len(old)))
		k.n = 0
		for _, s := range old {
			if s.text != "" {
				k.add(s.hash, s.text, s.id)
			}
		}
	}
	mask := uint32(len(k.slots) - 1)
	i := h & mask
	for k.slots[i].text != "" {
		i = (i + 1) & mask
	}
	k.slots[i] = knownToken{h, id, text}
	k.n++
}

func (a *analyzer) analyze(text string, cjk bool) word {
	surface := Fold(text)
	if cjk || a.stem == nil {
		return word{surface, surface}
	}
	lower := strings.ToLower(text)
	if !norm.NFC.IsNormalString(lower) {
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
func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}
