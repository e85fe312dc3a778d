package search

import (
	"slices"
	"testing"
)

// In each built-in language (see package i18n), a word typed in a search
// finds a headline that has it, in another form where the language is
// stemmed: the tokeniser keeps the letters and marks of every script
// (Devanagari's vowel signs, Arabic's, Persian's joiners) and pairs the
// characters of Chinese, Japanese and Korean.
func TestSearchTermsInEveryBuiltinLanguage(t *testing.T) {
	for _, c := range []struct{ lang, text, query string }{
		{"en", "Port reopens after storms", "storm"},
		{"fr", "Le port rouvre après les tempêtes", "tempête"},
		{"de", "Der Hafen öffnet nach dem Sturm wieder", "hafen"},
		{"es", "El puerto reabre tras las tormentas", "tormenta"},
		{"pt", "O porto reabre após as tempestades", "tempestade"},
		{"it", "Il porto riapre dopo le tempeste", "tempesta"},
		{"nl", "De haven gaat weer open na de stormen", "storm"},
		{"ar", "الميناء يعيد فتح أبوابه بعد العاصفة", "العاصفة"},
		{"fa", "بازگشایی بندر پس از توفان", "بندر"},
		{"tr", "Liman fırtınadan sonra yeniden açıldı", "liman"},
		{"ru", "Порт снова открыт после штормов", "шторм"},
		{"uk", "Порт знову відкрито після шторму", "порт"},
		{"zh", "风暴过后港口重新开放", "港口"},
		{"ja", "嵐の後、港が再開された", "再開"},
		{"ko", "폭풍 후 항구 재개장", "항구"},
		{"hi", "तूफ़ान के बाद बंदरगाह फिर खुला", "बंदरगाह"},
		{"sw", "Bandari yafunguliwa tena baada ya dhoruba", "bandari"},
	} {
		text, query := Terms(c.lang, c.text), Terms(c.lang, c.query)
		if cjk := c.lang == "zh" || c.lang == "ja" || c.lang == "ko"; len(query) == 0 || !cjk && len(query) != 1 {
			t.Errorf("%s: the word %q gives the terms %q, want one", c.lang, c.query, query)
		}
		for _, q := range query {
			if !slices.Contains(text, q) {
				t.Errorf("%s: the term %q of %q is not among %q's: %q", c.lang, q, c.query, c.text, text)
			}
		}
	}
}
