package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/digest-ssg/digest"
	"github.com/digest-ssg/digest/internal/buildcache"
	"github.com/digest-ssg/digest/internal/corpus"
)

// TestCachedBuildsEqualCleanBuilds is the property that the build cache
// never shows: after any sequence of edits, a build that uses the cache
// (articles as parsed, and pages kept when what they are made from did
// not change) writes byte for byte what a clean build without any cache
// writes. A generated site goes through random edits (add, delete,
// rename, move to another day or topic, retag, edit a body, feature,
// change a template, change site.toml or the site's translation table,
// move the clock across a scheduled article's time); after each, the cached build into the same output as
// ever is compared with a fresh build into an empty folder. Files are
// trusted by their stamps as soon as they are written (Settle), so that
// the builds find unchanged articles without reading them.
//
// The seed is logged; DIGEST_PROPERTY_SEED=n replays one sequence, and
// DIGEST_PROPERTY_STEPS=n makes it longer.
func TestCachedBuildsEqualCleanBuilds(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("DIGEST_PROPERTY_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	steps := 40
	if testing.Short() {
		steps = 12
	}
	if s := os.Getenv("DIGEST_PROPERTY_STEPS"); s != "" {
		steps, _ = strconv.Atoi(s)
	}
	t.Logf("seed %d (DIGEST_PROPERTY_SEED=%d replays it)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 19))
	e := newEditor(t, rng)
	out := filepath.Join(t.TempDir(), "out")
	cache := filepath.Join(t.TempDir(), "cache")
	keptAny, editedAny := false, false
	for step := range steps {
		what := e.edit()
		got := e.build(out, cache)
		clean := filepath.Join(t.TempDir(), "clean")
		e.build(clean, "")
		if diff := diffTrees(t, out, clean); diff != "" {
			t.Fatalf("step %d (%s; seed %d): the cached build differs from a clean one:\n%s", step, what, seed, diff)
		}
		keptAny = keptAny || got.Kept > 0
		editedAny = editedAny || got.SearchEdited > 0
		t.Logf("step %d: %s: %d of %d pages kept, %d articles edited into the search index", step, what, got.Kept, got.Pages, got.SearchEdited)
		os.RemoveAll(clean)
	}
	if !keptAny {
		t.Error("no build kept a page: the test does not test keeping")
	}
	if !editedAny && steps >= 12 {
		t.Error("no build edited the search index: the test does not test editing it")
	}
}

// editor makes random edits to a site folder.
type editor struct {
	t       *testing.T
	rng     *rand.Rand
	dir     string
	now     time.Time
	n       int      // articles made so far, for names
	files   []string // the articles, slash paths under content/
	topics  []string
	tmplVer int
}

var propertyTopics = []string{"World", "Business", "Sport", "Science"}

func newEditor(t *testing.T, rng *rand.Rand) *editor {
	e := &editor{t: t, rng: rng, dir: t.TempDir(), now: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC), topics: propertyTopics}
	e.writeConfig("Property Daily", 4)
	for range 30 {
		e.add()
	}
	return e
}

func (e *editor) write(rel, data string) {
	e.t.Helper()
	p := filepath.Join(e.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

func (e *editor) writeConfig(title string, perPage int) {
	e.write("site.toml", fmt.Sprintf("title = %q\nbase_url = \"https://property.example/\"\ntimezone = \"UTC\"\ntopics = [\"World\", \"Business\", \"Sport\", \"Science\"]\nper_page = %d\nlatest = 6\n[feeds]\nitems = 5\n[email]\nenabled = true\nfrom = \"desk@property.example\"\n", title, perPage))
}

// article writes an article file with random values.
func (e *editor) article(file string, day time.Time) {
	r := e.rng
	tags := []string{}
	for _, tg := range []string{"rivers", "rates", "elections", "storms", "courts"} {
		if r.IntN(3) == 0 {
			tags = append(tags, tg)
		}
	}
	at := day.Add(time.Duration(6+r.IntN(14))*time.Hour + time.Duration(r.IntN(60))*time.Minute)
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: Story %d about %s\ndate: %s\ntopic: %s\ntags: [%s]\n", e.n, tags, at.Format(time.RFC3339), e.topics[r.IntN(len(e.topics))], strings.Join(tags, ", "))
	if r.IntN(6) == 0 {
		b.WriteString("featured: true\n")
	}
	if r.IntN(5) == 0 {
		fmt.Fprintf(&b, "summary: A written dek %d.\n", r.IntN(100))
	}
	if r.IntN(8) == 0 {
		fmt.Fprintf(&b, "aliases: [/old/%d/]\n", e.n)
	}
	fmt.Fprintf(&b, "---\nFirst paragraph %d of the story, with words %d.\n\n## Details\n\nMore text %d.\n", r.IntN(1000), r.IntN(1000), r.IntN(1000))
	e.write(file, b.String())
}

func (e *editor) randomDay() time.Time {
	return time.Date(2026, 3, 1+e.rng.IntN(10), 0, 0, 0, 0, time.UTC)
}

func (e *editor) add() string {
	e.n++
	day := e.randomDay()
	file := fmt.Sprintf("content/%s/story-%d.md", day.Format("2006/01/02"), e.n)
	e.article(file, day)
	e.files = append(e.files, file)
	return "add " + file
}

func (e *editor) pick() (int, string) {
	i := e.rng.IntN(len(e.files))
	return i, e.files[i]
}

func (e *editor) read(file string) string {
	b, err := os.ReadFile(filepath.Join(e.dir, filepath.FromSlash(file)))
	if err != nil {
		e.t.Fatal(err)
	}
	return string(b)
}

// replaceLine changes the front matter line starting with key.
func (e *editor) replaceLine(file, key, line string) {
	src := e.read(file)
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, key+":") {
			lines[i] = line
			e.write(file, strings.Join(lines, "\n"))
			return
		}
	}
	e.write(file, strings.Replace(src, "---\n", "---\n"+line+"\n", 1))
}

// edit makes one random edit and says what it was.
func (e *editor) edit() string {
	r := e.rng
	if _, err := os.Stat(filepath.Join(e.dir, "templates")); err == nil {
		// A site with templates of its own has every page rendered
		// again (see Session.ownTemplates), so they go at the next
		// step, and every other step tests keeping pages.
		os.RemoveAll(filepath.Join(e.dir, "templates"))
		return "remove the site's templates"
	}
	switch k := r.IntN(13); {
	case k == 0 || len(e.files) < 5:
		return e.add()
	case k == 1:
		i, f := e.pick()
		os.Remove(filepath.Join(e.dir, filepath.FromSlash(f)))
		e.files = slices.Delete(e.files, i, i+1)
		return "delete " + f
	case k == 2:
		i, f := e.pick()
		e.n++
		to := filepath.ToSlash(filepath.Join(filepath.Dir(f), fmt.Sprintf("renamed-%d.md", e.n)))
		if err := os.Rename(filepath.Join(e.dir, f), filepath.Join(e.dir, to)); err != nil {
			e.t.Fatal(err)
		}
		e.files[i] = to
		return "rename " + f + " to " + to
	case k == 3:
		_, f := e.pick()
		at := e.randomDay().Add(9 * time.Hour)
		e.replaceLine(f, "date", "date: "+at.Format(time.RFC3339))
		return "move " + f + " to " + at.Format("2006-01-02")
	case k == 4:
		_, f := e.pick()
		topic := e.topics[r.IntN(len(e.topics))]
		e.replaceLine(f, "topic", "topic: "+topic)
		return "move " + f + " to " + topic
	case k == 5:
		_, f := e.pick()
		tags := []string{"rivers", "rates", "elections", "storms", "courts", "new-tag"}[:1+r.IntN(6)]
		e.replaceLine(f, "tags", "tags: ["+strings.Join(tags, ", ")+"]")
		return "retag " + f
	case k == 6:
		_, f := e.pick()
		e.write(f, strings.Replace(e.read(f), "More text", "Edited text", 1)+fmt.Sprintf("\nA new paragraph %d.\n", r.IntN(1000)))
		return "edit the body of " + f
	case k == 7:
		_, f := e.pick()
		e.replaceLine(f, "title", fmt.Sprintf("title: Corrected headline %d", r.IntN(1000)))
		return "retitle " + f
	case k == 8:
		e.tmplVer++
		e.writeTemplate()
		return "change a template"
	case k == 9:
		e.writeConfig(fmt.Sprintf("Property Daily %d", r.IntN(3)), 3+r.IntN(3))
		return "change site.toml"
	case k == 11:
		// The site's own translation table (i18n/en.toml) overrides the
		// theme's strings.
		if r.IntN(3) == 0 {
			os.RemoveAll(filepath.Join(e.dir, "i18n"))
			return "remove the site's translation table"
		}
		e.write("i18n/en.toml", fmt.Sprintf("menu_latest = \"Newest %d\"\nlead_story = \"Top story %d\"\n", r.IntN(3), r.IntN(3)))
		return "change i18n/en.toml"
	case k == 10:
		// A scheduled article, and the clock moved across its time.
		e.n++
		file := fmt.Sprintf("content/2026/03/%02d/scheduled-%d.md", e.now.Day(), e.n)
		at := e.now.Add(time.Duration(1+r.IntN(3)) * time.Hour)
		e.write(file, fmt.Sprintf("---\ntitle: Scheduled %d\ndate: %s\ntopic: World\n---\nLater.\n", e.n, at.Format(time.RFC3339)))
		e.files = append(e.files, file)
		return "schedule " + file + " at " + at.Format(time.Kitchen)
	default:
		step := time.Duration(1+r.IntN(4)) * time.Hour
		e.now = e.now.Add(step)
		return "move the clock to " + e.now.Format(time.RFC3339)
	}
}

// writeTemplate overrides a template of the theme with an edited copy.
func (e *editor) writeTemplate() {
	theme := digest.Theme()
	names := []string{"article.html", "partials.html", "fragments.html", "base.html", "tag.html"}
	name := names[e.rng.IntN(len(names))]
	src, err := fs.ReadFile(theme, "templates/"+name)
	if err != nil {
		e.t.Fatal(err)
	}
	edited := bytes.Replace(src, []byte("</"), []byte(fmt.Sprintf("<!-- v%d --></", e.tmplVer)), 1)
	e.write("templates/"+name, string(edited))
}

// build builds the site into out, with the cache in cache ("" for none).
func (e *editor) build(out, cache string) *Summary {
	e.t.Helper()
	sum, err := Run(context.Background(), Options{Source: e.dir, Out: out, Theme: digest.Theme(), Now: e.now, Cache: cache, AllowShrink: true, Settle: time.Nanosecond})
	if err != nil {
		e.t.Fatalf("build: %v", err)
	}
	return sum
}

// diffTrees lists the files that differ between two output folders; ""
// when they hold the same files with the same bytes.
func diffTrees(t *testing.T, a, b string) string {
	t.Helper()
	read := func(root string) map[string][]byte {
		files := map[string][]byte{}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Fatal(err)
			}
			if !d.IsDir() {
				rel, _ := filepath.Rel(root, p)
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				files[filepath.ToSlash(rel)] = data
			}
			return nil
		})
		return files
	}
	fa, fb := read(a), read(b)
	var diffs []string
	for name, da := range fa {
		db, ok := fb[name]
		switch {
		case !ok:
			diffs = append(diffs, "only in the cached build: "+name)
		case !bytes.Equal(da, db):
			diffs = append(diffs, fmt.Sprintf("differs: %s\n  cached: %.300s\n  clean:  %.300s", name, diffFrom(da, db), diffFrom(db, da)))
		}
	}
	for name := range fb {
		if _, ok := fa[name]; !ok {
			diffs = append(diffs, "only in the clean build: "+name)
		}
	}
	slices.Sort(diffs)
	return strings.Join(diffs, "\n")
}

