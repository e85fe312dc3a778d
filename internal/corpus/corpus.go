// Package corpus generates realistic news sites of any size for
// benchmarks: deterministic for a given size and seed, about 40 articles
// a day over 12 topics and 60 tags, 400 to 900 words each with headings,
// lists, links, quotes and the odd table, summaries and sources on some,
// and one article in twenty with TOML front matter.
//
// With Options.Rich, the text is more like real news for search
// benchmarks: besides the common words above, words from a synthetic
// vocabulary of 200,000 with Zipf's law (as words in a language are, so
// the vocabulary keeps growing with the archive), with plurals and -ing
// and -ed forms, and named people and places, from 20,000 and 5,000 of
// them, also with Zipf's law, in titles and bodies.
package corpus

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Topics are the corpus's topics, in site order.
var Topics = []string{"World", "Politics", "Business", "Technology", "Science", "Health",
	"Sports", "Culture", "Climate", "Education", "Travel", "Opinion"}

var words = strings.Fields(`the a of to and in for on with as by at from that this is was are
were be has have had will would could should may new city council government report
market shares company workers year years week month people officials minister plan
budget water energy power climate storm river port school hospital patients doctors
study research scientists data model results trial vaccine team season match league
coach players goal win loss fans tickets museum festival film music book artist
election vote voters campaign party leader opposition parliament court judge law
police safety roads rail transport airport flights prices inflation rates bank
investors growth jobs housing rents homes farmers harvest drought flood coast
region border talks agreement deal trade exports imports technology software
network users privacy security online platform app service customers survey`)

// Options shape a corpus.
type Options struct {
	Articles int
	Seed     uint64
	PerDay   int       // articles a day (default 40)
	End      time.Time // the newest day (default 2026-11-27)
	Rich     bool      // a large vocabulary and names (see the package comment)
}

