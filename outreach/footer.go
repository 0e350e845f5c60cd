package outreach

import (
	"html"
	"strings"
	"unicode"
)

// footer is what every message must show and the template may have left out: the
// unsubscribe link, the sender's postal address and, for an address found by a crawl,
// the page it was found on (GDPR Art. 14: a person must learn where data not collected
// from them came from). It is worded in the language the message is written in.
type footer struct {
	unsubscribeURL string
	postal         string
	emailSource    string // "" when the address was not crawled
}

// footerWords are the footer's sentences in the languages users write to prospects in;
// English is the fallback.
var footerWords = map[string]struct{ unsubscribe, source string }{
	"en": {"Unsubscribe", "I found your address on"},
	"de": {"Abmelden", "Ihre Adresse habe ich hier gefunden:"},
	"fr": {"Se désinscrire", "J'ai trouvé votre adresse sur"},
	"es": {"Darse de baja", "Encontré su dirección en"},
	"pt": {"Cancelar subscrição", "Encontrei o seu endereço em"},
	"it": {"Annulla iscrizione", "Ho trovato il suo indirizzo su"},
	"nl": {"Afmelden", "Ik vond uw adres op"},
}

// stopWords are frequent short words that tell the languages of footerWords apart.
var stopWords = map[string][]string{
	"en": {"the", "and", "you", "your", "for", "with", "is", "are", "we", "i", "to", "of", "hi", "hello", "best", "regards"},
	"de": {"und", "der", "die", "das", "sie", "ihr", "ihre", "ich", "nicht", "mit", "für", "ist", "guten", "tag", "hallo", "grüße", "viele"},
	"fr": {"le", "la", "les", "et", "vous", "votre", "je", "pour", "avec", "est", "bonjour", "cordialement", "une", "des"},
	"es": {"el", "los", "las", "y", "usted", "su", "para", "con", "es", "hola", "saludos", "una", "que", "por"},
	"pt": {"o", "os", "as", "e", "você", "seu", "sua", "para", "com", "é", "olá", "cumprimentos", "uma", "que", "não"},
	"it": {"il", "lo", "gli", "e", "lei", "suo", "per", "con", "è", "ciao", "buongiorno", "saluti", "una", "che", "non"},
	"nl": {"de", "het", "en", "u", "uw", "je", "voor", "met", "is", "hallo", "groeten", "een", "niet", "van"},
}

// language guesses the language of a message body from its most frequent short words.
func language(text string) string {
	counts := map[string]int{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		for lang, words := range stopWords {
			for _, s := range words {
				if w == s {
					counts[lang]++
				}
			}
		}
	}
	best, n := "en", 0
	for _, lang := range []string{"en", "de", "fr", "es", "pt", "it", "nl"} {
		if counts[lang] > n {
			best, n = lang, counts[lang]
		}
	}
	return best
}

// text appends what body lacks to a plain-text message.
func (f footer) text(body string) string {
	words := footerWords[language(body)]
	var lines []string
	if f.emailSource != "" && !strings.Contains(body, f.emailSource) {
		lines = append(lines, words.source+" "+f.emailSource)
	}
	if f.postal != "" && !strings.Contains(body, f.postal) {
		lines = append(lines, f.postal)
	}
	if !strings.Contains(body, f.unsubscribeURL) {
		lines = append(lines, words.unsubscribe+": "+f.unsubscribeURL)
	}
	if len(lines) == 0 {
		return body
	}
	return strings.TrimRight(body, "\n") + "\n\n-- \n" + strings.Join(lines, "\n") + "\n"
}

// html appends what body lacks to an HTML alternative, before </body> when there is one.
func (f footer) html(body string) string {
	if body == "" {
		return ""
	}
	has := func(s string) bool { return strings.Contains(body, s) || strings.Contains(body, html.EscapeString(s)) }
	words := footerWords[language(htmlText(body))]
	var parts []string
	if f.emailSource != "" && !has(f.emailSource) {
		parts = append(parts, html.EscapeString(words.source)+` <a href="`+html.EscapeString(f.emailSource)+`">`+html.EscapeString(f.emailSource)+`</a>`)
	}
	if f.postal != "" && !has(f.postal) {
		parts = append(parts, html.EscapeString(f.postal))
	}
	if !has(f.unsubscribeURL) {
		parts = append(parts, `<a href="`+html.EscapeString(f.unsubscribeURL)+`">`+html.EscapeString(words.unsubscribe)+`</a>`)
	}
	if len(parts) == 0 {
		return body
	}
	out := `<p style="font-size:small;color:#666">` + strings.Join(parts, "<br>") + "</p>"
	if i := strings.LastIndex(strings.ToLower(body), "</body>"); i >= 0 {
		return body[:i] + out + body[i:]
	}
	return body + out
}

// htmlText drops the tags of an HTML body, enough to tell its language.
func htmlText(body string) string {
	var b strings.Builder
	in := false
	for _, r := range body {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}
