package i18n

import (
	"strings"

	"github.com/go-playground/locales"
	"github.com/go-playground/locales/ar"
	"github.com/go-playground/locales/bg"
	"github.com/go-playground/locales/bn"
	"github.com/go-playground/locales/ca"
	"github.com/go-playground/locales/cs"
	"github.com/go-playground/locales/da"
	"github.com/go-playground/locales/de"
	"github.com/go-playground/locales/de_CH"
	"github.com/go-playground/locales/el"
	"github.com/go-playground/locales/en_GB"
	"github.com/go-playground/locales/en_US"
	"github.com/go-playground/locales/es"
	"github.com/go-playground/locales/es_MX"
	"github.com/go-playground/locales/et"
	"github.com/go-playground/locales/fa"
	"github.com/go-playground/locales/fi"
	"github.com/go-playground/locales/fr"
	"github.com/go-playground/locales/fr_CA"
	"github.com/go-playground/locales/he"
	"github.com/go-playground/locales/hi"
	"github.com/go-playground/locales/hr"
	"github.com/go-playground/locales/hu"
	"github.com/go-playground/locales/id"
	"github.com/go-playground/locales/it"
	"github.com/go-playground/locales/ja"
	"github.com/go-playground/locales/ko"
	"github.com/go-playground/locales/lt"
	"github.com/go-playground/locales/lv"
	"github.com/go-playground/locales/mr"
	"github.com/go-playground/locales/ms"
	"github.com/go-playground/locales/nb"
	"github.com/go-playground/locales/nl"
	"github.com/go-playground/locales/pl"
	"github.com/go-playground/locales/pt"
	"github.com/go-playground/locales/pt_BR"
	"github.com/go-playground/locales/pt_PT"
	"github.com/go-playground/locales/ro"
	"github.com/go-playground/locales/ru"
	"github.com/go-playground/locales/sk"
	"github.com/go-playground/locales/sl"
	"github.com/go-playground/locales/sr"
	"github.com/go-playground/locales/sv"
	"github.com/go-playground/locales/sw"
	"github.com/go-playground/locales/ta"
	"github.com/go-playground/locales/te"
	"github.com/go-playground/locales/th"
	"github.com/go-playground/locales/tr"
	"github.com/go-playground/locales/uk"
	"github.com/go-playground/locales/ur"
	"github.com/go-playground/locales/vi"
	"github.com/go-playground/locales/zh"
	"github.com/go-playground/locales/zh_Hant"
)

// translator returns CLDR's data for a language tag: the locale of the
// language and region when digest has it ("pt-BR", "fr-CA"), else the
// language's own, or nil. Plain English is British English, as digest's
// English strings are; "en-US" is American. Chinese in traditional script
// ("zh-Hant", "zh-TW", "zh-HK") has its own.
func translator(tag string) locales.Translator {
	parts := strings.Split(strings.ToLower(tag), "-")
	all := cldr()
	if len(parts) > 1 {
		if parts[0] == "zh" && (parts[1] == "hant" || parts[1] == "tw" || parts[1] == "hk" || parts[1] == "mo") {
			return all["zh_Hant"]()
		}
		if f := all[parts[0]+"_"+strings.ToUpper(parts[1])]; f != nil {
			return f()
		}
	}
	if parts[0] == "en" {
		return all["en_GB"]()
	}
	if f := all[parts[0]]; f != nil {
		return f()
	}
	return nil
}

// cldr lists the locales digest carries, by CLDR's name.
func cldr() map[string]func() locales.Translator {
	return map[string]func() locales.Translator{
		"ar":      ar.New,
		"bg":      bg.New,
		"bn":      bn.New,
		"ca":      ca.New,
		"cs":      cs.New,
		"da":      da.New,
		"de":      de.New,
		"de_CH":   de_CH.New,
		"el":      el.New,
		"en_GB":   en_GB.New,
		"en_US":   en_US.New,
		"es":      es.New,
		"es_MX":   es_MX.New,
		"et":      et.New,
		"fa":      fa.New,
		"fi":      fi.New,
		"fr":      fr.New,
		"fr_CA":   fr_CA.New,
		"he":      he.New,
		"hi":      hi.New,
		"hr":      hr.New,
		"hu":      hu.New,
		"id":      id.New,
		"it":      it.New,
		"ja":      ja.New,
		"ko":      ko.New,
		"lt":      lt.New,
		"lv":      lv.New,
		"mr":      mr.New,
		"ms":      ms.New,
		"nb":      nb.New,
		"nl":      nl.New,
		"pl":      pl.New,
		"pt":      pt.New,
		"pt_BR":   pt_BR.New,
		"pt_PT":   pt_PT.New,
		"ro":      ro.New,
		"ru":      ru.New,
		"sk":      sk.New,
		"sl":      sl.New,
		"sr":      sr.New,
		"sv":      sv.New,
		"sw":      sw.New,
		"ta":      ta.New,
		"te":      te.New,
		"th":      th.New,
		"tr":      tr.New,
		"uk":      uk.New,
		"ur":      ur.New,
		"vi":      vi.New,
		"zh":      zh.New,
		"zh_Hant": zh_Hant.New,
	}
}
