package search

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestTouchedRandomEdits: random edits (topic, title, text cleared or
// grown, dek and tags, date, appends) of an index read from a snapshot
// leave it what a build gives, and every shard the index says they did
// not touch byte for byte what it was.
func TestTouchedRandomEdits(t *testing.T) {
	opt := Options{Language: "en", Topics: []string{"A", "B", "C"}}
	base := corpus(2600)
	for seed := range uint64(6) {
		r := rand.New(rand.NewPCG(seed, 99))
		docs := slices.Clone(base)
		editable := opt
		editable.Editable = true
		data, err := snapshotOf(Build(slices.Clone(docs), editable))
		if err != nil {
			t.Fatal(err)
		}
		ix, err := Decode(data, editable, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		first := shards(t, ix)
		words := []string{"w1x", "w2x", "w3x", "kittiwake", "Kittiwakes", "café", "CAFE", "東京", "zanzibar", "puffin", "puffins"}
		for range 12 {
			i := r.IntN(len(docs))
			old := docs[i]
			next := old
			switch r.IntN(8) {
			case 0:
				next.Topic = (old.Topic + 1 + r.IntN(2)) % 3
			case 1:
				next.Title = words[r.IntN(len(words))] + " " + words[r.IntN(len(words))]
			case 2:
				next.Text = ""
			case 3:
				next.Text += strings.Repeat(" "+words[r.IntN(len(words))], 1+r.IntN(30))
			case 4:
				next.Dek, next.Meta = "Dek "+words[r.IntN(len(words))], words[r.IntN(len(words))]
			case 5:
				next.Date = old.Date.Add(time.Minute)
			case 6:
				next.Text = words[r.IntN(len(words))]
			case 7:
				nd := doc(len(docs), "Appended "+words[r.IntN(len(words))], strings.Repeat("w1x ", r.IntN(4))+words[r.IntN(len(words))])
				nd.Date = docs[len(docs)-1].Date.Add(time.Hour)
				nd.Topic = r.IntN(3)
				if ix.Append(nd) {
					docs = append(docs, nd)
				}
				continue
			}
			docs[i] = next
			ix.Edit(i, old, next)
		}
		want := shards(t, Build(slices.Clone(docs), opt))
		got := shards(t, ix)
		for name := range want {
			if !bytes.Equal(got[name], want[name]) {
				t.Fatalf("seed %d: %s differs from a build", seed, name)
			}
		}
		if kept := untouchedAsBefore(t, ix, first); kept == 0 {
			t.Errorf("seed %d: every shard touched", seed)
		}
	}
}
