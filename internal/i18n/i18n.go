// Package i18n holds the words and formats of a site's language: every
// word the theme, the feeds, the search page, the email edition and the
// relative times show, and how dates, times and numbers are written.
//
// A language's words come from tables: the built-in one for English
// (lang/en.toml) under everything, the built-in one for the language
// (lang/<language>.toml, see Builtin), and the site's own file
// i18n/<language>.toml over them, which may change any string, add new
// ones for the site's templates, or give a whole language digest does not
// ship. A table is TOML, one key a string:
//
//	latest_stories = "Dernières infos"
//	stories = { one = "{n} article", other = "{n} articles" }
//
// A string may have placeholders in braces ({n}, {site}, …), filled by
// the template; {n} is the count that picks the plural form. Plural forms
// are CLDR's categories (zero, one, two, few, many, other): each language
// has its own set (Arabic all six, Russian one, few, many and other,
// Japanese other alone), checked against CLDR's rules. A string the
// language's table lacks is shown in English and reported as a warning.
//
// Dates and times come from CLDR's data through
// github.com/go-playground/locales (names of months and days, their order,
// the 12- or 24-hour clock), with the digits of the language's default
// numbering system (Arabic-Indic in Arabic, Persian in Persian) from
// golang.org/x/text. The one date pattern CLDR's library does not give,
// a month and its year, is a string of the table (month_year), filled
// with the month's stand-alone name where it differs (Russian, Ukrainian).
package i18n

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-playground/locales"

	"github.com/digest-ssg/digest/internal/diag"
)

// Dir is the folder of a site's own tables.
const Dir = "i18n"

// Lang is one language's words and formats, ready to use. It is not
// changed after Load, so it is safe for concurrent use.
type Lang struct {
	tag    string             // as site.toml gives it
	base   string             // its primary language subtag, lower case
	msgs   map[string]message // English, then the language's table, then the site's
	loc    locales.Translator // CLDR's dates, times and plural rules
	digits *strings.Replacer  // ASCII digits to the language's, or nil
	forms  []locales.PluralRule
	plural map[string]bool // the keys that have plural forms in English
}

// Tag is the language as the site names it ("fr", "pt-BR").
func (l *Lang) Tag() string { return l.tag }

// Dir is the direction of the language's script: "rtl" or "ltr".
func (l *Lang) Dir() string {
	if rtl[l.base] {
		return "rtl"
	}
	return "ltr"
}

// rtl are the languages written right to left.
var rtl = map[string]bool{"ar": true, "fa": true, "he": true, "ur": true, "ps": true, "sd": true, "ug": true, "yi": true, "ckb": true, "dv": true}

// Has tells whether the tables have a string for key.
func (l *Lang) Has(key string) bool {
	_, ok := l.msgs[key]
	return ok
}

// Keys lists every key the tables have, sorted.
func (l *Lang) Keys() []string { return slices.Sorted(maps.Keys(l.msgs)) }

