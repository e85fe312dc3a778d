package i18n

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/digest-ssg/digest/internal/diag"
)

var siteToml = diag.Pos{File: "site.toml", Line: 3, Col: 12}

// The languages the issue asks for must all be built in.
var required = []string{"en", "fr", "de", "es", "pt", "it", "nl", "ar", "fa", "tr", "ru", "uk", "zh", "ja", "ko", "hi", "sw"}

func TestEveryRequiredLanguageIsBuiltIn(t *testing.T) {
	for _, l := range required {
		if !slices.Contains(Builtin(), l) {
			t.Errorf("%s: no built-in table", l)
		}
	}
}

// Every built-in language has every string of the English table (no
// fallback, so no warning), with exactly its language's plural forms for
// the strings that are plural in English, and only the placeholders the
// English string has (Load checks those, as errors).
func TestEveryBuiltinLanguageHasEveryString(t *testing.T) {
	en := mustBuiltin(Source)
	for _, tag := range Builtin() {
		l, errs := Load(nil, tag, siteToml)
		if len(errs) > 0 {
			t.Errorf("%s: %v", tag, errs)
			continue
		}
		own := mustBuiltinFor(t, tag)
		for key, m := range en {
			tm, ok := own[key]
			if !ok {
				t.Errorf("%s: no %q", tag, key)
				continue
			}
			if len(m.forms) > 1 {
				for _, f := range l.forms {
					if _, ok := tm.forms[f]; !ok {
						t.Errorf("%s: %s: no %q form", tag, key, formName(f))
					}
				}
			}
			for f, s := range tm.forms {
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s: %s: %s form is blank", tag, key, formName(f))
				}
			}
		}
		for key := range own {
			if _, ok := en[key]; !ok {
				t.Errorf("%s: %q is not an English key", tag, key)
			}
		}
	}
}

// mustBuiltinFor reads a built-in table alone, with the plural forms of
// its language.
func mustBuiltinFor(t *testing.T, tag string) map[string]message {
	t.Helper()
	data, err := builtin.ReadFile("lang/" + tag + ".toml")
	if err != nil {
		t.Fatal(err)
	}
	l := &Lang{tag: tag, msgs: map[string]message{}, loc: translator(tag)}
	l.forms = l.loc.PluralsCardinal()
	var errs diag.List
	l.read(&errs, tag+".toml", data, nil)
	if len(errs) > 0 {
		t.Fatalf("%s: %v", tag, errs)
	}
	return l.msgs
}