// diffFrom is a from a little before where it starts to differ from b.
func diffFrom(a, b []byte) []byte {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return a[max(0, i-80):]
}

// TestOneArticleRebuildIsProportionalToItsPages: with the build cache, a
// build after a one-article edit renders the pages that show the article,
// however large the site, and the memory it allocates grows with the site
// far less than a whole build's does (it reads each article's cache entry
// and renders a few pages, where a build parses and renders everything).
// Measured in pages and bytes allocated, not time. (The search index is
// left out: it is made anew, whole, when any article changes.)
func TestOneArticleRebuildIsProportionalToItsPages(t *testing.T) {
	if testing.Short() {
		t.Skip("builds sites of 150 and 600 articles")
	}
	type measure struct {
		rendered, pages int
		rebuild, clean  uint64 // bytes allocated
	}
	at := func(n int) measure {
		dir := t.TempDir()
		if err := corpus.Write(dir, corpus.Options{Articles: n, Seed: 3, PerDay: 20}); err != nil {
			t.Fatal(err)
		}
		// Without the search index, which is made anew, whole, when any
		// article changes (its files are written only where their bytes
		// change).
		toml, _ := os.ReadFile(filepath.Join(dir, "site.toml"))
		os.WriteFile(filepath.Join(dir, "site.toml"), append(toml, "[search]\nenabled = false\n"...), 0o644)
		cache, out := filepath.Join(t.TempDir(), "cache"), filepath.Join(t.TempDir(), "out")
		now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		build := func(out, cache string) (*Summary, uint64) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			// Files are trusted by their stamps at once (Settle), as they
			// are two seconds after they were written: otherwise the
			// rebuild stores again, with its stamp, each article written
			// more than two seconds before it, and what it allocates
			// depends on how long the first builds took.
			sum, err := Run(context.Background(), Options{Source: dir, Out: out, Theme: digest.Theme(), Now: now, Cache: cache, Settle: time.Nanosecond})
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			return sum, after.TotalAlloc - before.TotalAlloc
		}
		build(out, cache)
		_, clean := build(filepath.Join(t.TempDir(), "clean"), "")
		// One article in the middle of the site gets a new paragraph.
		files, _ := filepath.Glob(filepath.Join(dir, "content", "*", "*", "*", "*.md"))
		slices.Sort(files)
		f := files[len(files)/2]
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(f, append(src, "\nA late paragraph.\n"...), 0o644)
		sum, rebuild := build(out, cache)
		return measure{rendered: sum.Pages - sum.Kept, pages: sum.Pages, rebuild: rebuild, clean: clean}
	}
	small, large := at(150), at(600)
	t.Logf("150 articles: %d of %d pages rendered, %d KB allocated (a clean build: %d KB)", small.rendered, small.pages, small.rebuild>>10, small.clean>>10)
	t.Logf("600 articles: %d of %d pages rendered, %d KB allocated (a clean build: %d KB)", large.rendered, large.pages, large.rebuild>>10, large.clean>>10)
	if large.rendered > 40 || large.rendered > small.rendered+10 {
		t.Errorf("a one-article edit rendered %d pages at 600 articles, %d at 150: want a few, whatever the size", large.rendered, small.rendered)
	}
	if grow, cleanGrow := int64(large.rebuild)-int64(small.rebuild), int64(large.clean)-int64(small.clean); grow*5 > cleanGrow {
		t.Errorf("from 150 to 600 articles, a one-article rebuild allocates %d KB more, a clean build %d KB more: want under a fifth", grow>>10, cleanGrow>>10)
	}
}