// Text returns the string for key with its placeholders filled from args,
// which are pairs of a name and a value: T("page_of", "page", 2, "total",
// 5) → "Page 2 of 5". A number is written in the language's digits; the
// value named "n" picks the plural form. A key no table has comes back
// as itself in brackets, so that it shows and is not blank.
func (l *Lang) Text(key string, args ...any) string {
	m, ok := l.msgs[key]
	if !ok {
		return "[" + key + "]"
	}
	s := m.text(l.formOf(args))
	if strings.IndexByte(s, '{') < 0 {
		return s // most strings: nothing to fill
	}
	var b strings.Builder
	for s != "" {
		i := strings.IndexByte(s, '{')
		j := strings.IndexByte(s[max(i, 0):], '}')
		if i < 0 || j < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		if v, ok := l.arg(args, s[i+1:i+j]); ok {
			b.WriteString(v)
		} else {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
	return b.String()
}

// formOf is the plural category the argument named "n" picks, or Other.
func (l *Lang) formOf(args []any) locales.PluralRule {
	for i := 0; i+1 < len(args); i += 2 {
		if name, _ := args[i].(string); name == "n" {
			return l.pluralOf(args[i+1])
		}
	}
	return locales.PluralRuleOther
}

// arg is the value of the argument named name, as text.
func (l *Lang) arg(args []any, name string) (string, bool) {
	for i := 0; i+1 < len(args); i += 2 {
		if n, _ := args[i].(string); n == name {
			return l.value(args[i+1]), true
		}
	}
	return "", false
}

// Part is a piece of a string: text, or a placeholder (Slot) that args
// did not fill, for the template to fill with HTML of its own.
type Part struct {
	Text string
	Slot string
}

// Parts is Text cut at the placeholders args do not fill, so that a
// template can put links or other HTML there: the parts of "By {authors}"
// are "By " and the slot "authors".
func (l *Lang) Parts(key string, args ...any) []Part {
	m, ok := l.msgs[key]
	if !ok {
		return []Part{{Text: "[" + key + "]"}}
	}
	vals := map[string]string{}
	for i := 0; i+1 < len(args); i += 2 {
		vals[fmt.Sprint(args[i])] = l.value(args[i+1])
	}
	return fill(m.text(l.formOf(args)), vals)
}

// message is one string of a table, with a form for each plural category
// it has (a plain string has Other alone).
type message struct {
	forms map[locales.PluralRule]string
	pos   diag.Pos
}

// text returns the form for a category, else the Other form.
func (m message) text(form locales.PluralRule) string {
	if s, ok := m.forms[form]; ok {
		return s
	}
	return m.forms[locales.PluralRuleOther]
}

// fill cuts s at its placeholders and fills those vals has.
func fill(s string, vals map[string]string) []Part {
	var out []Part
	text := func(t string) {
		if t == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Slot == "" {
			out[n-1].Text += t
			return
		}
		out = append(out, Part{Text: t})
	}
	for s != "" {
		i := strings.IndexByte(s, '{')
		j := strings.IndexByte(s[max(i, 0):], '}')
		if i < 0 || j < 0 {
			text(s)
			break
		}
		name := s[i+1 : i+j]
		text(s[:i])
		if v, ok := vals[name]; ok {
			text(v)
		} else {
			out = append(out, Part{Slot: name})
		}
		s = s[i+j+1:]
	}
	return out
}

// placeholders lists the names in braces in s.
func placeholders(s string) []string {
	var out []string
	for _, p := range fill(s, nil) {
		if p.Slot != "" {
			out = append(out, p.Slot)
		}
	}
	return out
}

// value writes an argument as text: numbers in the language's digits.
func (l *Lang) value(v any) string {
	switch v := v.(type) {
	case int:
		return l.Number(v)
	case int64:
		return l.Number(int(v))
	case string:
		return v
	}
	return fmt.Sprint(v)
}

// pluralOf is the plural category of a count (a number, or a string
// holding one, such as "12+").
func (l *Lang) pluralOf(v any) locales.PluralRule {
	var n int
	switch v := v.(type) {
	case int:
		n = v
	case int64:
		n = int(v)
	case string:
		n, _ = strconv.Atoi(strings.TrimRight(v, "+"))
	}
	return l.Plural(n)
}

// Plural is the CLDR plural category of the count n in the language.
func (l *Lang) Plural(n int) locales.PluralRule {
	r := l.loc.CardinalPluralRule(float64(n), 0)
	if !slices.Contains(l.forms, r) {
		return locales.PluralRuleOther
	}
	return r
}

// Forms lists the plural categories of the language, as CLDR names them
// ("one", "other").
func (l *Lang) Forms() []string {
	out := make([]string, len(l.forms))
	for i, f := range l.forms {
		out[i] = formName(f)
	}
	return out
}

// PluralForms returns each plural form of key's string by category name,
// for scripts that choose among them (with Intl.PluralRules).
func (l *Lang) PluralForms(key string) map[string]string {
	m := l.msgs[key]
	out := map[string]string{}
	for _, f := range l.forms {
		out[formName(f)] = m.text(f)
	}
	return out
}

// Number writes n in the language's digits, without grouping.
func (l *Lang) Number(n int) string { return l.localDigits(strconv.Itoa(n)) }

func (l *Lang) localDigits(s string) string {
	if l.digits == nil {
		return s
	}
	return l.digits.Replace(s)
}

// Date is the day, as the language writes it in full: "27 novembre 2026".
func (l *Lang) Date(t time.Time) string { return l.localDigits(l.loc.FmtDateLong(t)) }

// Day is the day with its weekday: "vendredi 27 novembre 2026".
func (l *Lang) Day(t time.Time) string { return l.localDigits(l.loc.FmtDateFull(t)) }

// ShortDate is the day, abbreviated: "27 nov. 2026".
func (l *Lang) ShortDate(t time.Time) string { return l.localDigits(l.loc.FmtDateMedium(t)) }

// Clock is the time of day: "06:45", "6:45 am", "午前6:45".
func (l *Lang) Clock(t time.Time) string { return l.localDigits(l.loc.FmtTimeShort(t)) }

// DateTime is the day and time with its zone, as the string date_time
// orders them: "27 novembre 2026 à 06:45 GMT".
func (l *Lang) DateTime(t time.Time) string {
	return l.Text("date_time", "date", l.Date(t), "time", l.Clock(t), "zone", t.Format("MST"))
}

// MonthYear is a month and its year, as the string month_year writes
// them: "novembre 2026", "ноябрь 2026 г.".
func (l *Lang) MonthYear(t time.Time) string {
	month := l.loc.MonthWide(t.Month())
	if alone, ok := standaloneMonths[l.base]; ok {
		month = alone[t.Month()-1]
	}
	return l.Text("month_year", "month", month, "month_num", int(t.Month()), "year", t.Year())
}

// standaloneMonths are the names of the months on their own, as a
// heading shows them, in the languages where they differ from the names
// in a date (CLDR's stand-alone "LLLL" against "MMMM": «ноябрь 2026 г.»
// but «27 ноября 2026 г.»), which go-playground/locales does not have.
var standaloneMonths = map[string][12]string{
	"ru": {"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"},
	"uk": {"січень", "лютий", "березень", "квітень", "травень", "червень", "липень", "серпень", "вересень", "жовтень", "листопад", "грудень"},
}

// formNames are the plural categories by CLDR's names.
var formNames = map[string]locales.PluralRule{
	"zero": locales.PluralRuleZero, "one": locales.PluralRuleOne, "two": locales.PluralRuleTwo,
	"few": locales.PluralRuleFew, "many": locales.PluralRuleMany, "other": locales.PluralRuleOther,
}

func formName(r locales.PluralRule) string { return strings.ToLower(r.String()) }

// Format is time.Format with the names of months and days in the
// language, from CLDR ("January", "Jan", "Monday", "Mon" in the layout);
// the digits stay ASCII, so that it can write ids and attribute values
// ("2006-01") as well as text.
func (l *Lang) Format(layout string, t time.Time) string {
	var b strings.Builder
	for layout != "" {
		name, rest, ok := l.nameAt(layout, t)
		if ok {
			b.WriteString(name)
			layout = rest
			continue
		}
		i := strings.IndexAny(layout[1:], "JM")
		if i < 0 {
			b.WriteString(t.Format(layout))
			break
		}
		b.WriteString(t.Format(layout[:i+1]))
		layout = layout[i+1:]
	}
	return b.String()
}

// nameAt writes the name a layout starts with, if it starts with one.
func (l *Lang) nameAt(layout string, t time.Time) (name, rest string, ok bool) {
	for _, n := range []struct {
		token string
		name  func() string
	}{
		{"January", func() string { return l.loc.MonthWide(t.Month()) }},
		{"Monday", func() string { return l.loc.WeekdayWide(t.Weekday()) }},
		{"Jan", func() string { return l.loc.MonthAbbreviated(t.Month()) }},
		{"Mon", func() string { return l.loc.WeekdayAbbreviated(t.Weekday()) }},
	} {
		if strings.HasPrefix(layout, n.token) {
			return n.name(), layout[len(n.token):], true
		}
	}
	return "", "", false
}

// DayTime is a short day and a time, as the string day_time orders them:
// "27 nov. 2026 à 06:45".
func (l *Lang) DayTime(t time.Time) string {
	return l.Text("day_time", "date", l.ShortDate(t), "time", l.Clock(t))
}

// Join joins a list (of names, say) with the language's separator: ", "
// in English, "، " in Arabic, "、" in Japanese.
func (l *Lang) Join(items []string) string { return strings.Join(items, l.Text("list_sep")) }

// Words gives strings to a script: pairs of the name the script knows a
// string by and its key. A string with plural forms comes as a map of
// CLDR's category names to forms (the script picks one with
// Intl.PluralRules), any other as its text; placeholders stay as written
// ("{n}"), for the script to fill.
func (l *Lang) Words(pairs ...string) map[string]any {
	out := map[string]any{}
	for i := 0; i+1 < len(pairs); i += 2 {
		m := l.msgs[pairs[i+1]]
		if len(m.forms) > 1 || l.plural[pairs[i+1]] {
			out[pairs[i]] = l.PluralForms(pairs[i+1])
			continue
		}
		out[pairs[i]] = m.text(locales.PluralRuleOther)
	}
	return out
}

// Digits are the ten digits of the language's numbering system, zero
// first ("0123456789", "٠١٢٣٤٥٦٧٨٩"), for scripts to write numbers as the
// pages do.
func (l *Lang) Digits() string { return l.localDigits("0123456789") }
