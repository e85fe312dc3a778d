package clean

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// rightText is text that is right, in many languages and scripts, with the
// characters that look most like mojibake: no-break spaces before French
// punctuation, German guillemets after ß, Portuguese Ã, Icelandic ð,
// symbols after capitals. Mojibake must never change any of it.
var rightText = []string{
	"It’s the port’s “busiest” week — since 1998… ©2026 Harbour Gazette™ • €12 • £5 • ¥300",
	"L’été\u00a0» a été chaud\u00a0! «\u00a0Vraiment\u00a0?\u00a0» demande-t-il\u00a0; «\u00a0Oui\u00a0».",
	"L’ÉTÉ\u00a0» — CAFÉ\u00a0! À PARIS, ÇA VA\u00a0? Où est l’hôtel\u00a0? Très bien, merci.",
	"»Der Gruß« kam aus Köln. Straße, Fuß«, süß» und Maß°. Größe: 3×² und ½ Liter.",
	"¿Qué pasó? ¡Año nuevo! El niño comió piñas en Señor Núñez.",
	"NÃO, IRMÃ! São Paulo, ação, coração, maçã; pôr-do-sol às 18h. Nº 1º 2ª",
	"Þórður og Guðrún fóru í ferð. Ðað er gott. Ævintýri á Íslandi.",
	"Mười người Việt Nam ăn phở ở Hà Nội; Đà Nẵng đẹp quá.",
	"Zażółć gęślą jaźń. Łódź i Kraków. Příliš žluťoučký kůň úpěl ďábelské ódy.",
	"İstanbul’da güneşli bir gün. Çok güzel, ağaçlar yeşil.",
	"Η γρήγορη καφέ αλεπού πηδά πάνω από τον τεμπέλη σκύλο.",
	"Съешь же ещё этих мягких французских булок, да выпей чаю. Р. Иванов",
	"Їжак і ґава: українська мова. Ђорђе из Београда.",
	"שלום עולם, מה שלומך היום?",
	"مرحبا بالعالم، كيف حالك اليوم؟",
	"سلام دنیا، حال\u200cتان چطور است؟",
	"नमस्ते दुनिया, आज आप कैसे हैं? क्ष‍ि",
	"中文新闻：港口因洪水关闭。日本語のニュース、東京。한국어 뉴스입니다.",
	"Emoji: 😀 👩‍💻 🇬🇧 ❤️ ✓ → ← ★",
	"Math: 3 × 4 = 12, 10 ÷ 2, ±5 °C, µs, ¼ ½ ¾, x² + y³, 90°, ¬p ∧ q",
	"Ångström, Øresund, Æble, Ålborg; façade, naïve, coöperate, résumé, jalapeño.",
	"CHÂTEAU, CÂY, ÎLE, ÔTER, ÛN; Âge d’or; Â Ê Î Ô Û are circumflexes.",
	"Prices: Ã la carte? No: à la carte. Ã is a letter in Portuguese (Ã).",
	"Tab\tand\nnewline stay; Ð is Eth, × times, ß sharp s, Þ thorn.",
	"Română: În România, ştiinţă şi învăţământ; Â în mijlocul cuvântului.",
	"Dansk: Århus, Æbleskiver, Ønsker.",
	"Català: l·lusió, col·legi. Euskara: Gaur goizean.",
	"Shqip: Çfarë bëni? Malti: Ħabib, ġurnata.",
	"",
	"plain ASCII only, nothing to do.",
}

// garble is what double decoding does to right text: its UTF-8 bytes read
// as Windows-1252 (bytes that Windows-1252 leaves undefined read as
// Latin-1, as browsers do).
func garble(s string) string {
	var b strings.Builder
	dec := charmap.Windows1252.NewDecoder()
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 {
			b.WriteByte(c)
			continue
		}
		out, err := dec.Bytes([]byte{c})
		if err != nil || string(out) == "\ufffd" {
			b.WriteRune(rune(c))
			continue
		}
		b.Write(out)
	}
	return b.String()
}

func TestMojibakeNeverChangesRightText(t *testing.T) {
	for _, s := range rightText {
		if got := Mojibake(s); got != s {
			t.Errorf("Mojibake changed right text\n in:  %q\n out: %q", s, got)
		}
		if f := FindMojibake(s); len(f) > 0 {
			t.Errorf("FindMojibake(%q) found %v", s, f)
		}
	}
}

// TestMojibakeNeverChangesRightWords looks at each word of the right
// texts, and each pair of words, on their own: a short text has less
// evidence around it.
func TestMojibakeNeverChangesRightWords(t *testing.T) {
	for _, s := range rightText {
		words := strings.Fields(s)
		for i, w := range words {
			if got := Mojibake(w); got != w {
				t.Errorf("Mojibake(%q) = %q", w, got)
			}
			if i > 0 {
				pair := words[i-1] + " " + w
				if got := Mojibake(pair); got != pair {
					t.Errorf("Mojibake(%q) = %q", pair, got)
				}
			}
		}
	}
}

func TestMojibakeRepairsGarbledText(t *testing.T) {
	for _, s := range rightText {
		g := garble(s)
		if got := Mojibake(g); got != s {
			t.Errorf("Mojibake(garble(x)) != x\n x:   %q\n in:  %q\n out: %q", s, g, got)
		}
	}
}

func TestMojibakeRepairsTwiceGarbledText(t *testing.T) {
	for _, s := range rightText[:3] {
		if got := Mojibake(garble(garble(s))); got != s {
			t.Errorf("twice garbled %q came out %q", s, got)
		}
	}
}

func TestMojibakeExamples(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Itâ€™s the portâ€™s â€œbusiestâ€\u009d week", "It’s the port’s “busiest” week"},
		{"The cafÃ© reopenedÂ in May", "The café reopened in May"},
		{"10Â km from the coast,Â officials said", "10 km from the coast, officials said"},
		{"Ã¢â‚¬â„¢", "’"},
		{"ä¸­æ–‡", "中文"},
		{"ðŸ˜€ great", "😀 great"},
		{"Ð¿Ñ€Ð¸Ð²ÐµÑ‚", "привет"},
		{"â\u0080\u0099 Latin-1", "’ Latin-1"},
		{"SÃ£o Paulo", "São Paulo"},
	}
	for _, tt := range tests {
		if got := Mojibake(tt.in); got != tt.want {
			t.Errorf("Mojibake(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFindMojibake(t *testing.T) {
	s := "Itâ€™s 10Â km"
	f := FindMojibake(s)
	if len(f) != 2 || f[0].Text != "â€™" || f[0].Fix != "’" || s[f[1].Start:f[1].End] != "Â" {
		t.Fatalf("FindMojibake(%q) = %+v", s, f)
	}
}

// FuzzMojibake checks that repair never produces invalid UTF-8 and that
// repaired text stays repaired.
func FuzzMojibake(f *testing.F) {
	for _, s := range rightText {
		f.Add(s)
		f.Add(garble(s))
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		got := Mojibake(s)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 from %q", s)
		}
		if again := Mojibake(got); again != got && Mojibake(again) != again {
			t.Fatalf("repair does not settle: %q → %q → %q", s, got, again)
		}
	})
}