// TestTwoOutputsKeepTheirRecords: a site built into two output folders
// in turn (build/ and a preview, say) keeps the record of each, so a
// build into either keeps every page that did not change; a build into
// one folder did prune the other's record.
func TestTwoOutputsKeepTheirRecords(t *testing.T) {
	e := newEditor(t, rand.New(rand.NewPCG(1, 2)))
	cache := filepath.Join(t.TempDir(), "cache")
	outs := []string{filepath.Join(t.TempDir(), "build"), filepath.Join(t.TempDir(), "preview")}
	for _, out := range outs {
		e.build(out, cache)
	}
	for round := range 2 {
		for _, out := range outs {
			if got := e.build(out, cache); got.Kept != got.Pages {
				t.Errorf("round %d, %s: %d of %d pages kept, want all", round, filepath.Base(out), got.Kept, got.Pages)
			}
		}
	}
}

// TestSearchIndexIsEditedNotRemade: with the cache, a build after an edit
// of one article edits the search index kept from the build before, one
// after a story is published (the newest) appends to it, and one after
// an older story is added, or with the kept index damaged, makes it anew;
// each time the output is a clean build's.
func TestSearchIndexIsEditedNotRemade(t *testing.T) {
	e := newEditor(t, rand.New(rand.NewPCG(7, 19)))
	out := filepath.Join(t.TempDir(), "out")
	cache := filepath.Join(t.TempDir(), "cache")
	check := func(what string, want int) {
		t.Helper()
		got := e.checkSearchBuild(what, out, cache, want)
		if want >= 0 && got.SearchKept == 0 {
			t.Errorf("%s: no file of the search index was kept as the edit left it", what)
		}
	}
	check("first build", -1)
	var past []string // articles published (dated before the clock's day)
	for _, f := range e.files {
		if !strings.Contains(f, "/2026/03/10/") {
			past = append(past, f)
		}
	}
	file := past[3]
	e.write(file, e.read(file)+"\nA late paragraph about kittiwakes nesting on the pier.\n")
	check("an article's body edited", 1)
	e.replaceLine(past[5], "title", "title: Harbour kittiwakes counted")
	e.write(past[6], e.read(past[6])+"\nA correction.\n")
	check("two articles edited", 2)
	topic := "topic: Science"
	if strings.Contains(e.read(past[7]), topic) {
		topic = "topic: Sport"
	}
	e.replaceLine(past[7], "topic", topic)
	check("an article moved to another topic", 1)
	e.n++
	e.article(fmt.Sprintf("content/2026/03/10/newest-%d.md", e.n), time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC))
	e.replaceLine(fmt.Sprintf("content/2026/03/10/newest-%d.md", e.n), "date", "date: 2026-03-10T11:59:00Z")
	check("the newest story published", 1)
	check("nothing changed", -1)
	e.n++
	e.article(fmt.Sprintf("content/2026/03/01/older-%d.md", e.n), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	e.replaceLine(fmt.Sprintf("content/2026/03/01/older-%d.md", e.n), "date", "date: 2026-03-01T00:01:00Z")
	check("an older story added", -1)
	file = past[8]
	e.write(file, e.read(file)+"\nAnother paragraph.\n")
	damageEntry(t, cache, searchSnapshotKey)
	check("the kept index damaged", -1)
	e.write(file, e.read(file)+"\nAnd one more.\n")
	check("after the damage", 1)

	// A build into another folder keeps the snapshot: build/'s files of
	// the index are not the snapshot's, and are made again.
	e.write(past[9], e.read(past[9])+"\nA paragraph for the preview about puffins.\n")
	e.checkSearchBuild("a preview", filepath.Join(t.TempDir(), "preview"), cache, 1)
	e.write(past[10], e.read(past[10])+"\nA last paragraph.\n")
	if got := e.checkSearchBuild("back to the first folder", out, cache, 1); got.SearchKept != 0 {
		t.Errorf("%d files of the search index kept from a folder whose index is not the snapshot's", got.SearchKept)
	}
}

