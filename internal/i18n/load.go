package i18n

import (
	"embed"
	"errors"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/go-playground/locales"
	"golang.org/x/text/language"
	xmessage "golang.org/x/text/message"

	"github.com/digest-ssg/digest/internal/diag"
	"github.com/digest-ssg/digest/internal/meta"
)

//go:embed lang/*.toml
var builtin embed.FS

// Source is the language every table falls back to.
const Source = "en"

// Builtin lists the languages digest has tables for, sorted.
func Builtin() []string {
	entries, _ := builtin.ReadDir("lang")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".toml"))
	}
	return out
}

// English returns the built-in English tables, as a site with no
// language set has them.
func English() *Lang {
	l, errs := Load(nil, Source, diag.Pos{})
	if errs.Err() != nil {
		panic("i18n: the built-in English table: " + errs.Error())
	}
	return l
}

// Load makes the tables for language tag (BCP 47, as site.toml's
// language gives it): English, the built-in table of the language, and
// the site's i18n/<language>.toml from fsys (nil: none), each over the
// one before. at is where the language is set, for problems with the
// language itself. Errors (a file that cannot be read, bad TOML, a plural
// form the language does not have, a language with no table and no file)
// come with a nil Lang; warnings (strings left in English, unknown keys
// that look like typos) with a usable one.
func Load(fsys fs.FS, tag string, at diag.Pos) (*Lang, diag.List) {
	base, _, _ := strings.Cut(strings.ToLower(tag), "-")
	loc := translator(tag)
	if loc == nil {
		return nil, diag.List{diag.Errorf(at, "language: digest has no CLDR date formats for %q (use a language such as %s, or a region of one, e.g. \"pt-BR\")", tag, strings.Join(Builtin(), ", "))}
	}
	l := &Lang{tag: tag, base: base, loc: loc, digits: digitsOf(tag), forms: loc.PluralsCardinal()}
	en := mustBuiltin(Source)
	l.msgs = map[string]message{}
	var errs diag.List
	known := false
	if base == Source {
		known = true
	}
	if data, err := builtin.ReadFile("lang/" + base + ".toml"); err == nil {
		known = true
		l.read(&errs, "(built-in) "+base+".toml", data, en)
	}
	for _, name := range siteFiles(tag, base) {
		data, err := readSite(fsys, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			errs = append(errs, diag.CannotRead(name, false, err))
			continue
		}
		known = true
		l.read(&errs, name, data, en)
	}
	if !known {
		errs.Add(at, "language: digest has no translation for %q built in (built in: %s); write the theme's strings in %s/%s.toml (see the README's \"Languages\"), or pick a built-in language", tag, strings.Join(Builtin(), ", "), Dir, tag)
	}
	if errs.Err() != nil {
		return nil, errs
	}
	l.fallBack(en, at, &errs)
	l.plural = map[string]bool{}
	for k, m := range en {
		l.plural[k] = len(m.forms) > 1
	}
	return l, errs
}

// siteFiles are the site's tables for a language, the general one first:
// i18n/pt.toml, then i18n/pt-BR.toml.
func siteFiles(tag, base string) []string {
	out := []string{path.Join(Dir, base+".toml")}
	if !strings.EqualFold(tag, base) {
		out = append(out, path.Join(Dir, tag+".toml"))
	}
	return out
}

func readSite(fsys fs.FS, name string) ([]byte, error) {
	if fsys == nil {
		return nil, fs.ErrNotExist
	}
	return fs.ReadFile(fsys, name)
}

// mustBuiltin reads a built-in table that is known to be good (a test
// checks every one).
func mustBuiltin(lang string) map[string]message {
	data, err := builtin.ReadFile("lang/" + lang + ".toml")
	if err != nil {
		panic("i18n: " + err.Error())
	}
	l := &Lang{msgs: map[string]message{}, forms: []locales.PluralRule{locales.PluralRuleOne, locales.PluralRuleOther}}
	var errs diag.List
	l.read(&errs, lang+".toml", data, nil)
	if errs.Err() != nil {
		panic("i18n: " + errs.Error())
	}
	return l.msgs
}

// fallBack fills the strings the language's tables lack with English,
// with one warning naming them.
func (l *Lang) fallBack(en map[string]message, at diag.Pos, errs *diag.List) {
	var missing []string
	for _, k := range slices.Sorted(maps.Keys(en)) {
		if _, ok := l.msgs[k]; !ok {
			l.msgs[k] = en[k]
			if l.base != Source {
				missing = append(missing, k)
			}
		}
	}
	if len(missing) > 0 {
		errs.Warn(at, "language: %d strings of the theme have no %s translation and show in English: %s (add them to %s/%s.toml)", len(missing), l.tag, strings.Join(missing, ", "), Dir, l.tag)
	}
}

