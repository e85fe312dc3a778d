package content

import "testing"

// A headline in each built-in language (see package i18n) makes a slug
// that keeps its letters: the marks of Devanagari, the joiners of Persian,
// the characters of Chinese and Japanese are not dropped or split.
// (Hindi's vowel signs, spacing marks, were dropped before: "तूफ़-न".)
func TestSlugsInEveryBuiltinLanguage(t *testing.T) {
	for lang, c := range map[string]struct{ title, want string }{
		"en": {"Port reopens after storm", "port-reopens-after-storm"},
		"fr": {"Le port rouvre après la tempête", "le-port-rouvre-après-la-tempête"},
		"de": {"Hafen öffnet nach dem Sturm: Straße frei", "hafen-öffnet-nach-dem-sturm-straße-frei"},
		"es": {"¿Reabre el puerto? Sí, tras la tormenta", "reabre-el-puerto-sí-tras-la-tormenta"},
		"pt": {"Porto reabre após tempestade", "porto-reabre-após-tempestade"},
		"it": {"Il porto riapre dopo l’uragano", "il-porto-riapre-dopo-luragano"},
		"nl": {"Haven gaat weer open na storm", "haven-gaat-weer-open-na-storm"},
		"ar": {"الميناء يعيد فتح أبوابه بعد العاصفة", "الميناء-يعيد-فتح-أبوابه-بعد-العاصفة"},
		"fa": {"بازگشایی بندر پس از توفان", "بازگشایی-بندر-پس-از-توفان"},
		// a zero-width non-joiner, invisible in a URL, parts the word
		"fa-zwnj": {"سخنگوی وزارت\u200cخارجه", "سخنگوی-وزارت-خارجه"},
		"tr":      {"Liman fırtınadan sonra yeniden açıldı", "liman-fırtınadan-sonra-yeniden-açıldı"},
		"ru":      {"Порт снова открыт после шторма", "порт-снова-открыт-после-шторма"},
		"uk":      {"Порт знову відкрито після шторму", "порт-знову-відкрито-після-шторму"},
		"zh":      {"风暴过后港口重新开放", "风暴过后港口重新开放"},
		"ja":      {"嵐の後、港が再開", "嵐の後-港が再開"},
		"ko":      {"폭풍 후 항구 재개장", "폭풍-후-항구-재개장"},
		"hi":      {"तूफ़ान के बाद बंदरगाह फिर खुला", "तूफ़ान-के-बाद-बंदरगाह-फिर-खुला"},
		"sw":      {"Bandari yafunguliwa tena baada ya dhoruba", "bandari-yafunguliwa-tena-baada-ya-dhoruba"},
	} {
		if got := Slugify(c.title); got != c.want {
			t.Errorf("%s: Slugify(%q) = %q, want %q", lang, c.title, got, c.want)
		}
	}
}