// Write generates the corpus as a site in dir: site.toml and content/.
func Write(dir string, opt Options) error {
	if opt.PerDay == 0 {
		opt.PerDay = 40
	}
	if opt.End.IsZero() {
		opt.End = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	}
	r := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	site := fmt.Sprintf("title = \"Benchmark Daily\"\nbase_url = \"https://bench.example.org/\"\ntimezone = \"Europe/London\"\ntopics = [%s]\nper_page = 20\n",
		quoteAll(Topics))
	if err := os.WriteFile(filepath.Join(dir, "site.toml"), []byte(site), 0o644); err != nil {
		return err
	}
	for i := range opt.Articles {
		day := opt.End.AddDate(0, 0, -i/opt.PerDay)
		g := gen{r, opt.Rich}
		name, data := g.article(i, day)
		p := filepath.Join(dir, "content", day.Format("2006/01/02"), name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// gen writes the text of articles.
type gen struct {
	r    *rand.Rand
	rich bool
}

func (g gen) sentence(n int) string {
	w := make([]string, n)
	for i := range w {
		if g.rich {
			w[i] = g.richWord()
		} else {
			w[i] = words[g.r.IntN(len(words))]
		}
	}
	s := strings.Join(w, " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// zipf draws a rank from 0 to n-1, rank k with a chance of about
// 1/((k+1) ln n): Zipf's law.
func zipf(r *rand.Rand, n int) int {
	return min(n-1, int(math.Exp(r.Float64()*math.Log(float64(n))))-1)
}

var (
	onsets = strings.Fields("b c d f g h j k l m n p r s t v w z br ch cl dr fl gr kr pl pr sh st th tr")
	nuclei = strings.Fields("a e i o u ai ea io ou")
	codas  = []string{"", "", "", "n", "r", "s", "l", "m", "nd", "st", "rk"}
)

// synthetic is the word of rank k in a made-up language: syllables
// numbered by k, so every rank has its own word.
func synthetic(k, syllables int) string {
	var b strings.Builder
	for range syllables {
		b.WriteString(onsets[k%len(onsets)])
		k /= len(onsets)
		b.WriteString(nuclei[k%len(nuclei)])
		k /= len(nuclei)
	}
	b.WriteString(codas[k%len(codas)])
	return b.String()
}

// richWord: mostly a common word, else a word of the synthetic
// vocabulary, now and then inflected, or a name. The shares give about
// 90,000 distinct terms at 10,000 articles and 250,000 at 100,000, as
// Heaps' law has it for news (vocabulary growing with about the square
// root of the text).
func (g gen) richWord() string {
	r := g.r
	switch x := r.IntN(1000); {
	case x < 935:
		return words[r.IntN(len(words))]
	case x < 950:
		return Person(zipf(r, 20000))
	case x < 960:
		return Place(zipf(r, 5000))
	default:
		w := synthetic(zipf(r, 200000), 2+r.IntN(2))
		switch r.IntN(10) {
		case 0:
			w += "s"
		case 1:
			w += "ing"
		case 2:
			w += "ed"
		}
		return w
	}
}

// Person is the name of the person of rank k of a rich corpus.
func Person(k int) string {
	return capital(synthetic(k*7919+13, 2)) + " " + capital(synthetic(k, 2)+"son")
}

// Place is the name of the place of rank k of a rich corpus.
func Place(k int) string { return capital(synthetic(k*104729+7, 3)) }

func capital(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// article returns one article's file name and text.
func (g gen) article(i int, day time.Time) (string, []byte) {
	r := g.r
	title := g.sentence(5 + r.IntN(6))
	name := fmt.Sprintf("story-%06d.md", i)
	at := day.Add(time.Duration(6*60+r.IntN(14*60)) * time.Minute)
	topic := Topics[r.IntN(len(Topics))]
	var tags []string
	for range 1 + r.IntN(4) {
		tags = append(tags, fmt.Sprintf("tag-%02d", r.IntN(60)))
	}
	var b strings.Builder
	toml := i%20 == 7
	if toml {
		fmt.Fprintf(&b, "+++\ntitle = %q\ndate = %s\ntopic = %q\ntags = [%s]\n", title, at.Format(time.RFC3339), topic, quoteAll(tags))
	} else {
		fmt.Fprintf(&b, "---\ntitle: %q\ndate: %s\ntopic: %s\ntags: [%s]\n", title, at.Format(time.RFC3339), topic, strings.Join(tags, ", "))
	}
	if r.IntN(3) == 0 {
		if toml {
			fmt.Fprintf(&b, "summary = %q\n", g.sentence(20))
		} else {
			fmt.Fprintf(&b, "summary: %q\n", g.sentence(20))
		}
	}
	if r.IntN(4) == 0 {
		if toml {
			fmt.Fprintf(&b, "source = \"Wire Service\"\nsource_url = \"https://example.com/wire/%d\"\n", i)
		} else {
			fmt.Fprintf(&b, "source: Wire Service\nsource_url: https://example.com/wire/%d\n", i)
		}
	}
	if r.IntN(40) == 0 {
		if toml {
			b.WriteString("featured = true\n")
		} else {
			b.WriteString("featured: true\n")
		}
	}
	if toml {
		b.WriteString("+++\n")
	} else {
		b.WriteString("---\n")
	}
	g.body(&b, 400+r.IntN(500))
	return name, []byte(b.String())
}

// body writes about n words of Markdown.
func (g gen) body(b *strings.Builder, n int) {
	r := g.r
	written := 0
	for para := 0; written < n; para++ {
		switch {
		case para > 0 && para%4 == 0:
			fmt.Fprintf(b, "## %s\n\n", g.sentence(4))
			written += 4
		case para%5 == 3:
			for range 3 {
				fmt.Fprintf(b, "- %s\n", g.sentence(8))
			}
			b.WriteString("\n")
			written += 24
		case para%7 == 5:
			fmt.Fprintf(b, "> \"%s,\" said an official.\n\n", g.sentence(14))
			written += 17
		case para == 9:
			b.WriteString("| Region | Change |\n|---|---:|\n| North | 4.1% |\n| South | -2.3% |\n\n")
			written += 8
		default:
			for s := range 3 + r.IntN(3) {
				text := g.sentence(10 + r.IntN(10))
				if s == 1 && r.IntN(2) == 0 {
					text += fmt.Sprintf(" ([details](https://example.org/r/%d))", r.IntN(1e6))
				}
				if s == 2 && r.IntN(3) == 0 {
					text = "*" + text + "*"
				}
				b.WriteString(text + ". ")
				written += 15
			}
			b.WriteString("\n\n")
		}
	}
}