// read decodes one table over l's strings; en (nil for English itself)
// says which keys and placeholders the theme knows.
func (l *Lang) read(errs *diag.List, file string, data []byte, en map[string]message) {
	root, err := meta.ParseTOML(data)
	if err != nil {
		var se *meta.SyntaxError
		if errors.As(err, &se) {
			errs.Add(diag.Pos{File: file, Line: se.Line, Col: se.Col}, "%s (a table is lines of key = \"text\"; see the README's \"Languages\")", se.Msg)
		} else {
			errs.Add(diag.Pos{File: file}, "%v", err)
		}
		return
	}
	for _, f := range root.Fields {
		pos := diag.Pos{File: file, Line: f.Line, Col: f.Col}
		m, ok := l.decode(errs, file, f)
		if !ok {
			continue
		}
		m.pos = pos
		if en != nil {
			if _, known := en[f.Key]; !known {
				if s := diag.Closest(f.Key, slices.Collect(maps.Keys(en))); s != "" {
					errs.Warn(pos, "%q is not a string of the theme (did you mean %q?); it is kept for your own templates", f.Key, s)
				}
			} else if !l.samePlaceholders(errs, file, f, m, en[f.Key]) {
				continue
			} else {
				l.checkForms(errs, pos, f.Key, m, en[f.Key])
			}
		}
		l.msgs[f.Key] = m
	}
}

// decode reads one key's value: a string, or a table of plural forms.
func (l *Lang) decode(errs *diag.List, file string, f *meta.Field) (message, bool) {
	v := f.Value
	at := diag.Pos{File: file, Line: v.Line, Col: v.Col}
	switch v.Kind {
	case meta.String:
		return message{forms: map[locales.PluralRule]string{locales.PluralRuleOther: v.Text}}, true
	case meta.Map:
	default:
		errs.Add(at, "%s: must be a string in quotes, or plural forms such as { one = \"{n} story\", other = \"{n} stories\" }", f.Key)
		return message{}, false
	}
	m := message{forms: map[locales.PluralRule]string{}}
	ok := true
	for _, ff := range v.Fields {
		fat := diag.Pos{File: file, Line: ff.Line, Col: ff.Col}
		r, known := formNames[ff.Key]
		switch {
		case !known:
			errs.Add(fat, "%s: %q is not a plural form (CLDR's are zero, one, two, few, many, other; %s uses %s)", f.Key, ff.Key, l.nameForErrors(), strings.Join(l.Forms(), ", "))
			ok = false
		case !slices.Contains(l.forms, r) && r != locales.PluralRuleOther:
			errs.Add(fat, "%s: %s has no %q plural form (its forms: %s): remove it", f.Key, l.nameForErrors(), ff.Key, strings.Join(l.Forms(), ", "))
			ok = false
		case ff.Value.Kind != meta.String:
			errs.Add(diag.Pos{File: file, Line: ff.Value.Line, Col: ff.Value.Col}, "%s.%s: must be a string in quotes", f.Key, ff.Key)
			ok = false
		default:
			m.forms[r] = ff.Value.Text
		}
	}
	if ok && m.forms[locales.PluralRuleOther] == "" {
		errs.Add(at, "%s: the \"other\" plural form is missing (every language has it: add other = \"…\")", f.Key)
		ok = false
	}
	return m, ok
}

// checkForms warns when a string that is plural in English lacks some of
// the language's plural forms: those counts get the "other" form.
func (l *Lang) checkForms(errs *diag.List, pos diag.Pos, key string, m, en message) {
	if len(en.forms) < 2 {
		return
	}
	var lack []string
	for _, r := range l.forms {
		if _, ok := m.forms[r]; !ok {
			lack = append(lack, formName(r))
		}
	}
	if len(lack) > 0 {
		errs.Warn(pos, "%s: no %s plural form (%s uses %s); those counts show the \"other\" form", key, strings.Join(lack, ", "), l.nameForErrors(), strings.Join(l.Forms(), ", "))
	}
}

func (l *Lang) nameForErrors() string {
	if l.tag == "" {
		return "the language"
	}
	return l.tag
}

// filledToo are placeholders the code fills that the English string does
// not use: a month's number, for languages that write "2026年11月"; the
// count of authors, for languages whose "By" agrees with it.
var filledToo = map[string][]string{
	"month_year": {"month_num"},
	"byline":     {"n"},
}

// samePlaceholders checks that a translation uses only placeholders the
// English string has, as the templates fill only those.
func (l *Lang) samePlaceholders(errs *diag.List, file string, f *meta.Field, m, en message) bool {
	allowed := map[string]bool{}
	for _, p := range filledToo[f.Key] {
		allowed[p] = true
	}
	for _, s := range en.forms {
		for _, p := range placeholders(s) {
			allowed[p] = true
		}
	}
	ok := true
	for _, r := range slices.Sorted(maps.Keys(m.forms)) {
		for _, p := range placeholders(m.forms[r]) {
			if !allowed[p] {
				names := slices.Sorted(maps.Keys(allowed))
				hint := "it has none: remove it"
				if len(names) > 0 {
					hint = "use {" + strings.Join(names, "}, {") + "}"
				}
				errs.Add(diag.Pos{File: file, Line: f.Value.Line, Col: f.Value.Col}, "%s: unknown placeholder {%s} (%s)", f.Key, p, hint)
				ok = false
			}
		}
	}
	return ok
}

// digitsOf returns a replacer from ASCII digits to those of the
// language's default numbering system, as CLDR gives it through x/text,
// or nil when they are ASCII.
func digitsOf(tag string) *strings.Replacer {
	t, err := language.Parse(tag)
	if err != nil {
		return nil
	}
	p := xmessage.NewPrinter(t)
	var pairs []string
	for d := range 10 {
		if s := p.Sprint(d); s != string(rune('0'+d)) {
			pairs = append(pairs, string(rune('0'+d)), s)
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	return strings.NewReplacer(pairs...)
}