func TestPluralForms(t *testing.T) {
	cases := []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "1 story"},
		{"en", 5, "5 stories"},
		{"fr", 0, "0 article"},
		{"fr", 2, "2 articles"},
		{"ru", 1, "1 материал"},
		{"ru", 3, "3 материала"},
		{"ru", 5, "5 материалов"},
		{"ru", 21, "21 материал"},
		{"ar", 0, "لا أخبار"},
		{"ar", 1, "خبر واحد"},
		{"ar", 2, "خبران"},
		{"ar", 3, "٣ أخبار"},
		{"ar", 11, "١١ خبرًا"},
		{"ar", 100, "١٠٠ خبر"},
		{"ja", 1, "1件の記事"},
		{"fa", 2, "۲ خبر"},
	}
	for _, c := range cases {
		l, errs := Load(nil, c.lang, siteToml)
		if errs.Err() != nil {
			t.Fatal(errs)
		}
		if got := l.Text("stories", "n", c.n); got != c.want {
			t.Errorf("%s %d: got %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}

func TestDatesComeFromCLDR(t *testing.T) {
	at := time.Date(2026, 11, 27, 6, 45, 0, 0, time.UTC)
	cases := []struct{ lang, day, dateTime, monthYear string }{
		{"en", "Friday, 27 November 2026", "27 November 2026, 06:45 UTC", "November 2026"},
		{"en-US", "Friday, November 27, 2026", "November 27, 2026, 6:45 am UTC", "November 2026"},
		{"fr", "vendredi 27 novembre 2026", "27 novembre 2026 à 06:45 UTC", "novembre 2026"},
		{"de", "Freitag, 27. November 2026", "27. November 2026 um 06:45 UTC", "November 2026"},
		{"ar", "الجمعة، ٢٧ نوفمبر ٢٠٢٦", "٢٧ نوفمبر ٢٠٢٦، ٦:٤٥ ص UTC", "نوفمبر ٢٠٢٦"},
		{"fa", "جمعه ۲۷ نوامبر ۲۰۲۶", "۲۷ نوامبر ۲۰۲۶، ساعت ۶:۴۵ UTC", "نوامبر ۲۰۲۶"},
		{"ja", "2026年11月27日金曜日", "2026年11月27日 6:45 UTC", "2026年11月"},
		{"ru", "пятница, 27 ноября 2026 г.", "27 ноября 2026 г., 06:45 UTC", "ноябрь 2026 г."},
		{"uk", "пʼятниця, 27 листопада 2026 р.", "27 листопада 2026 р., 06:45 UTC", "листопад 2026 р."},
	}
	for _, c := range cases {
		l, errs := Load(nil, c.lang, siteToml)
		if errs.Err() != nil {
			t.Fatal(errs)
		}
		if got := l.Day(at); got != c.day {
			t.Errorf("%s: Day = %q, want %q", c.lang, got, c.day)
		}
		if got := l.DateTime(at); got != c.dateTime {
			t.Errorf("%s: DateTime = %q, want %q", c.lang, got, c.dateTime)
		}
		if got := l.MonthYear(at); got != c.monthYear {
			t.Errorf("%s: MonthYear = %q, want %q", c.lang, got, c.monthYear)
		}
	}
}

func TestDirection(t *testing.T) {
	for tag, want := range map[string]string{"ar": "rtl", "fa": "rtl", "en": "ltr", "ja": "ltr", "ar-EG": "rtl"} {
		l, errs := Load(nil, tag, siteToml)
		if errs.Err() != nil {
			t.Fatal(errs)
		}
		if l.Dir() != want {
			t.Errorf("%s: Dir = %q, want %q", tag, l.Dir(), want)
		}
	}
}

func TestSiteFileOverridesAndAdds(t *testing.T) {
	fsys := fstest.MapFS{"i18n/fr.toml": {Data: []byte("latest_stories = \"En continu\"\nmy_banner = \"Bonjour {name}\"\n")}}
	l, errs := Load(fsys, "fr", siteToml)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if got := l.Text("latest_stories"); got != "En continu" {
		t.Errorf("override: got %q", got)
	}
	if got := l.Text("my_banner", "name", "Anne"); got != "Bonjour Anne" {
		t.Errorf("addition: got %q", got)
	}
	if got := l.Text("byline", "authors", "Anne"); got != "Par Anne" {
		t.Errorf("built-in French under the file: got %q", got)
	}
}

// A language digest does not ship, given whole by the site, works; the
// strings its file lacks show in English, with a warning that names them.
func TestSiteLanguageFallsBackToEnglishWithAWarning(t *testing.T) {
	fsys := fstest.MapFS{"i18n/he.toml": {Data: []byte("latest_stories = \"החדשות האחרונות\"\nstories = { one = \"כתבה אחת\", two = \"שתי כתבות\", many = \"{n} כתבות\", other = \"{n} כתבות\" }\n")}}
	l, errs := Load(fsys, "he", siteToml)
	if errs.Err() != nil {
		t.Fatal(errs)
	}
	if l.Dir() != "rtl" {
		t.Errorf("Hebrew: Dir = %q", l.Dir())
	}
	if got := l.Text("latest_stories"); got != "החדשות האחרונות" {
		t.Errorf("got %q", got)
	}
	if got := l.Text("byline", "authors", "Dana"); got != "By Dana" {
		t.Errorf("fallback: got %q, want English", got)
	}
	if len(errs) != 1 || !errs[0].Warning || !strings.Contains(errs[0].Error(), "site.toml:3:12: language: ") || !strings.Contains(errs[0].Msg, "byline") {
		t.Errorf("want one warning at site.toml naming the missing strings, got %v", errs)
	}
}

func TestBadTables(t *testing.T) {
	cases := []struct {
		name, lang, file, want string
	}{
		{"unknown language, no file", "xx", "", `site.toml:3:12: language: digest has no CLDR date formats for "xx"`},
		{"language with dates but no table", "pl", "", `site.toml:3:12: language: digest has no translation for "pl" built in`},
		{"malformed TOML", "fr", "latest_stories = \"En continu\nbyline = 1\n", "i18n/fr.toml:1:"},
		{"not a string", "fr", "\nbyline = 3\n", "i18n/fr.toml:2:10: byline: must be a string in quotes"},
		{"misspelt plural form", "fr", "stories = { one = \"{n} article\", ohter = \"{n} articles\" }\n", `i18n/fr.toml:1:34: stories: "ohter" is not a plural form`},
		{"form the language lacks", "fr", "stories = { one = \"{n} article\", few = \"{n} articles\", other = \"{n} articles\" }\n", `i18n/fr.toml:1:34: stories: fr has no "few" plural form (its forms: one, other): remove it`},
		{"no other form", "ru", "stories = { one = \"{n} материал\" }\n", `i18n/ru.toml:1:11: stories: the "other" plural form is missing`},
		{"unknown placeholder", "de", "source = \"Quelle: {quelle}\"\n", `i18n/de.toml:1:10: source: unknown placeholder {quelle} (use {source})`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			if c.file != "" {
				fsys["i18n/"+c.lang+".toml"] = &fstest.MapFile{Data: []byte(c.file)}
			}
			l, errs := Load(fsys, c.lang, siteToml)
			if errs.Err() == nil || l != nil {
				t.Fatalf("want an error, got %v", errs)
			}
			if !strings.Contains(errs.Error(), c.want) {
				t.Errorf("got\n%v\nwant it to contain\n%s", errs, c.want)
			}
		})
	}
}

func TestPartsLeaveSlotsForHTML(t *testing.T) {
	l, _ := Load(nil, "ja", siteToml)
	var got []string
	for _, p := range l.Parts("byline") {
		if p.Slot != "" {
			got = append(got, "{"+p.Slot+"}")
		} else {
			got = append(got, p.Text)
		}
	}
	if strings.Join(got, "|") != "{authors}|記者" && strings.Join(got, "|") != "文：|{authors}" {
		t.Errorf("got %q", got)
	}
}