// checkSearchBuild builds the site into out with cache and fails the
// test if the output differs from a clean build's, or if want articles
// were not edited into the kept search index (-1: it was made anew, and
// none of its files can be kept as untouched by edits).
func (e *editor) checkSearchBuild(what, out, cache string, want int) *Summary {
	e.t.Helper()
	got := e.build(out, cache)
	clean := filepath.Join(e.t.TempDir(), "clean")
	e.build(clean, "")
	if diff := diffTrees(e.t, out, clean); diff != "" {
		e.t.Fatalf("%s: the cached build differs from a clean one:\n%s", what, diff)
	}
	if got.SearchEdited != want {
		e.t.Errorf("%s: %d articles edited into the kept search index, want %d", what, got.SearchEdited, want)
	}
	if want < 0 && got.SearchKept != 0 {
		e.t.Errorf("%s: %d files of the search index kept as untouched by edits, with none made", what, got.SearchKept)
	}
	return got
}

// damageEntry flips a byte in the middle of the cache entry under k.
func damageEntry(t *testing.T, cache string, k buildcache.Key) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(cache, "*", k.String()))
	if len(files) != 1 {
		t.Fatalf("%d entries under the key, want 1", len(files))
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x40
	if err := os.WriteFile(files[0], b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSearchSnapshotKeepsOldDates: an archive's story of 1215 keeps its
// date through the kept search index (a date before 1678 is out of reach
// of nanoseconds since 1970) when another article is edited into it.
func TestSearchSnapshotKeepsOldDates(t *testing.T) {
	e := newEditor(t, rand.New(rand.NewPCG(7, 19)))
	e.write("content/1215/06/15/charter.md", "---\ntitle: A charter sealed\ndate: 1215-06-15T10:00:00Z\ntopic: World\n---\nThe barons met the king by the river.\n")
	out := filepath.Join(t.TempDir(), "out")
	cache := filepath.Join(t.TempDir(), "cache")
	e.build(out, cache)
	file := e.files[0]
	e.write(file, e.read(file)+"\nA late paragraph.\n")
	got := e.build(out, cache)
	clean := filepath.Join(t.TempDir(), "clean")
	e.build(clean, "")
	if diff := diffTrees(t, out, clean); diff != "" {
		t.Fatalf("the cached build (%d articles edited into the search index) differs from a clean one:\n%s", got.SearchEdited, diff)
	}
	if got.SearchEdited < 0 {
		t.Error("the search index was made anew: the test does not test the kept one")
	}
}
