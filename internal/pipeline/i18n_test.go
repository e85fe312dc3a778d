package pipeline

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/digest-ssg/digest"
	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/i18n"
)

// exampleIn copies the example site (site.toml, content/, static/) into a
// new folder with site.toml's language set to lang, and returns it.
func exampleIn(t *testing.T, lang string) string {
	t.Helper()
	dir := t.TempDir()
	for _, sub := range []string{"content", "static"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join(repoRoot, sub))); err != nil {
			t.Fatal(err)
		}
	}
	toml, err := os.ReadFile(filepath.Join(repoRoot, "site.toml"))
	if err != nil {
		t.Fatal(err)
	}
	toml = regexp.MustCompile(`(?m)^language = ".*"$`).ReplaceAll(toml, []byte(`language = "`+lang+`"`))
	if !bytes.Contains(toml, []byte(`language = "`+lang+`"`)) {
		t.Fatal("the example's site.toml sets no language")
	}
	writeFile(t, filepath.Join(dir, "site.toml"), toml)
	return dir
}

// TestGoldenPagesInOtherLanguages compares pages of the example site built
// in French, Arabic and Japanese, unminified, with testdata/golden/<lang>/
// (the theme's words, dates, direction). Run "go test ./internal/pipeline
// -update" to accept a deliberate change, and review the diff.
func TestGoldenPagesInOtherLanguages(t *testing.T) {
	for _, lang := range []string{"fr", "ar", "ja"} {
		t.Run(lang, func(t *testing.T) {
			out := t.TempDir() + "/out"
			if _, err := Run(context.Background(), Options{Source: exampleIn(t, lang), Out: out, Theme: digest.Theme(), Now: now, NoMinify: true}); err != nil {
				t.Fatal(err)
			}
			for _, page := range []string{
				"index.html",
				"2026/11/26/offshore-wind-record/index.html",
				"archive/index.html",
				"search/index.html",
				"2026/11/26/email.html",
				"2026/11/26/email.txt",
				"feed.xml",
			} {
				got, err := os.ReadFile(filepath.Join(out, page))
				if err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("testdata/golden", lang, strings.ReplaceAll(page, "/", "_"))
				if *update {
					writeFile(t, golden, got)
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./internal/pipeline -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from %s; run go test ./internal/pipeline -update and review the diff:\n%s", page, golden, firstDiff(string(want), string(got)))
				}
			}
		})
	}
}

// TestNoEnglishLeftInTranslatedSites builds the example site in every
// built-in language and looks for the theme's English words in what the
// pages, the emails and the feeds show: every string of the English table
// whose translation differs must not appear (its longer pieces of text,
// the placeholders left out). The articles themselves are in English, so
// only pieces of the theme's own wording are looked for.
func TestNoEnglishLeftInTranslatedSites(t *testing.T) {
	en := i18n.English()
	for _, lang := range i18n.Builtin() {
		if lang == i18n.Source {
			continue
		}
		t.Run(lang, func(t *testing.T) {
			l, errs := i18n.Load(nil, lang, diag.Pos{})
			if errs.Err() != nil {
				t.Fatal(errs)
			}
			out := t.TempDir() + "/out"
			if _, err := Run(context.Background(), Options{Source: exampleIn(t, lang), Out: out, Theme: digest.Theme(), Now: now, NoMinify: true}); err != nil {
				t.Fatal(err)
			}
			var pieces []string
			for _, key := range en.Keys() {
				if strings.HasPrefix(key, "init_") || en.Text(key) == l.Text(key) {
					continue
				}
				for _, p := range en.Parts(key) {
					if s := strings.TrimSpace(p.Text); p.Slot == "" && len(s) >= 9 && strings.Contains(s, " ") {
						pieces = append(pieces, s)
					}
				}
			}
			for name, data := range readTree(t, out) {
				if !strings.HasSuffix(name, ".html") && !strings.HasSuffix(name, ".txt") && !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".json") {
					continue
				}
				for _, p := range pieces {
					if bytes.Contains(data, []byte(p)) {
						t.Errorf("%s: the English %q", name, p)
					}
				}
			}
		})
	}
}

// TestTranslatedSitesAreValidHTML runs the Nu HTML Checker over the
// example site built in French and in Arabic (right to left), as built for
// users. Like TestExampleSiteIsValidHTML, it needs Java and VNU_JAR, and
// skips without them unless DIGEST_REQUIRE_VNU is set.
func TestTranslatedSitesAreValidHTML(t *testing.T) {
	jar := os.Getenv("VNU_JAR")
	_, javaErr := exec.LookPath("java")
	if jar == "" || javaErr != nil {
		if os.Getenv("DIGEST_REQUIRE_VNU") != "" {
			t.Fatalf("DIGEST_REQUIRE_VNU is set but VNU_JAR=%q, java: %v", jar, javaErr)
		}
		t.Skip("skipping HTML validation: set VNU_JAR to vnu.jar (npm install vnu-jar) and install Java to run it")
	}
	for _, lang := range []string{"fr", "ar"} {
		out := t.TempDir() + "/" + lang
		if _, err := Run(context.Background(), Options{Source: exampleIn(t, lang), Out: out, Theme: digest.Theme(), Now: now}); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("java", "-jar", jar, "--errors-only", "--format", "gnu",
			"--filterpattern", `.*Bad value “\{\{unsubscribe_url\}\}” for attribute “href”.*`, "--skip-non-html", out)
		if msg, err := cmd.CombinedOutput(); err != nil || len(msg) > 0 {
			t.Errorf("%s: the Nu HTML Checker reports (%v):\n%s", lang, err, msg)
		}
	}
}
